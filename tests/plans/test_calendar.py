"""Today, This week and the month calendar as pure view models (no database: records by hand)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from qunce.plans.calendar import (
    entries,
    month_range,
    month_view,
    owners,
    today_view,
    week_range,
    week_view,
)
from qunce.plans.records import Item, Occurrence, Plan

MONDAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def _item(item_id: int, title: str, **fields: object) -> Item:
    values: dict[str, object] = {
        "id": item_id, "plan_id": 1, "position": item_id, "playbook_id": None, "step_id": None,
        "content_version": None, "title_zh": title, "title_en": title, "detail_zh": "",
        "detail_en": "", "done_when_zh": "", "done_when_en": "", "effort_days": 1.0,
        "role": None, "status": "todo", "owner": "", "due": None, "notes": "", "version": 1,
        "updated_at": NOW, "updated_by": "",
    }  # fmt: skip
    values.update(fields)
    return Item(**values)  # type: ignore[arg-type]


def _plan(*items: Item) -> Plan:
    return Plan(1, "ws", "Plan", MONDAY, NOW, NOW, (), tuple(items))


PLAN = _plan(
    _item(1, "Launch post", due=date(2026, 3, 4), owner="Lin"),
    _item(2, "Old task", due=date(2026, 2, 20), owner="Wang"),
    _item(3, "Done task", due=date(2026, 2, 21), status="done"),
    _item(4, "Morning post", rule="FREQ=DAILY;BYHOUR=9;BYMINUTE=0", repeat_from=MONDAY,
          owner="Lin、Wang"),
    _item(5, "Friday review", rule="FREQ=WEEKLY;BYDAY=FR;BYHOUR=20;BYMINUTE=0",
          repeat_from=MONDAY, owner="wang"),
    _item(6, "Monthly thanks", rule="FREQ=MONTHLY;BYMONTHDAY=1", repeat_from=MONDAY),
    _item(7, "Ended routine", rule="FREQ=DAILY", repeat_from=MONDAY, status="skipped"),
    _item(8, "No date"),
)  # fmt: skip


def test_week_view_has_seven_days_with_due_items_and_occurrences() -> None:
    week = week_view(PLAN, [], day=date(2026, 3, 4), today=date(2026, 3, 4))
    assert (week.start, week.end) == week_range(date(2026, 3, 4)) == (MONDAY, date(2026, 3, 8))
    assert [d.day.day for d in week.days] == [2, 3, 4, 5, 6, 7, 8]
    wednesday = week.days[2]
    assert wednesday.is_today
    assert [e.key for e in wednesday.entries] == ["1", "4@2026-03-04T09:00"]  # all-day first
    assert wednesday.entries[1].at == time(9)
    friday = week.days[4]
    assert [e.item.id for e in friday.entries] == [4, 5]
    titles = {e.item.title("en") for d in week.days for e in d.entries}
    assert "No date" not in titles and "Ended routine" not in titles and "Old task" not in titles


def test_touched_occurrences_bring_their_status_version_and_notes() -> None:
    touched = [Occurrence(4, datetime(2026, 3, 3, 9), "done", "12 replies", 2)]
    week = week_view(PLAN, touched, day=MONDAY, today=date(2026, 3, 5))
    tuesday = {e.item.id: e for e in week.days[1].entries}
    morning = tuesday[4]
    assert (morning.status, morning.notes, morning.version) == ("done", "12 replies", 2)
    assert not morning.overdue  # done
    monday = {e.item.id: e for e in week.days[0].entries}
    assert monday[4].overdue and monday[4].version == 0  # untouched, day passed
    assert not {e.item.id: e for e in week.days[3].entries}[4].overdue  # Thursday is today


def test_today_view_lists_due_and_overdue_with_a_lookback() -> None:
    today = date(2026, 3, 20)
    touched = [Occurrence(4, datetime(2026, 3, 19, 9), "skipped", "", 1)]
    view = today_view(PLAN, touched, today=today, lookback_days=3)
    assert [e.key for e in view.due] == ["4@2026-03-20T09:00", "5@2026-03-20T20:00"]
    overdue = [e.key for e in view.overdue]
    # One-off items overdue however long ago; occurrences only within the lookback (17-19 March),
    # the skipped one not at all; done items never.
    assert overdue == ["2", "1", "4@2026-03-17T09:00", "4@2026-03-18T09:00"]
    assert all(e.overdue for e in view.overdue)


def test_mine_filters_by_owner_case_and_separators_ignored() -> None:
    view = today_view(PLAN, [], today=date(2026, 3, 6), person=" WANG ", lookback_days=0)
    assert [e.item.id for e in view.due] == [4, 5]
    assert [e.item.id for e in view.overdue] == [2]
    lin = week_view(PLAN, [], day=MONDAY, today=MONDAY, person="lin")
    assert {e.item.id for d in lin.days for e in d.entries} == {1, 4}
    assert owners(PLAN) == ["Lin", "Wang"]


def test_month_view_is_a_grid_of_whole_weeks() -> None:
    month = month_view(PLAN, [], year=2026, month=4, today=date(2026, 4, 15))
    assert (month.start, month.end) == month_range(2026, 4) == (date(2026, 3, 30), date(2026, 5, 3))
    assert all(len(week) == 7 for week in month.weeks) and len(month.weeks) == 5
    first = next(d for d in month.days if d.day == date(2026, 4, 1))
    assert first.in_month and 6 in {e.item.id for e in first.entries}
    assert not month.days[0].in_month  # 30 March
    assert sum(1 for d in month.days if d.is_today) == 1
    # 35 days of the morning post, 5 Friday reviews, 2 monthly thanks (1 April, 1 May)
    counts: dict[int, int] = {}
    for day in month.days:
        for entry in day.entries:
            counts[entry.item.id] = counts.get(entry.item.id, 0) + 1
    assert counts == {4: 35, 5: 5, 6: 2}


def test_an_all_day_rule_and_a_sunday_first_week() -> None:
    found = entries(PLAN, [], date(2026, 4, 1), date(2026, 4, 1), today=MONDAY)
    monthly = next(e for e in found if e.item.id == 6)
    assert monthly.at is None and monthly.key == "6@2026-04-01T00:00"
    assert week_range(date(2026, 3, 4), first_weekday=6) == (date(2026, 3, 1), date(2026, 3, 7))
