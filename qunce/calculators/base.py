"""What every calculator is made of: labelled fields with bounds and sources, and the registry entry.

An input model declares each field once with `number(...)`, `rate(...)` or `choice(...)`: its
bounds go to pydantic (`ge`/`le`), and its labels, help, unit and the default's source go to
`json_schema_extra`. The form, the CLI, the error messages and the share links all read the field
from there through `field_specs()`, so a bound or a label is written in exactly one place.
"""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar, cast

import annotated_types
from pydantic import BaseModel, ConfigDict, Field
from pydantic.fields import FieldInfo

Lang = Literal["zh", "en"]
Kind = Literal["float", "int", "choice", "table", "series", "text"]


@dataclass(frozen=True)
class Label:
    """A short text in both languages."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        """The text in `lang` ("zh" or "en"; anything else means zh)."""
        return self.en if lang == "en" else self.zh

    def as_dict(self) -> dict[str, str]:
        """{"zh": ..., "en": ...} for JSON."""
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class SourceNote:
    """Where a default figure comes from: a public source, or an illustration to be replaced."""

    text: Label
    url: str | None = None
    illustration: bool = False

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able form for `json_schema_extra`."""
        return {"text": self.text.as_dict(), "url": self.url, "illustration": self.illustration}


ILLUSTRATION = SourceNote(
    Label("示例值，无公开来源：换成你自己的数字", "illustration, no public source: use your own"),
    illustration=True,
)


def source(zh: str, en: str, url: str | None = None) -> SourceNote:
    """A default figure's public source (see shared CASE_FACTS.md)."""
    return SourceNote(Label(zh, en), url=url)


# Units the fields and results use, with their labels; "" means a plain count.
UNITS: dict[str, Label] = {
    "yuan": Label("元", "¥"),
    "percent": Label("%", "%"),
    "people": Label("人", "people"),
    "months": Label("个月", "months"),
    "days": Label("天", "days"),
    "minutes": Label("分钟", "minutes"),
    "groups": Label("个群", "groups"),
    "orders": Label("单", "orders"),
    "per_month": Label("次/月", "per month"),
    "per_day": Label("条/天", "per day"),
    "ratio": Label("倍", "×"),
    "score": Label("分", "points"),
    "": Label("", ""),
}


def _extra(
    zh: str,
    en: str,
    help_zh: str,
    help_en: str,
    unit: str,
    step: float | None,
    src: SourceNote | None,
    choices: Mapping[str, Label] | None = None,
) -> dict[str, Any]:
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; known: {', '.join(UNITS)}")
    extra: dict[str, Any] = {
        "label": {"zh": zh, "en": en},
        "help": {"zh": help_zh, "en": help_en},
        "unit": unit,
    }
    if step is not None:
        extra["step"] = step
    if src is not None:
        extra["source"] = src.as_dict()
    if choices is not None:
        extra["choices"] = {key: label.as_dict() for key, label in choices.items()}
    return extra


def number(
    default: Any,
    *,
    zh: str,
    en: str,
    help_zh: str,
    help_en: str,
    unit: str = "",
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    step: float | None = None,
    source: SourceNote | None = None,
    default_factory: Callable[[], Any] | None = None,
) -> Any:
    """A numeric input field: default, bounds, labels, help, unit and the default's source."""
    extra = _extra(zh, en, help_zh, help_en, unit, step, source)
    if default_factory is not None:
        return Field(
            default_factory=default_factory,
            ge=ge,
            le=le,
            gt=gt,
            description=help_en,
            json_schema_extra=extra,
        )
    return Field(default, ge=ge, le=le, gt=gt, description=help_en, json_schema_extra=extra)


def rate(
    default: float,
    *,
    zh: str,
    en: str,
    help_zh: str,
    help_en: str,
    source: SourceNote | None = None,
    step: float = 0.5,
    ge: float = 0,
) -> Any:
    """A percentage field, 0–100."""
    return number(
        default,
        zh=zh,
        en=en,
        help_zh=help_zh,
        help_en=help_en,
        unit="percent",
        ge=ge,
        le=100,
        step=step,
        source=source,
    )


def choice(
    default: str, *, zh: str, en: str, help_zh: str, help_en: str, choices: Mapping[str, Label]
) -> Any:
    """A field picked from a few named options (declare it as a Literal)."""
    extra = _extra(zh, en, help_zh, help_en, "", None, None, choices)
    return Field(default, description=help_en, json_schema_extra=extra)


def table(
    default_factory: Callable[[], Any],
    *,
    zh: str,
    en: str,
    help_zh: str,
    help_en: str,
    min_length: int = 1,
    max_length: int = 10,
    source: SourceNote | None = None,
) -> Any:
    """A list of small records (like reward tiers), edited as a table."""
    extra = _extra(zh, en, help_zh, help_en, "", None, source)
    return Field(
        default_factory=default_factory,
        min_length=min_length,
        max_length=max_length,
        description=help_en,
        json_schema_extra=extra,
    )


def out(
    zh: str,
    en: str,
    unit: str = "",
    help_zh: str = "",
    help_en: str = "",
    none: Label | None = None,
) -> Any:
    """A result field: its label and unit, so results render without per-calculator code.

    `none` says what an empty value means ("never"); without it an empty figure is not shown.
    """
    extra = _extra(zh, en, help_zh, help_en, unit, None, None)
    if none is not None:
        extra["none"] = none.as_dict()
    return Field(json_schema_extra=extra)


class Inputs(BaseModel):
    """Base of every calculator's input model: unknown fields are refused, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Outputs(BaseModel):
    """Base of every calculator's result model."""

    model_config = ConfigDict(frozen=True)


@dataclass(frozen=True)
class FieldSpec:
    """Everything a form, a CLI or an error message needs to know about one input field."""

    name: str
    kind: Kind
    label: Label
    help: Label
    unit: str
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    step: float | None = None
    optional: bool = False
    choices: tuple[tuple[str, Label], ...] = ()
    source: SourceNote | None = None
    columns: tuple[FieldSpec, ...] = ()
    min_items: int | None = None
    max_items: int | None = None
    none_text: Label | None = None

    def unit_label(self, lang: str) -> str:
        """The unit in `lang` ("" for plain counts)."""
        return UNITS[self.unit].get(lang)

    def title(self, lang: str) -> str:
        """The label with its unit: "Order value (¥)" (labels that say it already get none)."""
        unit = self.unit_label(lang)
        if not unit or self.unit in ("people", "per_day", "per_month"):
            return self.label.get(lang)
        return (
            f"{self.label.get(lang)}（{unit}）"
            if lang == "zh"
            else f"{self.label.get(lang)} ({unit})"
        )

    def range_text(self, lang: str) -> str:
        """The allowed values in words: "a number from 0% to 100%", "reward or membership"."""
        if self.kind == "choice":
            sep = " 或 " if lang == "zh" else " or "
            return sep.join(key for key, _ in self.choices)
        if self.kind == "text":
            fewest, most = self.min_items or 0, self.max_items
            if lang == "zh":
                return f"{fewest} 到 {most} 个字的文字" if most is not None else "一段文字"
            return f"text of {fewest} to {most} characters" if most is not None else "text"
        if self.kind == "table":
            fewest, most = self.min_items or 0, self.max_items
            if lang == "zh":
                return f"{fewest} 到 {most} 行" if most is not None else f"至少 {fewest} 行"
            return f"{fewest} to {most} rows" if most is not None else f"at least {fewest} rows"
        symbol = self.unit in ("yuan", "percent", "ratio")
        low: str | None = None
        high: str | None = None
        if self.minimum is not None:
            low = format_plain(self.minimum)
            if symbol or self.maximum is None:
                low = with_unit(low, self.unit, lang)
        if self.maximum is not None:
            high = with_unit(format_plain(self.maximum), self.unit, lang)
        whole = self.kind == "int"
        if lang == "zh":
            kind = "整数" if whole else "数"
            if low is not None and high is not None:
                if self.exclusive_minimum:
                    return f"大于 {low} 且不超过 {high} 的{kind}"
                return (
                    f"{low} 到 {high}之间的{kind}"
                    if not symbol
                    else f"{low} 到 {high} 之间的{kind}"
                )
            if low is not None:
                return f"{'大于' if self.exclusive_minimum else '不小于'} {low} 的{kind}"
            return kind
        kind = "a whole number" if whole else "a number"
        if low is not None and high is not None:
            if self.exclusive_minimum:
                return f"{kind} above {low} and at most {high}"
            return f"{kind} from {low} to {high}"
        if low is not None:
            return f"{kind} {'above' if self.exclusive_minimum else 'of at least'} {low}"
        return kind

    def contains(self, value: float) -> bool:
        """Whether a number lies within this field's bounds."""
        if not math.isfinite(value):
            return False
        if self.minimum is not None and (
            value < self.minimum or (self.exclusive_minimum and value == self.minimum)
        ):
            return False
        return not (self.maximum is not None and value > self.maximum)


def with_unit(text: str, unit: str, lang: str) -> str:
    """Attach a unit to a formatted number: "¥1,200", "12.5%", "3 个月", "3 months"."""
    if unit == "yuan":
        return f"¥{text}"
    if unit == "percent":
        return f"{text}%"
    if unit == "ratio":
        return f"{text}×"
    if unit == "score" and lang == "en":
        return f"{text}/100"
    label = UNITS.get(unit, UNITS[""]).get(lang)
    if not label:
        return text
    return f"{text} {label}"


def format_value(value: float | None, unit: str, lang: str) -> str:
    """A result figure for people: rounded to what matters, with its unit ("–" when undefined)."""
    if value is None or not math.isfinite(value):
        return "–"
    magnitude = abs(value)
    if unit == "yuan":
        digits = 0 if magnitude >= 100 else 2
    elif unit in ("percent", "months", "days", "minutes", "per_month", "per_day"):
        digits = 1
    elif unit == "ratio":
        digits = 2
    elif unit == "score":
        digits = 0
    else:
        digits = 0 if magnitude >= 100 or float(value).is_integer() else 1
    text = f"{abs(value):,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    negative = value < 0 and text.strip("0.,") != ""
    # The sign goes before the currency: "−¥1,268", not "¥-1,268".
    return ("−" if negative else "") + with_unit(text or "0", unit, lang)


def format_range(low: float, high: float, unit: str, lang: str) -> str:
    """A range with its unit once where it is a word: "10%–30%", "1–3 条/天", "30–120 minutes"."""
    if unit in ("yuan", "percent", "ratio"):
        return f"{format_value(low, unit, lang)}–{format_value(high, unit, lang)}"
    return with_unit(f"{format_value(low, '', lang)}–{format_value(high, '', lang)}", unit, lang)


def format_plain(value: float | None) -> str:
    """A number without trailing zeros, with thousands separators: 1600000 → "1,600,000"."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.2f}"


def _label(extra: Mapping[str, Any], key: str, fallback: str) -> Label:
    raw = extra.get(key)
    if isinstance(raw, Mapping):
        return Label(str(raw.get("zh", fallback)), str(raw.get("en", fallback)))
    return Label(fallback, fallback)


def _source(extra: Mapping[str, Any]) -> SourceNote | None:
    raw = extra.get("source")
    if not isinstance(raw, Mapping):
        return None
    text = cast(Mapping[str, str], raw["text"])
    return SourceNote(
        Label(text["zh"], text["en"]),
        url=raw.get("url"),
        illustration=bool(raw.get("illustration")),
    )


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def spec_of(name: str, info: FieldInfo) -> FieldSpec:
    """The FieldSpec of one pydantic field."""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, Mapping) else {}
    annotation, optional = _unwrap_optional(info.annotation)
    origin = typing.get_origin(annotation)
    kind: Kind
    choices: tuple[tuple[str, Label], ...] = ()
    columns: tuple[FieldSpec, ...] = ()
    if origin is Literal:
        kind = "choice"
        labels = extra.get("choices")
        labels = labels if isinstance(labels, Mapping) else {}
        choices = tuple(
            (str(key), _label(labels, str(key), str(key))) for key in typing.get_args(annotation)
        )
    elif origin is list:
        (item_type,) = typing.get_args(annotation)
        if isinstance(item_type, type) and issubclass(item_type, BaseModel):
            kind = "table"
            columns = tuple(field_specs(item_type))
        else:
            kind = "series"
    elif annotation is int:
        kind = "int"
    elif annotation is float:
        kind = "float"
    else:
        kind = "text"
    minimum: float | None = None
    maximum: float | None = None
    exclusive = False
    min_items: int | None = None
    max_items: int | None = None
    for meta in info.metadata:
        if isinstance(meta, annotated_types.Ge):
            minimum = float(cast(float, meta.ge))
        elif isinstance(meta, annotated_types.Gt):
            minimum, exclusive = float(cast(float, meta.gt)), True
        elif isinstance(meta, annotated_types.Le):
            maximum = float(cast(float, meta.le))
        elif isinstance(meta, annotated_types.MinLen):
            min_items = meta.min_length
        elif isinstance(meta, annotated_types.MaxLen):
            max_items = meta.max_length
    default = None if info.is_required() else info.get_default(call_default_factory=True)
    if isinstance(default, list):
        default = [d.model_dump() if isinstance(d, BaseModel) else d for d in default]
    step = extra.get("step")
    return FieldSpec(
        name=name,
        kind=kind,
        label=_label(extra, "label", name),
        help=_label(extra, "help", ""),
        unit=str(extra.get("unit", "")),
        default=default,
        minimum=minimum,
        maximum=maximum,
        exclusive_minimum=exclusive,
        step=float(step) if isinstance(step, int | float) else None,
        optional=optional,
        choices=choices,
        source=_source(extra),
        columns=columns,
        min_items=min_items,
        max_items=max_items,
        none_text=_label(extra, "none", "") if "none" in extra else None,
    )


def field_specs(model: type[BaseModel]) -> list[FieldSpec]:
    """The FieldSpecs of a model's fields, in declaration order."""
    return [spec_of(name, info) for name, info in model.model_fields.items()]


@dataclass(frozen=True)
class Note:
    """A remark on a result: a caveat, a rule of thumb missed, or a playbook worth opening."""

    text: Label
    level: Literal["info", "warning"] = "info"
    playbooks: tuple[str, ...] = ()


InputsT = TypeVar("InputsT", bound=Inputs)
ResultT = TypeVar("ResultT", bound=Outputs)


@dataclass(frozen=True)
class Scenario(Generic[InputsT, ResultT]):
    """A named set of inputs with its computed result, for comparing side by side."""

    name: str
    inputs: InputsT
    result: ResultT


ChartFn = Callable[[Any, Any, str], Any]
CompareChartFn = Callable[[Sequence[Scenario[Any, Any]], str], Any]


@dataclass(frozen=True)
class Chart:
    """An extra chart a calculator offers besides its main one."""

    title: Label
    draw: ChartFn


@dataclass(frozen=True)
class Calculator(Generic[InputsT, ResultT]):
    """A registry entry: what the calculator is, which book sections it serves, how it computes."""

    id: str
    title: Label
    summary: Label
    sections: tuple[str, ...]
    inputs: type[InputsT]
    result: type[ResultT]
    compute: Callable[[InputsT], ResultT]
    chart: Callable[[InputsT, ResultT, str], Any]
    compare_chart: Callable[[Sequence[Scenario[InputsT, ResultT]], str], Any]
    headline: tuple[str, ...]
    method: Label
    notes: Callable[[InputsT, ResultT], list[Note]] = lambda _i, _r: []
    charts: tuple[Chart, ...] = field(default_factory=tuple)
    details: Callable[[InputsT, ResultT, str], list[dict[str, str]]] | None = None

    def fields(self) -> list[FieldSpec]:
        """The input fields, in form order."""
        return field_specs(self.inputs)

    def field(self, name: str) -> FieldSpec:
        """One input field by name (KeyError if there is none)."""
        for spec in self.fields():
            if spec.name == name:
                return spec
        raise KeyError(name)

    def defaults(self) -> InputsT:
        """The input model filled with its defaults."""
        return self.inputs()

    def run(self, inputs: InputsT) -> ResultT:
        """Compute the result for validated inputs."""
        return self.compute(inputs)


def result_specs(model: type[BaseModel]) -> dict[str, FieldSpec]:
    """Label and unit of each result field, by name."""
    return {spec.name: spec for spec in field_specs(model)}
