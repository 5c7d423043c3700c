"""Community funnel: hand-computed examples."""

from __future__ import annotations

import pytest

from qunce.calculators.funnel import FunnelInputs, compute, sensitivity

# The Baoledi case preset: 10,000 reached, 30% join, 40% active, 25% buy, 25% repeat,
# ¥300 an order, 2 extra orders per repeat buyer, 60% margin.
BAOLEDI = FunnelInputs(
    reach=10_000,
    join_rate=30,
    active_rate=40,
    purchase_rate=25,
    repeat_rate=25,
    order_value=300,
    repeat_orders=2,
    margin=60,
)


def test_stages_revenue_and_profit() -> None:
    r = compute(BAOLEDI)
    assert r.members == pytest.approx(10_000 * 0.30)  # 3,000
    assert r.active == pytest.approx(3_000 * 0.40)  # 1,200
    assert r.buyers == pytest.approx(1_200 * 0.25)  # 300
    assert r.repeat_buyers == pytest.approx(300 * 0.25)  # 75
    assert r.orders == pytest.approx(300 + 75 * 2)  # 450
    assert r.revenue == pytest.approx(450 * 300)  # 135,000
    assert r.gross_profit == pytest.approx(135_000 * 0.60)  # 81,000
    assert r.value_per_member == pytest.approx(81_000 / 3_000)  # 27
    assert r.reach_to_buyer == pytest.approx(100 * 300 / 10_000)  # 3%


def test_sensitivity_ranks_the_rates_by_their_swing() -> None:
    rows = {row.field: row for row in sensitivity(BAOLEDI)}
    # purchase 20% / 30%: buyers 240 / 360, profit scales by 0.8 / 1.2
    assert rows["purchase_rate"].low_profit == pytest.approx(81_000 * 20 / 25)
    assert rows["purchase_rate"].high_profit == pytest.approx(81_000 * 30 / 25)
    # repeat 20%: orders 300 + 60 × 2 = 420; 30%: 300 + 90 × 2 = 480
    assert rows["repeat_rate"].low_profit == pytest.approx(420 * 300 * 0.6)
    assert rows["repeat_rate"].high_profit == pytest.approx(480 * 300 * 0.6)
    # margin 55% / 65%
    assert rows["margin"].low_profit == pytest.approx(135_000 * 0.55)
    order = [row.field for row in compute(BAOLEDI).sensitivity]
    # swings: purchase 32,400; join 27,000; active 20,250; margin 13,500; repeat 10,800
    assert order == ["purchase_rate", "join_rate", "active_rate", "margin", "repeat_rate"]


def test_sensitivity_stays_within_0_and_100() -> None:
    rows = {
        r.field: r
        for r in sensitivity(BAOLEDI.model_copy(update={"join_rate": 98.0, "margin": 2.0}))
    }
    assert rows["join_rate"].high_rate == 100
    assert rows["join_rate"].low_rate == 93
    assert rows["margin"].low_rate == 0
    assert rows["margin"].low_profit == 0


def test_nobody_reached_gives_zeros_not_errors() -> None:
    r = compute(BAOLEDI.model_copy(update={"reach": 0}))
    assert r.members == 0 and r.gross_profit == 0
    assert r.value_per_member == 0 and r.reach_to_buyer == 0


def test_the_top_note_names_the_rate_to_improve() -> None:
    from qunce.calculators.funnel import notes

    first = notes(BAOLEDI, compute(BAOLEDI))[0]
    assert "First-purchase rate" in first.text.en
    assert "¥16,200" in first.text.en  # 97,200 − 81,000
