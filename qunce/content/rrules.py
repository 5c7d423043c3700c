"""Recurrence rules (RFC 5545 RRULE) as content and plans use them: checked, and expanded.

A routine's `rule` is the part after `RRULE:` in an iCalendar file, e.g.
`FREQ=WEEKLY;BYDAY=FR;BYHOUR=20;BYMINUTE=0`. python-dateutil parses it, as iCalendar
libraries and calendar apps do, so what validates here imports into a calendar.
"""

from __future__ import annotations

from datetime import datetime

from dateutil.rrule import rrule, rrulestr

FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY")


def parse_rule(rule: str, start: datetime) -> rrule:
    """The dateutil rrule for `rule` starting at `start`; ValueError when it is not a rule."""
    text = rule.strip().removeprefix("RRULE:")
    parsed = rrulestr(text, dtstart=start)
    if not isinstance(parsed, rrule):
        raise ValueError("expected one RRULE, not a set")
    return parsed


def check_rule(rule: str) -> str:
    """`rule` cleaned, or ValueError saying what is wrong with it."""
    text = rule.strip().removeprefix("RRULE:")
    parts = dict(p.split("=", 1) for p in text.split(";") if "=" in p)
    freq = parts.get("FREQ")
    if freq not in FREQUENCIES:
        raise ValueError(
            f"FREQ must be one of {', '.join(FREQUENCIES)} (got {freq!r}); e.g. "
            '"FREQ=WEEKLY;BYDAY=FR;BYHOUR=20;BYMINUTE=0"'
        )
    try:
        parse_rule(text, datetime(2026, 1, 1))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not a valid RRULE: {exc}") from None
    return text
