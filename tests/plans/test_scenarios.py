"""Calculator scenarios: saved per workspace, replaced by name, isolated, validated."""

from __future__ import annotations

import pytest

from qunce.plans import (
    InvalidValue,
    NotFound,
    Store,
    Workspace,
    delete_scenario,
    get_scenario,
    list_scenarios,
    save_scenario,
)

Team = tuple[Workspace, str]


def test_save_list_and_delete(store: Store, team: Team) -> None:
    ws = team[0].id
    inputs = {"reach": 10_000, "conversion": 0.025, "notes": "群发 ×2", "tiers": [1, 2]}
    first = save_scenario(store, ws, "funnel", "Plan A", inputs)
    assert (first.calculator, first.name, first.inputs) == ("funnel", "Plan A", inputs)
    assert first.workspace_id == ws
    second = save_scenario(store, ws, "referral", "Plan A", {"k": 1.2})
    assert {s.id for s in list_scenarios(store, ws)} == {first.id, second.id}
    assert [s.id for s in list_scenarios(store, ws, "funnel")] == [first.id]
    assert get_scenario(store, ws, first.id) == first
    delete_scenario(store, ws, first.id)
    assert [s.id for s in list_scenarios(store, ws)] == [second.id]
    with pytest.raises(NotFound):
        delete_scenario(store, ws, first.id)


def test_saving_the_same_name_replaces_the_inputs(store: Store, team: Team) -> None:
    ws = team[0].id
    first = save_scenario(store, ws, "funnel", "Plan A", {"reach": 1})
    again = save_scenario(store, ws, "funnel", " Plan A ", {"reach": 2})
    assert again.id == first.id
    assert [s.inputs for s in list_scenarios(store, ws, "funnel")] == [{"reach": 2}]


def test_scenarios_are_isolated(store: Store, team: Team, other_team: Team) -> None:
    mine = save_scenario(store, team[0].id, "funnel", "Plan A", {"reach": 1})
    theirs = save_scenario(store, other_team[0].id, "funnel", "Plan A", {"reach": 99})
    assert mine.id != theirs.id
    assert [s.inputs for s in list_scenarios(store, team[0].id)] == [{"reach": 1}]
    with pytest.raises(NotFound):
        get_scenario(store, team[0].id, theirs.id)


@pytest.mark.parametrize(
    ("calculator", "name", "inputs", "message"),
    [
        ("Funnel Calc", "A", {}, "calculator id"),
        ("funnel", "  ", {}, "scenario name"),
        ("funnel", "A", {"when": object()}, "JSON"),
        ("funnel", "A", {"x": float("nan")}, "JSON"),
        ("funnel", "A", {"x": "y" * 70_000}, "larger"),
    ],
)
def test_bad_scenarios_are_refused(
    store: Store, team: Team, calculator: str, name: str, inputs: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        save_scenario(store, team[0].id, calculator, name, inputs)
    assert list_scenarios(store, team[0].id) == []
