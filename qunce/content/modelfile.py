"""Pydantic models read from YAML files: validation errors turned into `file:line` messages.

Every content file (items, the book, the vocabulary, standards, glossary) is read this way, so a
mistake anywhere reads the same: where it is, what was expected, what was found, and a hint.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from qunce.content.errors import ContentError
from qunce.content.yamlfile import Parsed, PathKey, format_path, read_yaml


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _unit(model: type[BaseModel] | None, loc: PathKey) -> str:
    """' of days' when the field's schema declares a unit of days."""
    if model is None or not loc or not isinstance(loc[-1], str):
        return ""
    info = model.model_fields.get(loc[-1])
    extra = info.json_schema_extra if info is not None else None
    unit = extra.get("unit") if isinstance(extra, dict) else None
    if unit == "days":
        return " of days"
    if unit == "year":
        return " (a year)"
    return ""


def _field_model(root: type[BaseModel], loc: PathKey) -> type[BaseModel] | None:
    """The model that declares the last field of `loc`, walking nested models and lists."""
    model: Any = root
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = getattr(model, "model_fields", {}) if isinstance(model, type) else {}
        info = fields.get(part)
        if info is None:
            return None
        model = _inner_model(info.annotation)
        if model is None:
            return None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _friendly(error: Any, root: type[BaseModel]) -> tuple[str, str | None]:
    kind: str = error["type"]
    loc: PathKey = tuple(error["loc"])
    value = error.get("input")
    ctx = error.get("ctx") or {}
    last = loc[-1] if loc else ""
    model = _field_model(root, loc)
    if kind == "missing":
        if last in ("zh", "en"):
            return f"missing the {last} text", "every text needs both zh and en"
        return "missing required field", f"add `{last}:` here"
    if kind == "extra_forbidden":
        known = list(model.model_fields) if model else []
        close = difflib.get_close_matches(str(last), known, n=1)
        hint = (
            f"did you mean `{close[0]}`?"
            if close
            else (f"allowed fields: {', '.join(known)}" if known else None)
        )
        return "unknown field", hint
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float"):
        what = "a whole number" if kind.startswith("int") else "a number"
        return f"expected {what}{_unit(model, loc)}, got {_shown(value)}", None
    if kind in ("string_type",):
        return f"expected text, got {_shown(value)}", "quote the value"
    if kind in ("list_type",):
        return f"expected a list, got {_shown(value)}", "write items on lines starting with `- `"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping, got {_shown(value)}", None
    if kind in ("string_too_short", "too_short"):
        if last in ("zh", "en"):
            return f"the {last} text is empty", "every text needs both zh and en"
        return f"must not be empty (at least {ctx.get('min_length', 1)})", None
    if kind == "string_pattern_mismatch":
        if last == "id" or "related" in loc or "playbooks" in loc:
            return (
                f"expected a kebab-case id, got {_shown(value)}",
                "lowercase letters, digits and single hyphens, like 'launch-rules'",
            )
        return f'expected a section number like "3.2.1", got {_shown(value)}', None
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        sign = {"greater_than": ">", "greater_than_equal": "≥", "less_than": "<"}.get(kind, "≤")
        bound = next(iter(ctx.values()), "?")
        return f"must be {sign} {bound}{_unit(model, loc)}, got {_shown(value)}", None
    if kind == "literal_error":
        return (
            f"expected {ctx.get('expected', 'one of the allowed values')}, got {_shown(value)}",
            None,
        )
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, "), None
    if kind == "bool_parsing":
        return f"expected true or false, got {_shown(value)}", None
    return str(error["msg"]), None


def validation_errors(
    exc: ValidationError, parsed: Parsed, root: type[BaseModel], prefix: PathKey = ()
) -> list[ContentError]:
    """One ContentError per pydantic error, at the line of the field it names."""
    out = []
    for error in exc.errors():
        loc = (*prefix, *error["loc"])
        message, hint = _friendly(error, root)
        out.append(ContentError(parsed.file, parsed.line_of(loc), format_path(loc), message, hint))
    return out


# ---------------------------------------------------------------------------------------------
# loading


def load_model(file: Path, model: type[BaseModel]) -> tuple[Any, list[ContentError]]:
    """Read `file` as `model`; (None, errors) when it cannot be read or validated."""
    parsed, errors = read_yaml(file)
    if parsed is None:
        return None, errors
    try:
        return model.model_validate(parsed.data), errors
    except ValidationError as exc:
        return None, errors + validation_errors(exc, parsed, model)
