"""One workspace never sees another's plans, items, history or scenarios, whatever the id."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from qunce.content.catalogue import Catalogue
from qunce.plans import (
    NotFound,
    Plan,
    Store,
    Workspace,
    add_item,
    apply_update,
    delete_item,
    delete_plan,
    delete_scenario,
    export_plan,
    get_item,
    get_plan,
    get_scenario,
    import_plan,
    item_history,
    list_plans,
    list_scenarios,
    move_item,
    plan_history,
    save_scenario,
    update_item,
    update_plan,
)

Team = tuple[Workspace, str]


def test_every_function_refuses_another_workspaces_ids(
    store: Store, team: Team, other_team: Team, plan: Plan, catalogue: Catalogue
) -> None:
    intruder = other_team[0].id
    item = plan.items[0]
    scenario = save_scenario(store, team[0].id, "funnel", "A", {"reach": 1000})
    attempts: list[Callable[[], Any]] = [
        lambda: get_plan(store, intruder, plan.id),
        lambda: update_plan(store, intruder, plan.id, name="mine now"),
        lambda: delete_plan(store, intruder, plan.id),
        lambda: get_item(store, intruder, item.id),
        lambda: update_item(store, intruder, item.id, {"status": "done"}, expected_version=1),
        lambda: delete_item(store, intruder, item.id, expected_version=1),
        lambda: move_item(store, intruder, item.id, 1),
        lambda: add_item(store, intruder, plan.id, "sneaky"),
        lambda: item_history(store, intruder, item.id),
        lambda: plan_history(store, intruder, plan.id),
        lambda: apply_update(store, intruder, plan.id, "launch-basics", catalogue),
        lambda: get_scenario(store, intruder, scenario.id),
        lambda: delete_scenario(store, intruder, scenario.id),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
    assert list_plans(store, intruder) == []
    assert list_scenarios(store, intruder) == []
    # ... and the owner's data is untouched.
    assert get_plan(store, team[0].id, plan.id) == plan
    assert get_scenario(store, team[0].id, scenario.id) == scenario


def test_guessed_ids_look_exactly_like_missing_ids(
    store: Store, team: Team, other_team: Team, plan: Plan
) -> None:
    with pytest.raises(NotFound) as theirs:
        get_plan(store, other_team[0].id, plan.id)
    with pytest.raises(NotFound) as missing:
        get_plan(store, other_team[0].id, plan.id + 1000)
    assert str(theirs.value) == str(missing.value).replace(str(plan.id + 1000), str(plan.id))


def test_imported_copy_is_independent(
    store: Store, team: Team, other_team: Team, plan: Plan
) -> None:
    copy = import_plan(store, other_team[0].id, export_plan(plan, "json", lang="en",
                       today=date(2026, 3, 1)))  # fmt: skip
    update_item(store, other_team[0].id, copy.items[0].id, {"status": "done"}, expected_version=1)
    assert get_plan(store, team[0].id, plan.id).items[0].status == "todo"
    assert {i.id for i in copy.items}.isdisjoint({i.id for i in plan.items})
