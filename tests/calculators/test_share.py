"""Share links and case presets."""

from __future__ import annotations

from typing import Any

import pytest

from qunce.calculators import from_query, preset_link, to_query
from qunce.calculators.crowdfunding import CrowdfundingInputs
from qunce.calculators.errors import CalculatorInputError, UnknownCalculatorError
from qunce.calculators.share import parse, url


def test_to_query_writes_every_field_as_text() -> None:
    params = to_query("fan-value", {"monthly_churn": 3.5, "purchases_per_month": 0.3}, lang="en")
    assert params == {
        "calc": "fan-value",
        "acquisition_cost": "30",
        "order_value": "80",
        "purchases_per_month": "0.3",
        "margin": "30",
        "monthly_churn": "3.5",
        "horizon_months": "36",
        "lang": "en",
    }


def test_tables_travel_as_compact_json() -> None:
    params = to_query(
        "crowdfunding", {"tiers": [{"name": "会员", "price": 200, "unit_cost": 0, "cap": 5000}]}
    )
    assert params["tiers"] == '[{"name":"会员","price":200,"unit_cost":0,"cap":5000}]'
    calc_id, raw = from_query(params)
    assert parse(calc_id, raw) == CrowdfundingInputs(
        tiers=[{"name": "会员", "price": 200, "unit_cost": 0, "cap": 5000}]
    )


def test_from_query_ignores_other_parameters_and_takes_the_last_value() -> None:
    calc_id, raw = from_query({"calc": "funnel", "lang": "zh", "id": "x", "reach": ["5", "7"]})
    assert calc_id == "funnel" and raw == {"reach": "7"}


def test_from_query_refuses_a_missing_or_unknown_calculator() -> None:
    with pytest.raises(UnknownCalculatorError):
        from_query({"reach": "5"})
    with pytest.raises(UnknownCalculatorError):
        from_query({"calc": "nope"})


def test_to_query_validates_partial_inputs() -> None:
    with pytest.raises(CalculatorInputError):
        to_query("funnel", {"join_rate": 101})


def test_url() -> None:
    link = url({"calc": "funnel", "reach": "5"}, "http://host:8501/")
    assert link == "http://host:8501/calculators?calc=funnel&reach=5"


class _Preset:
    def __init__(self, calc_id: str, inputs: dict[str, Any]) -> None:
        self.id, self.inputs = calc_id, inputs


class _Case:
    def __init__(self, preset: _Preset | None) -> None:
        self.id = "some-case"
        self.calculator = preset


def test_preset_link_fills_in_defaults() -> None:
    params = preset_link(_Case(_Preset("group-capacity", {"members": 1200})), lang="zh")
    assert params["calc"] == "group-capacity" and params["members"] == "1200"
    assert params["group_limit"] == "500" and params["lang"] == "zh"
    assert params["case"] == "some-case"  # the calculator says which inputs are the case's own


def test_preset_link_without_a_preset() -> None:
    with pytest.raises(ValueError, match="no calculator preset"):
        preset_link(_Case(None))
