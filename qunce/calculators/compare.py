"""Scenarios side by side: a table of results and inputs, one column per scenario."""

from __future__ import annotations

import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from qunce.calculators.base import (
    Calculator,
    FieldSpec,
    Label,
    Scenario,
    field_specs,
    format_value,
)
from qunce.calculators.errors import parse_inputs

MAX_COMPARED = 3

YES = Label("是", "yes")
NO = Label("否", "no")


@dataclass(frozen=True)
class Row:
    """One line of the comparison: a result or an input, its label, one text per scenario."""

    kind: str  # "result" or "input"
    field: str
    label: str
    values: list[str]
    differs: bool


def scenario(
    calc: Calculator[Any, Any], name: str, inputs: BaseModel | Mapping[str, Any]
) -> Scenario[Any, Any]:
    """A named scenario with its result; raw inputs are validated first."""
    model = (
        inputs
        if isinstance(inputs, calc.inputs)
        else parse_inputs(
            calc.inputs, inputs.model_dump() if isinstance(inputs, BaseModel) else inputs
        )
    )
    return Scenario(name=name, inputs=model, result=calc.compute(model))


def describe(spec: FieldSpec, value: Any, lang: str) -> str:
    """A field's value in words: "¥1,200", "30%", "Paid membership", "2 tiers: A ¥200 × 5,000; …"."""
    if value is None:
        return spec.none_text.get(lang) if spec.none_text is not None else "–"
    if isinstance(value, bool):
        return (YES if value else NO).get(lang)
    if spec.kind == "choice":
        return next((label.get(lang) for key, label in spec.choices if key == value), str(value))
    if spec.kind == "table":
        rows = [row.model_dump() if isinstance(row, BaseModel) else dict(row) for row in value]
        parts = []
        for row in rows:
            cap = row.get("cap")
            cap_text = f" × {cap:,}" if isinstance(cap, int) else ""
            parts.append(
                f"{row.get('name', '')} {format_value(row.get('price'), 'yuan', lang)}{cap_text}"
            )
        return "; ".join(parts)
    if isinstance(value, int | float):
        return format_value(float(value), spec.unit, lang)
    return str(value)


def scalar_results(calc: Calculator[Any, Any]) -> list[FieldSpec]:
    """Result fields that hold one figure (not series), headline first."""
    specs = {s.name: s for s in field_specs(calc.result)}
    scalar = [
        name
        for name, info in calc.result.model_fields.items()
        if typing.get_origin(info.annotation) is not list
    ]
    ordered = [n for n in calc.headline if n in scalar] + [
        n for n in scalar if n not in calc.headline
    ]
    return [specs[n] for n in ordered]


def rows(
    calc: Calculator[Any, Any], scenarios: Sequence[Scenario[Any, Any]], lang: str
) -> list[Row]:
    """The comparison table: results first, then inputs; `differs` marks where scenarios differ."""
    out: list[Row] = []
    for spec in scalar_results(calc):
        raw = [getattr(s.result, spec.name) for s in scenarios]
        values = [describe(spec, v, lang) for v in raw]
        out.append(Row("result", spec.name, spec.label.get(lang), values, len(set(values)) > 1))
    for spec in calc.fields():
        raw = [getattr(s.inputs, spec.name) for s in scenarios]
        values = [describe(spec, v, lang) for v in raw]
        out.append(Row("input", spec.name, spec.label.get(lang), values, len(set(values)) > 1))
    return out
