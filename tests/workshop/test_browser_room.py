"""A workshop in a real room, in headless Chromium: projector sizes, two phones answering a poll,
a reload at the desk.

- The audience screen never scrolls (the document and every element) and its slide's text stays
  inside the frame; the presenter's Next button is on the first screen, at 1280×720 and
  1920×1080.
- Two phones (two browser contexts) answer a poll; the audience screen shows both answers by
  itself, without a click or a reload.
- A reload (and a typed URL) keeps the trainer at the desk: the code lives in the keyring cookie.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from qunce.content.catalogue import load_catalogue
from qunce.db.store import Store, open_store
from qunce.workshop import repository as repo
from qunce.workshop.agenda import Agenda, Block
from qunce.workshop.deck import build_deck
from qunce.workshop.polls import open_poll
from tests.browser_support import running_app, wait_for_run

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
SCROLLERS = """() => {
  const out = [];
  if (document.documentElement.scrollHeight > window.innerHeight) out.push("document");
  for (const el of document.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    if (/(auto|scroll)/.test(style.overflowY) && el.clientHeight > 0
        && el.scrollHeight > el.clientHeight + 1) out.push(String(el.className).slice(0, 60));
  }
  return out;
}"""
CLIPPED = """() => {
  const frame = document.querySelector("[class*='st-key-workshop-frame-screen']");
  if (!frame) return ["no frame"];
  const box = frame.getBoundingClientRect();
  return [...frame.querySelectorAll("h1, h3, p, li")]
    .filter((el) => el.getBoundingClientRect().bottom > box.bottom + 1)
    .map((el) => el.textContent.slice(0, 40));
}"""


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store, str, Any]]:
    """A running app and a workshop with two teams: (base URL, store, facilitator code, deck)."""
    folder: Path = tmp_path_factory.mktemp("workshop-room")
    database = f"sqlite:///{folder / 'qunce.db'}"
    catalogue = load_catalogue()
    agenda = Agenda(
        title="社群启动半日工作坊",
        blocks=(
            Block(item="launch-rules", minutes=40),
            Block(item="xiaomi-fans", minutes=15),
            Block(item="qr-code-scenarios", minutes=30),
        ),
    )
    store = open_store(database)
    _workshop, host = repo.create_workshop(
        store, agenda, catalogue, ["红队", "Blue"], start_date=date(2026, 5, 9)
    )
    try:
        with running_app({"QUNCE_DATABASE_URL": database}) as base:
            yield base, store, host, build_deck(agenda, catalogue)
    finally:
        store.dispose()


def _open(browser: Any, url: str, width: int, height: int) -> Any:
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    wait_for_run(page, timeout=120_000)
    return page


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_presenter_and_audience_fit_the_screen(
    browser: Any, room: tuple[str, Store, str, Any], size: tuple[int, int], lang: str
) -> None:
    base, store, host, deck = room
    width, height = size
    repo.set_display_lang(store, host, lang)
    workshop = repo.open_workshop(store, host)
    screen = _open(browser, f"{base}/workshop?lang={lang}&screen={repo.screen_join_code(host, workshop)}", width, height)  # fmt: skip
    presenter = _open(browser, f"{base}/workshop?lang={lang}&host={host}", width, height)
    try:
        # The slides that carry most: the title, a playbook's opening, a case with its chart.
        for kind in ("title", "playbook", "case", "discuss"):
            index = next(i for i, s in enumerate(deck.slides) if s.kind == kind)
            repo.go_to(store, host, index, deck)
            title = deck.slides[index].title.get(lang)
            screen.locator("h1").filter(has_text=title[:12]).first.wait_for(timeout=20_000)
            screen.wait_for_timeout(600)
            assert screen.evaluate(SCROLLERS) == [], (kind, size)
            assert screen.evaluate("document.documentElement.scrollHeight <= window.innerHeight")
            assert screen.evaluate(CLIPPED) == [], (kind, size)
        presenter.reload()
        wait_for_run(presenter, timeout=60_000)
        nxt = presenter.locator(".st-key-workshop-present-next button")
        nxt.wait_for(timeout=20_000)
        box = nxt.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, box
        assert presenter.locator("[class*='st-key-workshop-frame-cur']").is_visible()
        assert presenter.locator("[class*='st-key-workshop-frame-next']").count() in (0, 1)
        assert presenter.locator(".st-key-workshop-notes").is_visible()
    finally:
        screen.close()
        presenter.close()
        repo.set_display_lang(store, host, "zh")


def test_two_phones_answer_and_the_screen_shows_both(
    browser: Any, room: tuple[str, Store, str, Any]
) -> None:
    base, store, host, deck = room
    workshop = repo.open_workshop(store, host)
    repo.go_to(store, host, 2, deck)
    screen = _open(browser, f"{base}/workshop?lang=zh&screen={repo.screen_join_code(host, workshop)}", 1280, 720)  # fmt: skip
    phones = []
    for team in workshop.teams:
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        phone = context.new_page()
        phone.goto(f"{base}/workshop?lang=zh&join={repo.team_join_code(host, team)}")
        wait_for_run(phone, timeout=60_000)
        phones.append(phone)
    try:
        open_poll(
            store,
            host,
            "choice",
            "先做哪一步？",
            ["写群规", "邀请种子成员"],
            slide_key=deck.slides[2].key,
        )
        for phone, option in zip(phones, ("写群规", "邀请种子成员"), strict=True):
            # The phone shows the poll by itself (its live fragment), then one tap answers.
            choice = phone.locator(".st-key-workshop-phone-poll").get_by_text(option, exact=True)
            choice.wait_for(timeout=15_000)
            choice.click()
            phone.get_by_text("本组已回答").wait_for(timeout=15_000)
        # The audience screen was never touched: both answers arrive by themselves.
        screen.locator("p").filter(has_text="2 个小组中 2 个已回答").wait_for(timeout=15_000)
        assert screen.locator("h1").filter(has_text="先做哪一步").count() == 1
        assert screen.evaluate(SCROLLERS) == []
    finally:
        for phone in phones:
            phone.context.close()
        screen.close()


def test_a_reload_keeps_the_desk(browser: Any, room: tuple[str, Store, str, Any]) -> None:
    base, _store, host, _deck = room
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{base}/workshop?lang=en&host={host}")
    wait_for_run(page, timeout=60_000)
    page.locator(".st-key-workshop-present-next").wait_for(timeout=20_000)
    assert "host=" not in page.url  # the code left the address bar at once
    # The keyring cookie is written by a small component after the run: wait for it, as a
    # person's reload comes seconds later anyway.
    for _ in range(100):
        if any(c["name"] == "qunce_keys" for c in context.cookies()):
            break
        page.wait_for_timeout(200)
    assert any(c["name"] == "qunce_keys" for c in context.cookies())
    page.reload()
    wait_for_run(page, timeout=60_000)
    page.locator(".st-key-workshop-present-next").wait_for(timeout=60_000)
    typed = context.new_page()  # a new tab, a typed URL
    typed.goto(f"{base}/workshop?lang=en")
    wait_for_run(typed, timeout=60_000)
    typed.locator(".st-key-workshop-present-next").wait_for(timeout=60_000)
    context.close()


def test_a_clicker_drives_the_presenter(browser: Any, room: tuple[str, Store, str, Any]) -> None:
    """Presentation clickers send PageDown / PageUp; Space is Next too."""
    base, store, host, deck = room
    repo.go_to(store, host, 0, deck)
    page = _open(browser, f"{base}/workshop?lang=zh&host={host}", 1280, 720)
    try:
        page.locator("[class*='st-key-workshop-frame-cur']").click()
        # The key handler is a script the page adds after drawing; a busy machine takes a moment.
        page.wait_for_function("window.quncekeys === true", timeout=60_000)
        for key, expected in (("PageDown", 1), ("Space", 2), ("PageUp", 1)):
            page.keyboard.press(key)
            title = deck.slides[expected].title.zh
            page.locator(".st-key-workshop-slide h1").filter(has_text=title[:10]).wait_for(
                timeout=20_000
            )
            wait_for_run(page)
        assert repo.open_workshop(store, host).stage.slide == 1
    finally:
        page.close()
