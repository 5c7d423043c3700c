"""Referral growth: hand-computed examples."""

from __future__ import annotations

import pytest

from qunce.calculators.errors import CalculatorInputError, parse_inputs
from qunce.calculators.referral import ReferralInputs, compute

HUGE = 1_500_000_000


def test_viral_coefficient_and_churn_cycle_by_cycle() -> None:
    i = ReferralInputs(
        seed_members=100,
        invites_per_member=2,
        invite_conversion=50,
        cycle_days=7,
        churn_per_cycle=10,
        target_members=250,
        horizon_days=21,
        market_size=HUGE,
    )
    r = compute(i)
    assert r.viral_coefficient == pytest.approx(2 * 0.5)  # K = 1: each cohort brings 100 more
    # members: 100 → 100·0.9 + 100 = 190 → 190·0.9 + 100 = 271 → 271·0.9 + 100 = 343.9
    assert r.members == pytest.approx([100, 190, 271, 343.9], rel=1e-6)
    assert r.days == [0, 7, 14, 21]
    assert r.without_referrals == pytest.approx([100, 90, 81, 72.9])
    assert r.days_to_target == 14  # 271 ≥ 250 after the second cycle
    assert r.total_joined == pytest.approx(400, rel=1e-6)
    assert r.referred == pytest.approx(300, rel=1e-6)


def test_saturation_in_a_small_market() -> None:
    i = ReferralInputs(
        seed_members=100,
        invites_per_member=4,
        invite_conversion=50,
        cycle_days=1,
        churn_per_cycle=0,
        target_members=300,
        horizon_days=2,
        market_size=300,
    )
    r = compute(i)
    # cycle 1: 100 × 2 × (200 / 300) = 133.33; cycle 2: 133.33 × 2 × (66.67 / 300) = 59.26
    first = 100 * 2 * 200 / 300
    second = first * 2 * (300 - 100 - first) / 300
    assert r.members == pytest.approx([100, 100 + first, 100 + first + second])
    assert r.days_to_target is None


def test_target_not_reached_within_the_horizon() -> None:
    r = compute(
        ReferralInputs(
            seed_members=100,
            invites_per_member=1,
            invite_conversion=50,
            target_members=10_000,
            horizon_days=70,
        )
    )
    assert r.viral_coefficient == pytest.approx(0.5)
    assert r.days_to_target is None


def test_seed_already_at_target() -> None:
    r = compute(ReferralInputs(seed_members=500, target_members=400))
    assert r.days_to_target == 0


def test_seed_or_target_beyond_the_market_is_refused() -> None:
    with pytest.raises(CalculatorInputError) as caught:
        parse_inputs(
            ReferralInputs, {"seed_members": 500, "market_size": 100, "target_members": 50}
        )
    assert caught.value.problems[0].field == "seed_members"
    with pytest.raises(CalculatorInputError) as caught:
        parse_inputs(ReferralInputs, {"target_members": 5_000, "market_size": 1_000})
    assert caught.value.problems[0].field == "target_members"
    assert "market_size = 1,000" in caught.value.problems[0].text("en")
