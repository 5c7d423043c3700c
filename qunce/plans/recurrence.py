"""Recurring plan items: an RRULE and the day it starts from, expanded only when asked.

A recurring item stores its rule (the part after `RRULE:` in an iCalendar file, e.g.
`FREQ=WEEKLY;BYDAY=FR;BYHOUR=20;BYMINUTE=0`) and `repeat_from`, the first day an occurrence may
fall on. Occurrences are never stored in advance: `Repeat.between` computes those of a window
(a day, a week, a month), and only an occurrence someone touched gets a row
(`qunce.plans.occurrences`). Times are wall-clock times in the plan's time zone
(QUNCE_TIMEZONE), without a zone attached; a rule without BYHOUR is all-day (midnight).

An end is part of the rule: `UNTIL=20260630` (a local date: the whole day counts) or
`COUNT=10`. python-dateutil expands the rules, as calendar programs do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule

from qunce.content.rrules import check_rule, describe, parse_rule
from qunce.db.errors import InvalidValue

MAX_RULE = 300
MAX_COUNT = 3660  # ten years of a daily task
# A rule must happen within this many days of its first day: catches "the 31st of February".
FIRST_WITHIN_DAYS = 400
_ALLOWED = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYHOUR", "BYMINUTE"}
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _parts(rule: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in rule.split(";") if "=" in part)


def _parse_until(value: str) -> str:
    """UNTIL as the end of a local day or a local time: `YYYYMMDDTHHMMSS` without a zone."""
    text = value.strip().upper()
    if text.endswith("Z"):
        raise ValueError(
            f"UNTIL={value} is in UTC; write a local date like UNTIL=20260630 "
            "(times are in the plan's time zone)"
        )
    try:
        if len(text) == 8:
            day = datetime.strptime(text, "%Y%m%d")
            return (day + timedelta(days=1, seconds=-1)).strftime("%Y%m%dT%H%M%S")
        return datetime.strptime(text, "%Y%m%dT%H%M%S").strftime("%Y%m%dT%H%M%S")
    except ValueError:
        raise ValueError(
            f"UNTIL={value} is not a date; write it as UNTIL=20260630 or UNTIL=20260630T235959"
        ) from None


def normalise_rule(text: str) -> str:
    """`text` as a stored rule (keys upper-case, UNTIL local), or ValueError saying what is wrong."""
    raw = text.strip()
    if raw.upper().startswith("RRULE:"):
        raw = raw[6:]
    if not raw:
        raise ValueError("the rule is empty")
    if "\n" in raw or "DTSTART" in raw.upper():
        raise ValueError("give one RRULE without DTSTART; the first day is `repeat_from`")
    pieces = [p.strip() for p in raw.split(";") if p.strip()]
    parts: dict[str, str] = {}
    for piece in pieces:
        key, sep, value = piece.partition("=")
        key = key.strip().upper()
        if not sep or not value.strip():
            raise ValueError(f"{piece!r} is not KEY=VALUE")
        if key not in _ALLOWED:
            raise ValueError(
                f"{key} is not supported in a plan item's rule; use " + ", ".join(sorted(_ALLOWED))
            )
        if key in parts:
            raise ValueError(f"{key} is given twice")
        parts[key] = value.strip().upper()
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValueError("give an end date (UNTIL) or a number of times (COUNT), not both")
    count = parts.get("COUNT")
    if count is not None and (not count.isdigit() or not 1 <= int(count) <= MAX_COUNT):
        raise ValueError(f"COUNT must be a whole number from 1 to {MAX_COUNT}")
    if "UNTIL" in parts:
        parts["UNTIL"] = _parse_until(parts["UNTIL"])
    order = ["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYHOUR", "BYMINUTE", "UNTIL", "COUNT"]
    rule = ";".join(f"{key}={parts[key]}" for key in order if key in parts)
    check_rule(rule)  # FREQ is DAILY, WEEKLY or MONTHLY, and dateutil can read it
    if len(rule) > MAX_RULE:
        raise ValueError(f"the rule has {len(rule)} characters; at most {MAX_RULE} fit")
    return rule


def zone(name: str | None = None) -> ZoneInfo:
    """The plans' time zone: `name`, else QUNCE_TIMEZONE (default Asia/Shanghai)."""
    if name is None:
        from qunce.config import settings

        name = settings().timezone
    return ZoneInfo(name)


def local_now(tz: str | None = None) -> datetime:
    """The wall-clock time now in the plans' time zone, without the zone attached."""
    return datetime.now(zone(tz)).replace(tzinfo=None)


def local_today(tz: str | None = None) -> date:
    """Today's date in the plans' time zone (what "today" and "overdue" mean)."""
    return local_now(tz).date()


@lru_cache(maxsize=2048)
def _expander(rule: str, start: date) -> rrule:
    return parse_rule(rule, datetime.combine(start, time()))


def _anchor(rule: str, start: date, first: date) -> date:
    """A later DTSTART that gives the same occurrences from `first` on, so expanding a window
    does not walk every day since the rule began (a daily routine a year old: 365 steps).

    Whole periods only (DAILY: INTERVAL days, WEEKLY: INTERVAL weeks), which keeps the phase of
    INTERVAL and the weekday a WEEKLY rule without BYDAY takes from DTSTART; never with COUNT
    (counted from the real start) and never for MONTHLY (few steps anyway).
    """
    if "COUNT=" in rule or first <= start:
        return start
    parts = _parts(rule)
    interval = int(parts.get("INTERVAL", "1"))
    period = {"DAILY": interval, "WEEKLY": 7 * interval}.get(parts.get("FREQ", ""), 0)
    if period <= 0:
        return start
    return start + timedelta(days=((first - start).days // period) * period)


@dataclass(frozen=True)
class Repeat:
    """How an item recurs: its rule and the first day it may fall on."""

    rule: str
    start: date

    @property
    def parts(self) -> dict[str, str]:
        """The rule's KEY=VALUE parts."""
        return _parts(self.rule)

    @property
    def timed(self) -> bool:
        """True when occurrences have a time of day (BYHOUR); False for all-day ones."""
        return "BYHOUR=" in self.rule

    @property
    def until(self) -> datetime | None:
        """The last moment an occurrence may fall on (UNTIL, local), if the rule has one."""
        value = self.parts.get("UNTIL")
        return datetime.strptime(value, "%Y%m%dT%H%M%S") if value else None

    @property
    def count(self) -> int | None:
        """How many times it happens in all (COUNT), if the rule says."""
        value = self.parts.get("COUNT")
        return int(value) if value else None

    def between(self, first: date, last: date) -> list[datetime]:
        """The occurrences whose day lies from `first` to `last` (both included), in order."""
        if last < first or last < self.start:
            return []
        lower = datetime.combine(max(first, self.start), time())
        upper = datetime.combine(last, time.max)
        anchor = _anchor(self.rule, self.start, lower.date())
        return list(_expander(self.rule, anchor).between(lower, upper, inc=True))

    def on(self, day: date) -> list[datetime]:
        """The occurrences on one day."""
        return self.between(day, day)

    def includes(self, when: datetime) -> bool:
        """Whether the rule has an occurrence exactly at `when`."""
        return when in self.on(when.date())

    def last(self) -> datetime | None:
        """The last occurrence when the rule ends (COUNT or UNTIL); None when it runs on."""
        if self.count is None and self.until is None:
            return None
        expander = _expander(self.rule, self.start)
        if self.until is not None:
            return expander.before(self.until, inc=True)
        return list(expander)[-1] if self.count else None

    def describe(self, lang: str) -> str:
        """The rule in words, e.g. "每周五 20:00" or "Weekly on Fri at 20:00"."""
        return describe(self.rule, lang)


def check_repeat(rule: str, start: date) -> Repeat:
    """A Repeat for `rule` from `start`, or InvalidValue when the rule is bad or never happens."""
    try:
        cleaned = normalise_rule(rule)
    except ValueError as exc:
        raise InvalidValue(
            f"the repeat rule {rule.strip()[:80]!r} cannot be used: {exc}. "
            'Example: "FREQ=WEEKLY;BYDAY=FR;BYHOUR=20;BYMINUTE=0" (Fridays at 20:00)'
        ) from None
    repeat = Repeat(cleaned, start)
    if not repeat.between(start, start + timedelta(days=FIRST_WITHIN_DAYS)):
        raise InvalidValue(
            f"the repeat rule {cleaned!r} has no occurrence in the year after "
            f"{start.isoformat()}; check its days, its end date or its start"
        )
    return repeat
