"""Bad input becomes a message naming the field and the allowed range, in both languages."""

from __future__ import annotations

import pytest

from qunce.calculators.crowdfunding import CrowdfundingInputs
from qunce.calculators.errors import CalculatorInputError, parse_inputs, parse_text
from qunce.calculators.funnel import FunnelInputs
from qunce.calculators.registry import get


def problems(model: type, raw: dict[str, object]) -> list[tuple[str, str, str]]:
    with pytest.raises(CalculatorInputError) as caught:
        parse_inputs(model, raw)
    return [(p.field, p.text("zh"), p.text("en")) for p in caught.value.problems]


def test_out_of_range_names_the_field_and_the_range() -> None:
    [(field, zh, en)] = problems(FunnelInputs, {"join_rate": 150})
    assert field == "join_rate"
    assert en == "Join rate (join_rate): must be a number from 0% to 100%; got 150."
    assert zh == "入群率（join_rate）：应为 0% 到 100% 之间的数，现在是 150。"


def test_text_empty_and_whole_numbers() -> None:
    found = dict(
        (f, en)
        for f, _, en in problems(FunnelInputs, {"reach": "abc", "margin": "", "repeat_orders": -1})
    )
    assert found["reach"] == (
        "People reached (reach): must be a whole number from 0 to 1,000,000,000 people; got 'abc'."
    )
    assert found["margin"] == "Gross margin (margin): is empty; enter a number from 0% to 100%."
    assert "from 0 to 1,000 orders; got -1" in found["repeat_orders"]
    [(_, _, en)] = problems(FunnelInputs, {"reach": 10.5})
    assert "whole number" in en and "got 10.5" in en


def test_unknown_field_lists_the_known_ones() -> None:
    [(field, _, en)] = problems(FunnelInputs, {"reech": 5})
    assert field == "reech"
    assert "reach, join_rate" in en


def test_choice_and_table_problems() -> None:
    [(field, _, en)] = problems(CrowdfundingInputs, {"mode": "lottery"})
    assert field == "mode" and "reward or membership" in en and "'lottery'" in en
    [(field, _, en)] = problems(CrowdfundingInputs, {"tiers": []})
    assert field == "tiers" and "1 to 10 rows" in en
    rows = [{"name": "A", "price": 0, "unit_cost": 0}]
    [(field, zh, en)] = problems(CrowdfundingInputs, {"tiers": rows})
    assert field == "tiers[0].price"
    assert (
        en
        == "Tiers, row 1 · Price (tiers[0].price): must be a number above ¥0 and at most ¥1,000,000; got 0."
    )
    assert "第 1 行" in zh
    [(field, _, en)] = problems(CrowdfundingInputs, {"tiers": "[not json"})
    assert field == "tiers" and "a list of rows with name, price, unit_cost, cap, share" in en


def test_every_problem_at_once() -> None:
    found = problems(FunnelInputs, {"join_rate": -1, "active_rate": 101, "purchase_rate": "x"})
    assert [f for f, _, _ in found] == ["join_rate", "active_rate", "purchase_rate"]


def test_parse_text() -> None:
    tiers = get("crowdfunding").field("tiers")
    assert parse_text(tiers, '[{"name":"A","price":1,"unit_cost":0}]') == [
        {"name": "A", "price": 1, "unit_cost": 0}
    ]
    assert parse_text(tiers, "") == []
    cap = tiers.columns[3]
    assert cap.name == "cap" and cap.optional
    assert parse_text(cap, "") is None
    assert parse_text(get("funnel").field("reach"), " 12 ") == "12"
