"""Scenarios as links: `?calc=<id>&<field>=<value>...&lang=..`, and case presets as such links.

Numbers are written as plain decimals ("0.3", "5000"), an empty optional value as "", and a
table (crowdfunding tiers) as compact JSON. `from_query` gives the values back as the link
carries them; `parse_inputs` (or `parse`) validates them, with field-naming messages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Protocol
from urllib.parse import urlencode

from pydantic import BaseModel

from qunce.calculators.base import FieldSpec, Inputs
from qunce.calculators.errors import UnknownCalculatorError, parse_inputs, parse_text
from qunce.calculators.registry import REGISTRY, get

PAGE_PATH = "calculators"


class _Preset(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def inputs(self) -> Mapping[str, Any]: ...


class HasPreset(Protocol):
    """Anything with an id and an optional calculator preset, like a content `Case`."""

    @property
    def id(self) -> str: ...

    @property
    def calculator(self) -> _Preset | None: ...


def _number(value: float | int) -> int | float:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def encode(spec: FieldSpec, value: Any) -> str:
    """One field's value as link text."""
    if value is None:
        return ""
    if spec.kind == "table":
        rows = [
            {
                k: _number(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
                for k, v in (row.model_dump() if isinstance(row, BaseModel) else dict(row)).items()
                if v is not None
            }
            for row in value
        ]
        return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(_number(value))
    return str(value)


def parse(calc_id: str, raw: Mapping[str, Any]) -> Inputs:
    """Validate raw values for calculator `calc_id` (CalculatorInputError names bad fields)."""
    inputs: Inputs = parse_inputs(get(calc_id).inputs, raw)
    return inputs


def to_query(
    calc_id: str, inputs: BaseModel | Mapping[str, Any], lang: str | None = None
) -> dict[str, str]:
    """The query parameters of a link that opens `calc_id` with these inputs (all fields).

    `inputs` is the calculator's input model or a mapping of some fields (the rest take their
    defaults; bad values raise CalculatorInputError).
    """
    calc = get(calc_id)
    model = inputs if isinstance(inputs, calc.inputs) else parse(calc_id, _as_mapping(inputs))
    params = {"calc": calc_id}
    for spec in calc.fields():
        params[spec.name] = encode(spec, getattr(model, spec.name))
    if lang is not None:
        params["lang"] = lang
    return params


def _as_mapping(inputs: BaseModel | Mapping[str, Any]) -> Mapping[str, Any]:
    return inputs.model_dump() if isinstance(inputs, BaseModel) else inputs


def _last(value: str | Sequence[str]) -> str:
    if isinstance(value, str):
        return value
    return value[-1] if value else ""


def from_query(params: Mapping[str, str | Sequence[str]]) -> tuple[str, dict[str, Any]]:
    """The calculator id and the input values a link carries (unvalidated; other params ignored).

    Raises UnknownCalculatorError when `calc` is missing or names no calculator.
    """
    calc_id = _last(params.get("calc", "")).strip()
    if calc_id not in REGISTRY:
        raise UnknownCalculatorError(calc_id, list(REGISTRY))
    calc = REGISTRY[calc_id]
    inputs = {
        spec.name: parse_text(spec, _last(params[spec.name]))
        for spec in calc.fields()
        if spec.name in params
    }
    return calc_id, inputs


def preset_inputs(case: HasPreset) -> tuple[str, Inputs]:
    """A case's calculator id and its validated preset inputs (defaults fill the rest).

    Raises ValueError when the case has no preset, CalculatorInputError when it is invalid.
    """
    preset = case.calculator
    if preset is None:
        raise ValueError("this case has no calculator preset")
    return preset.id, parse(preset.id, preset.inputs)


def preset_link(case: HasPreset, lang: str | None = None) -> dict[str, str]:
    """Query parameters that open the case's calculator preset ("open in calculator").

    `case` names the case, so the calculator can say which inputs are the case's own.
    """
    calc_id, inputs = preset_inputs(case)
    return {**to_query(calc_id, inputs, lang), "case": case.id}


def url(params: Mapping[str, str], base_url: str) -> str:
    """A full link to the calculators page with these parameters."""
    return f"{base_url.rstrip('/')}/{PAGE_PATH}?{urlencode(params)}"
