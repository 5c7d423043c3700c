"""The timeline: lanes per playbook from the start date, overdue items, a safe Plotly figure."""

from __future__ import annotations

from datetime import date, datetime

import plotly.graph_objects as go

from qunce.plans import Plan, Store, Workspace, add_item, get_plan, update_item
from qunce.plans.timeline import finish_date, overdue_ids, schedule, timeline_figure
from tests.plans.conftest import START

Team = tuple[Workspace, str]


def test_playbooks_run_side_by_side_and_steps_one_after_another(plan: Plan) -> None:
    bars = {b.item.step_id: b for b in schedule(plan, today=START)}
    day = lambda d: datetime(2026, 3, d)  # noqa: E731
    assert (bars["pick-seed-members"].start, bars["pick-seed-members"].end) == (day(2), day(4))
    assert (bars["set-group-rules"].start, bars["set-group-rules"].end) == (day(4), day(5))
    assert (bars["first-event"].start, bars["first-event"].end) == (day(5), day(8))
    assert bars["invite-friends"].start == day(2)  # the second playbook's lane starts too
    assert bars["weekly-share"].start == datetime(2026, 3, 2, 12)
    assert finish_date(plan, START) == date(2026, 3, 7)


def test_skipped_items_take_no_time(store: Store, team: Team, plan: Plan) -> None:
    update_item(store, team[0].id, plan.items[0].id, {"status": "skipped"}, expected_version=1)
    bars = {b.item.step_id: b for b in schedule(get_plan(store, team[0].id, plan.id), START)}
    assert "pick-seed-members" not in bars
    assert bars["set-group-rules"].start == datetime(2026, 3, 2)


def test_overdue_means_open_and_past_its_due_date_or_planned_end(
    store: Store, team: Team, plan: Plan
) -> None:
    ws = team[0].id
    seed, rules, event = plan.items[0], plan.items[1], plan.items[2]
    update_item(store, ws, seed.id, {"status": "done"}, expected_version=1)
    update_item(store, ws, rules.id, {"due": date(2026, 4, 30)}, expected_version=1)
    update_item(store, ws, event.id, {"due": date(2026, 3, 3)}, expected_version=1)
    current = get_plan(store, ws, plan.id)
    late = overdue_ids(current, today=date(2026, 3, 6))
    assert event.id in late  # due 3 March, still open
    assert seed.id not in late  # done
    assert rules.id not in late  # due date in the future, though its planned end has passed
    assert plan.items[3].id in late  # invite-friends: no due date, planned for 2 March
    assert overdue_ids(current, today=START) == set()


def test_figure_has_a_bar_per_item_and_escapes_what_people_typed(
    store: Store, team: Team, plan: Plan
) -> None:
    add_item(store, team[0].id, plan.id, "<a href='http://evil'>click</a>")
    current = get_plan(store, team[0].id, plan.id)
    figure = timeline_figure(current, lang="en", today=START)
    assert isinstance(figure, go.Figure)
    bars = [t for t in figure.data if isinstance(t, go.Bar)]
    labels = [label for trace in bars for label in trace.y]
    assert len(labels) == len(current.items)
    assert any("Pick seed members" in label for label in labels)
    dumped = figure.to_json()
    assert "<a href" not in dumped
    assert "&lt;a href" in dumped


def test_figure_marks_overdue_items_in_their_own_trace(
    store: Store, team: Team, plan: Plan
) -> None:
    figure = timeline_figure(plan, lang="zh", today=date(2026, 3, 20))
    names = [t.name for t in figure.data]
    assert "逾期" in names
    overdue = next(t for t in figure.data if t.name == "逾期")
    assert len(overdue.y) == len(plan.items)
