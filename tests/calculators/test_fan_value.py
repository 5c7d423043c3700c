"""Fan value: hand-computed examples."""

from __future__ import annotations

import pytest

from qunce.calculators.fan_value import FanValueInputs, buying_months, compute, payback


def fan(**changes: float) -> FanValueInputs:
    # ¥100 an order, once a month, 40% margin: ¥40 of gross profit a month per fan.
    base = dict(
        acquisition_cost=100,
        order_value=100,
        purchases_per_month=1,
        margin=40,
        monthly_churn=10,
        horizon_months=36,
    )
    base.update(changes)
    return FanValueInputs.model_validate(base)


def test_lifetime_value_over_the_horizon() -> None:
    r = compute(fan())
    assert r.monthly_profit == pytest.approx(100 * 1 * 0.40)
    months = (1 - 0.9**36) / 0.1  # 1 + 0.9 + 0.81 + … (36 terms)
    assert r.expected_months == pytest.approx(months)
    assert r.lifetime_value == pytest.approx(40 * months)
    assert r.ltv_to_cac == pytest.approx(40 * months / 100)
    assert r.net_value == pytest.approx(40 * months - 100)


def test_payback_month_by_month() -> None:
    # cumulative: 40, 40 + 36 = 76, 76 + 32.4 = 108.4 ≥ 100 → month 3
    assert compute(fan()).payback_months == 3
    assert payback(40, 0.1, 76) == 2  # exactly covered at month 2
    assert payback(40, 0.1, 76.01) == 3


def test_never_pays_back_when_the_whole_lifetime_is_worth_less() -> None:
    # with 10% churn a fan is worth at most 40 / 0.1 = ¥400, less than ¥500
    r = compute(fan(acquisition_cost=500))
    assert r.payback_months is None


def test_no_churn_and_full_churn() -> None:
    r = compute(fan(monthly_churn=0, horizon_months=12))
    assert r.lifetime_value == pytest.approx(40 * 12)
    assert r.payback_months == 3  # 100 / 40 = 2.5, so the third month
    gone = compute(fan(monthly_churn=100))
    assert gone.lifetime_value == pytest.approx(40)  # buys once, then leaves
    assert gone.payback_months is None  # 40 < 100
    assert buying_months(1.0, 5) == 1


def test_free_fans_have_no_ratio_and_pay_back_at_once() -> None:
    r = compute(fan(acquisition_cost=0))
    assert r.ltv_to_cac is None
    assert r.payback_months == 0


def test_youtang_preset() -> None:
    # ¥150 × 1.5 a month × 30% = ¥67.5 a month; churn 3%; 36 months
    r = compute(
        FanValueInputs(
            acquisition_cost=30,
            order_value=150,
            purchases_per_month=1.5,
            margin=30,
            monthly_churn=3,
        )
    )
    assert r.lifetime_value == pytest.approx(67.5 * (1 - 0.97**36) / 0.03)
    assert r.payback_months == 1


def test_cumulative_series_starts_at_zero_and_ends_at_the_ltv() -> None:
    r = compute(fan(horizon_months=6))
    assert len(r.cumulative_profit) == 7
    assert r.cumulative_profit[0] == 0
    assert r.cumulative_profit[1] == pytest.approx(40)
    assert r.cumulative_profit[-1] == pytest.approx(r.lifetime_value)
