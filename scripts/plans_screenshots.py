"""Screenshots of the Launch plans page in both languages, with a plan worth looking at.

Usage: .venv/bin/python scripts/plans_screenshots.py [--width 1366] [--height 768]
Builds a scratch database with a team and a plan from three playbooks with their routines
(owners, due dates, a few ticked occurrences, a teammate editing one item), starts the app on
it, opens the team's join link in headless Chromium and saves the checklist, Today, This week,
the calendar's week and month and the timeline as PNG files in screenshots/ (git-ignored).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, running_app, wait_for_run  # noqa: E402

PLAYBOOKS = ["launch-rules", "wechat-community", "operating-core"]
OWNERS = ["林", "Wang", "Mei", "林、Wang", ""]


def build(database_url: str) -> tuple[str, int]:
    """A team with one plan, as a week of use leaves it; (join code, plan id)."""
    from qunce.content.catalogue import load_catalogue
    from qunce.plans import (
        create_plan,
        create_workspace,
        get_occurrences,
        local_today,
        open_store,
        touch_presence,
        update_item,
        update_occurrence,
        week_range,
        week_view,
    )

    store = open_store(database_url)
    try:
        today = local_today()
        workspace, code = create_workspace(store, "深圳社群店 Shenzhen store")
        plan = create_plan(store, workspace.id, "618 社群开店", PLAYBOOKS, load_catalogue(extra=[]),
                           start_date=today - timedelta(days=10), author="林", routines=True)  # fmt: skip
        steps = [i for i in plan.items if not i.recurring]
        for n, item in enumerate(steps[:14]):
            changes: dict[str, object] = {"owner": OWNERS[n % len(OWNERS)]}
            if n % 3 != 2:
                changes["due"] = today + timedelta(days=n - 4)
            if n < 3:
                changes["status"] = "done"
            elif n == 5:
                changes["status"] = "doing"
            update_item(store, workspace.id, item.id, changes, expected_version=1, author="林")
        routines = [i for i in plan.items if i.recurring]
        start, end = week_range(today)
        week = week_view(plan, get_occurrences(store, workspace.id, plan.id, start=start, end=end),
                         day=today, today=today)  # fmt: skip
        ticked = 0
        for day in week.days:
            for entry in day.entries:
                if entry.occurrence is not None and entry.day < today and ticked < 4:
                    update_occurrence(store, workspace.id, entry.item.id,
                                      entry.occurrence.occurs_at, {"status": "done"},
                                      expected_version=0, author="Wang")  # fmt: skip
                    ticked += 1
        if routines:
            update_item(store, workspace.id, routines[0].id, {"owner": "林"}, expected_version=1)
        touch_presence(store, workspace.id, steps[4].id, session="screenshot-wang",
                       person="Wang", seconds=3600)  # fmt: skip
        return code, plan.id
    finally:
        store.dispose()


def shoot(page: Page, path: Path, width: int, height: int) -> None:
    """The viewport as a person sees it (`path`), then the whole page (`*-full.png`).

    Streamlit scrolls inside its own container, so a "full page" screenshot of the browser is
    only the viewport: the window is made as tall as the content for the second one.
    """
    wait_for_run(page, timeout=120_000)
    page.wait_for_timeout(1200)
    page.screenshot(path=str(path))
    tall = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"
    )
    page.set_viewport_size({"width": width, "height": min(int(tall) + 40, 9000)})
    page.wait_for_timeout(800)
    full = path.with_name(path.stem + "-full.png")
    page.screenshot(path=str(full))
    page.set_viewport_size({"width": width, "height": height})
    print(path)
    print(full)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=768)
    args = parser.parse_args()
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="qunce-plans-shots-"))
    database_url = f"sqlite:///{scratch / 'qunce.db'}"
    os.environ["QUNCE_DATABASE_URL"] = database_url
    code, _ = build(database_url)
    index = os.environ.get("QUNCE_INDEX_DIR", str(ROOT / "index"))
    env = {"QUNCE_DATABASE_URL": database_url, "QUNCE_INDEX_DIR": index}
    with running_app(env) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for lang in ("zh", "en"):
            context = browser.new_context(
                viewport={"width": args.width, "height": args.height},
                locale="zh-CN" if lang == "zh" else "en-US",
            )
            page = context.new_page()
            page.goto(f"{url}/plans?lang={lang}&join={code}")
            wait_for_run(page, timeout=180_000)
            name = page.get_by_label("你的名字（记录在修改历史里）" if lang == "zh" else "Your name (shown in the history)")
            name.wait_for(timeout=120_000)
            name.fill("林")
            name.press("Enter")
            wait_for_run(page)
            # the checklist with one item open
            page.get_by_test_id("stExpander").nth(3).locator("summary").click()
            shoot(page, out / f"plans-checklist.{lang}.png", args.width, args.height)
            page.get_by_role("tab", name="今天与本周" if lang == "zh" else "Today & this week").click()
            shoot(page, out / f"plans-today.{lang}.png", args.width, args.height)
            page.get_by_role("radio", name="本周" if lang == "zh" else "This week").click()
            shoot(page, out / f"plans-week.{lang}.png", args.width, args.height)
            page.get_by_role("tab", name="日历" if lang == "zh" else "Calendar").click()
            shoot(page, out / f"plans-calendar-week.{lang}.png", args.width, args.height)
            page.get_by_role("radio", name="月" if lang == "zh" else "Month", exact=True).click()
            shoot(page, out / f"plans-calendar-month.{lang}.png", args.width, args.height)
            page.get_by_role("tab", name="时间线" if lang == "zh" else "Timeline").click()
            shoot(page, out / f"plans-timeline.{lang}.png", args.width, args.height)
            page.get_by_role("tab", name="导出与设置" if lang == "zh" else "Export & settings").click()
            shoot(page, out / f"plans-exports.{lang}.png", args.width, args.height)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
