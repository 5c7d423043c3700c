"""Plans and items on both databases: building, editing, stale saves, history, custom items."""

from __future__ import annotations

from datetime import date

import pytest

from qunce.content.catalogue import Catalogue
from qunce.plans import (
    InvalidValue,
    NotFound,
    Plan,
    StaleEdit,
    Store,
    Workspace,
    add_item,
    create_plan,
    delete_item,
    delete_plan,
    get_item,
    get_plan,
    item_history,
    list_plans,
    move_item,
    plan_history,
    update_item,
    update_plan,
)
from tests.plans.conftest import START

Team = tuple[Workspace, str]


def test_plan_copies_steps_in_order_with_their_versions(plan: Plan, catalogue: Catalogue) -> None:
    assert [i.step_id for i in plan.items] == [
        "pick-seed-members",
        "set-group-rules",
        "first-event",
        "invite-friends",
        "weekly-share",
    ]
    assert [i.position for i in plan.items] == [0, 1, 2, 3, 4]
    assert [s.playbook_id for s in plan.sources] == ["launch-basics", "group-growth"]
    for source in plan.sources:
        assert source.content_version == catalogue.version(source.playbook_id)
    first = plan.items[0]
    assert first.playbook_id == "launch-basics"
    assert first.content_version == catalogue.version("launch-basics")
    assert (first.title_zh, first.title_en) == ("挑选种子成员", "Pick seed members")
    assert first.done_when("en") == "Pick seed members is done"
    assert first.effort_days == 2.0
    assert first.role == "founder"
    assert (first.status, first.owner, first.due, first.notes, first.version) == (
        "todo",
        "",
        None,
        "",
        1,
    )
    assert plan.start_date == START


def test_unknown_playbook_is_refused_and_nothing_is_created(
    store: Store, team: Team, catalogue: Catalogue
) -> None:
    with pytest.raises(InvalidValue, match="no-such-playbook"):
        create_plan(store, team[0].id, "x", ["launch-basics", "no-such-playbook"], catalogue,
                    start_date=START)  # fmt: skip
    assert list_plans(store, team[0].id) == []


def test_list_plans_counts_progress(store: Store, team: Team, plan: Plan) -> None:
    ws = team[0].id
    first, second = plan.items[0], plan.items[1]
    update_item(store, ws, first.id, {"status": "done"}, expected_version=1)
    update_item(store, ws, second.id, {"status": "skipped"}, expected_version=1)
    [summary] = list_plans(store, ws)
    assert (summary.id, summary.name) == (plan.id, "618 launch")
    progress = summary.progress
    assert (progress.done, progress.skipped, progress.todo, progress.counted) == (1, 1, 3, 4)
    assert progress.ratio == pytest.approx(0.25)
    by_playbook = get_plan(store, ws, plan.id).progress_by_playbook()
    assert by_playbook["launch-basics"].done == 1
    assert by_playbook["group-growth"].done == 0


def test_update_saves_fields_bumps_version_and_records_history(
    store: Store, team: Team, plan: Plan
) -> None:
    ws = team[0].id
    item = plan.items[0]
    saved = update_item(
        store, ws, item.id,
        {"status": "doing", "owner": "  Mei ", "due": date(2026, 3, 9), "notes": "call the shop"},
        expected_version=1, author="Lin",
    )  # fmt: skip
    assert (saved.status, saved.owner, saved.due, saved.notes) == (
        "doing",
        "Mei",
        date(2026, 3, 9),
        "call the shop",
    )
    assert saved.version == 2
    assert saved.updated_by == "Lin"
    assert get_item(store, ws, item.id) == saved
    history = item_history(store, ws, item.id)
    assert {(c.field, c.old, c.new, c.author) for c in history} == {
        ("status", "todo", "doing", "Lin"),
        ("owner", "", "Mei", "Lin"),
        ("due", "", "2026-03-09", "Lin"),
        ("notes", "", "call the shop", "Lin"),
    }
    assert all(c.at.tzinfo is not None for c in history)


def test_saving_unchanged_values_keeps_the_version(store: Store, team: Team, plan: Plan) -> None:
    item = plan.items[0]
    same = update_item(store, team[0].id, item.id, {"status": "todo", "notes": ""},
                       expected_version=1)  # fmt: skip
    assert same.version == 1
    assert item_history(store, team[0].id, item.id) == []


def test_clearing_a_due_date(store: Store, team: Team, plan: Plan) -> None:
    ws = team[0].id
    item = update_item(store, ws, plan.items[0].id, {"due": date(2026, 4, 1)}, expected_version=1)
    cleared = update_item(store, ws, item.id, {"due": None}, expected_version=item.version)
    assert cleared.due is None
    assert cleared.version == 3


def test_stale_save_is_refused_with_the_current_row(store: Store, team: Team, plan: Plan) -> None:
    ws = team[0].id
    item = plan.items[0]
    theirs = update_item(store, ws, item.id, {"owner": "Alice"}, expected_version=1, author="A")
    with pytest.raises(StaleEdit) as caught:
        update_item(store, ws, item.id, {"notes": "mine"}, expected_version=1, author="B")
    current = caught.value.current
    assert current == theirs
    assert (current.owner, current.version, current.updated_by) == ("Alice", 2, "A")
    assert caught.value.expected_version == 1
    # Nothing of the refused save was written.
    assert get_item(store, ws, item.id).notes == ""
    # Re-applying on top of the newer version keeps both edits.
    again = update_item(store, ws, item.id, {"notes": "mine"}, expected_version=current.version,
                        author="B")  # fmt: skip
    assert (again.owner, again.notes, again.version) == ("Alice", "mine", 3)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "finished"}, "status"),
        ({"owner": "x" * 201}, "owner"),
        ({"effort_days": 0}, "effort_days"),
        ({"colour": "red"}, "colour"),
        ({"notes": "x" * 20_001}, "notes"),
    ],
)
def test_invalid_changes_are_refused(
    store: Store, team: Team, plan: Plan, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        update_item(store, team[0].id, plan.items[-1].id, changes, expected_version=1)
    assert get_item(store, team[0].id, plan.items[-1].id).version == 1


def test_playbook_step_title_is_not_editable(store: Store, team: Team, plan: Plan) -> None:
    with pytest.raises(InvalidValue, match="custom item"):
        update_item(store, team[0].id, plan.items[0].id, {"title": "new"}, expected_version=1)


def test_custom_items_can_be_added_edited_and_deleted(store: Store, team: Team, plan: Plan) -> None:
    ws = team[0].id
    custom = add_item(store, ws, plan.id, "  Print QR posters ", author="Lin", effort_days=0.5,
                      owner="Mei")  # fmt: skip
    assert custom.is_custom and custom.playbook_id is None
    assert (custom.title("zh"), custom.title("en")) == ("Print QR posters", "Print QR posters")
    assert custom.position == len(plan.items)
    renamed = update_item(store, ws, custom.id, {"title": "Print posters", "effort_days": 1.5},
                          expected_version=1)  # fmt: skip
    assert (renamed.title("en"), renamed.effort_days, renamed.version) == ("Print posters", 1.5, 2)
    with pytest.raises(StaleEdit):
        delete_item(store, ws, custom.id, expected_version=1)
    delete_item(store, ws, custom.id, expected_version=2, author="Lin")
    with pytest.raises(NotFound):
        get_item(store, ws, custom.id)
    # The history of a deleted item stays in the plan's history.
    fields = [c.field for c in plan_history(store, ws, plan.id)]
    assert fields[0] == "deleted"
    assert "created" in fields


def test_playbook_steps_cannot_be_deleted(store: Store, team: Team, plan: Plan) -> None:
    with pytest.raises(InvalidValue, match="skipped"):
        delete_item(store, team[0].id, plan.items[0].id, expected_version=1)


def test_blank_custom_title_is_refused(store: Store, team: Team, plan: Plan) -> None:
    with pytest.raises(InvalidValue, match="title"):
        add_item(store, team[0].id, plan.id, "   ")


def test_move_item_reorders_without_changing_versions(store: Store, team: Team, plan: Plan) -> None:
    ws = team[0].id
    last = plan.items[-1]
    moved = move_item(store, ws, last.id, -2)
    assert [i.id for i in moved.items].index(last.id) == len(plan.items) - 3
    assert [i.position for i in moved.items] == list(range(len(plan.items)))
    assert all(i.version == 1 for i in moved.items)
    top = move_item(store, ws, last.id, -99)
    assert top.items[0].id == last.id


def test_rename_restart_and_delete_plan(store: Store, team: Team, plan: Plan) -> None:
    ws = team[0].id
    renamed = update_plan(store, ws, plan.id, name="Double 11", start_date=date(2026, 10, 1))
    assert (renamed.name, renamed.start_date) == ("Double 11", date(2026, 10, 1))
    with pytest.raises(InvalidValue):
        update_plan(store, ws, plan.id, name=" ")
    delete_plan(store, ws, plan.id)
    assert list_plans(store, ws) == []
    with pytest.raises(NotFound):
        get_item(store, ws, plan.items[0].id)


def test_plan_name_is_plain_text_kept_as_typed(
    store: Store, team: Team, catalogue: Catalogue
) -> None:
    name = "<script>alert(1)</script> **bold** 计划"
    made = create_plan(store, team[0].id, name, ["group-growth"], catalogue, start_date=START)
    assert get_plan(store, team[0].id, made.id).name == name


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"notes": "before\x00after"}, "NUL"),
        ({"owner": "half \ud800 pair"}, "owner"),
        ({"due": date(1999, 12, 31)}, "2000-01-01"),
        ({"due": date(9999, 12, 31)}, "2100-12-31"),
    ],
)
def test_values_no_database_can_store_are_refused_politely(
    store: Store, team: Team, plan: Plan, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        update_item(store, team[0].id, plan.items[0].id, changes, expected_version=1,
                    author="nul\x00 and \ud800")  # fmt: skip
    assert get_item(store, team[0].id, plan.items[0].id).version == 1


def test_a_messy_author_name_is_kept_printable(store: Store, team: Team, plan: Plan) -> None:
    saved = update_item(store, team[0].id, plan.items[0].id, {"status": "done"},
                        expected_version=1, author="  Li\x00 \ud800Wei\n ")  # fmt: skip
    assert saved.updated_by == "Li Wei"


def test_start_dates_out_of_range_are_refused(
    store: Store, team: Team, plan: Plan, catalogue: Catalogue
) -> None:
    with pytest.raises(InvalidValue, match="start date"):
        update_plan(store, team[0].id, plan.id, start_date=date(9999, 1, 1))
    with pytest.raises(InvalidValue, match="start date"):
        create_plan(store, team[0].id, "x", [], catalogue, start_date=date(1900, 1, 1))
