"""A whole workshop in headless Chromium: the trainer builds it, two phones tick, the board moves.

No reload happens on the trainer's page after the teams join: the board fragment refreshes by
itself (`@st.fragment(run_every=...)`), which is exactly what this test waits for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from qunce.db.store import open_store
from qunce.plans.models import ItemRow, WorkspaceRow
from tests.browser_support import running_app, wait_for_run

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A running app with its own SQLite database: (base URL, database URL)."""
    folder: Path = tmp_path_factory.mktemp("workshop-app")
    database = f"sqlite:///{folder / 'qunce.db'}"
    with running_app({"QUNCE_DATABASE_URL": database}) as base:
        yield base, database


def _open_home_first(browser: Any, base: str) -> None:
    """Load the entry page once: the trainer walks in through the home page."""
    page = browser.new_page()
    page.goto(f"{base}/?lang=en")
    wait_for_run(page)
    page.close()


def _pick(page: Any, label: str, text: str) -> None:
    box = page.get_by_label(label)
    box.click()
    page.keyboard.type(text)
    page.get_by_role("option", name=re.compile(re.escape(text))).first.click()
    page.keyboard.press("Escape")
    wait_for_run(page)


def _tick_first(phone: Any, count: int) -> None:
    """Tick the first `count` items, one at a time, each confirmed before the next tap."""
    boxes = phone.locator("[data-testid='stCheckbox']")
    checked = phone.locator("[data-testid='stCheckbox'] input:checked")
    boxes.first.wait_for(timeout=30_000)
    for index in range(count):
        boxes.nth(index).locator("label").click()
        checked.nth(index).wait_for(state="attached", timeout=20_000)
        wait_for_run(phone)


def test_trainer_two_phones_and_the_live_board(browser: Any, app: tuple[str, str]) -> None:
    base, database = app
    trainer = browser.new_context(viewport={"width": 1440, "height": 1200}).new_page()
    trainer.goto(f"{base}/?lang=en")
    wait_for_run(trainer)
    trainer.get_by_role("link", name=re.compile("Workshop")).first.click()
    wait_for_run(trainer)
    trainer.get_by_label("Workshop title").fill("Browser workshop")
    trainer.get_by_label("Workshop title").press("Enter")
    wait_for_run(trainer)
    _pick(trainer, "Playbooks and cases (in the order you pick them)", "Launching a group")
    _pick(trainer, "Playbooks and cases (in the order you pick them)", "Xiaomi")
    teams = trainer.get_by_label("Number of teams")
    teams.fill("2")
    teams.press("Enter")
    wait_for_run(trainer)
    trainer.get_by_role("button", name="Create workshop").click()
    wait_for_run(trainer)
    codes = trainer.locator("[data-testid='stCode']").filter(has_text="join=")
    codes.nth(2).wait_for(timeout=30_000)  # the projector's QR link, then one per team
    links = sorted({re.sub(r"\s+", "", c) for c in codes.all_inner_texts()})
    assert len(links) == 2, links

    trainer.get_by_text("Board", exact=True).click()
    wait_for_run(trainer)
    done = trainer.locator("[data-testid='stMetric']").filter(has_text="Items done")
    assert done.locator("[data-testid='stMetricValue']").inner_text() == "0"

    phones = []
    for link, ticks in zip(links, (1, 2), strict=True):
        phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
        phone.goto(link)
        wait_for_run(phone)
        _tick_first(phone, ticks)
        # Nothing sticks out sideways on a phone: no horizontal scrolling needed to tick.
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        phones.append(phone)

    # The trainer's page was never reloaded: the board fragment picks the ticks up by itself.
    done.locator("[data-testid='stMetricValue']").filter(has_text=re.compile(r"^3$")).wait_for(
        timeout=30_000
    )
    table = trainer.locator("[data-testid='stDataFrame']").first
    store = open_store(database)
    try:
        with store.session() as session:
            done_per_team = dict(
                session.execute(
                    select(ItemRow.workspace_id, func.count())
                    .where(ItemRow.status == "done")
                    .group_by(ItemRow.workspace_id)
                ).all()
            )
            names = dict(session.execute(select(WorkspaceRow.id, WorkspaceRow.name)).all())
    finally:
        store.dispose()
    assert sorted(done_per_team.values()) == [1, 2]
    assert {names[w] for w in done_per_team} == {"Team 1", "Team 2"}
    assert table.is_visible()
    for phone in phones:
        phone.context.close()
    trainer.context.close()


def test_arrow_keys_move_the_presenter_and_the_screen_follows(
    browser: Any, app: tuple[str, str]
) -> None:
    from datetime import date

    from qunce.content.catalogue import load_catalogue
    from qunce.workshop.agenda import Agenda, Block
    from qunce.workshop.deck import build_deck
    from qunce.workshop.repository import create_workshop, open_workshop, screen_join_code

    base, database = app
    _open_home_first(browser, base)
    store = open_store(database)
    try:
        agenda = Agenda(title="键盘演示", blocks=(Block(item="launch-rules", minutes=20),))
        workshop, host = create_workshop(
            store, agenda, load_catalogue(), ["A"], start_date=date(2026, 5, 9)
        )
        screen_code = screen_join_code(host, workshop)
        presenter = browser.new_page(viewport={"width": 1440, "height": 1000})
        presenter.goto(f"{base}/workshop?lang=zh&host={host}")
        wait_for_run(presenter)
        presenter.get_by_text("◀ 上一页").wait_for()
        screen = browser.new_page(viewport={"width": 1280, "height": 720})
        screen.goto(f"{base}/workshop?lang=zh&screen={screen_code}")
        wait_for_run(screen)
        assert "键盘演示" in screen.locator("h1").first.inner_text()
        presenter.locator(".st-key-workshop-slide").click()
        titles = [slide.title.zh for slide in build_deck(agenda, load_catalogue()).slides]
        for key, expected in (("ArrowRight", 1), ("ArrowRight", 2), ("ArrowLeft", 1)):
            presenter.keyboard.press(key)
            # Each press is one step: wait for its slide before pressing again.
            heading = presenter.locator(".st-key-workshop-slide h1")
            heading.filter(has_text=titles[expected]).wait_for(timeout=20_000)
            wait_for_run(presenter)
        assert open_workshop(store, host).stage.slide == 1
        # The projector page follows by itself and never shows the speaker notes.
        screen.locator("h1").filter(has_text="社群启动、气氛维护与线上线下打通").wait_for(
            timeout=20_000
        )
        assert "请各组讨论" not in screen.content()
        assert "衡量是否有效" not in screen.content()
        presenter.close()
        screen.close()
    finally:
        store.dispose()
