"""Playbook updates: a changed playbook shows its differences, and pulling keeps the team's work."""

from __future__ import annotations

from datetime import date

import pytest

from qunce.content.catalogue import Catalogue
from qunce.plans import (
    Plan,
    StaleEdit,
    Store,
    Workspace,
    apply_update,
    get_plan,
    item_history,
    pending_updates,
    update_item,
)

Team = tuple[Workspace, str]


def test_unchanged_catalogue_has_no_updates(plan: Plan, catalogue: Catalogue) -> None:
    assert pending_updates(plan, catalogue) == []


def test_changed_playbook_lists_added_removed_and_changed_steps(
    plan: Plan, edited_catalogue: Catalogue, catalogue: Catalogue
) -> None:
    [update] = pending_updates(plan, edited_catalogue)
    assert update.playbook_id == "launch-basics"
    assert update.from_version == catalogue.version("launch-basics")
    assert update.to_version == edited_catalogue.version("launch-basics")
    assert [s.id for s in update.added] == ["welcome-kit"]
    assert [i.step_id for i in update.removed] == ["first-event"]
    [changed] = update.changed
    assert changed.item.step_id == "pick-seed-members"
    fields = {f.field: (f.old, f.new) for f in changed.fields}
    assert fields["title_en"] == ("Pick seed members", "Pick fifty seed members")
    assert fields["effort_days"] == ("2", "2.5")
    assert "role" not in fields


def test_pulling_refreshes_content_and_keeps_the_teams_fields(
    store: Store, team: Team, plan: Plan, edited_catalogue: Catalogue
) -> None:
    ws = team[0].id
    seed, _rules, event = plan.items[0], plan.items[1], plan.items[2]
    update_item(store, ws, seed.id, {"status": "doing", "owner": "Mei", "notes": "ask Wang"},
                expected_version=1)  # fmt: skip
    update_item(store, ws, event.id, {"status": "done"}, expected_version=1)
    pulled = apply_update(store, ws, plan.id, "launch-basics", edited_catalogue, author="Lin")
    assert pending_updates(pulled, edited_catalogue) == []
    by_step = {i.step_id: i for i in pulled.items}
    new_seed = by_step["pick-seed-members"]
    assert (new_seed.title_en, new_seed.effort_days) == ("Pick fifty seed members", 2.5)
    assert (new_seed.status, new_seed.owner, new_seed.notes) == ("doing", "Mei", "ask Wang")
    assert new_seed.version == 3
    assert new_seed.content_version == edited_catalogue.version("launch-basics")
    # The added step sits next to its neighbour in the playbook, before the unchanged rules step.
    launch = [i for i in pulled.items if i.playbook_id == "launch-basics"]
    assert [i.step_id for i in launch] == [
        "pick-seed-members",
        "welcome-kit",
        "set-group-rules",
        None,
    ]
    # The removed step is kept, with its status, as a custom item.
    detached = launch[-1]
    assert (detached.title_en, detached.status, detached.is_custom) == (
        "Run the first event",
        "done",
        True,
    )
    assert [i.position for i in pulled.items] == list(range(len(pulled.items)))
    assert len(pulled.items) == len(plan.items) + 1
    fields = {c.field for c in item_history(store, ws, new_seed.id)}
    assert {"title_en", "title_zh", "effort_days"} <= fields
    source = pulled.source("launch-basics")
    assert source is not None
    assert source.content_version == edited_catalogue.version("launch-basics")


def test_pulling_twice_changes_nothing_more(
    store: Store, team: Team, plan: Plan, edited_catalogue: Catalogue
) -> None:
    ws = team[0].id
    once = apply_update(store, ws, plan.id, "launch-basics", edited_catalogue)
    twice = apply_update(store, ws, plan.id, "launch-basics", edited_catalogue)
    assert twice == once == get_plan(store, ws, plan.id)


def test_an_edit_based_on_the_old_text_is_stale_after_a_pull(
    store: Store, team: Team, plan: Plan, edited_catalogue: Catalogue
) -> None:
    ws = team[0].id
    seen = plan.items[0]
    apply_update(store, ws, plan.id, "launch-basics", edited_catalogue)
    with pytest.raises(StaleEdit) as caught:
        update_item(store, ws, seen.id, {"status": "done"}, expected_version=seen.version)
    assert caught.value.current.title_en == "Pick fifty seed members"


def test_unchanged_items_keep_their_versions(
    store: Store, team: Team, plan: Plan, edited_catalogue: Catalogue
) -> None:
    pulled = apply_update(store, team[0].id, plan.id, "launch-basics", edited_catalogue)
    rules = next(i for i in pulled.items if i.step_id == "set-group-rules")
    assert rules.version == 1
    growth = [i for i in pulled.items if i.playbook_id == "group-growth"]
    assert [i.version for i in growth] == [1, 1]


def test_plan_dates_survive_a_pull(
    store: Store, team: Team, plan: Plan, edited_catalogue: Catalogue
) -> None:
    due = date(2026, 3, 20)
    update_item(store, team[0].id, plan.items[0].id, {"due": due}, expected_version=1)
    pulled = apply_update(store, team[0].id, plan.id, "launch-basics", edited_catalogue)
    assert pulled.items[0].due == due
    assert pulled.start_date == plan.start_date
