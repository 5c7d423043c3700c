"""The timeline: lanes per playbook from the start date, overdue items, a safe Plotly figure."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import plotly.graph_objects as go

from qunce.content.catalogue import Catalogue
from qunce.plans import Plan, Store, Workspace, add_item, create_plan, get_plan, update_item
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


def test_overdue_means_open_and_past_its_due_date(store: Store, team: Team, plan: Plan) -> None:
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
    assert plan.items[3].id not in late  # invite-friends: no due date, so never overdue
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
    for item in plan.items:
        update_item(store, team[0].id, item.id, {"due": date(2026, 3, 10)}, expected_version=1)
    current = get_plan(store, team[0].id, plan.id)
    figure = timeline_figure(current, lang="zh", today=date(2026, 3, 20))
    names = [t.name for t in figure.data]
    assert "逾期" in names
    overdue = next(t for t in figure.data if t.name == "逾期")
    assert len(overdue.y) == len(plan.items)


def test_bars_last_the_duration_not_the_effort(
    store: Store, team: Team, rhythm_catalogue: Catalogue
) -> None:
    plan = create_plan(store, team[0].id, "R", ["launch-rules", "welcome-flow"], rhythm_catalogue,
                       start_date=START)  # fmt: skip
    bars = {b.item.step_id: b for b in schedule(plan, START)}
    recruit = bars["recruit-seed-members"]
    assert recruit.end - recruit.start == timedelta(days=10)  # duration 10, effort 2
    assert bars["pin-the-rules"].start == recruit.end
    assert bars["welcome-message"].end - bars["welcome-message"].start == timedelta(days=3)


def test_a_due_date_ends_the_bar_and_the_lane_goes_on_after_it(
    store: Store, team: Team, plan: Plan
) -> None:
    rules = plan.items[1]  # set-group-rules, 1 day, planned 4 March
    update_item(store, team[0].id, rules.id, {"due": date(2026, 3, 20)}, expected_version=1)
    bars = {b.item.step_id: b for b in schedule(get_plan(store, team[0].id, plan.id), START)}
    assert (bars["set-group-rules"].start, bars["set-group-rules"].end) == (
        datetime(2026, 3, 20), datetime(2026, 3, 21),
    )  # fmt: skip
    assert bars["first-event"].start == datetime(2026, 3, 21)
    assert bars["pick-seed-members"].end == datetime(2026, 3, 4)


def test_recurring_items_run_beside_their_lane_and_are_never_overdue(
    store: Store, team: Team, plan: Plan
) -> None:
    ws = team[0].id
    weekly = add_item(store, ws, plan.id, "Weekly review", rule="FREQ=WEEKLY;BYDAY=FR;COUNT=3",
                      repeat_from=START)  # fmt: skip
    daily = add_item(store, ws, plan.id, "Morning post", rule="FREQ=DAILY;BYHOUR=9",
                     repeat_from=START)  # fmt: skip
    current = get_plan(store, ws, plan.id)
    today = date(2026, 5, 1)
    bars = {b.item.id: b for b in schedule(current, today)}
    assert bars[weekly.id].recurring and not bars[weekly.id].overdue
    assert (bars[weekly.id].start, bars[weekly.id].last_day) == (
        datetime(2026, 3, 2),
        date(2026, 3, 20),
    )
    assert bars[daily.id].end == datetime(2026, 5, 29)  # runs on: four weeks after today
    assert finish_date(current, today) == date(2026, 3, 7)  # routines do not stretch the plan
    figure = timeline_figure(current, lang="en", today=today)
    shapes = [s for t in figure.data if isinstance(t, go.Bar) for s in t.marker.pattern.shape]
    assert shapes.count("/") == 2


def test_owners_are_on_the_bars_escaped(store: Store, team: Team, plan: Plan) -> None:
    update_item(store, team[0].id, plan.items[0].id, {"owner": "<b>Lin</b>"}, expected_version=1)
    figure = timeline_figure(get_plan(store, team[0].id, plan.id), lang="en", today=START)
    texts = [t for trace in figure.data if isinstance(trace, go.Bar) for t in trace.text]
    assert "&lt;b&gt;Lin&lt;/b&gt;" in texts


def test_today_marker_does_not_overlap_the_legend(plan: Plan) -> None:
    figure = timeline_figure(plan, lang="zh", today=date(2026, 3, 4))
    today = next(a for a in figure.layout.annotations if a.text == "今天")
    legend = figure.layout.legend
    # The label hangs down from the plot's top edge; the legend stands on it from above.
    assert (today.yref, today.y, today.yanchor) == ("paper", 1, "top")
    assert legend.yanchor == "bottom" and legend.y > 1
