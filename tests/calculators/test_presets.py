"""Every case preset validates against its calculator; Luoji Siwei's reproduces ¥1.6M."""

from __future__ import annotations

import pytest

from qunce.calculators import preset_link
from qunce.calculators.crowdfunding import CrowdfundingInputs, compute
from qunce.calculators.errors import CalculatorInputError
from qunce.calculators.share import from_query, parse, preset_inputs
from qunce.content.catalogue import Catalogue, load_catalogue
from qunce.content.schema import Case


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    cat = load_catalogue()
    assert not cat.errors, [str(e) for e in cat.errors]
    return cat


def _presets(cat: Catalogue) -> list[Case]:
    return [case for case in cat.cases if case.calculator is not None]


def test_there_are_presets(catalogue: Catalogue) -> None:
    assert len(_presets(catalogue)) >= 3


def test_every_preset_is_valid(catalogue: Catalogue) -> None:
    failures = []
    for case in _presets(catalogue):
        try:
            calc_id, inputs = preset_inputs(case)
        except (CalculatorInputError, KeyError) as error:
            failures.append(f"{case.id}: {error}")
            continue
        assert calc_id == case.calculator.id if case.calculator else False
        preset = case.calculator.inputs if case.calculator else {}
        for name, value in preset.items():
            if not isinstance(value, list):
                assert getattr(inputs, name) == value, f"{case.id}.{name}"
        # and the "open in calculator" link carries exactly those inputs
        link_id, raw = from_query(preset_link(case, lang="en"))
        assert parse(link_id, raw) == inputs
    assert not failures, "\n".join(failures)


def test_luojisiwei_preset_reproduces_its_public_numbers(catalogue: Catalogue) -> None:
    case = catalogue.get("luojisiwei-membership")
    assert isinstance(case, Case)
    calc_id, inputs = preset_inputs(case)
    assert calc_id == "crowdfunding"
    assert isinstance(inputs, CrowdfundingInputs)
    assert inputs.mode == "membership"
    prices = sorted((t.price, t.cap) for t in inputs.tiers)
    assert prices == [(200, 5_000), (1_200, 500)]
    result = compute(inputs)
    assert result.gross_if_sold_out == pytest.approx(200 * 5_000 + 1_200 * 500)
    assert result.gross_if_sold_out == pytest.approx(1_600_000)
