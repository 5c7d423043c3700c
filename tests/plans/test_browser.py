"""Two people edit the same item in two browsers at once; neither edit is lost.

Alice and Bob open the team's join link in separate browser contexts (separate sessions), open
the same checklist item, and both change it from the same version. Alice saves first; Bob's save
is refused as stale, he sees Alice's value, re-applies his change, and the database ends with
both edits. Nobody clicks a refresh button: the page keeps itself up to date.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from qunce.content.catalogue import Catalogue
from qunce.plans import Plan, create_plan, create_workspace, get_item, item_history, open_store
from tests.browser_support import running_app, wait_for_run
from tests.plans.conftest import START

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def shared_plan(database_url: str, catalogue: Catalogue) -> tuple[str, str, Plan]:
    """(database URL, join code, plan) of a team with one plan."""
    store = open_store(database_url)
    try:
        workspace, code = create_workspace(store, "Workshop team")
        plan = create_plan(store, workspace.id, "618 launch", ["launch-basics"], catalogue,
                           start_date=START)  # fmt: skip
    finally:
        store.dispose()
    return database_url, code, plan


@pytest.fixture
def app_url(shared_plan: tuple[str, str, Plan]) -> Iterator[str]:
    """The app, serving the shared plan's database."""
    with running_app({"QUNCE_DATABASE_URL": shared_plan[0]}) as url:
        yield url


def _open(browser: Any, url: str, name: str) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 1600}, locale="en-US")
    context.set_default_timeout(60_000)  # a loaded CI machine runs two servers' scripts at once
    page = context.new_page()
    page.goto(url)
    wait_for_run(page)
    name_box = page.get_by_label("Your name (shown in the history)")
    try:
        # The first run of a fresh server migrates and loads the catalogue: allow for a busy CI.
        name_box.wait_for(timeout=90_000)
    except Exception:
        print(page.locator("[data-testid='stMain']").inner_text()[:2000])
        raise
    name_box.fill(name)
    name_box.press("Enter")
    wait_for_run(page)
    return page


def _item(page: Any, title: str) -> Any:
    expander = page.get_by_test_id("stExpander").filter(has_text=title).first
    try:
        expander.wait_for(timeout=120_000)
    except Exception:
        print(page.locator("[data-testid='stApp']").inner_text()[:3000])
        raise
    # Open it if it is folded, until its form shows: a run that is still redrawing may fold it
    # again after we looked, so check again rather than trusting one look.
    owner = expander.get_by_label("Owner")
    for _ in range(20):
        if expander.locator("details").first.get_attribute("open") is None:
            expander.locator("summary").first.click()
        try:
            owner.wait_for(timeout=3_000)
            break
        except Exception:
            wait_for_run(page)
    owner.wait_for()
    return expander


def test_two_browsers_edit_the_same_item_and_both_edits_survive(
    browser: Any, app_url: str, shared_plan: tuple[str, str, Plan]
) -> None:
    database_url, code, plan = shared_plan
    item = plan.items[0]
    title = item.title("en")
    link = f"{app_url}/plans?lang=en&join={code}"
    alice = _open(browser, link, "Alice")
    bob = _open(browser, link, "Bob")
    assert "join=" not in alice.url and "join=" not in bob.url

    # Both open the same item at version 1.
    alice_item = _item(alice, title)
    bob_item = _item(bob, title)

    alice_item.get_by_label("Owner").fill("Alice")
    alice_item.get_by_role("button", name="Save").click()
    wait_for_run(alice)
    alice.get_by_text("Saved (version 2).").wait_for()

    # Bob's form still holds version 1: his save is refused and shown, not lost.
    bob_item.get_by_label("Notes").fill("Bring the welcome banner")
    bob_item.get_by_role("button", name="Save").click()
    wait_for_run(bob)
    bob.get_by_text("Alice saved this item first").wait_for()
    bob_item = _item(bob, title)
    assert bob_item.get_by_label("Owner").input_value() == "Alice"
    bob.get_by_role("button", name="Re-apply my change on the newest version").click()
    wait_for_run(bob)
    bob.get_by_text("Saved (version 3).").wait_for()

    store = open_store(database_url)
    try:
        final = get_item(store, plan.workspace_id, item.id)
        history = item_history(store, plan.workspace_id, item.id)
    finally:
        store.dispose()
    assert (final.owner, final.notes, final.version) == ("Alice", "Bring the welcome banner", 3)
    assert {(c.author, c.field) for c in history} == {("Alice", "owner"), ("Bob", "notes")}

    # Alice's page refreshes by itself: her open form keeps what she opened (she might be
    # typing), says Bob saved since, and shows his note when she asks for the newest version.
    alice.get_by_text("Bob saved a newer version since you opened this item").wait_for(timeout=30_000)
    alice.get_by_role("button", name="Drop what I typed and show the newest version").click()
    wait_for_run(alice)
    alice_item = _item(alice, title)
    assert alice_item.get_by_label("Notes").input_value() == "Bring the welcome banner"

    # Unfolding the next item folds this one: one form at a time.
    _item(alice, plan.items[1].title("en"))
    alice_item.get_by_label("Notes").wait_for(state="hidden")
    alice.context.close()
    bob.context.close()
