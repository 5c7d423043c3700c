"""Invariants over any valid input: finite results, and the monotonic relations a planner expects."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qunce.calculators import crowdfunding, fan_value, funnel, group_capacity, health, referral
from qunce.calculators.registry import REGISTRY
from qunce.calculators.share import from_query, parse, to_query
from tests.calculators.strategies import health_inputs, inputs

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def finite(value: Any) -> bool:
    """Every number inside a dumped result is finite (None stands for "never")."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return True
    if isinstance(value, int | float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(finite(v) for v in value.values())
    if isinstance(value, list):
        return all(finite(v) for v in value)
    return False


def _check_finite(calc_id: str, model: Any) -> None:
    result = REGISTRY[calc_id].compute(model)
    assert finite(result.model_dump()), result


@SETTINGS
@given(inputs(REGISTRY["funnel"]))
def test_funnel_is_finite(model: Any) -> None:
    _check_finite("funnel", model)


@SETTINGS
@given(inputs(REGISTRY["fan-value"]))
def test_fan_value_is_finite(model: Any) -> None:
    _check_finite("fan-value", model)


@SETTINGS
@given(inputs(REGISTRY["referral"], horizon_days=st.integers(1, 400)))
def test_referral_is_finite(model: Any) -> None:
    _check_finite("referral", model)


@SETTINGS
@given(inputs(REGISTRY["crowdfunding"]))
def test_crowdfunding_is_finite(model: Any) -> None:
    _check_finite("crowdfunding", model)
    r = crowdfunding.compute(model)
    assert 0 <= r.probability_goal <= 100


@SETTINGS
@given(health_inputs())
def test_health_is_finite_and_bounded(raw: dict[str, Any]) -> None:
    model = health.HealthInputs.model_validate(raw)
    r = health.compute(model)
    assert finite(r.model_dump())
    assert 0 <= r.score <= 100
    assert all(0 <= p.score <= 100 for p in r.parts)


@SETTINGS
@given(inputs(REGISTRY["group-capacity"]))
def test_group_capacity_is_finite(model: Any) -> None:
    _check_finite("group-capacity", model)
    r = group_capacity.compute(model)
    assert r.groups * r.seats_per_group >= model.members
    assert r.operators * model.members_per_operator >= model.members


# Monotonicity: moving one input the "good" way never makes the figure it drives worse.

rates = st.floats(min_value=0, max_value=100, allow_nan=False)


@SETTINGS
@given(inputs(REGISTRY["funnel"]), rates, rates, st.sampled_from(funnel.RATES))
def test_funnel_higher_rate_never_lowers_buyers_or_profit(
    model: Any, a: float, b: float, name: str
) -> None:
    low, high = sorted((a, b))
    worse = funnel.compute(model.model_copy(update={name: low}))
    better = funnel.compute(model.model_copy(update={name: high}))
    assert better.buyers >= worse.buyers
    assert better.gross_profit >= worse.gross_profit * (1 - 1e-12)


@SETTINGS
@given(inputs(REGISTRY["fan-value"]), rates, rates)
def test_higher_churn_never_raises_ltv_or_shortens_payback(model: Any, a: float, b: float) -> None:
    low, high = sorted((a, b))
    loyal = fan_value.compute(model.model_copy(update={"monthly_churn": low}))
    fickle = fan_value.compute(model.model_copy(update={"monthly_churn": high}))
    assert fickle.lifetime_value <= loyal.lifetime_value * (1 + 1e-12)
    if fickle.payback_months is not None:
        assert loyal.payback_months is not None
        assert loyal.payback_months <= fickle.payback_months


@SETTINGS
@given(inputs(REGISTRY["referral"]))
def test_referrals_never_leave_fewer_members_than_none(model: Any) -> None:
    r = referral.compute(model)
    assert all(w <= m * (1 + 1e-12) for m, w in zip(r.members, r.without_referrals, strict=True))
    assert r.total_joined <= model.market_size * (1 + 1e-9)


@SETTINGS
@given(
    inputs(
        REGISTRY["referral"],
        seed_members=st.integers(1, 1_000),
        invites_per_member=st.floats(0, 3),
        cycle_days=st.integers(7, 30),
        horizon_days=st.integers(1, 140),
        market_size=st.just(1_500_000_000),
    ),
    rates,
    rates,
)
def test_better_invite_conversion_never_slows_growth(model: Any, a: float, b: float) -> None:
    low, high = sorted((a, b))
    slow = referral.compute(model.model_copy(update={"invite_conversion": low}))
    fast = referral.compute(model.model_copy(update={"invite_conversion": high}))
    assert fast.members_at_horizon >= slow.members_at_horizon * (1 - 1e-9)
    if slow.days_to_target is not None:
        assert fast.days_to_target is not None and fast.days_to_target <= slow.days_to_target


@SETTINGS
@given(inputs(REGISTRY["crowdfunding"]), rates, rates)
def test_higher_conversion_never_lowers_backers_or_the_chance(
    model: Any, a: float, b: float
) -> None:
    low, high = sorted((a, b))
    weak = crowdfunding.compute(model.model_copy(update={"conversion_rate": low}))
    strong = crowdfunding.compute(model.model_copy(update={"conversion_rate": high}))
    assert strong.expected_backers >= weak.expected_backers * (1 - 1e-12)
    assert strong.pledged >= weak.pledged * (1 - 1e-12)
    assert strong.probability_goal >= weak.probability_goal - 1e-6


@SETTINGS
@given(inputs(REGISTRY["crowdfunding"]), st.floats(0.01, 1e9), st.floats(0.01, 1e9))
def test_a_higher_goal_never_needs_fewer_backers(model: Any, a: float, b: float) -> None:
    low, high = sorted((a, b))
    easy = crowdfunding.compute(model.model_copy(update={"goal": low}))
    hard = crowdfunding.compute(model.model_copy(update={"goal": high}))
    if hard.backers_needed is not None:
        assert easy.backers_needed is not None and easy.backers_needed <= hard.backers_needed
    assert hard.probability_goal <= easy.probability_goal + 1e-6


@SETTINGS
@given(health_inputs(), st.data())
def test_more_contributors_or_faster_replies_never_lower_health(
    raw: dict[str, Any], data: st.DataObject
) -> None:
    base = health.compute(health.HealthInputs.model_validate(raw))
    more = data.draw(st.integers(raw["contributors_per_month"], raw["monthly_active"]))
    faster = data.draw(st.floats(0, raw["response_minutes"]))
    better = health.compute(
        health.HealthInputs.model_validate(
            {**raw, "contributors_per_month": more, "response_minutes": faster}
        )
    )
    assert better.score >= base.score - 1e-9


@SETTINGS
@given(inputs(REGISTRY["group-capacity"]), st.integers(1, 100_000_000), st.integers(1, 100_000_000))
def test_more_members_never_need_fewer_groups_or_staff(model: Any, a: int, b: int) -> None:
    low, high = sorted((a, b))
    small = group_capacity.compute(model.model_copy(update={"members": low}))
    large = group_capacity.compute(model.model_copy(update={"members": high}))
    assert large.groups >= small.groups
    assert large.operators >= small.operators


# Share links carry every input exactly.


@SETTINGS
@given(
    st.sampled_from(list(REGISTRY)).flatmap(
        lambda cid: st.tuples(st.just(cid), inputs(REGISTRY[cid]))
    )
)
def test_share_link_round_trips(pair: tuple[str, Any]) -> None:
    calc_id, model = pair
    if calc_id == "health":
        return  # its consistent draws have their own strategy, covered below
    params = to_query(calc_id, model, lang="en")
    assert all(isinstance(v, str) for v in params.values())
    back_id, raw = from_query(params)
    assert back_id == calc_id
    assert parse(back_id, raw) == model


@SETTINGS
@given(health_inputs())
def test_health_share_link_round_trips(raw: dict[str, Any]) -> None:
    model = health.HealthInputs.model_validate(raw)
    calc_id, back = from_query(to_query("health", model))
    assert parse(calc_id, back) == model
