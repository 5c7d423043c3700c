"""Hypothesis strategies for valid calculator inputs, built from the input models' own bounds."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from qunce.calculators.base import Calculator, FieldSpec


def value(spec: FieldSpec) -> st.SearchStrategy[Any]:
    """Any value the field accepts (consistency between fields aside)."""
    if spec.kind == "choice":
        return st.sampled_from([key for key, _ in spec.choices])
    if spec.kind == "text":
        return st.text(alphabet="abc早鸟会员 ", min_size=1, max_size=12).filter(
            lambda s: s.strip() != ""
        )
    if spec.kind == "table":
        return tiers()
    low = spec.minimum if spec.minimum is not None else 0.0
    high = spec.maximum if spec.maximum is not None else 1e9
    if spec.kind == "int":
        start = int(low) + (1 if spec.exclusive_minimum else 0)
        whole = st.integers(min_value=start, max_value=int(high))
        return st.one_of(st.none(), whole) if spec.optional else whole
    number = st.floats(
        min_value=low,
        max_value=high,
        exclude_min=spec.exclusive_minimum,
        allow_nan=False,
        allow_infinity=False,
    )
    return st.one_of(st.none(), number) if spec.optional else number


@st.composite
def tiers(draw: st.DrawFn) -> list[dict[str, Any]]:
    """One to four tiers with distinct names; shares mostly left out."""
    count = draw(st.integers(min_value=1, max_value=4))
    rows = []
    for n in range(count):
        rows.append(
            {
                "name": f"T{n}",
                "price": draw(st.floats(min_value=0.01, max_value=1_000_000, allow_nan=False)),
                "unit_cost": draw(st.floats(min_value=0, max_value=1_000_000, allow_nan=False)),
                "cap": draw(st.one_of(st.none(), st.integers(min_value=1, max_value=100_000_000))),
            }
        )
    if draw(st.booleans()):
        left = 100.0
        for row in rows[:-1]:
            share = draw(st.floats(min_value=0, max_value=left))
            row["share"] = share
            left -= share
    return rows


def inputs(calc: Calculator[Any, Any], **fixed: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Valid inputs of `calc`: every field drawn within its bounds, inconsistent draws dropped."""
    fields = {spec.name: fixed.get(spec.name, value(spec)) for spec in calc.fields()}

    def build(raw: dict[str, Any]) -> Any:
        try:
            return calc.inputs.model_validate(raw)
        except ValueError:
            return None

    return st.fixed_dictionaries(fields).map(build).filter(lambda m: m is not None)


@st.composite
def health_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Consistent health counts: DAU ≤ MAU ≤ members, contributors ≤ MAU."""
    members = draw(st.integers(min_value=1, max_value=2_000_000_000))
    monthly = draw(st.integers(min_value=0, max_value=members))
    daily = draw(st.integers(min_value=0, max_value=monthly))
    contributors = draw(st.integers(min_value=0, max_value=monthly))
    messages = draw(st.floats(min_value=0, max_value=10_000_000)) if daily else 0.0
    minutes = draw(st.floats(min_value=0, max_value=100_000))
    return {
        "members": members,
        "monthly_active": monthly,
        "daily_active": daily,
        "contributors_per_month": contributors,
        "messages_per_day": messages,
        "response_minutes": minutes,
    }
