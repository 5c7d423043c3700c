"""A plan as an iCalendar (.ics) file that calendar apps import: due dates and recurring items.

Written with the `icalendar` library (RFC 5545). What goes in:
- a one-off item with a due date: an all-day event on that day ("✓ " before the title once it
  is done); items without a due date have no place in a calendar and are left out;
- a recurring item: one event whose DTSTART is its first occurrence and whose RRULE is the
  item's rule (timed rules in the plan's time zone, all-day rules as dates). A skipped
  occurrence becomes an EXDATE; a done or noted one an override (RECURRENCE-ID) with "✓ " or
  the note. A routine whose own status is done or skipped has ended and is left out;
- skipped one-off items are left out.

Every event has a UID that stays the same for the item across exports (a re-import updates
the event instead of adding a copy), SEQUENCE = the item's version, DTSTAMP and LAST-MODIFIED.
The file carries the VTIMEZONE of its zone (QUNCE_TIMEZONE, Asia/Shanghai by default), so apps
that do not know the zone's name still place the times right.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import cast
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vRecur

from qunce.content.rrules import describe
from qunce.plans.records import Item, Occurrence, Plan
from qunce.plans.recurrence import FIRST_WITHIN_DAYS, Repeat

PRODID = "-//Qunce//Qunce 群策 launch plans//ZH"
# How long a timed occurrence of a routine is shown for (a post, a check): the content gives
# routines a time of day, not a length.
OCCURRENCE_MINUTES = 30


def _host() -> str:
    from qunce.config import settings

    return urlsplit(settings().base_url).hostname or "qunce.local"


def item_uid(plan: Plan, item: Item, host: str | None = None) -> str:
    """The UID of an item's event: the same in every export of the plan."""
    return f"qunce-plan-{plan.id}-item-{item.id}@{host or _host()}"


def _summary(item: Item, lang: str, done: bool = False) -> str:
    title = item.title(lang)
    if item.owner:
        title += f" · {item.owner}"
    return ("✓ " if done else "") + title


def _description(item: Item, lang: str, notes: str | None = None) -> str:
    zh = lang == "zh"
    parts = []
    if item.detail(lang):
        parts.append(item.detail(lang))
    if item.done_when(lang):
        parts.append(("完成标准：" if zh else "Done when: ") + item.done_when(lang))
    if item.target(lang):
        parts.append(("目标：" if zh else "Target: ") + item.target(lang))
    if item.owner:
        parts.append(("负责人：" if zh else "Owner: ") + item.owner)
    if item.rule:
        parts.append(("重复：" if zh else "Repeats: ") + describe(item.rule, lang))
    shown = item.notes if notes is None else notes
    if shown.strip():
        parts.append(("备注：" if zh else "Notes: ") + shown.strip())
    return "\n\n".join(parts)


def _export_rule(repeat: Repeat, zone: ZoneInfo) -> vRecur:
    """The item's rule as calendar apps read it best: the time of day lives in DTSTART.

    A single BYHOUR/BYMINUTE is dropped (DTSTART says it); UNTIL becomes UTC for timed events
    (RFC 5545 3.3.10, with a DTSTART in a zone) and a date for all-day ones.
    """
    parts = repeat.parts
    if repeat.timed and "," not in parts.get("BYHOUR", "") and "," not in parts.get("BYMINUTE", ""):
        parts.pop("BYHOUR", None)
        parts.pop("BYMINUTE", None)
    until = repeat.until
    text = ";".join(f"{k}={v}" for k, v in parts.items() if k != "UNTIL")
    rule = cast(vRecur, vRecur.from_ical(text))
    if until is not None:
        rule["UNTIL"] = [
            until.replace(tzinfo=zone).astimezone(UTC) if repeat.timed else until.date()
        ]
    return rule


def _start(when: datetime, repeat: Repeat, zone: ZoneInfo) -> datetime | date:
    return when.replace(tzinfo=zone) if repeat.timed else when.date()


def _length(repeat: Repeat) -> timedelta:
    return timedelta(minutes=OCCURRENCE_MINUTES) if repeat.timed else timedelta(days=1)


def _stamp(event: Event, plan: Plan, item: Item, stamp: datetime, host: str) -> None:
    event.add("uid", item_uid(plan, item, host))
    event.add("dtstamp", stamp)
    event.add("last-modified", item.updated_at.astimezone(UTC))
    event.add("sequence", item.version)
    event.add("transp", "TRANSPARENT")


def _recurring(
    plan: Plan,
    item: Item,
    repeat: Repeat,
    touched: list[Occurrence],
    *,
    lang: str,
    zone: ZoneInfo,
    stamp: datetime,
    host: str,
    categories: list[str],
) -> list[Event]:
    found = repeat.between(repeat.start, repeat.start + timedelta(days=FIRST_WITHIN_DAYS))
    if not found:
        return []
    first = found[0]
    master = Event()
    _stamp(master, plan, item, stamp, host)
    master.add("summary", _summary(item, lang))
    start = _start(first, repeat, zone)
    master.add("dtstart", start)
    master.add("dtend", start + _length(repeat))
    master.add("rrule", _export_rule(repeat, zone))
    description = _description(item, lang)
    if description:
        master.add("description", description)
    if categories:
        master.add("categories", categories)
    skipped = [_start(o.occurs_at, repeat, zone) for o in touched if o.status == "skipped"]
    if skipped:
        master.add("exdate", skipped)
    events = [master]
    for occurrence in touched:
        if occurrence.status == "skipped" or (
            occurrence.status == "todo" and not occurrence.notes.strip()
        ):
            continue
        override = Event()
        _stamp(override, plan, item, stamp, host)
        begins = _start(occurrence.occurs_at, repeat, zone)
        override.add("recurrence-id", begins)
        override.add("summary", _summary(item, lang, done=occurrence.status == "done"))
        override.add("dtstart", begins)
        override.add("dtend", begins + _length(repeat))
        override.add("description", _description(item, lang, notes=occurrence.notes))
        events.append(override)
    return events


def to_ics(
    plan: Plan,
    occurrences: Iterable[Occurrence] = (),
    *,
    lang: str = "zh",
    tz: str | None = None,
    now: datetime | None = None,
    host: str | None = None,
) -> bytes:
    """The plan as an .ics calendar in the time zone `tz` (default QUNCE_TIMEZONE)."""
    if tz is None:
        from qunce.config import settings

        tz = settings().timezone
    zone = ZoneInfo(tz)
    host = host or _host()
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", plan.name)
    calendar.add("x-wr-timezone", tz)
    touched: dict[int, list[Occurrence]] = {}
    for occurrence in occurrences:
        touched.setdefault(occurrence.item_id, []).append(occurrence)
    first_day, last_day = plan.start_date, plan.start_date
    for item in plan.items:
        if item.status == "skipped":
            continue
        source = plan.source(item.playbook_id) if item.playbook_id else None
        categories = [source.title(lang)] if source else []
        repeat = item.repeat
        if repeat is not None:
            if not item.is_open:
                continue
            for event in _recurring(
                plan, item, repeat, touched.get(item.id, []), lang=lang, zone=zone,
                stamp=stamp, host=host, categories=categories,
            ):  # fmt: skip
                calendar.add_component(event)
            first_day = min(first_day, repeat.start)
            last_day = max(last_day, repeat.until.date() if repeat.until else repeat.start)
            continue
        if item.due is None:
            continue
        event = Event()
        _stamp(event, plan, item, stamp, host)
        event.add("summary", _summary(item, lang, done=item.status == "done"))
        event.add("dtstart", item.due)
        event.add("dtend", item.due + timedelta(days=1))
        description = _description(item, lang)
        if description:
            event.add("description", description)
        if categories:
            event.add("categories", categories)
        calendar.add_component(event)
        first_day, last_day = min(first_day, item.due), max(last_day, item.due)
    # The zone's rules from a year before the plan to ten years after its last date.
    timezone = Timezone.from_tzid(
        tz,
        first_date=date(first_day.year - 1, 1, 1),
        last_date=date(min(last_day.year + 10, 2100), 12, 31),
    )
    calendar.subcomponents.insert(0, timezone)
    return bytes(calendar.to_ical())
