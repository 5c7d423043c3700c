"""Load every playbook and case, check them against the schema, the book and each other.

All problems are collected before anything stops, each with file, line and field path; the valid
items are still served, so one broken file never takes the whole library down.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from qunce.config import settings
from qunce.content.errors import ContentError
from qunce.content.schema import Book, Case, Playbook, Vocabulary
from qunce.content.yamlfile import Parsed, PathKey, format_path, read_yaml

Item = Playbook | Case
KINDS: dict[str, type[Playbook] | type[Case]] = {"playbook": Playbook, "case": Case}
BOOK_FILE = "_book.yaml"
VOCABULARY_FILE = "_vocabulary.yaml"


@dataclass
class Catalogue:
    """Every valid item, the book, the vocabulary, and the problems found on the way."""

    book: Book
    vocabulary: Vocabulary
    items: dict[str, Item] = field(default_factory=dict)
    _versions: dict[str, tuple[Item, str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    files: dict[str, Path] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)

    @property
    def playbooks(self) -> list[Playbook]:
        """Playbooks in book order."""
        return sorted((i for i in self.items.values() if isinstance(i, Playbook)), key=_order)

    @property
    def cases(self) -> list[Case]:
        """Cases in book order."""
        return sorted((i for i in self.items.values() if isinstance(i, Case)), key=_order)

    def get(self, item_id: str) -> Item | None:
        """The item with this id, if it exists and is valid."""
        return self.items.get(item_id)

    def version(self, item_id: str) -> str:
        """A short hash of the item's content; it changes whenever the item changes."""
        item = self.items[item_id]
        known = self._versions.get(item_id)
        if known is None or known[0] is not item:  # hashing dumps the item: once per object
            known = (item, content_hash(item))
            self._versions[item_id] = known
        return known[1]

    def coverage(self) -> tuple[list[str], dict[str, list[str]]]:
        """(leaf sections no item covers, leaf section → ids of the items that cover it)."""
        owners: dict[str, list[str]] = {leaf.number: [] for leaf in self.book.leaves()}
        for item in self.items.values():
            for number in item.sections:
                if number in owners:
                    owners[number].append(item.id)
        missing = [number for number, ids in owners.items() if not ids]
        return missing, owners


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _order(item: Item) -> tuple[int, ...]:
    return tuple(int(p) for p in item.sections[0].split("."))


def content_hash(item: BaseModel) -> str:
    """A stable 12-hex-digit hash of a model's data."""
    blob = json.dumps(item.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:12]


# ---------------------------------------------------------------------------------------------
# pydantic errors → messages a content editor can act on


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
        hint = f"did you mean `{close[0]}`?" if close else f"allowed fields: {', '.join(known)}"
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


def _validation_errors(
    exc: ValidationError, parsed: Parsed, root: type[BaseModel], prefix: PathKey = ()
) -> list[ContentError]:
    out = []
    for error in exc.errors():
        loc = (*prefix, *error["loc"])
        message, hint = _friendly(error, root)
        out.append(ContentError(parsed.file, parsed.line_of(loc), format_path(loc), message, hint))
    return out


# ---------------------------------------------------------------------------------------------
# loading


def _load_model(file: Path, model: type[BaseModel]) -> tuple[Any, list[ContentError]]:
    parsed, errors = read_yaml(file)
    if parsed is None:
        return None, errors
    try:
        return model.model_validate(parsed.data), errors
    except ValidationError as exc:
        return None, errors + _validation_errors(exc, parsed, model)


def _content_files(folders: Iterable[Path]) -> list[Path]:
    files: dict[Path, None] = {}
    for folder in folders:
        if folder.is_file():
            files[folder.resolve()] = None
            continue
        if not folder.is_dir():
            continue
        for path in sorted([*folder.rglob("*.yaml"), *folder.rglob("*.yml")]):
            if not path.name.startswith("_"):
                files[path.resolve()] = None
    return list(files)


def _check_vocabulary(
    item: Item, parsed: Parsed, vocabulary: Vocabulary, book: Book
) -> list[ContentError]:
    out: list[ContentError] = []

    def report(path: PathKey, message: str, hint: str | None) -> None:
        out.append(
            ContentError(parsed.file, parsed.line_of(path), format_path(path), message, hint)
        )

    terms = {
        "tags": vocabulary.tags,
        "platforms": vocabulary.platforms,
        "stages": vocabulary.stages,
    }
    for field_name, known in terms.items():
        for i, value in enumerate(getattr(item, field_name)):
            if value not in known:
                close = difflib.get_close_matches(value, list(known), n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                report(
                    (field_name, i),
                    f"unknown {field_name[:-1]} {value!r}",
                    f"{hint}terms are listed in playbooks/{VOCABULARY_FILE}",
                )
    if isinstance(item, Playbook):
        for i, step in enumerate(item.steps):
            if step.role not in vocabulary.roles:
                report(
                    ("steps", i, "role"),
                    f"unknown role {step.role!r}",
                    f"roles: {', '.join(vocabulary.roles)}",
                )
    numbers = book.numbers()
    section_paths: list[tuple[PathKey, str]] = [
        (("sections", i), s) for i, s in enumerate(item.sections)
    ]
    if isinstance(item, Playbook):
        section_paths += [
            (("steps", i, "section"), s.section) for i, s in enumerate(item.steps) if s.section
        ]
    for path, number in section_paths:
        if number not in numbers:
            close = difflib.get_close_matches(number, sorted(numbers), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "see playbooks/_book.yaml"
            report(path, f"section {number!r} is not in the book's table of contents", hint)
    return out


def load_catalogue(
    playbooks_dir: Path | None = None,
    cases_dir: Path | None = None,
    extra: Sequence[Path] | None = None,
    book_file: Path | None = None,
    vocabulary_file: Path | None = None,
) -> Catalogue:
    """Load and check all content; `extra` defaults to the folders in QUNCE_CONTENT_PATH."""
    config = settings()
    playbooks_dir = playbooks_dir or config.playbooks_dir
    cases_dir = cases_dir or config.cases_dir
    extra = list(config.content_paths if extra is None else extra)
    book_file = book_file or config.playbooks_dir / BOOK_FILE
    vocabulary_file = vocabulary_file or config.playbooks_dir / VOCABULARY_FILE

    errors: list[ContentError] = []
    book, book_errors = _load_model(book_file, Book)
    vocabulary, vocab_errors = _load_model(vocabulary_file, Vocabulary)
    errors += book_errors + vocab_errors
    if book is None or vocabulary is None:
        # without the book or the vocabulary nothing else can be checked
        return Catalogue(
            book=book or Book.model_construct(chapters=[]),  # type: ignore[call-arg]
            vocabulary=vocabulary
            or Vocabulary.model_construct(tags={}, platforms={}, stages={}, roles={}),
            errors=errors,
        )

    catalogue = Catalogue(book=book, vocabulary=vocabulary)
    parsed_by_id: dict[str, Parsed] = {}
    for file in _content_files([playbooks_dir, cases_dir, *extra]):
        parsed, file_errors = read_yaml(file)
        errors += file_errors
        if parsed is None:
            continue
        item = _validate_item(parsed, errors)
        if item is None:
            continue
        if item.id != file.stem:
            errors.append(
                ContentError(
                    file,
                    parsed.line_of(("id",)),
                    "id",
                    f"id {item.id!r} differs from the file name {file.stem!r}",
                    f"rename the file to {item.id}.yaml or set id: {file.stem}",
                )
            )
            continue
        if item.id in catalogue.items:
            other = catalogue.files[item.id]
            errors.append(
                ContentError(
                    file,
                    parsed.line_of(("id",)),
                    "id",
                    f"duplicate id {item.id!r}: also used by {_relative(other)}",
                    "ids are unique across playbooks and cases",
                )
            )
            continue
        vocab_problems = _check_vocabulary(item, parsed, vocabulary, book)
        errors += vocab_problems
        if vocab_problems:
            continue
        catalogue.items[item.id] = item
        catalogue.files[item.id] = file
        parsed_by_id[item.id] = parsed

    errors += _check_references(catalogue, parsed_by_id)
    errors += _check_sections(catalogue, parsed_by_id)
    catalogue.errors = errors
    return catalogue


def _validate_item(parsed: Parsed, errors: list[ContentError]) -> Item | None:
    data = parsed.data
    if not isinstance(data, dict):
        errors.append(ContentError(parsed.file, 1, "", "expected a mapping of fields at the top"))
        return None
    kind = data.get("kind")
    model = KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:
        message = "missing required field" if kind is None else f"unknown kind {kind!r}"
        errors.append(
            ContentError(
                parsed.file,
                parsed.line_of(("kind",)),
                "kind",
                message,
                "kind: playbook or kind: case",
            )
        )
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors.extend(_validation_errors(exc, parsed, model))
        return None


def _check_references(catalogue: Catalogue, parsed: dict[str, Parsed]) -> list[ContentError]:
    out = []
    ids = list(catalogue.items)
    for item in list(catalogue.items.values()):
        refs: list[tuple[PathKey, str]] = [(("related", i), r) for i, r in enumerate(item.related)]
        if isinstance(item, Case):
            refs += [(("playbooks", i), r) for i, r in enumerate(item.playbooks)]
        for path, ref in refs:
            target = catalogue.items.get(ref)
            message = None
            if target is None:
                message = f"unknown id {ref!r}: no playbook or case has it"
            elif path[0] == "playbooks" and not isinstance(target, Playbook):
                message = f"{ref!r} is a case, not a playbook"
            elif ref == item.id:
                message = "an item cannot be related to itself"
            if message:
                close = difflib.get_close_matches(ref, ids, n=1)
                p = parsed[item.id]
                out.append(
                    ContentError(
                        p.file,
                        p.line_of(path),
                        format_path(path),
                        message,
                        f"did you mean {close[0]!r}?" if close else None,
                    )
                )
    return out


def _check_sections(catalogue: Catalogue, parsed: dict[str, Parsed]) -> list[ContentError]:
    """A leaf is owned by one item only, and a 【案例】 leaf only by a case."""
    out = []
    case_leaves = {s.number for s in catalogue.book.leaves() if s.case}
    _, owners = catalogue.coverage()
    for number, ids in owners.items():
        for item_id in ids[1:]:
            p = parsed[item_id]
            index = catalogue.items[item_id].sections.index(number)
            out.append(
                ContentError(
                    p.file,
                    p.line_of(("sections", index)),
                    f"sections[{index}]",
                    f"leaf section {number!r} is already covered by {ids[0]!r}",
                    "every leaf section of the book belongs to exactly one item",
                )
            )
    for item in catalogue.items.values():
        if isinstance(item, Playbook):
            for index, number in enumerate(item.sections):
                if number in case_leaves:
                    p = parsed[item.id]
                    out.append(
                        ContentError(
                            p.file,
                            p.line_of(("sections", index)),
                            f"sections[{index}]",
                            f"section {number!r} is a 【案例】 section",
                            "a case section belongs to its case card, not to a playbook",
                        )
                    )
    return out
