"""Rules as plan items use them: normalised, described, and expanded window by window exactly as
dateutil expands them from their first day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qunce.content.rrules import describe, parse_rule
from qunce.plans import InvalidValue
from qunce.plans.recurrence import Repeat, check_repeat, normalise_rule

RULES = st.sampled_from(
    [
        "FREQ=DAILY",
        "FREQ=DAILY;INTERVAL=3;BYHOUR=9;BYMINUTE=30",
        "FREQ=DAILY;BYHOUR=9,18",
        "FREQ=WEEKLY",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;BYHOUR=20",
        "FREQ=WEEKLY;BYDAY=FR;UNTIL=20270101T235959",
        "FREQ=MONTHLY;BYMONTHDAY=31",
        "FREQ=MONTHLY;BYDAY=1MO;BYHOUR=10",
        "FREQ=DAILY;COUNT=40",
    ]
)
DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))


@settings(max_examples=150, deadline=None)
@given(rule=RULES, start=DAYS, first=DAYS, length=st.integers(0, 45))
def test_a_window_holds_exactly_the_rules_occurrences(
    rule: str, start: date, first: date, length: int
) -> None:
    last = first + timedelta(days=length)
    whole = parse_rule(rule, datetime.combine(start, time()))
    expected = [
        d
        for d in whole.between(
            datetime.combine(first, time()), datetime.combine(last, time.max), inc=True
        )
    ]
    assert Repeat(rule, start).between(first, last) == expected


@pytest.mark.parametrize(
    ("rule", "zh", "en"),
    [
        ("FREQ=DAILY;BYHOUR=9;BYMINUTE=0", "每天 09:00", "Daily at 09:00"),
        ("FREQ=WEEKLY;BYDAY=FR;BYHOUR=20;BYMINUTE=0", "每周五 20:00", "Weekly on Fri at 20:00"),
        ("FREQ=MONTHLY;BYMONTHDAY=1;COUNT=6", "每月 1 日，共 6 次", "Monthly on the 1st, 6 times"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20260630T235959",
         "每 2 周的周一、周三，至 2026-06-30", "Every 2 weeks on Mon, Wed, until 2026-06-30"),
    ],
)  # fmt: skip
def test_rules_in_words(rule: str, zh: str, en: str) -> None:
    assert (describe(rule, "zh"), describe(rule, "en")) == (zh, en)


def test_rules_are_normalised() -> None:
    assert normalise_rule(" RRULE:freq=weekly; byday=fr ;until=20260630") == (
        "FREQ=WEEKLY;BYDAY=FR;UNTIL=20260630T235959"
    )
    repeat = check_repeat("FREQ=WEEKLY;BYDAY=FR;UNTIL=20260630", date(2026, 3, 2))
    assert repeat.last() == datetime(2026, 6, 26) and not repeat.timed
    with pytest.raises(InvalidValue, match="no occurrence"):
        check_repeat("FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31", date(2026, 2, 2))
