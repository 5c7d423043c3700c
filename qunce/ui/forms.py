"""Streamlit forms generated from a pydantic input model (the calculators' inputs).

Numbers become number inputs with the model's bounds, step, unit and help; a Literal becomes a
horizontal radio; a list of small records (crowdfunding tiers) becomes a table editor. Values
live in session state under `calc.<calculator>.<field>`, so links, presets and saved scenarios
fill the form through `load_values` before the widgets are drawn.

A value from a link that lies outside the bounds is kept and shown (the widget is drawn without
bounds for it) next to a message naming the field and the allowed range; Streamlit would
otherwise reset it silently to the default.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import BaseModel

from qunce.calculators.base import Calculator, FieldSpec, SourceNote, format_value
from qunce.calculators.compare import describe
from qunce.calculators.errors import (
    CalculatorInputError,
    InputProblem,
    parse_inputs,
)
from qunce.ui.i18n import lang, tr

MAX_SAFE = 2**53 - 1


@dataclass
class FormOutcome:
    """What the form holds: raw values, the validated inputs (None if invalid) and the problems."""

    raw: dict[str, Any]
    inputs: BaseModel | None
    problems: list[InputProblem] = field(default_factory=list)


def field_key(calc_id: str, name: str) -> str:
    """The session-state / widget key of one field: "calc.funnel.reach"."""
    return f"calc.{calc_id}.{name}"


def _data_key(calc_id: str, name: str) -> str:
    return f"{field_key(calc_id, name)}.data"


def _notice_key(calc_id: str) -> str:
    return f"calc.{calc_id}._notices"


def _store_key(calc_id: str) -> str:
    # Streamlit forgets a widget's state once a run does not draw it (another calculator was
    # picked), so the values are also kept here, under a key no widget owns.
    return f"calc.{calc_id}._values"


def _as_number(spec: FieldSpec, value: Any) -> int | float | None:
    """A value the number widget can hold, or None when it is no number at all."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    if not math.isfinite(number) or abs(number) > MAX_SAFE:
        return None
    if spec.kind == "int":
        return int(number) if number.is_integer() else None
    return number


def _rows(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        return []
    out = []
    for row in value:
        if isinstance(row, BaseModel):
            out.append(row.model_dump())
        elif isinstance(row, Mapping):
            out.append(dict(row))
    return out


def load_values(calc: Calculator[Any, Any], values: Mapping[str, Any]) -> list[InputProblem]:
    """Fill the form with `values` (others take their defaults); call before the widgets run.

    Returns the problems of values the widgets cannot hold (text where a number belongs, an
    unknown option); those fields get their default instead, and the form says so.
    """
    dropped: list[InputProblem] = []
    try:
        parse_inputs(calc.inputs, values)
        known: list[InputProblem] = []
    except CalculatorInputError as error:
        known = error.problems
    by_field = {p.field: p for p in known}
    kept: dict[str, Any] = {}
    for spec in calc.fields():
        key = field_key(calc.id, spec.name)
        value = values.get(spec.name, spec.default)
        if spec.kind == "table":
            rows = _rows(value) or _rows(spec.default)
            st.session_state[_data_key(calc.id, spec.name)] = rows
            st.session_state.pop(key, None)
            kept[spec.name] = rows
            continue
        if spec.kind == "choice":
            options = [k for k, _ in spec.choices]
            if value not in options:
                if spec.name in by_field:
                    dropped.append(by_field[spec.name])
                value = spec.default
            st.session_state[key] = kept[spec.name] = value
            continue
        number = _as_number(spec, value)
        if number is None:
            if spec.name in by_field:
                dropped.append(by_field[spec.name])
            number = _as_number(spec, spec.default)
        st.session_state[key] = kept[spec.name] = number
    st.session_state[_store_key(calc.id)] = kept
    st.session_state[_notice_key(calc.id)] = dropped
    return dropped


def ensure_values(calc: Calculator[Any, Any]) -> None:
    """Initialise the form with the defaults once per session; restore what Streamlit dropped."""
    kept = st.session_state.get(_store_key(calc.id))
    if not isinstance(kept, dict):
        load_values(calc, {})
        return
    for spec in calc.fields():
        key = field_key(calc.id, spec.name)
        if key in st.session_state or spec.name not in kept:
            continue
        if spec.kind == "table":
            st.session_state[_data_key(calc.id, spec.name)] = kept[spec.name]
        else:
            st.session_state[key] = kept[spec.name]


def _source_caption(spec: FieldSpec, lang_code: str) -> str | None:
    note: SourceNote | None = spec.source
    if note is None:
        return None
    text = note.text.get(lang_code)
    if spec.kind != "table":
        default = describe(spec, spec.default, lang_code)
        text = tr(f"默认 {default}", f"Default {default}") + " · " + text
    if note.url:
        href = note.url if note.url.startswith("http") else f"https://{note.url}"
        return f"{text} · [{tr('来源', 'source')}]({href})"
    return text


def _number_input(calc: Calculator[Any, Any], spec: FieldSpec, lang_code: str) -> Any:
    key = field_key(calc.id, spec.name)
    current = st.session_state.get(key)
    whole = spec.kind == "int"
    in_range = current is not None and spec.contains(float(current))

    def cast(x: float | None) -> int | float | None:
        if x is None:
            return None
        return int(x) if whole else float(x)

    step = spec.step if spec.step is not None else (1 if whole else 0.01)
    kwargs: dict[str, Any] = {
        "label": spec.title(lang_code),
        "key": key,
        "help": spec.help.get(lang_code) or None,
        "step": int(step) if whole else float(step),
        "format": "%d" if whole else ("%.0f" if step >= 100 else "%.2f"),
    }
    if in_range:
        # Bounds only while the value respects them: Streamlit would reset a value outside them.
        kwargs["min_value"] = cast(spec.minimum)
        kwargs["max_value"] = cast(spec.maximum)
    return st.number_input(**kwargs)


def _choice_input(calc: Calculator[Any, Any], spec: FieldSpec, lang_code: str) -> Any:
    labels = dict(spec.choices)
    return st.radio(
        spec.title(lang_code),
        options=[k for k, _ in spec.choices],
        format_func=lambda k: labels[k].get(lang_code) if k in labels else str(k),
        key=field_key(calc.id, spec.name),
        help=spec.help.get(lang_code) or None,
        horizontal=True,
    )


def _column(spec: FieldSpec, lang_code: str) -> Any:
    title = spec.title(lang_code)
    help_text = spec.help.get(lang_code) or None
    if spec.kind == "text":
        return st.column_config.TextColumn(title, help=help_text, required=True, max_chars=40)
    whole = spec.kind == "int"
    return st.column_config.NumberColumn(
        title,
        help=help_text,
        width="small",
        min_value=spec.minimum,
        max_value=spec.maximum,
        step=spec.step or (1 if whole else 0.01),
        format="%d" if whole else "%.2f",
        required=not spec.optional,
    )


def _clean(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars from the editor
        return _clean(value.item())
    return value


def _table_input(
    calc: Calculator[Any, Any], spec: FieldSpec, lang_code: str
) -> list[dict[str, Any]]:
    names = [c.name for c in spec.columns]
    rows = st.session_state.get(_data_key(calc.id, spec.name)) or []
    frame = pd.DataFrame([{n: row.get(n) for n in names} for row in rows], columns=names)
    for column in spec.columns:
        if column.kind in ("int", "float"):
            frame[column.name] = pd.to_numeric(frame[column.name], errors="coerce").astype(
                "float64"
            )
    st.markdown(f"**{spec.title(lang_code)}**", help=spec.help.get(lang_code) or None)
    edited = st.data_editor(
        frame,
        key=field_key(calc.id, spec.name),
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={c.name: _column(c, lang_code) for c in spec.columns},
    )
    out = []
    for record in edited.to_dict("records"):
        row = {n: _clean(record.get(n)) for n in names}
        if all(v is None or v == "" for v in row.values()):
            continue
        for column in spec.columns:
            value = row.get(column.name)
            if column.kind == "int" and isinstance(value, float) and value.is_integer():
                row[column.name] = int(value)
        out.append(row)
    return out


def input_form(calc: Calculator[Any, Any], *, show_sources: bool = True) -> FormOutcome:
    """Draw the calculator's inputs and validate them; problems show next to their fields."""
    ensure_values(calc)
    lang_code = lang()
    notices: list[InputProblem] = st.session_state.get(_notice_key(calc.id)) or []
    if notices:
        st.warning(
            tr(
                "链接里有些值无法使用，已换成默认值：",
                "Some values in the link could not be used and were replaced by defaults:",
            )
            + "\n\n"
            + "\n".join(f"- {escape_markdown(p.text(lang_code))}" for p in notices)
        )
    raw: dict[str, Any] = {}
    slots: dict[str, Any] = {}
    for spec in calc.fields():
        if spec.kind == "table":
            raw[spec.name] = _table_input(calc, spec, lang_code)
        elif spec.kind == "choice":
            raw[spec.name] = _choice_input(calc, spec, lang_code)
        else:
            raw[spec.name] = _number_input(calc, spec, lang_code)
        slots[spec.name] = st.empty()
        if show_sources:
            caption = _source_caption(spec, lang_code)
            if caption:
                st.caption(caption)
    st.session_state[_store_key(calc.id)] = dict(raw)
    try:
        inputs = parse_inputs(calc.inputs, raw)
        problems: list[InputProblem] = []
    except CalculatorInputError as error:
        inputs, problems = None, error.problems
    for p in problems:
        top = p.field.split("[")[0].split(".")[0]
        slot = slots.get(top)
        if slot is not None:
            slot.error(escape_markdown(p.text(lang_code)), icon="⚠️")
    return FormOutcome(raw=raw, inputs=inputs, problems=problems)


# Enough to stop links, images, emphasis, code, HTML-looking text and LaTeX from forming.
_MARKDOWN_SPECIALS = "\\`*_{}[]()#!|<>~$"


def escape_markdown(text: str) -> str:
    """Text that Streamlit's markdown shows literally (user-typed names never become markup)."""
    return "".join(f"\\{ch}" if ch in _MARKDOWN_SPECIALS else ch for ch in text)


def problem_summary(problems: Sequence[InputProblem]) -> str:
    """One line saying how many fields need fixing."""
    n = len(problems)
    return tr(
        f"有 {n} 处输入需要修改，改好后显示结果。",
        f"{n} input{'s' if n != 1 else ''} to fix before the results show.",
    )


def unit_value(value: float | None, unit: str) -> str:
    """A figure with its unit in the UI language."""
    return format_value(value, unit, lang())
