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


_DAYS = {
    "MO": ("一", "Monday"),
    "TU": ("二", "Tuesday"),
    "WE": ("三", "Wednesday"),
    "TH": ("四", "Thursday"),
    "FR": ("五", "Friday"),
    "SA": ("六", "Saturday"),
    "SU": ("日", "Sunday"),
}


def describe_rule(rule: str, lang: str) -> str:
    """A rule in words a person reads: "每天 09:00" / "every day at 09:00", "每周五 20:00"…"""
    parts = dict(
        p.split("=", 1) for p in rule.strip().removeprefix("RRULE:").split(";") if "=" in p
    )
    zh = lang == "zh"
    every = int(parts.get("INTERVAL", "1") or 1)
    hour, minute = parts.get("BYHOUR"), parts.get("BYMINUTE", "0")
    at = f"{int(hour.split(',')[0]):02d}:{int(minute.split(',')[0]):02d}" if hour else ""
    freq = parts.get("FREQ", "")
    if freq == "DAILY":
        head = ("每天" if every == 1 else f"每 {every} 天") if zh else (
            "every day" if every == 1 else f"every {every} days")  # fmt: skip
    elif freq == "WEEKLY":
        days = [_DAYS[d[-2:]] for d in parts.get("BYDAY", "").split(",") if d[-2:] in _DAYS]
        if zh:
            head = ("每周" if every == 1 else f"每 {every} 周的周") + "、".join(d[0] for d in days)
        else:
            names = ", ".join(d[1] for d in days)
            head = ("every week" if every == 1 else f"every {every} weeks") + (
                f" on {names}" if names else "")  # fmt: skip
    elif freq == "MONTHLY":
        day = parts.get("BYMONTHDAY", "")
        if zh:
            head = ("每月" if every == 1 else f"每 {every} 个月") + (f" {day} 日" if day else "")
        else:
            head = ("every month" if every == 1 else f"every {every} months") + (
                f" on day {day}" if day else "")  # fmt: skip
    else:
        head = rule
    if not at:
        return head
    return f"{head} {at}" if zh else f"{head} at {at}"
