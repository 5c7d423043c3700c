"""The Launch plans page in Streamlit's AppTest: join, create, build, edit, stale saves, isolation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import qunce.ui.content
from qunce.config import settings
from qunce.content.catalogue import Catalogue
from qunce.plans import (
    Plan,
    Store,
    Workspace,
    create_plan,
    get_item,
    get_plan,
    item_history,
    list_plans,
    update_item,
    update_plan,
)
from tests.plans.conftest import START

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "views" / "plans.py")
Team = tuple[Workspace, str]


@pytest.fixture
def page(
    database_url: str, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AppTest]:
    """The plans page on this test's database, with the two-playbook test catalogue."""
    monkeypatch.setenv("QUNCE_DATABASE_URL", database_url)
    monkeypatch.setenv("QUNCE_BASE_URL", "https://qunce.example.org")
    settings.cache_clear()
    monkeypatch.setattr(qunce.ui.content, "catalogue", lambda: catalogue)
    yield AppTest.from_file(PAGE, default_timeout=60)


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "success", "error", "warning", "info", "caption", "code")
             for e in getattr(at, kind)]  # fmt: skip
    parts += [e.label for e in at.expander]
    return "\n".join(str(p) for p in parts)


def _has(widgets: object, key: str) -> bool:
    return any(getattr(w, "key", None) == key for w in widgets)  # type: ignore[attr-defined]


def _open_item(at: AppTest, item_id: int) -> AppTest:
    """Unfold an item, as a click on its row does (its form is drawn only while open)."""
    at.session_state[f"plans.open.{item_id}"] = True
    return _ok(at.run())


def _open_tab(at: AppTest, label: str) -> AppTest:
    """Switch to a tab (only the open tab is drawn)."""
    at.session_state["plans.tab"] = next(t.label for t in at.tabs if label in t.label)
    return _ok(at.run())


def _joined(at: AppTest, code: str, lang: str = "en", name: str = "Tester") -> AppTest:
    """Open the page with a join link, as a person who already told the page their name."""
    at.query_params["lang"] = lang
    at.query_params["join"] = code
    if name:
        at.session_state["plans.author"] = name
    return _ok(at.run())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_a_workspace_the_page_offers_join_and_create(page: AppTest, lang: str) -> None:
    page.query_params["lang"] = lang
    _ok(page.run())
    assert page.title[0].value == ("Launch plans" if lang == "en" else "启动计划")
    assert _has(page.text_input, "plans.join_code")
    assert _has(page.text_input, "plans.workspace_name")


def test_creating_a_workspace_shows_both_links_and_the_browser_keeps_them(
    page: AppTest, store: Store
) -> None:
    page.query_params["lang"] = "en"
    _ok(page.run())
    page.text_input(key="plans.workspace_name").input("Shenzhen store")
    page.button(key="FormSubmitter:plans.create_workspace_form-Create").click()
    _ok(page.run())
    join, owner = [c.value for c in page.code]
    assert join.startswith("https://qunce.example.org/plans?lang=en&join=")
    assert owner.startswith("https://qunce.example.org/plans?lang=en&join=") and owner != join
    assert "Shenzhen store" in _texts(page)
    page.button(key="plans.hide_code").click()
    _ok(page.run())
    # the banner is gone, but a member can show the join link again from Invite people
    assert [c.value for c in page.code] == [join, owner]
    from qunce.plans import workspace_by_code
    from qunce.plans.workspaces import open_code

    assert workspace_by_code(store, join.rsplit("=", 1)[1]).name == "Shenzhen store"
    assert open_code(store, owner.rsplit("=", 1)[1])[1].role == "owner"
    ring = page.session_state["app.keyring"]
    assert {k.code for k in ring.keys} == {join.rsplit("=", 1)[1], owner.rsplit("=", 1)[1]}
    assert ring.dirty  # written back to the browser's cookie on this run


def test_a_join_link_joins_and_leaves_the_url(page: AppTest, team: Team) -> None:
    _joined(page, team[1])
    assert "join" not in page.query_params
    assert page.query_params["lang"] == "en"
    assert "You joined the workspace: Team A" in _texts(page)
    assert not _has(page.selectbox, "plans.plan")  # no plans yet
    page.run()  # the session keeps the workspace without the code
    assert "Team A" in _texts(_ok(page))


def test_a_wrong_join_link_says_so(page: AppTest, team: Team) -> None:
    _joined(page, "WrongCodeWrongCode1234")
    assert "join" not in page.query_params
    assert "This join link does not work" in _texts(page)
    assert _has(page.text_input, "plans.join_code")


def test_pasting_the_link_joins(page: AppTest, team: Team) -> None:
    page.query_params["lang"] = "en"
    _ok(page.run())
    page.text_input(key="plans.join_code").input(f"https://x/plans?join={team[1]}")
    page.button(key="FormSubmitter:plans.join_form-Join").click()
    _ok(page.run())
    assert "Joined the workspace: Team A" in _texts(page)


def test_building_a_plan_from_chosen_playbooks(page: AppTest, team: Team, store: Store) -> None:
    _joined(page, team[1])
    page.text_input(key="plans.new.name").input("618 launch")
    page.multiselect(key="plans.new.playbooks").select("launch-basics").select("group-growth")
    page.button(key="FormSubmitter:plans.new_form-Create the plan").click()
    _ok(page.run())
    [made] = list_plans(store, team[0].id)
    assert made.name == "618 launch"
    assert page.selectbox(key="plans.plan").value == made.id
    labels = [e.label for e in page.expander]
    assert any("Pick seed members" in label for label in labels)
    assert any("Share weekly" in label for label in labels)
    assert "Created the plan" in _texts(page)


def test_the_new_plan_form_is_drawn_only_while_unfolded(page: AppTest, team: Team, plan: Plan) -> None:
    _joined(page, team[1])
    assert not _has(page.text_input, "plans.new.name"), "folded once the workspace has a plan"
    assert not page.warning
    page.session_state["plans.new.open"] = True  # a click on "New plan"
    _ok(page.run())
    assert _has(page.text_input, "plans.new.name")
    assert _has(page.multiselect, "plans.new.playbooks")


def test_the_playbooks_query_parameter_preselects(page: AppTest, team: Team) -> None:
    page.query_params["playbooks"] = "group-growth"
    _joined(page, team[1])
    assert page.multiselect(key="plans.new.playbooks").value == ["group-growth"]


def test_editing_an_item_saves_it_with_history(
    page: AppTest, team: Team, plan: Plan, store: Store
) -> None:
    _joined(page, team[1])
    page.text_input(key="plans.author").input("Lin")
    _ok(page.run())
    item = plan.items[0]
    assert not _has(page.text_input, f"plans.item.{item.id}.v1.owner")  # folded: no form drawn
    _open_item(page, item.id)
    prefix = f"plans.item.{item.id}.v1"
    page.radio(key=f"{prefix}.status").set_value("doing")
    page.text_input(key=f"{prefix}.owner").input("Mei")
    page.text_area(key=f"{prefix}.notes").input("**not bold** [x](http://evil)")
    page.button(key=f"FormSubmitter:{prefix}-Save").click()
    _ok(page.run())
    saved = get_item(store, team[0].id, item.id)
    assert (saved.status, saved.owner, saved.notes, saved.version) == (
        "doing",
        "Mei",
        "**not bold** [x](http://evil)",
        2,
    )
    assert {c.author for c in item_history(store, team[0].id, item.id)} == {"Lin"}
    assert "Saved (version 2)" in _texts(page)
    # The fresh form shows the saved values.
    assert page.text_input(key=f"plans.item.{item.id}.v2.owner").value == "Mei"


def test_a_stale_save_shows_the_newer_value_and_can_be_reapplied(
    page: AppTest, team: Team, plan: Plan, store: Store
) -> None:
    _joined(page, team[1])
    item = plan.items[0]
    prefix = f"plans.item.{item.id}.v1"
    # Someone else saves while this person has the form open.
    _open_item(page, item.id)
    update_item(store, team[0].id, item.id, {"owner": "Alice"}, expected_version=1, author="Alice")
    page.text_area(key=f"{prefix}.notes").input("bring the banner")
    page.button(key=f"FormSubmitter:{prefix}-Save").click()
    _ok(page.run())
    assert get_item(store, team[0].id, item.id).notes == ""  # refused
    texts = _texts(page)
    assert "Alice saved this item first" in texts
    conflict_rows = page.dataframe[0].value
    assert list(conflict_rows.iloc[0]) == ["Notes", "bring the banner", "—"]
    assert page.text_input(key=f"plans.item.{item.id}.v2.owner").value == "Alice"
    page.button(key=f"plans.reapply.{item.id}").click()
    _ok(page.run())
    final = get_item(store, team[0].id, item.id)
    assert (final.owner, final.notes, final.version) == ("Alice", "bring the banner", 3)
    assert "Alice saved this item first" not in _texts(page)


def test_dropping_my_change_keeps_theirs(
    page: AppTest, team: Team, plan: Plan, store: Store
) -> None:
    _joined(page, team[1])
    item = plan.items[1]
    prefix = f"plans.item.{item.id}.v1"
    _open_item(page, item.id)
    update_item(store, team[0].id, item.id, {"status": "done"}, expected_version=1, author="Bo")
    page.radio(key=f"{prefix}.status").set_value("skipped")
    page.button(key=f"FormSubmitter:{prefix}-Save").click()
    _ok(page.run())
    page.button(key=f"plans.discard.{item.id}").click()
    _ok(page.run())
    assert get_item(store, team[0].id, item.id).status == "done"
    assert "Your change was dropped" in _texts(page)


def test_custom_items_can_be_added(page: AppTest, team: Team, plan: Plan, store: Store) -> None:
    _joined(page, team[1])
    page.text_input(key="plans.add.title").input("Print posters")
    page.button(key="FormSubmitter:plans.add_form-Add").click()
    _ok(page.run())
    assert get_plan(store, team[0].id, plan.id).items[-1].title_en == "Print posters"
    assert any("Print posters" in e.label for e in page.expander)


def test_a_plan_id_from_another_workspace_is_never_shown(
    page: AppTest, team: Team, other_team: Team, plan: Plan
) -> None:
    page.session_state["plans.plan"] = plan.id  # a stale or forged selection
    _joined(page, other_team[1])
    assert not _has(page.selectbox, "plans.plan")
    assert not any("Pick seed members" in e.label for e in page.expander)


def test_a_deleted_workspace_in_the_session_is_forgotten(
    page: AppTest, team: Team, store: Store
) -> None:
    from qunce.plans import delete_workspace

    _joined(page, team[1])
    delete_workspace(store, team[0].id)
    _ok(page.run())
    assert _has(page.text_input, "plans.join_code")


def test_the_tabs_render_in_both_languages(page: AppTest, team: Team, plan: Plan) -> None:
    for lang in ("zh", "en"):
        _joined(page, team[1], lang)
        assert len(page.tabs) == 7
        assert not page.get("plotly_chart")  # only the open tab (the checklist) is drawn
        _open_tab(page, "今天" if lang == "zh" else "Today")
        _open_tab(page, "日历" if lang == "zh" else "Calendar")
        _open_tab(page, "时间线" if lang == "zh" else "Timeline")
        assert page.get("plotly_chart")
        _open_tab(page, "导出" if lang == "zh" else "Export")
        assert len(page.get("download_button")) == 5  # md, csv, xlsx, json, ics
        _open_tab(page, "清单" if lang == "zh" else "Checklist")
    assert "清单" in page.tabs[0].label or "Checklist" in page.tabs[0].label


def test_playbook_updates_can_be_pulled(
    page: AppTest,
    team: Team,
    plan: Plan,
    store: Store,
    edited_catalogue: Catalogue,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(qunce.ui.content, "catalogue", lambda: edited_catalogue)
    _joined(page, team[1])
    assert any("1 playbook changed since" in c.value for c in page.caption)
    _open_tab(page, "Playbook updates")
    page.button(key="plans.pull.launch-basics").click()
    _ok(page.run())
    pulled = get_plan(store, team[0].id, plan.id)
    assert any(i.step_id == "welcome-kit" for i in pulled.items)
    assert not any("changed since this plan" in c.value for c in page.caption)
    assert "Every playbook in this plan is up to date." in _texts(page)


def test_an_unreachable_database_is_a_message_not_a_traceback(
    page: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.browser_support import free_port

    monkeypatch.setenv("QUNCE_DATABASE_URL", f"postgresql+psycopg://x@127.0.0.1:{free_port()}/db")
    settings.cache_clear()
    page.query_params["lang"] = "en"
    page.query_params["join"] = "SomeCodeSomeCode123456"
    _ok(page.run())
    assert "The plans database cannot be reached" in page.error[0].value
    assert page.query_params["join"] == "SomeCodeSomeCode123456"  # a reload retries the join


def test_the_chosen_plan_stays_chosen_when_its_progress_or_name_changes(
    page: AppTest, team: Team, plan: Plan, store: Store, catalogue: Catalogue
) -> None:
    newer = create_plan(store, team[0].id, "Second plan", ["group-growth"], catalogue,
                        start_date=START, author="Lin")  # fmt: skip
    _joined(page, team[1])
    assert page.selectbox(key="plans.plan").value == newer.id  # the newest comes first
    page.selectbox(key="plans.plan").set_value(plan.id)
    _ok(page.run())
    item = plan.items[0]
    # a teammate ticks an item (the progress moves), then renames the plan
    update_item(store, team[0].id, item.id, {"status": "done"}, expected_version=1, author="Bo")
    _ok(page.run())
    assert page.selectbox(key="plans.plan").value == plan.id
    update_plan(store, team[0].id, plan.id, name="618 launch, renamed")
    _ok(page.run())
    assert page.selectbox(key="plans.plan").value == plan.id
    _open_tab(page, "History")
    history = page.dataframe[0].value
    assert list(history["Who"]) == ["Bo"]
    _open_tab(page, "Export")
    assert page.text_input(key="plans.rename").value == "618 launch, renamed"
    assert page.selectbox(key="plans.plan").value == plan.id
