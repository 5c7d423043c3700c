"""Access in real browsers (issue 12): a reload and a new tab keep the workspace; when the owner
replaces the join link, the member's next click is refused and saves nothing.

Alice owns a workspace (she holds the owner link); Bob joins with the join link. Bob reloads
and opens a new tab with a typed URL: he is still in. Alice makes a new join
link; Bob's next click (adding an item) is refused with a message, the item is not saved, and
his browser no longer opens the workspace.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from qunce.plans import get_plan, open_store
from qunce.plans.repository import create_plan
from qunce.plans.workspaces import create_workspace, issue_owner_code
from tests.browser_support import running_app, wait_for_run
from tests.plans.conftest import START

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def team(database_url: str, catalogue: Any) -> tuple[str, str, str, str, int]:
    """(database URL, workspace id, join code, owner code, plan id)."""
    store = open_store(database_url)
    try:
        workspace, join = create_workspace(store, "Harbour team")
        owner = issue_owner_code(store, workspace.id)
        plan = create_plan(store, workspace.id, "Launch", ["launch-basics"], catalogue,
                           start_date=START)  # fmt: skip
    finally:
        store.dispose()
    return database_url, workspace.id, join, owner, plan.id


@pytest.fixture
def app_url(team: tuple[str, str, str, str, int]) -> Iterator[str]:
    with running_app({"QUNCE_DATABASE_URL": team[0]}) as url:
        yield url


def _page(context: Any, url: str) -> Any:
    page = context.new_page()
    page.goto(url)
    wait_for_run(page)
    return page


def _in_workspace(page: Any, name: str) -> None:
    page.get_by_label("Your name (shown in the history)").wait_for(timeout=90_000)
    page.get_by_text(name).first.wait_for()


def _name(page: Any, name: str) -> None:
    box = page.get_by_label("Your name (shown in the history)")
    box.fill(name)
    box.press("Enter")
    wait_for_run(page)


def test_a_reload_and_a_new_tab_keep_the_workspace_and_rotation_ends_access(
    browser: Any, app_url: str, team: tuple[str, str, str, str, int]
) -> None:
    database_url, workspace_id, join, owner, plan_id = team
    alice = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    bob = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    for context in (alice, bob):
        context.set_default_timeout(60_000)

    a = _page(alice, f"{app_url}/plans?lang=en&join={owner}")
    _in_workspace(a, "Harbour team")
    _name(a, "Alice")
    b = _page(bob, f"{app_url}/plans?lang=en&join={join}")
    _in_workspace(b, "Harbour team")
    _name(b, "Bob")
    assert "join=" not in b.url

    # a reload, and a new tab with a typed address, keep Bob in the workspace and his name
    b.reload()
    wait_for_run(b)
    _in_workspace(b, "Harbour team")
    tab = _page(bob, f"{app_url}/plans?lang=en")
    _in_workspace(tab, "Harbour team")
    assert tab.get_by_label("Your name (shown in the history)").input_value() == "Bob"
    tab.close()

    # Bob has typed an item; Alice replaces the join link
    b.get_by_label("Add a custom item: title").fill("Sneaky item")
    a.get_by_text("Invite people").click()
    a.get_by_role("button", name="Make a new join link").click()
    wait_for_run(a)
    a.get_by_text("A new join link is made").wait_for()

    # Bob's next click is refused and saves nothing. (His page also checks by itself every few
    # seconds: if that check came first, the form is already gone and he is out without a click.)
    try:
        b.get_by_role("button", name="Add").click(timeout=5_000)
        wait_for_run(b)
    except Exception:
        pass
    b.get_by_text("join link was replaced").first.wait_for(timeout=30_000)
    store = open_store(database_url)
    try:
        titles = [i.title_en for i in get_plan(store, workspace_id, plan_id).items]
    finally:
        store.dispose()
    assert "Sneaky item" not in titles
    # and his browser does not come back in with the old code
    again = _page(bob, f"{app_url}/plans?lang=en")
    again.get_by_text("Launch plans belong to a team workspace").wait_for()
    alice.close()
    bob.close()


def test_a_new_tab_keeps_a_workspace_that_has_no_plan_yet(browser: Any, database_url: str) -> None:
    """The page ends early while a workspace has no plan; the browser must learn the workspace
    all the same (once it did not: a lead who made a workspace and reloaded had lost it)."""
    store = open_store(database_url)
    try:
        _, join = create_workspace(store, "Empty team")
    finally:
        store.dispose()
    with running_app({"QUNCE_DATABASE_URL": database_url}) as url:
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
        context.set_default_timeout(60_000)
        first = _page(context, f"{url}/plans?lang=en&join={join}")
        _in_workspace(first, "Empty team")
        first.get_by_text("No plans in this workspace yet").wait_for()
        tab = _page(context, f"{url}/plans?lang=en")
        _in_workspace(tab, "Empty team")
        context.close()
