"""Access that lasts and can be taken back, on the Launch plans page (AppTest).

A browser keeps the codes it joined with (a cookie the session reads when it opens), so a new
session — a reload, a new tab, a typed URL — is in the same workspace; every run and every
click re-checks the code, so replacing it ends the other sessions at once; only the owner
replaces codes or deletes plans; a join link for another workspace asks first; a name is asked
for before the first save and remembered per browser.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import qunce.ui.content
import qunce.ui.keyring
from qunce.config import settings
from qunce.content.catalogue import Catalogue
from qunce.db.errors import NotAllowed
from qunce.plans import Plan, Store, Workspace, get_plan, list_plans
from qunce.plans.workspaces import (
    create_workspace,
    issue_owner_code,
    open_code,
    rotate_join_code,
)
from qunce.ui.keyring import COOKIE, NAME_COOKIE, Key, format_cookie

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "views" / "plans.py")
Browser = Callable[[dict[str, str]], AppTest]


@pytest.fixture
def browser(
    database_url: str, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Browser]:
    """Opens the plans page as a new session of a browser holding the given cookies."""
    monkeypatch.setenv("QUNCE_DATABASE_URL", database_url)
    monkeypatch.setenv("QUNCE_BASE_URL", "https://qunce.example.org")
    settings.cache_clear()
    monkeypatch.setattr(qunce.ui.content, "catalogue", lambda: catalogue)
    jar: dict[str, str] = {}
    monkeypatch.setattr(qunce.ui.keyring, "_cookies", lambda: dict(jar))

    def open_page(cookies: dict[str, str]) -> AppTest:
        jar.clear()
        jar.update(cookies)
        at = AppTest.from_file(PAGE, default_timeout=60)
        at.query_params["lang"] = "en"
        return at

    yield open_page


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "success", "error", "warning", "info", "caption", "code")
             for e in getattr(at, kind)]  # fmt: skip
    return "\n".join(str(p) for p in parts)


def _cookie(*codes: str, name: str = "") -> dict[str, str]:
    jar = {COOKIE: format_cookie([Key("workspace", c) for c in codes])}
    if name:
        jar[NAME_COOKIE] = name
    return jar


def _in(at: AppTest) -> str | None:
    """The workspace the page shows this session in (None: the join/create gate)."""
    held = at.session_state["plans.access"] if "plans.access" in at.session_state else None  # noqa: SIM401
    return held.workspace_id if held else None


def _owned(store: Store, name: str) -> tuple[Workspace, str, str]:
    workspace, code = create_workspace(store, name)
    return workspace, code, issue_owner_code(store, workspace.id)


def test_a_new_session_of_the_same_browser_is_in_the_same_workspace(
    browser: Browser, store: Store, team: tuple[Workspace, str]
) -> None:
    first = browser({})
    first.query_params["join"] = team[1]
    _ok(first.run())
    assert _in(first) == team[0].id
    kept = first.session_state["app.keyring"].keys
    assert kept == [Key("workspace", team[1])]
    # a reload, a new tab, a typed URL: a new session with the cookie the first one wrote
    again = _ok(browser({COOKIE: format_cookie(kept)}).run())
    assert _in(again) == team[0].id
    assert "Team A" in _texts(again)
    assert "join" not in again.query_params


def test_a_browser_without_codes_sees_the_gate(browser: Browser) -> None:
    at = _ok(browser({}).run())
    assert _in(at) is None
    assert any(w.key == "plans.join_code" for w in at.text_input)


def test_replacing_the_join_code_ends_the_sessions_that_used_it(
    browser: Browser, store: Store, plan: Plan, team: tuple[Workspace, str]
) -> None:
    owner_code = issue_owner_code(store, team[0].id)
    member = _ok(browser(_cookie(team[1], name="Bo")).run())
    assert _in(member) == team[0].id
    _, owner = open_code(store, owner_code)
    rotate_join_code(store, owner)
    # the member's next click is refused and saves nothing...
    member.text_input(key="plans.add.title").input("Sneaky item")
    member.button(key="FormSubmitter:plans.add_form-Add").click()
    _ok(member.run())
    assert "Sneaky item" not in [i.title_en for i in get_plan(store, team[0].id, plan.id).items]
    assert "join link was replaced" in _texts(member)
    assert _in(member) is None
    # ...and the browser forgot the dead code, so a reload does not come back in
    assert member.session_state["app.keyring"].keys == []
    assert _in(_ok(browser(_cookie(team[1])).run())) is None


def test_a_replaced_code_in_a_cookie_opens_nothing(
    browser: Browser, store: Store, team: tuple[Workspace, str]
) -> None:
    owner_code = issue_owner_code(store, team[0].id)
    rotate_join_code(store, open_code(store, owner_code)[1])
    at = _ok(browser(_cookie(team[1])).run())
    assert _in(at) is None


def test_members_cannot_replace_codes_or_delete_plans(
    browser: Browser, store: Store, plan: Plan, team: tuple[Workspace, str]
) -> None:
    issue_owner_code(store, team[0].id)
    member = _ok(browser(_cookie(team[1], name="Bo")).run())
    assert not any(b.key == "plans.rotate" for b in member.button)
    assert "Only the owner can replace the join link." in _texts(member)
    member.session_state["plans.tab"] = next(t.label for t in member.tabs if "Export" in t.label)
    _ok(member.run())
    assert not any(b.key == "plans.delete.go" for b in member.button)
    assert "Only the workspace's owner can delete a plan." in _texts(member)
    with pytest.raises(NotAllowed):
        rotate_join_code(store, open_code(store, team[1])[1])


def test_the_owner_replaces_the_join_link_and_deletes_plans(
    browser: Browser, store: Store, plan: Plan, team: tuple[Workspace, str]
) -> None:
    owner_code = issue_owner_code(store, team[0].id)
    owner = _ok(browser(_cookie(owner_code, name="Ann")).run())
    owner.button(key="plans.rotate").click()
    _ok(owner.run())
    new_link = owner.code[0].value
    assert team[1] not in new_link
    assert open_code(store, new_link.rsplit("=", 1)[1])[0].id == team[0].id
    owner.session_state["plans.tab"] = next(t.label for t in owner.tabs if "Export" in t.label)
    _ok(owner.run())
    owner.checkbox(key="plans.delete.confirm").check()
    owner.button(key="plans.delete.go").click()
    _ok(owner.run())
    assert list_plans(store, team[0].id) == []


def test_a_workshop_teams_code_is_not_replaced_from_the_plans_page(
    browser: Browser, store: Store, team: tuple[Workspace, str]
) -> None:
    from qunce.plans.models import WorkspaceRow

    owner_code = issue_owner_code(store, team[0].id)
    with store.session(write=True) as session:
        row = session.get(WorkspaceRow, team[0].id)
        assert row is not None
        row.managed = True
    at = _ok(browser(_cookie(owner_code, name="Ann")).run())
    assert not any(b.key == "plans.rotate" for b in at.button)
    assert "the trainer manages its link" in _texts(at)
    with pytest.raises(NotAllowed):
        rotate_join_code(store, open_code(store, owner_code)[1])


def test_a_link_to_another_workspace_asks_before_switching(
    browser: Browser, store: Store, team: tuple[Workspace, str], other_team: tuple[Workspace, str]
) -> None:
    at = browser(_cookie(team[1], name="Bo"))
    at.query_params["join"] = other_team[1]
    _ok(at.run())
    assert _in(at) == team[0].id  # still where it was
    assert "This link opens the workspace “Team B”. You are in “Team A” now." in _texts(at)
    at.button(key="plans.join.stay").click()
    _ok(at.run())
    assert _in(at) == team[0].id and "This link opens" not in _texts(at)
    at.query_params["join"] = other_team[1]
    _ok(at.run())
    at.button(key="plans.join.switch").click()
    _ok(at.run())
    assert _in(at) == other_team[0].id
    # both stay in the browser's list of workspaces
    assert {k.code for k in at.session_state["app.keyring"].keys} == {team[1], other_team[1]}
    assert at.selectbox(key="plans.switch").options == ["Team B", "Team A"]


def test_the_name_is_asked_before_the_first_save_and_kept_per_browser(
    browser: Browser, store: Store, plan: Plan, team: tuple[Workspace, str]
) -> None:
    at = _ok(browser(_cookie(team[1])).run())
    assert "Before you save anything, type your name above" in _texts(at)
    at.text_input(key="plans.add.title").input("Print posters")
    at.button(key="FormSubmitter:plans.add_form-Add").click()
    _ok(at.run())
    assert "Type your name at the top of the page first" in _texts(at)
    assert "Print posters" not in [i.title_en for i in get_plan(store, team[0].id, plan.id).items]
    assert at.text_input(key="plans.add.title").value == "Print posters"  # nothing typed is lost
    at.text_input(key="plans.author").input("Lin")
    _ok(at.run())
    at.button(key="FormSubmitter:plans.add_form-Add").click()
    _ok(at.run())
    added = [i for i in get_plan(store, team[0].id, plan.id).items if i.title_en == "Print posters"]
    assert [i.updated_by for i in added] == ["Lin"]
    assert at.session_state["app.keyring"].name == "Lin"
    # a new session of the same browser knows the name
    again = _ok(browser(_cookie(team[1], name="Lin")).run())
    assert again.text_input(key="plans.author").value == "Lin"
    assert "Before you save anything" not in _texts(again)


def test_names_show_as_plain_text(browser: Browser, store: Store) -> None:
    _workspace, code = create_workspace(store, "Log in [here](http://evil.example) ![x](http://evil.example/x.png)")
    at = browser({})
    at.query_params["join"] = code
    _ok(at.run())
    shown = [s.value for s in at.success]
    assert any("Log in \\[here\\]\\(http\\:" in s for s in shown), shown
    assert not any("[here](http" in s for s in shown)
