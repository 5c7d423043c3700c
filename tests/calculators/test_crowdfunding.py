"""Crowdfunding planner: hand-computed examples."""

from __future__ import annotations

import math

import pytest

from qunce.calculators.crowdfunding import (
    EXACT_LIMIT,
    CrowdfundingInputs,
    Tier,
    compute,
    tail_probability,
    tier_shares,
)
from qunce.calculators.errors import CalculatorInputError, parse_inputs


def campaign(**changes: object) -> CrowdfundingInputs:
    # Tier A: ¥100, costs ¥30, no cap; tier B: ¥300, costs ¥100, 20 seats. A has no cap, so
    # backers split equally. 1,000 people × 10% = 100 want in.
    base: dict[str, object] = dict(
        mode="reward",
        goal=10_000,
        tiers=[
            Tier(name="A", price=100, unit_cost=30),
            Tier(name="B", price=300, unit_cost=100, cap=20),
        ],
        platform_fee=5,
        payment_fee=3,
        shipping_per_backer=10,
        dropped_pledge_rate=4,
        community_size=1_000,
        conversion_rate=10,
        fixed_costs=2_000,
    )
    base.update(changes)
    return CrowdfundingInputs.model_validate(base)


def test_money_flow_at_the_expected_demand() -> None:
    r = compute(campaign())
    # A: 100 × 50% = 50 backers; B: min(50, 20) = 20 (sold out)
    assert r.tier_backers == pytest.approx([50, 20])
    assert r.expected_backers == pytest.approx(70)
    assert r.pledged == pytest.approx(50 * 100 + 20 * 300)  # 11,000 ≥ 10,000: funded
    assert r.funded
    assert r.collected == pytest.approx(11_000 * 0.96)  # 10,560
    assert r.fees == pytest.approx(10_560 * 0.08)  # 844.80
    assert r.funds_after_fees == pytest.approx(10_560 - 844.8)  # 9,715.20
    assert r.reward_costs == pytest.approx(0.96 * (50 * 30 + 20 * 100))  # 3,360
    assert r.shipping_costs == pytest.approx(0.96 * 70 * 10)  # 672
    assert r.profit == pytest.approx(9_715.2 - 3_360 - 672 - 2_000)  # 3,683.20
    assert r.average_pledge == pytest.approx(0.5 * 100 + 0.5 * 300)
    assert r.gross_if_sold_out is None  # tier A has no cap


def test_backers_needed_bends_where_a_tier_sells_out() -> None:
    r = compute(campaign())
    # up to 40 people B fills (20 seats): pledges 40 × (50 + 150) = 8,000;
    # beyond, each person adds ¥50 (half of ¥100): 2,000 more needs 40 more people
    assert r.backers_needed == 80


def test_break_even_in_reward_and_membership_mode() -> None:
    # per backer after drops, fees, cost and shipping:
    # A: 0.96 × (100 × 0.92 − 30 − 10) = 49.92; B: 0.96 × (300 × 0.92 − 100 − 10) = 159.36
    # up to 40 people: 0.5 × 49.92 + 0.5 × 159.36 = 104.64 a person; 2,000 / 104.64 = 19.1
    assert compute(campaign(mode="membership")).break_even_backers == 20
    # all-or-nothing: nothing arrives before the goal's 80 backers
    assert compute(campaign()).break_even_backers == 80


def test_chance_of_the_goal_is_the_binomial_tail() -> None:
    r = compute(campaign())
    exact = sum(math.comb(1_000, k) * 0.1**k * 0.9 ** (1_000 - k) for k in range(80, 1_001))
    assert r.probability_goal == pytest.approx(100 * exact, abs=1e-9)


def test_tail_probability_edges_and_the_normal_approximation() -> None:
    assert tail_probability(10, 0.5, 0) == 1
    assert tail_probability(10, 0.5, 11) == 0
    assert tail_probability(10, 0.0, 1) == 0
    assert tail_probability(10, 1.0, 10) == 1
    assert tail_probability(10, 0.5, 10) == pytest.approx(0.5**10)
    assert tail_probability(10, 0.5, 5) == pytest.approx(
        sum(math.comb(10, k) for k in range(5, 11)) / 1024
    )
    # just above the exact limit the approximation agrees with the exact sum just below it
    below = tail_probability(EXACT_LIMIT, 0.05, 1_000)
    above = tail_probability(EXACT_LIMIT + 1, 0.05, 1_000)
    assert above == pytest.approx(below, abs=0.01)


def test_not_funded_collects_nothing() -> None:
    r = compute(campaign(conversion_rate=5))  # 50 people: A 25, B 20 → 8,500 < 10,000
    assert r.pledged == pytest.approx(25 * 100 + 20 * 300)
    assert not r.funded
    assert r.funds_after_fees == 0
    assert r.profit == pytest.approx(-2_000)


def test_goal_beyond_every_cap() -> None:
    tiers = [
        Tier(name="A", price=100, unit_cost=0, cap=10),
        Tier(name="B", price=200, unit_cost=0, cap=10),
    ]
    r = compute(campaign(tiers=tiers, goal=5_000))
    assert r.gross_if_sold_out == pytest.approx(10 * 100 + 10 * 200)
    assert r.backers_needed is None
    assert r.probability_goal == 0


def test_shares_given_and_by_cap() -> None:
    tiers = [
        Tier(name="A", price=1, unit_cost=0, cap=300),
        Tier(name="B", price=1, unit_cost=0, cap=100),
    ]
    assert tier_shares(tiers) == pytest.approx([0.75, 0.25])  # by cap: 300 : 100
    given = [
        Tier(name="A", price=1, unit_cost=0, share=30),
        Tier(name="B", price=1, unit_cost=0),
        Tier(name="C", price=1, unit_cost=0),
    ]
    assert tier_shares(given) == pytest.approx([0.30, 0.35, 0.35])  # the rest split equally


def test_luojisiwei_numbers() -> None:
    # 2013: ¥200 × 5,000 standard and ¥1,200 × 500 devoted members
    tiers = [
        Tier(name="普通会员", price=200, unit_cost=0, cap=5_000),
        Tier(name="铁杆会员", price=1_200, unit_cost=0, cap=500),
    ]
    r = compute(
        campaign(
            mode="membership",
            goal=1_600_000,
            tiers=tiers,
            platform_fee=0,
            payment_fee=0,
            dropped_pledge_rate=0,
            shipping_per_backer=0,
            community_size=200_000,
            conversion_rate=5,
            fixed_costs=0,
        )
    )
    assert r.gross_if_sold_out == pytest.approx(200 * 5_000 + 1_200 * 500)  # ¥1.6M
    assert r.pledged == pytest.approx(1_600_000)  # 10,000 want in, 5,500 seats sell
    assert r.expected_backers == pytest.approx(5_500)
    assert r.backers_needed == 5_500
    assert r.funds_after_fees == pytest.approx(1_600_000)


def test_inconsistent_tiers_are_refused_by_name() -> None:
    twice = [{"name": "A", "price": 1, "unit_cost": 0}, {"name": "A", "price": 2, "unit_cost": 0}]
    with pytest.raises(CalculatorInputError) as caught:
        parse_inputs(CrowdfundingInputs, {"tiers": twice})
    assert caught.value.problems[0].field == "tiers"
    assert "'A' is used twice" in caught.value.problems[0].text("en")
    over = [
        {"name": "A", "price": 1, "unit_cost": 0, "share": 70},
        {"name": "B", "price": 1, "unit_cost": 0, "share": 50},
    ]
    with pytest.raises(CalculatorInputError) as caught:
        parse_inputs(CrowdfundingInputs, {"tiers": over})
    assert "add up to 120%" in caught.value.problems[0].text("en")
    short = [
        {"name": "A", "price": 1, "unit_cost": 0, "share": 70},
        {"name": "B", "price": 1, "unit_cost": 0, "share": 20},
    ]
    with pytest.raises(CalculatorInputError) as caught:
        parse_inputs(CrowdfundingInputs, {"tiers": short})
    assert "must add up to 100%" in caught.value.problems[0].text("en")


def test_membership_note_when_demand_falls_short_of_the_seats() -> None:
    from qunce.calculators.crowdfunding import notes

    tiers = [
        Tier(name="普通会员", price=200, unit_cost=0, cap=5_000),
        Tier(name="铁杆会员", price=1_200, unit_cost=0, cap=500),
    ]
    few = campaign(
        mode="membership", goal=1_600_000, tiers=tiers, community_size=10_000, conversion_rate=3
    )
    texts = [n.text.en for n in notes(few, compute(few))]
    assert any("about 300 of 5,500 seats sell" in t for t in texts), texts  # 10,000 × 3%
    many = few.model_copy(update={"community_size": 200_000})
    assert not any("seats sell" in n.text.en for n in notes(many, compute(many)))
