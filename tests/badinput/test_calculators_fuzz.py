"""Fuzz every calculator with hostile input: anything a form, a link or a CLI could carry.

Whatever comes in, a calculator either refuses it with `CalculatorInputError` (messages naming
the field, in both languages) or computes finite figures, draws its charts, and round-trips the
inputs through a share link. No other exception may escape: at the edge it would be a traceback.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qunce.calculators.base import Calculator, Scenario
from qunce.calculators.errors import CalculatorInputError, UnknownCalculatorError
from qunce.calculators.registry import REGISTRY
from qunce.calculators.share import from_query, parse, to_query

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

NUMBERISH = st.sampled_from(
    ["", " ", "-0", "1e309", "-1e309", "nan", "NaN", "inf", "-inf", "0x10", "1_000", "１２",
     "١٢", "12%", "¥5", "1,000", "3.", ".5", "+7", "1e-400", "9" * 400, "None", "null",
     "true", "<script>alert(1)</script>", "=1+1", "../../etc/passwd", "\x00", "\ud800"]
)  # fmt: skip
JUNK = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**40), max_value=10**40),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=20),
        NUMBERISH,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["name", "price", "unit_cost", "cap", "share", "x"]), inner,
                        max_size=5),
    ),
    max_leaves=12,
)  # fmt: skip


def _raw(calc: Calculator[Any, Any]) -> st.SearchStrategy[dict[str, Any]]:
    names = [spec.name for spec in calc.fields()]
    keys = st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=10))
    return st.dictionaries(keys, JUNK, max_size=len(names) + 2)


def _finite(value: Any) -> bool:
    if value is None or isinstance(value, bool | str):
        return True
    if isinstance(value, int | float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(_finite(v) for v in value)
    return True


def _exercise(calc: Calculator[Any, Any], model: Any) -> None:
    """Everything the page does with valid inputs."""
    result = calc.run(model)
    assert _finite(result.model_dump()), result
    for lang in ("zh", "en"):
        calc.chart(model, result, lang)
        calc.compare_chart([Scenario("A", model, result), Scenario("B", model, result)], lang)
        for extra in calc.charts:
            extra.draw(model, result, lang)
        if calc.details is not None:
            calc.details(model, result, lang)
    calc.notes(model, result)
    calc_id, values = from_query(to_query(calc.id, model, "en"))
    assert parse(calc_id, values) == model


def _check(calc: Calculator[Any, Any], raw: dict[str, Any]) -> None:
    try:
        model = parse(calc.id, raw)
    except CalculatorInputError as exc:
        assert exc.problems
        for lang in ("zh", "en"):
            for message in exc.messages(lang):
                assert isinstance(message, str) and message.strip()
                assert "pydantic" not in message and "Traceback" not in message
        return
    _exercise(calc, model)


@pytest.mark.parametrize("calc_id", sorted(REGISTRY))
def test_any_raw_input_is_refused_or_computed(calc_id: str) -> None:
    calc = REGISTRY[calc_id]

    @FUZZ
    @given(_raw(calc))
    def run(raw: dict[str, Any]) -> None:
        _check(calc, raw)

    run()


HOSTILE_TEXT = [
    "", " ", "-0", "1e309", "-1e309", "nan", "NaN", "inf", "-inf", "0x10", "1_000", "１２", "١٢",
    "12%", "¥5", "1,000", "3.", ".5", "+7", "1e-400", "9" * 400, "-" + "9" * 400, "None", "null",
    "true", "[]", "{}", "[{}]", "[null]", '[{"name": "x", "price": 1e999}]', "[" * 5000,
    "<script>alert(1)</script>", "=1+1", "../../etc/passwd", "\x00", "\ud800", "x" * 10_000,
]  # fmt: skip


def _one_field(calc: Calculator[Any, Any], name: str, value: str) -> None:
    try:
        _cid, values = from_query({"calc": calc.id, name: value})
    except CalculatorInputError:
        return
    _check(calc, values)


@pytest.mark.parametrize("calc_id", sorted(REGISTRY))
def test_each_field_alone_takes_each_hostile_text(calc_id: str) -> None:
    """One field at a time, as a link or the CLI carries it (text), the rest at defaults."""
    calc = REGISTRY[calc_id]
    for spec in calc.fields():
        for value in HOSTILE_TEXT:
            _one_field(calc, spec.name, value)


@pytest.mark.parametrize("calc_id", sorted(REGISTRY))
def test_each_field_alone_takes_any_text(calc_id: str) -> None:
    calc = REGISTRY[calc_id]

    @FUZZ
    @given(st.sampled_from([spec.name for spec in calc.fields()]), st.text(max_size=40))
    def run(name: str, value: str) -> None:
        _one_field(calc, name, value)

    run()


@FUZZ
@given(st.dictionaries(st.text(max_size=12), st.text(max_size=40), max_size=6))
def test_any_query_string_opens_a_calculator_or_says_which_exist(params: dict[str, str]) -> None:
    try:
        calc_id, values = from_query(params)
    except UnknownCalculatorError as exc:
        assert "funnel" in exc.text("en")
        return
    except CalculatorInputError:
        return
    _check(REGISTRY[calc_id], values)


@pytest.mark.parametrize("calc_id", sorted(REGISTRY))
def test_the_bounds_themselves_compute(calc_id: str) -> None:
    """Every numeric field at its minimum and at its maximum (the rest at defaults)."""
    calc = REGISTRY[calc_id]
    for spec in calc.fields():
        if spec.kind not in ("int", "float"):
            continue
        for edge in (spec.minimum, spec.maximum):
            if edge is None or (edge == spec.minimum and spec.exclusive_minimum):
                continue
            value = int(edge) if spec.kind == "int" else edge
            _check(calc, {spec.name: value})
