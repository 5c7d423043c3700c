"""Who is editing: notes that an item's form is open, renewed while open, run out when not."""

from __future__ import annotations

from datetime import timedelta

import pytest

from qunce.db.base import utcnow
from qunce.plans import (
    NotFound,
    Plan,
    Store,
    Workspace,
    clear_presence,
    delete_plan,
    editing,
    editors_by_item,
    touch_presence,
)

Team = tuple[Workspace, str]


def test_an_open_form_shows_for_others_until_its_note_runs_out(
    store: Store, team: Team, plan: Plan
) -> None:
    ws = team[0].id
    item = plan.items[0]
    now = utcnow()
    touch_presence(store, ws, item.id, session="tab-lin", person="  Lin\n", now=now)
    touch_presence(store, ws, item.id, session="tab-wang", person="Wang", now=now)
    notes = editing(store, ws, plan.id, now=now)
    assert {(n.item_id, n.person) for n in notes} == {(item.id, "Lin"), (item.id, "Wang")}
    assert editors_by_item(notes, except_session="tab-lin") == {item.id: ["Wang"]}
    # not renewed: gone after its lifetime
    later = now + timedelta(seconds=21)
    assert editing(store, ws, plan.id, now=later) == []
    # renewed: still there
    touch_presence(store, ws, item.id, session="tab-lin", person="Lin", now=later)
    assert [n.person for n in editing(store, ws, plan.id, now=later)] == ["Lin"]


def test_a_session_edits_one_item_at_a_time_and_folding_removes_the_note(
    store: Store, team: Team, plan: Plan
) -> None:
    ws = team[0].id
    first, second = plan.items[0], plan.items[1]
    touch_presence(store, ws, first.id, session="tab", person="Lin")
    touch_presence(store, ws, first.id, session="tab", person="Lin")  # renewed, not doubled
    assert [n.item_id for n in editing(store, ws, plan.id)] == [first.id]
    touch_presence(store, ws, second.id, session="tab", person="Lin")
    assert [n.item_id for n in editing(store, ws, plan.id)] == [second.id]
    clear_presence(store, ws, session="tab", item_id=first.id)  # not the open one: no change
    assert len(editing(store, ws, plan.id)) == 1
    clear_presence(store, ws, session="tab")
    assert editing(store, ws, plan.id) == []


def test_the_same_name_in_two_tabs_shows_once(store: Store, team: Team, plan: Plan) -> None:
    ws = team[0].id
    item = plan.items[0]
    for tab in ("a", "b", "c"):
        touch_presence(store, ws, item.id, session=tab, person="Lin" if tab != "c" else "")
    assert editors_by_item(editing(store, ws, plan.id), except_session="x") == {item.id: ["Lin", ""]}


def test_another_workspace_sees_and_touches_nothing(
    store: Store, team: Team, other_team: Team, plan: Plan
) -> None:
    touch_presence(store, team[0].id, plan.items[0].id, session="tab", person="Lin")
    with pytest.raises(NotFound):
        editing(store, other_team[0].id, plan.id)
    with pytest.raises(NotFound):
        touch_presence(store, other_team[0].id, plan.items[0].id, session="x", person="Eve")
    clear_presence(store, other_team[0].id, session="tab")  # not theirs: removes nothing
    assert len(editing(store, team[0].id, plan.id)) == 1


def test_notes_go_with_their_plan(store: Store, team: Team, plan: Plan) -> None:
    touch_presence(store, team[0].id, plan.items[0].id, session="tab", person="Lin")
    delete_plan(store, team[0].id, plan.id)
    with pytest.raises(NotFound):
        editing(store, team[0].id, plan.id)
