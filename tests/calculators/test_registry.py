"""The registry: every calculator complete, one place for each fact, and the section match rule."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import pytest

from qunce.calculators import REGISTRY, for_sections, get, registry
from qunce.calculators.base import Scenario, field_specs
from qunce.calculators.errors import UnknownCalculatorError

IDS = ["funnel", "fan-value", "referral", "crowdfunding", "health", "group-capacity"]


def test_the_six_calculators_in_order() -> None:
    assert [c.id for c in registry()] == IDS
    assert list(REGISTRY) == IDS


def test_unknown_id_names_the_known_ones() -> None:
    with pytest.raises(UnknownCalculatorError) as caught:
        get("funel")
    assert "funnel" in caught.value.text("en") and "funel" in caught.value.text("zh")


@pytest.mark.parametrize("calc_id", IDS)
def test_every_field_is_labelled_bounded_and_sourced(calc_id: str) -> None:
    calc = get(calc_id)
    assert calc.title.zh and calc.title.en and calc.summary.zh and calc.summary.en
    assert calc.method.zh and calc.method.en
    for spec in calc.fields():
        assert spec.label.zh != spec.name and spec.label.en != spec.name, spec.name
        assert spec.help.zh and spec.help.en, spec.name
        if spec.kind in ("int", "float"):
            assert spec.minimum is not None and spec.maximum is not None, spec.name
            assert spec.contains(float(spec.default)), spec.name
        if spec.kind != "choice":
            assert spec.source is not None, f"{calc_id}.{spec.name} has no source note"
    results = {s.name for s in field_specs(calc.result)}
    assert set(calc.headline) <= results


@pytest.mark.parametrize("calc_id", IDS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_charts_are_plotly_figures_in_the_language(calc_id: str, lang: str) -> None:
    calc = get(calc_id)
    inputs = calc.defaults()
    result = calc.compute(inputs)
    figures = [calc.chart(inputs, result, lang)] + [
        c.draw(inputs, result, lang) for c in calc.charts
    ]
    scenarios: list[Scenario[Any, Any]] = [
        Scenario("A", inputs, result),
        Scenario("<b>B</b>", inputs, result),
    ]
    figures.append(calc.compare_chart(scenarios, lang))
    for fig in figures:
        assert isinstance(fig, go.Figure)
        title = fig.layout.title.text
        assert title
        has_cjk = any("\u4e00" <= ch <= "\u9fff" for ch in title)
        assert has_cjk == (lang == "zh"), title
    names = [t.name for t in figures[-1].data if t.name]
    assert not any("<b>" in n for n in names), "user-typed names reach Plotly escaped"


def test_sections_rule() -> None:
    def ids(sections: list[str]) -> list[str]:
        return [c.id for c in for_sections(sections)]

    assert ids(["3.1.2"]) == ["funnel"]  # the exact section
    assert ids(["3.1"]) == ["funnel"]  # a parent section lists it too
    assert "funnel" in ids(["3"])
    assert ids(["3.1.1"]) == []  # a sibling does not
    assert ids(["3.1.20"]) == []  # "3.1.2" is no prefix of "3.1.20" at a dot boundary
    assert ids(["6.1.4"]) == []  # group-capacity serves all of 6.1, not each leaf alone
    assert ids(["6.1", "6.1.4"]) == ["group-capacity"]
    assert ids(["9.3", "9.3.3"]) == ["crowdfunding"]
    assert ids(["4.4", "4.4.1"]) == ["health"]
    assert ids(["4.6", "4.6.2"]) == ["referral"]
    assert ids([]) == []


def test_every_calculator_appears_on_some_playbook() -> None:
    from qunce.content.catalogue import load_catalogue

    cat = load_catalogue()
    shown = {c.id for p in cat.playbooks for c in for_sections(p.sections)}
    assert shown == set(IDS)
