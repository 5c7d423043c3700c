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


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WEEKDAY_NAMES = {
    "zh": ("一", "二", "三", "四", "五", "六", "日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def _parts(rule: str) -> dict[str, str]:
    return dict(
        part.split("=", 1) for part in rule.strip().removeprefix("RRULE:").split(";") if "=" in part
    )


def _clock(parts: dict[str, str]) -> str:
    hours = parts.get("BYHOUR")
    if hours is None:
        return ""
    minute = parts.get("BYMINUTE", "0").split(",")[0]
    return ", ".join(f"{int(h):02d}:{int(minute):02d}" for h in hours.split(","))


def _ordinal(n: int) -> str:
    if n < 0:
        return "last" if n == -1 else f"{-n}th from last"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _days(value: str, lang: str) -> str:
    names = []
    for token in value.split(","):
        code = token[-2:]
        prefix = token[:-2]
        if code not in _WEEKDAYS:
            return value
        name = _WEEKDAY_NAMES[lang][_WEEKDAYS.index(code)]
        if prefix:
            n = int(prefix)
            name = (
                (f"第 {n} 个周{name}" if n > 0 else f"最后一个周{name}")
                if lang == "zh"
                else f"the {_ordinal(n)} {name}"
            )
        elif lang == "zh":
            name = f"周{name}"
        names.append(name)
    return "、".join(names) if lang == "zh" else ", ".join(names)


def describe(rule: str, lang: str) -> str:
    """A rule in words in `lang` ("zh" or "en"); the rule itself when it is unusual."""
    parts = _parts(rule)
    freq = parts.get("FREQ")
    if freq not in FREQUENCIES:
        return rule
    lang = "en" if lang == "en" else "zh"
    every = int(parts.get("INTERVAL", "1"))
    clock = _clock(parts)
    zh = lang == "zh"
    if freq == "DAILY":
        text = (
            ("每天" if every == 1 else f"每 {every} 天")
            if zh
            else ("Daily" if every == 1 else f"Every {every} days")
        )
    elif freq == "WEEKLY":
        days = _days(parts["BYDAY"], lang) if "BYDAY" in parts else ""
        if zh:
            if every == 1:
                text = f"每{days}" if days else "每周"
            else:
                text = f"每 {every} 周" + (f"的{days}" if days else "")
        else:
            text = ("Weekly" if every == 1 else f"Every {every} weeks") + (
                f" on {days}" if days else ""
            )
    else:
        if "BYMONTHDAY" in parts:
            values = [int(v) for v in parts["BYMONTHDAY"].split(",")]
            day = (
                " " + "、".join(f"{v} 日" if v > 0 else "最后一天" for v in values)
                if zh
                else " and ".join(_ordinal(v) if v > 0 else "last day" for v in values)
            )
        elif "BYDAY" in parts:
            day = _days(parts["BYDAY"], lang)
        else:
            day = ""
        if zh:
            text = ("每月" if every == 1 else f"每 {every} 个月") + day
        else:
            text = ("Monthly" if every == 1 else f"Every {every} months") + (
                f" on the {day}"
                if day and not day.startswith("the ")
                else f" on {day}"
                if day
                else ""
            )
    if clock:
        text += f" {clock}" if zh else f" at {clock}"
    if "UNTIL" in parts:
        end = datetime.strptime(parts["UNTIL"], "%Y%m%dT%H%M%S").date().isoformat()
        text += f"，至 {end}" if zh else f", until {end}"
    if "COUNT" in parts:
        text += f"，共 {parts['COUNT']} 次" if zh else f", {parts['COUNT']} times"
    return text
