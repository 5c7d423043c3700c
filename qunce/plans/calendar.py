"""What is due when: Today, This week and a month calendar, as plain data a page can draw.

Pure functions over a loaded `Plan` and the occurrences someone touched in the window
(`qunce.plans.occurrences.get_occurrences`); nothing here reads the database or imports
Streamlit. A one-off item appears on its due date; a recurring item appears at each occurrence
its rule gives in the window (a touched occurrence brings its status and notes). Items without
a due date and without a rule are not on the calendar (the timeline shows their plan).

Due and overdue:
- an open one-off item is **overdue** when its due date is before today (no due date, never
  overdue); it is **due today** on its due date;
- an occurrence is **due** on its day and **overdue** once its day has passed while it is still
  open; the Today view and the reminder digest look back `LOOKBACK_DAYS` days for those, so a
  daily routine missed for months does not bury today's list;
- a recurring item whose own status is done or skipped has ended: none of its occurrences show.

A page draws Today with `today_view`, the week with `week_view`, the month with `month_view`;
`*_range` say which days' touched occurrences to load first. Each `Entry` carries what a
one-tap "done" needs (`qunce.plans.occurrences.mark(store, ws, entry.item, "done",
occurrence=entry.occurrence)`).
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from qunce.plans.records import Item, Occurrence, Plan, owners_of

LOOKBACK_DAYS = 7


@dataclass(frozen=True)
class Entry:
    """One thing on one day: a one-off item due that day, or one occurrence of a recurring item."""

    item: Item
    day: date
    occurrence: Occurrence | None
    overdue: bool

    @property
    def at(self) -> time | None:
        """The time of day of a timed occurrence; None for all-day entries."""
        repeat = self.item.repeat
        if self.occurrence is None or repeat is None or not repeat.timed:
            return None
        return self.occurrence.occurs_at.time()

    @property
    def status(self) -> str:
        """The occurrence's status (todo, done, skipped), or the item's."""
        return self.occurrence.status if self.occurrence is not None else self.item.status

    @property
    def is_open(self) -> bool:
        """Still to be done."""
        return self.status in ("todo", "doing")

    @property
    def version(self) -> int:
        """The version a save of this entry is based on (0: an untouched occurrence)."""
        return self.occurrence.version if self.occurrence is not None else self.item.version

    @property
    def notes(self) -> str:
        """The occurrence's notes, or the item's."""
        return self.occurrence.notes if self.occurrence is not None else self.item.notes

    @property
    def key(self) -> str:
        """A stable id for widgets and tests: "12" for an item, "12@2026-03-02T09:00"."""
        if self.occurrence is None:
            return str(self.item.id)
        return f"{self.item.id}@{self.occurrence.occurs_at:%Y-%m-%dT%H:%M}"

    def title(self, lang: str) -> str:
        """The item's title in `lang`."""
        return self.item.title(lang)

    def sort_key(self) -> tuple[date, time, int, int]:
        """Day, then all-day before timed entries by time, then plan order."""
        return (self.day, self.at or time.min, self.item.position, self.item.id)


@dataclass(frozen=True)
class Day:
    """One day of a view and what is on it."""

    day: date
    entries: tuple[Entry, ...]
    is_today: bool
    in_month: bool = True

    @property
    def open(self) -> int:
        """How many entries are still to be done."""
        return sum(1 for e in self.entries if e.is_open)


@dataclass(frozen=True)
class TodayView:
    """What one person (or everyone) has today: what is due and what is overdue."""

    today: date
    due: tuple[Entry, ...]
    overdue: tuple[Entry, ...]

    @property
    def empty(self) -> bool:
        """Nothing due and nothing overdue."""
        return not self.due and not self.overdue


@dataclass(frozen=True)
class WeekView:
    """Seven days from `start`, and what is overdue from before them."""

    start: date
    end: date
    days: tuple[Day, ...]


@dataclass(frozen=True)
class MonthView:
    """A month as weeks of seven days (leading and trailing days of the neighbours included)."""

    year: int
    month: int
    start: date
    end: date
    weeks: tuple[tuple[Day, ...], ...]

    @property
    def days(self) -> tuple[Day, ...]:
        """Every day of the grid, in order."""
        return tuple(d for week in self.weeks for d in week)


def week_range(day: date, first_weekday: int = 0) -> tuple[date, date]:
    """The first and last day of the week holding `day` (weeks start on Monday by default)."""
    start = day - timedelta(days=(day.weekday() - first_weekday) % 7)
    return start, start + timedelta(days=6)


def month_range(year: int, month: int, first_weekday: int = 0) -> tuple[date, date]:
    """The first and last day of the month's grid (whole weeks around the month)."""
    first = date(year, month, 1)
    last = date(year, month, _calendar.monthrange(year, month)[1])
    start = week_range(first, first_weekday)[0]
    end = week_range(last, first_weekday)[1]
    return start, end


def today_range(today: date, lookback_days: int = LOOKBACK_DAYS) -> tuple[date, date]:
    """The days the Today view reads occurrences for: the lookback and today."""
    return today - timedelta(days=lookback_days), today


def _wanted(item: Item, person: str | None) -> bool:
    return person is None or item.is_owned_by(person)


def entries(
    plan: Plan,
    touched: Iterable[Occurrence],
    start: date,
    end: date,
    *,
    today: date,
    person: str | None = None,
) -> list[Entry]:
    """Every entry from `start` to `end` (both included), sorted by day, time and plan order."""
    stored = {o.key: o for o in touched}
    out: list[Entry] = []
    for item in plan.items:
        if not _wanted(item, person):
            continue
        repeat = item.repeat
        if repeat is None:
            if item.due is not None and start <= item.due <= end:
                late = item.is_open and item.due < today
                out.append(Entry(item, item.due, None, late))
            continue
        if not item.is_open:
            continue  # the routine has ended
        for when in repeat.between(start, end):
            occurrence = stored.get((item.id, when)) or Occurrence(item.id, when)
            late = occurrence.is_open and when.date() < today
            out.append(Entry(item, when.date(), occurrence, late))
    out.sort(key=Entry.sort_key)
    return out


def today_view(
    plan: Plan,
    touched: Iterable[Occurrence],
    *,
    today: date,
    person: str | None = None,
    lookback_days: int = LOOKBACK_DAYS,
) -> TodayView:
    """Today's entries and the overdue ones (one-off items: all; occurrences: the lookback)."""
    stored = list(touched)
    due = entries(plan, stored, today, today, today=today, person=person)
    recent = entries(
        plan, stored, today - timedelta(days=lookback_days), today - timedelta(days=1),
        today=today, person=person,
    )  # fmt: skip
    overdue = [e for e in recent if e.overdue and e.occurrence is not None]
    overdue += [
        Entry(item, item.due, None, True)
        for item in plan.items
        if item.repeat is None
        and item.is_open
        and item.due is not None
        and item.due < today
        and _wanted(item, person)
    ]
    overdue.sort(key=Entry.sort_key)
    return TodayView(today=today, due=tuple(due), overdue=tuple(overdue))


def _days(
    found: Sequence[Entry], start: date, end: date, today: date, month: int | None = None
) -> list[Day]:
    by_day: dict[date, list[Entry]] = {}
    for entry in found:
        by_day.setdefault(entry.day, []).append(entry)
    days = []
    current = start
    while current <= end:
        days.append(
            Day(
                day=current,
                entries=tuple(by_day.get(current, ())),
                is_today=current == today,
                in_month=month is None or current.month == month,
            )
        )
        current += timedelta(days=1)
    return days


def week_view(
    plan: Plan,
    touched: Iterable[Occurrence],
    *,
    day: date,
    today: date,
    person: str | None = None,
    first_weekday: int = 0,
) -> WeekView:
    """The week holding `day`: seven `Day`s with their entries."""
    start, end = week_range(day, first_weekday)
    found = entries(plan, touched, start, end, today=today, person=person)
    return WeekView(start=start, end=end, days=tuple(_days(found, start, end, today)))


def month_view(
    plan: Plan,
    touched: Iterable[Occurrence],
    *,
    year: int,
    month: int,
    today: date,
    person: str | None = None,
    first_weekday: int = 0,
) -> MonthView:
    """The month as a grid of weeks; days outside the month have `in_month=False`."""
    start, end = month_range(year, month, first_weekday)
    found = entries(plan, touched, start, end, today=today, person=person)
    days = _days(found, start, end, today, month)
    weeks = tuple(tuple(days[i : i + 7]) for i in range(0, len(days), 7))
    return MonthView(year=year, month=month, start=start, end=end, weeks=weeks)


def owners(plan: Plan) -> list[str]:
    """Everyone named as an owner in the plan, in order of first appearance (for "Mine")."""
    seen: dict[str, str] = {}
    for item in plan.items:
        for name in owners_of(item.owner):
            seen.setdefault(" ".join(name.split()).casefold(), name)
    return list(seen.values())


def next_occurrence(item: Item, after: datetime, *, within_days: int = 400) -> datetime | None:
    """The item's first occurrence at or after `after` (within a year), or None."""
    repeat = item.repeat
    if repeat is None:
        return None
    for when in repeat.between(after.date(), after.date() + timedelta(days=within_days)):
        if when >= after:
            return when
    return None
