"""The .ics export read back with the icalendar library: events, RRULEs, zones, UIDs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar

from qunce.plans.ics import item_uid, to_ics
from qunce.plans.records import Occurrence, Source
from tests.plans.test_calendar import MONDAY, NOW, _item, _plan

SHANGHAI = ZoneInfo("Asia/Shanghai")
PLAN = _plan(
    _item(1, "Launch post", due=date(2026, 3, 4), owner="Lin", playbook_id="launch-basics"),
    _item(2, "Done task", due=date(2026, 3, 5), status="done"),
    _item(3, "Skipped task", due=date(2026, 3, 6), status="skipped"),
    _item(4, "Morning post", rule="FREQ=DAILY;BYHOUR=9;BYMINUTE=0", repeat_from=MONDAY,
          target_en="Replies", detail_en="Good morning! Today…"),
    _item(5, "Friday review", rule="FREQ=WEEKLY;BYDAY=FR;BYHOUR=20;BYMINUTE=0;UNTIL=20260630T235959",
          repeat_from=MONDAY),
    _item(6, "Monthly thanks", rule="FREQ=MONTHLY;BYMONTHDAY=1;COUNT=6", repeat_from=MONDAY),
    _item(7, "No date"),
)  # fmt: skip
PLAN = replace(PLAN, sources=(Source("launch-basics", "v1", "启动基础", "Launch basics", 0),))
TOUCHED = [
    Occurrence(4, datetime(2026, 3, 3, 9), "skipped", "", 1),
    Occurrence(4, datetime(2026, 3, 4, 9), "done", "12 replies", 2),
    Occurrence(4, datetime(2026, 3, 5, 9), "todo", "", 1),  # touched, then reopened: no override
]


def _events(data: bytes) -> tuple[Calendar, dict[str, list[object]]]:
    calendar = Calendar.from_ical(data)
    by_title: dict[str, list[object]] = {}
    for event in calendar.walk("VEVENT"):
        by_title.setdefault(str(event["SUMMARY"]), []).append(event)
    return calendar, by_title


def test_the_file_parses_back_with_its_rrules() -> None:
    data = to_ics(PLAN, TOUCHED, lang="en", tz="Asia/Shanghai", host="qunce.example.org",
                  now=datetime(2026, 3, 1, 8, tzinfo=UTC))  # fmt: skip
    calendar, events = _events(data)
    assert calendar["VERSION"] == "2.0" and "Qunce" in str(calendar["PRODID"])
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    morning = events["Morning post"][0]
    assert morning["DTSTART"].dt == datetime(2026, 3, 2, 9, tzinfo=SHANGHAI)
    assert morning["DTEND"].dt - morning["DTSTART"].dt == timedelta(minutes=30)
    assert morning["RRULE"].to_ical() == b"FREQ=DAILY"  # the time lives in DTSTART
    assert "Target: Replies" in str(morning["DESCRIPTION"])
    friday = events["Friday review"][0]
    assert friday["DTSTART"].dt == datetime(2026, 3, 6, 20, tzinfo=SHANGHAI)
    # UNTIL is in UTC when DTSTART has a zone: 23:59:59 in Shanghai is 15:59:59 UTC.
    assert friday["RRULE"]["UNTIL"][0] == datetime(2026, 6, 30, 15, 59, 59, tzinfo=UTC)
    monthly = events["Monthly thanks"][0]
    assert monthly["DTSTART"].dt == date(2026, 4, 1)  # all-day, the first occurrence
    assert monthly["RRULE"]["COUNT"] == [6]
    # The rules expand, as a calendar app would, to the occurrences Qunce computes.
    expanded = list(rrulestr(friday["RRULE"].to_ical().decode(), dtstart=friday["DTSTART"].dt))
    assert len(expanded) == 17 and expanded[-1].date() == date(2026, 6, 26)


def test_due_dates_are_all_day_events_and_skipped_items_are_left_out() -> None:
    _, events = _events(to_ics(PLAN, [], lang="en", tz="Asia/Shanghai", host="h"))
    launch = events["Launch post · Lin"][0]
    assert launch["DTSTART"].dt == date(2026, 3, 4) and launch["DTEND"].dt == date(2026, 3, 5)
    assert "Launch basics" in launch["CATEGORIES"].to_ical().decode()
    assert "✓ Done task" in events
    assert not any("Skipped task" in t or "No date" in t for t in events)


def test_skipped_occurrences_are_exdates_and_done_ones_overrides() -> None:
    _, events = _events(to_ics(PLAN, TOUCHED, lang="en", tz="Asia/Shanghai", host="h"))
    master = events["Morning post"][0]
    excluded = [d.dt for d in master["EXDATE"].dts]
    assert excluded == [datetime(2026, 3, 3, 9, tzinfo=SHANGHAI)]
    done = events["✓ Morning post"][0]
    assert done["RECURRENCE-ID"].dt == datetime(2026, 3, 4, 9, tzinfo=SHANGHAI)
    assert done["UID"] == master["UID"]
    assert "12 replies" in str(done["DESCRIPTION"])
    assert len(events) == 6  # 5 dated items + 1 override


def test_uids_are_stable_and_every_event_has_a_dtstamp() -> None:
    first = _events(to_ics(PLAN, [], tz="Asia/Shanghai", host="h", now=NOW))[0]
    later = _events(to_ics(PLAN, [], tz="Asia/Shanghai", host="h",
                           now=NOW + timedelta(days=3)))[0]  # fmt: skip
    uids = [str(e["UID"]) for e in first.walk("VEVENT")]
    assert uids == [str(e["UID"]) for e in later.walk("VEVENT")]
    assert uids[0] == item_uid(PLAN, PLAN.items[0], "h") == "qunce-plan-1-item-1@h"
    assert all("DTSTAMP" in e and "SEQUENCE" in e for e in first.walk("VEVENT"))


def test_another_time_zone() -> None:
    calendar, events = _events(to_ics(PLAN, [], tz="Europe/Berlin", host="h"))
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert events["Morning post"][0]["DTSTART"].dt == datetime(
        2026, 3, 2, 9, tzinfo=ZoneInfo("Europe/Berlin")
    )
    berlin = calendar.walk("VTIMEZONE")[0]
    assert {c.name for c in berlin.subcomponents} == {"STANDARD", "DAYLIGHT"}
