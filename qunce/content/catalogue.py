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

from pydantic import BaseModel, ValidationError

from qunce.config import settings
from qunce.content.aliases import ALIASES_FILE, Aliases, load_aliases
from qunce.content.errors import ContentError
from qunce.content.glossary import GLOSSARY_FILE, Glossary, GlossaryCheck
from qunce.content.modelfile import load_model, validation_errors
from qunce.content.schema import Book, Case, Playbook, Vocabulary
from qunce.content.standards import STANDARDS_FILE, Standards, fill_placeholders
from qunce.content.yamlfile import Parsed, PathKey, format_path, read_yaml

Item = Playbook | Case
KINDS: dict[str, type[Playbook] | type[Case]] = {"playbook": Playbook, "case": Case}
BOOK_FILE = "_book.yaml"
VOCABULARY_FILE = "_vocabulary.yaml"
NO_GLOSSARY = Glossary(concepts={}, fullwidth_quotes_in_zh=False)  # a folder without _glossary.yaml


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
    standards: Standards = field(default_factory=lambda: Standards(standards={}))
    glossary: Glossary = field(default_factory=lambda: NO_GLOSSARY)
    cites: dict[str, list[str]] = field(default_factory=dict)  # item id → standard ids it uses
    aliases: Aliases = field(default_factory=Aliases)  # today's words, for search

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


def _content_files(folders: Iterable[Path]) -> list[Path]:
    files: dict[Path, None] = {}
    for folder in folders:
        if folder.is_file():
            files[folder.absolute()] = None
            continue
        if not folder.is_dir():
            continue
        for path in sorted([*folder.rglob("*.yaml"), *folder.rglob("*.yml")]):
            if not path.name.startswith("_"):
                files[path.absolute()] = None  # not resolve(): a broken link keeps its name
    return list(files)


def _check_vocabulary(
    item: Item, parsed: Parsed, vocabulary: Vocabulary, book: Book, standards: Standards
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
        roles: list[tuple[PathKey, str]] = [
            (("steps", i, "role"), s.role) for i, s in enumerate(item.steps)
        ]
        roles += [(("routines", i, "role"), r.role) for i, r in enumerate(item.routines)]
        for path, role in roles:
            if role not in vocabulary.roles:
                report(path, f"unknown role {role!r}", f"roles: {', '.join(vocabulary.roles)}")
        for i, routine in enumerate(item.routines):
            for j, key in enumerate(routine.standards):
                if standards.get(key) is None:
                    report(("routines", i, "standards", j), f"unknown standard {key!r}",
                           f"standards are listed in playbooks/{STANDARDS_FILE}")  # fmt: skip
    numbers = book.numbers()
    section_paths: list[tuple[PathKey, str]] = [
        (("sections", i), s) for i, s in enumerate(item.sections)
    ]
    if isinstance(item, Playbook):
        section_paths += [
            (("steps", i, "section"), s.section) for i, s in enumerate(item.steps) if s.section
        ]
    else:
        section_paths += [(("illustrates", i), n) for i, n in enumerate(item.illustrates)]
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
    standards_file: Path | None = None,
    glossary_file: Path | None = None,
    aliases_file: Path | None = None,
) -> Catalogue:
    """Load and check all content; `extra` defaults to the folders in QUNCE_CONTENT_PATH.

    The standards, the glossary and the aliases are optional files: a content folder without
    them (a test's, say) cites no standard, has no glossary to follow and no words to add.
    """
    config = settings()
    playbooks_dir = playbooks_dir or config.playbooks_dir
    cases_dir = cases_dir or config.cases_dir
    extra = list(config.content_paths if extra is None else extra)
    book_file = book_file or config.playbooks_dir / BOOK_FILE
    vocabulary_file = vocabulary_file or config.playbooks_dir / VOCABULARY_FILE
    standards_file = standards_file or config.playbooks_dir / STANDARDS_FILE
    glossary_file = glossary_file or config.playbooks_dir / GLOSSARY_FILE
    aliases_file = aliases_file or config.playbooks_dir / ALIASES_FILE

    errors: list[ContentError] = []
    book, book_errors = load_model(book_file, Book)
    vocabulary, vocab_errors = load_model(vocabulary_file, Vocabulary)
    errors += book_errors + vocab_errors
    standards = Standards(standards={})
    glossary = NO_GLOSSARY
    if glossary_file.exists():
        loaded, glossary_errors = load_model(glossary_file, Glossary)
        glossary = loaded or glossary
        errors += glossary_errors
    check = GlossaryCheck(glossary)
    aliases = Aliases()
    if aliases_file.exists():
        loaded_aliases, alias_errors = load_aliases(aliases_file)
        aliases = loaded_aliases or aliases
        errors += alias_errors
    if standards_file.exists():
        parsed_standards, standards_errors = read_yaml(standards_file)
        errors += standards_errors
        if parsed_standards is not None:
            errors += check.check(parsed_standards)
            loaded_standards, problems = load_model(standards_file, Standards)
            errors += problems
            if loaded_standards is not None:
                # a standard's detail may cite another standard
                _, unknown = fill_placeholders(parsed_standards, loaded_standards)
                errors += unknown
                standards = Standards.model_validate(parsed_standards.data)
    if book is None or vocabulary is None:
        # without the book or the vocabulary nothing else can be checked
        return Catalogue(
            book=book or Book.model_construct(chapters=[]),  # type: ignore[call-arg]
            vocabulary=vocabulary
            or Vocabulary.model_construct(tags={}, platforms={}, stages={}, roles={}),
            errors=errors,
        )

    catalogue = Catalogue(
        book=book, vocabulary=vocabulary, standards=standards, glossary=glossary, aliases=aliases
    )
    parsed_by_id: dict[str, Parsed] = {}
    for file in _content_files([playbooks_dir, cases_dir, *extra]):
        parsed, file_errors = read_yaml(file)
        errors += file_errors
        if parsed is None:
            continue
        errors += check.check(parsed)  # on the text as written, before standards are filled in
        cited, unknown = fill_placeholders(parsed, standards)
        errors += unknown
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
        vocab_problems = _check_vocabulary(item, parsed, vocabulary, book, standards)
        errors += vocab_problems
        if vocab_problems:
            continue
        catalogue.items[item.id] = item
        catalogue.files[item.id] = file
        catalogue.cites[item.id] = cited
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
        errors.extend(validation_errors(exc, parsed, model))
        return None


def _check_references(catalogue: Catalogue, parsed: dict[str, Parsed]) -> list[ContentError]:
    out = []
    ids = list(catalogue.items)
    for item in list(catalogue.items.values()):
        refs: list[tuple[PathKey, str]] = [(("related", i), r) for i, r in enumerate(item.related)]
        if isinstance(item, Case):
            refs += [(("playbooks", i), r) for i, r in enumerate(item.playbooks)]
        elif item.trainer is not None:
            refs.append((("trainer", "anchor_case"), item.trainer.anchor_case))
        if isinstance(item, Playbook):
            out += _check_see(catalogue, item, parsed[item.id])
        for path, ref in refs:
            target = catalogue.items.get(ref)
            message = None
            if target is None:
                message = f"unknown id {ref!r}: no playbook or case has it"
            elif path[0] == "playbooks" and not isinstance(target, Playbook):
                message = f"{ref!r} is a case, not a playbook"
            elif path[0] == "trainer" and not isinstance(target, Case):
                message = f"{ref!r} is a playbook; the anchor is a case"
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


def _check_see(catalogue: Catalogue, item: Playbook, parsed: Parsed) -> list[ContentError]:
    """A step that points at its owner names a step that exists and owns itself."""
    out = []
    for index, step in enumerate(item.steps):
        if step.see is None:
            continue
        owner_id, _, step_id = step.see.partition("/")
        owner = catalogue.items.get(owner_id)
        target = (
            next((s for s in owner.steps if s.id == step_id), None)
            if isinstance(owner, Playbook)
            else None
        )
        message = None
        if owner_id == item.id:
            message = "a step cannot point at its own playbook"
        elif target is None:
            message = (
                f"{step.see!r} names no step: no playbook {owner_id!r} with a step {step_id!r}"
            )
        elif target.see is not None:
            message = f"{step.see!r} points on to {target.see!r}; point at the owner itself"
        if message:
            path: PathKey = ("steps", index, "see")
            out.append(ContentError(parsed.file, parsed.line_of(path), format_path(path), message))
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
