"""Bad calculator input turned into messages people can act on, shared by the CLI and the UI.

Every message names the field (its label and its name) and says what is allowed, e.g.
"入群率（join_rate）：应为 0% 到 100% 之间的数，现在是 150。" /
"Join rate (join_rate): must be a number from 0% to 100%; got 150."
Pydantic's `ValidationError` never reaches a user: `parse_inputs` raises `CalculatorInputError`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from qunce.calculators.base import FieldSpec, Label, field_specs, format_plain

ModelT = TypeVar("ModelT", bound=BaseModel)

INCONSISTENT = "qunce_inconsistent"


@dataclass(frozen=True)
class InputProblem:
    """One problem with one field: where it is, and what to do about it."""

    field: str
    label: Label
    detail: Label

    def text(self, lang: str) -> str:
        """The whole message in `lang`."""
        if lang == "en":
            return f"{self.label.en} ({self.field}): {self.detail.en}"
        return f"{self.label.zh}（{self.field}）：{self.detail.zh}"


class CalculatorInputError(ValueError):
    """Inputs a calculator cannot use; `problems` says which fields and why."""

    def __init__(self, problems: Sequence[InputProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(p.text("en") for p in self.problems))

    def messages(self, lang: str) -> list[str]:
        """One message per problem, in `lang`."""
        return [p.text(lang) for p in self.problems]


class UnknownCalculatorError(KeyError):
    """A calculator id that the registry does not know."""

    def __init__(self, calc_id: str, known: Sequence[str]) -> None:
        self.calc_id = calc_id
        self.known = list(known)
        super().__init__(calc_id)

    def text(self, lang: str) -> str:
        """The message in `lang`, listing the known ids."""
        known = ", ".join(self.known)
        if lang == "en":
            return f"There is no calculator {self.calc_id!r}; choose one of: {known}."
        return f"没有名为 {self.calc_id!r} 的计算器；可选：{known}。"


def inconsistent(field: str, zh: str, en: str) -> PydanticCustomError:
    """An error for a model validator: `field` contradicts another field (messages say how)."""
    return PydanticCustomError(INCONSISTENT, "{en}", {"field": field, "zh": zh, "en": en})


def problem(spec: FieldSpec | None, path: str, zh: str, en: str) -> InputProblem:
    """A problem with the field `path`, labelled from its spec when there is one."""
    label = spec.label if spec is not None else Label(path, path)
    return InputProblem(field=path, label=label, detail=Label(zh, en))


def _shown(value: Any) -> str:
    if isinstance(value, str):
        try:
            float(value)
        except (ValueError, OverflowError):
            return repr(value if len(value) <= 40 else value[:37] + "...")
        return value.strip()[:40]
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        try:
            return format_plain(value)
        except (OverflowError, ValueError):  # a 400-digit integer cannot become a float
            text = str(value)
            return text if len(text) <= 40 else text[:37] + "..."
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _locate(
    specs: Sequence[FieldSpec], loc: Sequence[str | int]
) -> tuple[FieldSpec | None, str, Label | None]:
    """The spec at `loc`, its dotted path ("tiers[1].price") and the row context, if any."""
    if not loc:
        return None, "", None
    by_name = {s.name: s for s in specs}
    top = by_name.get(str(loc[0]))
    if top is None or len(loc) == 1:
        return top, str(loc[0]), None
    if top.kind == "table" and isinstance(loc[1], int):
        row = loc[1]
        path = f"{top.name}[{row}]"
        context = Label(f"{top.label.zh}第 {row + 1} 行", f"{top.label.en}, row {row + 1}")
        if len(loc) >= 3:
            columns = {c.name: c for c in top.columns}
            column = columns.get(str(loc[2]))
            return column, f"{path}.{loc[2]}", context
        return top, path, context
    return top, ".".join(str(p) for p in loc), None


def problems_from(error: ValidationError, model: type[BaseModel]) -> list[InputProblem]:
    """Translate pydantic's errors on `model` into InputProblems, one per field at most."""
    specs = field_specs(model)
    out: list[InputProblem] = []
    seen: set[str] = set()
    for item in error.errors(include_url=False):
        kind = item["type"]
        ctx = item.get("ctx") or {}
        if kind == INCONSISTENT:
            name = str(ctx["field"])
            spec = next((s for s in specs if s.name == name), None)
            found = problem(spec, name, str(ctx["zh"]), str(ctx["en"]))
        else:
            found = _translate(specs, item["loc"], kind, item.get("input"), ctx, item["msg"])
        if found.field in seen:
            continue
        seen.add(found.field)
        out.append(found)
    return out


def _translate(
    specs: Sequence[FieldSpec],
    loc: Sequence[str | int],
    kind: str,
    value: Any,
    ctx: Mapping[str, Any],
    msg: str,
) -> InputProblem:
    spec, path, context = _locate(specs, loc)
    if kind == "extra_forbidden":
        known = ", ".join(s.name for s in specs)
        return InputProblem(
            field=path,
            label=Label(path, path),
            detail=Label(
                f"不是这个计算器的字段；可用字段：{known}。",
                f"is not a field here; known fields: {known}.",
            ),
        )
    if spec is None:
        return problem(None, path or "inputs", f"输入有误：{msg}。", f"invalid input: {msg}.")
    label = spec.label
    if context is not None and spec.kind != "table":
        label = Label(f"{context.zh} · {spec.label.zh}", f"{context.en} · {spec.label.en}")
    allowed = Label(spec.range_text("zh"), spec.range_text("en"))

    def said(zh: str, en: str) -> InputProblem:
        return InputProblem(field=path, label=label, detail=Label(zh, en))

    if kind == "missing":
        return said(f"缺少这个值；请填写 {allowed.zh}。", f"is missing; enter {allowed.en}.")
    if value is None or (isinstance(value, str) and not value.strip()):
        if spec.kind == "table":
            return said(f"不能为空；需要 {allowed.zh}。", f"is empty; it needs {allowed.en}.")
        return said(f"不能为空；请填写 {allowed.zh}。", f"is empty; enter {allowed.en}.")
    shown = _shown(value)
    if kind == "literal_error":
        return said(f"应为 {allowed.zh}，现在是 {shown}。", f"must be {allowed.en}; got {shown}.")
    if spec.kind == "table":
        if kind in ("too_short", "too_long"):
            count = len(value) if isinstance(value, Sequence) else 0
            return said(
                f"需要 {allowed.zh}，现在有 {count} 行。", f"needs {allowed.en}; got {count}."
            )
        columns = ", ".join(c.name for c in spec.columns)
        return said(
            f"应为若干行，每行包含 {columns}（JSON 列表），现在是 {shown}。",
            f"must be a list of rows with {columns} (a JSON list); got {shown}.",
        )
    if spec.kind == "text":
        return said(f"应为 {allowed.zh}，现在是 {shown}。", f"must be {allowed.en}; got {shown}.")
    return said(f"应为 {allowed.zh}，现在是 {shown}。", f"must be {allowed.en}; got {shown}.")


def parse_inputs(model: type[ModelT], raw: Mapping[str, Any]) -> ModelT:
    """Validate raw values (numbers or text) into `model`, or raise CalculatorInputError."""
    try:
        return model.model_validate(dict(raw))
    except ValidationError as error:
        raise CalculatorInputError(problems_from(error, model)) from None


def parse_text(spec: FieldSpec, text: str) -> Any:
    """Turn a value typed on a command line or carried in a link into what the model expects.

    Numbers stay text (pydantic parses them and reports bad ones with the field's range); a
    table is JSON; an empty optional value means "none".
    """
    value = text.strip()
    if spec.kind == "table":
        if not value:
            return []
        try:
            return json.loads(value)
        # not JSON, nested too deep, or an integer longer than Python converts (4,300 digits):
        # the model then reports "expected a list" with the field's name
        except (ValueError, RecursionError):
            return value
    if spec.optional and value.lower() in ("", "none", "null", "-"):
        return None
    return value
