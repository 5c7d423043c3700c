"""The plans page keeps itself up to date in real browsers, and loses nothing anyone typed.

Two browser contexts (two people, two sessions) open the same plan. When A ticks today's
occurrence of a recurring item, B's page shows it ticked without B clicking anything. When A is
halfway through typing in an item's form, the automatic refreshes (B's changes elsewhere, B
opening the same item, B saving it) leave A's unsaved text where it is; A's save then meets the
conflict flow and both edits end up in the database.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from qunce.content.catalogue import Catalogue
from qunce.plans import (
    Plan,
    add_item,
    create_plan,
    create_workspace,
    get_item,
    get_occurrence,
    get_plan,
    local_today,
    open_store,
    update_item,
)
from qunce.plans.occurrences import occurrence_at
from qunce.ui.plans import LIVE_SECONDS
from tests.browser_support import running_app, wait_for_run
from tests.plans.conftest import START
from tests.plans.test_browser import _item, _open

pytestmark = [pytest.mark.browser, pytest.mark.slow]
MORNING = "FREQ=DAILY;BYHOUR=9;BYMINUTE=0"


@pytest.fixture
def live_plan(database_url: str, catalogue: Catalogue) -> tuple[str, str, Plan, int, date]:
    """(database URL, join code, plan, recurring item id, today) of a team with one plan."""
    store = open_store(database_url)
    try:
        workspace, code = create_workspace(store, "Live team")
        plan = create_plan(store, workspace.id, "618 launch", ["launch-basics"], catalogue,
                           start_date=START)  # fmt: skip
        today = local_today()
        routine = add_item(store, workspace.id, plan.id, "Morning post", rule=MORNING,
                           repeat_from=today, author="Lin")  # fmt: skip
        plan = get_plan(store, workspace.id, plan.id)
    finally:
        store.dispose()
    return database_url, code, plan, routine.id, today


@pytest.fixture
def app_url(live_plan: tuple[str, str, Plan, int, date]) -> Iterator[str]:
    """The app, serving the plan's database."""
    with running_app({"QUNCE_DATABASE_URL": live_plan[0]}) as url:
        yield url


def _box(page: Any, key: str) -> Any:
    """The checkbox drawn with widget key `key` (Streamlit marks its element with the key)."""
    return page.locator(".st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key)).locator("input")


def _tap(page: Any, key: str) -> None:
    """Tick the checkbox drawn with widget key `key`, as a finger does (on its label)."""
    page.locator(".st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key)).locator("label").first.click()
    wait_for_run(page)


def test_a_tick_in_one_browser_shows_in_the_other_without_a_click(
    browser: Any, app_url: str, live_plan: tuple[str, str, Plan, int, date]
) -> None:
    database_url, code, plan, routine, today = live_plan
    link = f"{app_url}/plans?lang=en&join={code}"
    a = _open(browser, link, "Alice")
    b = _open(browser, link, "Bob")
    when = f"{today.isoformat()}T09:00"
    b_box = _box(b, f"plans.check.tick.{routine}@{when}.v0")
    b_box.wait_for(state="attached")
    assert not b_box.is_checked()

    _tap(a, f"plans.check.tick.{routine}@{when}.v0")
    ticked = time.monotonic()
    # B does nothing at all: the page's own refresh brings Alice's tick.
    b_ticked = _box(b, f"plans.check.tick.{routine}@{when}.v1")
    b_ticked.wait_for(state="attached", timeout=(3 * LIVE_SECONDS + 10) * 1000)
    print(f"B saw A's tick {time.monotonic() - ticked:.1f} s after it was saved")
    assert b_ticked.is_checked()

    store = open_store(database_url)
    try:
        occurrence = get_occurrence(store, plan.workspace_id, routine,
                                    occurrence_at(get_item(store, plan.workspace_id, routine), today))  # fmt: skip
    finally:
        store.dispose()
    assert (occurrence.status, occurrence.updated_by) == ("done", "Alice")
    a.context.close()
    b.context.close()


def test_unsaved_typing_survives_the_automatic_refresh(
    browser: Any, app_url: str, live_plan: tuple[str, str, Plan, int, date]
) -> None:
    database_url, code, plan, _routine, _today = live_plan
    first, second = plan.items[0], plan.items[1]
    link = f"{app_url}/plans?lang=en&join={code}"
    a = _open(browser, link, "Alice")
    b = _open(browser, link, "Bob")

    a_item = _item(a, first.title("en"))
    a_item.get_by_label("Notes").fill("half-written note")
    a_item.get_by_label("Owner").fill("Al")  # still typing here: nothing is saved

    # Bob ticks another item: Alice's checklist redraws with the new plan...
    _tap(b, f"plans.check.tick.{second.id}.v1")
    _box(a, f"plans.check.tick.{second.id}.v2").wait_for(state="attached", timeout=30_000)
    # ...Bob opens Alice's item: she is told, on the item she is typing in...
    _item(b, first.title("en"))
    a.get_by_text("Bob is editing").first.wait_for(timeout=30_000)
    assert a_item.get_by_label("Notes").input_value() == "half-written note"
    assert a_item.get_by_label("Owner").input_value() == "Al"

    # ...and Bob saves it: Alice still has her text, and learns of the newer version.
    store = open_store(database_url)
    try:
        update_item(store, plan.workspace_id, first.id, {"status": "doing"}, expected_version=1,
                    author="Bob")  # fmt: skip
    finally:
        store.dispose()
    a.get_by_text("Bob saved a newer version since you opened this item").wait_for(timeout=30_000)
    assert a_item.get_by_label("Notes").input_value() == "half-written note"
    assert a_item.get_by_label("Owner").input_value() == "Al"

    a_item.get_by_role("button", name="Save").click()
    wait_for_run(a)
    a.get_by_text("Bob saved this item first").wait_for()
    a.get_by_role("button", name="Re-apply my change on the newest version").click()
    wait_for_run(a)
    a.get_by_text("Saved (version 3).").wait_for()
    store = open_store(database_url)
    try:
        final = get_item(store, plan.workspace_id, first.id)
    finally:
        store.dispose()
    assert (final.status, final.owner, final.notes) == ("doing", "Al", "half-written note")
    a.context.close()
    b.context.close()
