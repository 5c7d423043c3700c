"""Group capacity: hand-computed examples."""

from __future__ import annotations

import pytest

from qunce.calculators.group_capacity import GroupCapacityInputs, compute, notes


def test_groups_staff_and_cost() -> None:
    i = GroupCapacityInputs(
        members=1_234,
        group_limit=500,
        fill_rate=80,
        members_per_operator=500,
        operator_monthly_cost=6_000,
    )
    r = compute(i)
    assert r.seats_per_group == 400  # 500 × 80%
    assert r.groups == 4  # ⌈1,234 / 400⌉ = ⌈3.085⌉
    assert r.operators == 3  # ⌈1,234 / 500⌉ = ⌈2.468⌉
    assert r.monthly_cost == pytest.approx(3 * 6_000)
    assert r.cost_per_member == pytest.approx(18_000 / 1_234)
    assert r.groups_per_operator == pytest.approx(4 / 3)
    assert r.yearly_cost == pytest.approx(12 * 18_000)


def test_wechat_default_and_exact_fit() -> None:
    r = compute(GroupCapacityInputs(members=1_000))
    assert r.seats_per_group == 500 and r.groups == 2  # WeChat's 500 exactly twice


def test_tiny_groups_still_hold_one_member() -> None:
    r = compute(GroupCapacityInputs(members=7, group_limit=2, fill_rate=10))
    assert r.seats_per_group == 1  # ⌊2 × 10%⌋ = 0, but a group holds at least one
    assert r.groups == 7


def test_notes_warn_about_platform_limits() -> None:
    big = GroupCapacityInputs(group_limit=2_000, members_per_operator=8_000)
    texts = [n.text.en for n in notes(big, compute(big))]
    assert any("at most 500" in t for t in texts)
    assert any("5,000 customers" in t for t in texts)
    assert any("real-name" in t for t in texts)
