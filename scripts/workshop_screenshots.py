"""Screenshots of the workshop in a real room's sizes, and a check that every slide fits.

Usage: .venv/bin/python scripts/workshop_screenshots.py [--check-all] [--out DIR]

Starts the app (its own SQLite database), creates a workshop with three teams, opens a poll
that two teams answer, and writes PNG files (git-ignored folder screenshots/workshop/):
presenter and audience screen at 1280×720 and 1920×1080 in zh and en, the desk's Teams view
(QR codes, short codes, the LAN warning), a phone's team view at 390×844 with the poll, and the
audience screen showing the poll's results. With --check-all it also steps through every slide
in zh, en and both at 1280×720, 1366×768 and 1920×1080 and prints any slide whose text does not
fit its frame, or any scrollbar. Needs Debian's chromium and a CJK font.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, running_app, wait_for_run  # noqa: E402

SIZES = {"1280x720": (1280, 720), "1366x768": (1366, 768), "1920x1080": (1920, 1080)}
# The whole document and every element that could scroll: none may (an audience cannot scroll).
SCROLLERS = """() => {
  const out = [];
  if (document.documentElement.scrollHeight > window.innerHeight + 1) out.push("document");
  for (const el of document.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    if (/(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1
        && el.clientHeight > 0) out.push(el.className || el.tagName);
  }
  return out;
}"""
# Text that runs past the bottom of its frame (hidden by overflow: hidden, but lost).
CLIPPED = """(selector) => {
  const out = [];
  for (const frame of document.querySelectorAll(selector)) {
    const box = frame.getBoundingClientRect();
    for (const el of frame.querySelectorAll("h1, h3, p, li, .stPlotlyChart")) {
      const r = el.getBoundingClientRect();
      if (r.height > 0 && r.bottom > box.bottom + 1) out.push(el.textContent.slice(0, 40));
    }
  }
  return out;
}"""


def _agenda():  # type: ignore[no-untyped-def]
    from qunce.workshop.agenda import Agenda, Block

    return Agenda(
        title="社群启动半日工作坊",
        blocks=(
            Block(item="launch-rules", minutes=40),
            Block(item="xiaomi-fans", minutes=15, note="问：谁是你的前 100 个用户？"),
            Block(item="qr-code-scenarios", minutes=30),
        ),
    )


def _wait(page: Page) -> None:
    wait_for_run(page, timeout=120_000)
    page.wait_for_timeout(1200)
    # Widgets and charts load their code on first use: wait until no placeholder is left.
    for _ in range(60):
        if not page.locator("[data-testid='stSkeleton'], [class*='Skeleton']").count():
            break
        page.wait_for_timeout(500)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check-all", action="store_true", help="step through every slide")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots" / "workshop")
    parser.add_argument("--only", default="", help="take only shots whose name has this")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from qunce.content.catalogue import load_catalogue
    from qunce.db.store import open_store
    from qunce.workshop import repository as repo
    from qunce.workshop.deck import build_deck
    from qunce.workshop.polls import answer_poll, open_poll

    folder = args.out / "db"
    folder.mkdir(exist_ok=True)
    database = f"sqlite:///{folder / 'qunce.db'}"
    (folder / "qunce.db").unlink(missing_ok=True)
    catalogue = load_catalogue()
    store = open_store(database)
    agenda = _agenda()
    workshop, host = repo.create_workshop(
        store, agenda, catalogue, ["红队", "Blue team", "绿队"], start_date=date(2026, 5, 9)
    )
    deck = build_deck(agenda, catalogue)
    screen = repo.screen_join_code(host, workshop)
    teams = [repo.team_join_code(host, t) for t in workshop.teams]
    shots: list[Path] = []
    env = {"QUNCE_DATABASE_URL": database, "QUNCE_BASE_URL": ""}
    with running_app(env) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        warm = browser.new_page()
        warm.goto(f"{url}/?lang=zh")
        _wait(warm)
        warm.close()

        def shot(page: Page, name: str) -> None:
            path = args.out / f"{name}.png"
            page.screenshot(path=str(path))
            shots.append(path)
            print(path, flush=True)

        def wanted(name: str) -> bool:
            return args.only in name

        step = next(i for i, s in enumerate(deck.slides) if s.kind == "step")
        case = next(i for i, s in enumerate(deck.slides) if s.chart is not None)
        for lang in ("zh", "en"):
            repo.set_display_lang(store, host, lang)
            for size, (width, height) in SIZES.items():
                if size == "1366x768":
                    continue
                for label, index in (("step", step), ("case", case)):
                    name = f"{label}-{size}-{lang}"
                    if not wanted(name):
                        continue
                    repo.go_to(store, host, index, deck)
                    presenter = browser.new_page(viewport={"width": width, "height": height})
                    presenter.goto(f"{url}/workshop?lang={lang}&host={host}")
                    _wait(presenter)
                    shot(presenter, f"presenter-{name}")
                    presenter.close()
                    audience = browser.new_page(viewport={"width": width, "height": height})
                    audience.goto(f"{url}/workshop?lang={lang}&screen={screen}")
                    _wait(audience)
                    shot(audience, f"audience-{name}")
                    print("  scrollers:", audience.evaluate(SCROLLERS))
                    audience.close()

        if wanted("teams"):
            # Tall enough for the whole view: Streamlit scrolls inside the page, so a full-page
            # screenshot would stop at the window's height.
            desk = browser.new_page(viewport={"width": 1440, "height": 2700})
            desk.goto(f"{url}/workshop?lang=zh&host={host}")
            _wait(desk)
            desk.get_by_text("小组与二维码", exact=True).click()
            _wait(desk)
            desk.get_by_role("button", name="为所有小组生成短码").click()
            _wait(desk)
            desk.screenshot(path=str(args.out / "desk-teams-zh.png"), full_page=True)
            shots.append(args.out / "desk-teams-zh.png")
            print(args.out / "desk-teams-zh.png")
            desk.close()

        if wanted("poll"):
            repo.set_display_lang(store, host, "zh")
            repo.go_to(store, host, step, deck)
            poll = open_poll(
                store, host, "choice", "你们组先做哪一步？", ["写群规", "邀请种子成员", "定活动日历"],
                slide_key=deck.slides[step].key,
            )
            answer_poll(store, teams[1], poll.id, choice=1, author="Mei")
            phone = browser.new_context(
                viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
            ).new_page()
            phone.goto(f"{url}/workshop?lang=zh&join={teams[0]}")
            _wait(phone)
            shot(phone, "phone-team-poll-390x844-zh")
            phone.get_by_text("邀请种子成员").first.click()
            _wait(phone)
            shot(phone, "phone-team-poll-answered-390x844-zh")
            audience = browser.new_page(viewport={"width": 1280, "height": 720})
            audience.goto(f"{url}/workshop?lang=zh&screen={screen}")
            _wait(audience)
            shot(audience, "audience-poll-1280x720-zh")
            audience.close()
            phone.context.close()

        if args.check_all:
            problems = 0
            for lang in ("zh", "en", "both"):
                repo.set_display_lang(store, host, lang)
                for size, (width, height) in SIZES.items():
                    audience = browser.new_page(viewport={"width": width, "height": height})
                    audience.goto(f"{url}/workshop?lang=zh&screen={screen}")
                    _wait(audience)
                    for index, slide in enumerate(deck.slides):
                        repo.go_to(store, host, index, deck)
                        audience.get_by_text(
                            f"{index + 1} / {len(deck.slides)}", exact=True
                        ).wait_for(timeout=20_000)
                        audience.wait_for_timeout(900)
                        clipped = audience.evaluate(CLIPPED, "[class*='st-key-workshop-frame-']")
                        scrollers = audience.evaluate(SCROLLERS)
                        if clipped or scrollers:
                            problems += 1
                            print(f"{lang} {size} slide {index} {slide.key}: clipped {clipped} "
                                  f"scroll {scrollers}", flush=True)  # fmt: skip
                            audience.screenshot(
                                path=str(args.out / f"problem-{lang}-{size}-{index}.png")
                            )
                    audience.close()
                    print(f"checked {lang} {size}", flush=True)
            print(f"{problems} slide(s) with problems", flush=True)
        browser.close()
    store.dispose()


if __name__ == "__main__":
    main()
