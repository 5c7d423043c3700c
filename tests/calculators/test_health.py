"""Community health: hand-computed examples."""

from __future__ import annotations

import pytest

from qunce.calculators.errors import CalculatorInputError, parse_inputs
from qunce.calculators.health import PARTS, HealthInputs, compute, part_score


def test_score_and_its_parts() -> None:
    i = HealthInputs(
        members=1_000,
        daily_active=50,
        monthly_active=200,
        messages_per_day=100,
        contributors_per_month=50,
        response_minutes=60,
    )
    r = compute(i)
    parts = {p.id: p for p in r.parts}
    # monthly active 200/1000 = 20%, range 10–30%: 60 + 40 × (20 − 10) / 20 = 80
    assert parts["activity"].value == pytest.approx(20)
    assert parts["activity"].score == pytest.approx(80)
    # DAU/MAU 50/200 = 25%, the top of 13–25%: 100
    assert parts["stickiness"].score == pytest.approx(100)
    assert r.days_per_month == pytest.approx(0.25 * 30)
    # contributors 50/1000 = 5%, below 10%: 60 × 5 / 10 = 30, weak
    assert parts["participation"].score == pytest.approx(30)
    assert parts["participation"].status == "weak"
    # 100 messages / 50 daily active = 2 a day, range 1–3: 60 + 40 × 1 / 2 = 80
    assert parts["conversation"].score == pytest.approx(80)
    # first reply in 60 minutes, range 30–120 (shorter is better): 100 − 40 × 30 / 90
    assert parts["responsiveness"].score == pytest.approx(100 - 40 * 30 / 90)
    assert r.score == pytest.approx((80 + 100 + 30 + 80 + (100 - 40 * 30 / 90)) / 5)
    assert r.weak_parts == 1
    assert r.playbooks == ["co-creation-steps", "interaction-traits"]


def test_slow_replies_fall_to_zero_after_a_day() -> None:
    reply = next(p for p in PARTS if p.id == "responsiveness")
    assert part_score(10, reply) == 100
    assert part_score(780, reply) == pytest.approx(60 * (1_440 - 780) / (1_440 - 120))
    assert part_score(5_000, reply) == 0


def test_weak_parts_name_the_agreed_playbooks() -> None:
    dead = compute(
        HealthInputs(
            members=1_000,
            daily_active=1,
            monthly_active=20,
            messages_per_day=0,
            contributors_per_month=1,
            response_minutes=2_000,
        )
    )
    assert dead.weak_parts == 5
    assert set(dead.playbooks) == {
        "launch-rules",
        "interaction-traits",
        "co-creation-steps",
        "user-dialogue",
        "wechat-community",
    }


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"members": 100, "monthly_active": 150}, "monthly_active", "cannot exceed members"),
        (
            {"daily_active": 500, "monthly_active": 300, "members": 1_000},
            "daily_active",
            "monthly_active = 300",
        ),
        (
            {"contributors_per_month": 200, "monthly_active": 100},
            "contributors_per_month",
            "monthly_active = 100",
        ),
        ({"daily_active": 0, "messages_per_day": 5}, "messages_per_day", "daily_active"),
    ],
)
def test_inconsistent_counts_name_the_field(values: dict[str, int], field: str, words: str) -> None:
    with pytest.raises(CalculatorInputError) as caught:
        parse_inputs(HealthInputs, values)
    problem = caught.value.problems[0]
    assert problem.field == field
    assert words in problem.text("en")
    assert field in problem.text("zh")
