"""Read YAML while keeping line numbers, reporting duplicate keys, bad syntax and bad encodings.

PyYAML's `safe_load` forgets where each value came from; we compose the node tree instead and
record the line of every mapping key and sequence entry, keyed by its field path.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from qunce.content.errors import ContentError

PathKey = tuple[str | int, ...]


@dataclass
class Parsed:
    """A parsed YAML document with the line of every field path (1-based)."""

    file: Path
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, path: PathKey) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


def format_path(path: PathKey) -> str:
    """("steps", 2, "effort_days") → "steps[2].effort_days"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def bilingual_texts(node: Any, path: PathKey = ()) -> list[tuple[PathKey, str, str]]:
    """(path, language, text) of every zh/en string under `node`."""
    out: list[tuple[PathKey, str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("zh", "en") and isinstance(value, str):
                out.append(((*path, key), key, value))
            else:
                out += bilingual_texts(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += bilingual_texts(value, (*path, index))
    return out


class _NoAliasLoader(yaml.SafeLoader):
    """A SafeLoader that refuses aliases: content never needs them, and an alias bomb
    (a few lines that expand to billions of nodes) or a self-referencing alias must not hang
    or crash the loader."""

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise ComposerError(
                None, None, "aliases (*name) are not allowed in content files", event.start_mark
            )
        return super().compose_node(parent, index)


MAX_DEPTH = 40  # content nests a few levels; a hostile file nests thousands (a recursion bomb)
MAX_BYTES = 1_000_000  # the largest content file is ~30 KB


class TooDeep(yaml.MarkedYAMLError):
    """A file nested deeper than any content needs (checked before anything recurses)."""


def _check_events(text: str, loader: type[yaml.SafeLoader] | Any) -> bool:
    """Walk the parser's events (no recursion): True when the text has aliases; TooDeep when it
    nests deeper than MAX_DEPTH."""
    depth = 0
    aliases = False
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark: Any = event.start_mark  # libyaml's Mark and PyYAML's carry the same fields
                raise TooDeep(None, None, f"nested more than {MAX_DEPTH} lists deep", mark)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
        elif isinstance(event, AliasEvent):
            aliases = True
    return aliases


def _compose(text: str) -> Node | None:
    """Compose with libyaml (about 10x faster) when the text is clean; for anything it objects to,
    and for aliases, the pure-Python loader composes again so messages are the same everywhere.
    Depth is checked on the event stream first, so no composer ever recurses into a bomb."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            if not _check_events(text, fast):
                return yaml.compose(text, Loader=fast)
        except TooDeep:
            raise
        except yaml.YAMLError:
            pass
    _check_events(text, _NoAliasLoader)
    return yaml.compose(text, Loader=_NoAliasLoader)


_PLAIN_COLLECTIONS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class _Builder:
    def __init__(self, file: Path) -> None:
        self.file = file
        self.lines: dict[PathKey, int] = {}
        self.errors: list[ContentError] = []
        self.constructor = SafeConstructor()

    def build(self, node: Node, path: PathKey) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, MappingNode | SequenceNode) and node.tag not in _PLAIN_COLLECTIONS:
            self._unknown_tag(node, path)
            return None
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        return None

    def _scalar(self, node: ScalarNode, path: PathKey) -> Any:
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:
            self._unknown_tag(node, path)
            return None

    def _unknown_tag(self, node: Node, path: PathKey) -> None:
        # a tag such as !!python/object or !include: content is plain data, nothing else
        self.errors.append(
            ContentError(
                self.file,
                node.start_mark.line + 1,
                format_path(path),
                f"unknown YAML tag {node.tag!r}",
                "content files hold plain text, numbers, lists and mappings: remove the tag",
            )
        )

    def _mapping(self, node: MappingNode, path: PathKey) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(
                self._scalar(key_node, path) if isinstance(key_node, ScalarNode) else key_node.value
            )
            line = key_node.start_mark.line + 1
            if key in first_line:
                self.errors.append(
                    ContentError(
                        self.file,
                        line,
                        format_path((*path, key)),
                        f"duplicate key {key!r} (first at line {first_line[key]}, again at line {line})",
                        "keep one of them; YAML would silently use the last",
                    )
                )
                continue
            first_line[key] = line
            self.lines[(*path, key)] = line
            out[key] = self.build(value_node, (*path, key))
            # the key's own line beats the value's for messages about the field
            self.lines[(*path, key)] = line
        return out


def not_a_regular_file(file: Path) -> ContentError | None:
    """An error for a path that is not a regular file (checked without opening it: a FIFO would
    block every reader), or None for a regular file within the size limit."""
    try:
        info = file.stat()  # follows a symbolic link; a broken one raises
    except OSError:
        return ContentError(file, None, "", "a broken link or unreadable path: skipped",
                            "remove it, or point it at a real content file")  # fmt: skip
    if not stat.S_ISREG(info.st_mode):
        return ContentError(file, None, "", "not a regular file (a folder, FIFO or device): skipped",
                            "content files are plain .yaml files; rename or remove it")  # fmt: skip
    if info.st_size > MAX_BYTES:
        return ContentError(file, None, "", f"the file has {info.st_size:,} bytes; content files are "
                            f"at most {MAX_BYTES:,}", "split it, or check that it is content")  # fmt: skip
    return None


def read_yaml(file: Path) -> tuple[Parsed | None, list[ContentError]]:
    """Parse one YAML file; on failure return None and the errors (encoding, syntax, duplicates,
    unknown tags, nesting, a path that is not a regular file)."""
    not_regular = not_a_regular_file(file)
    if not_regular is not None:
        return None, [not_regular]
    try:
        raw = file.read_bytes()
    except OSError as exc:
        return None, [ContentError(file, None, "", f"cannot be read: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [
            ContentError(
                file,
                line,
                "",
                f"the file is not UTF-8 (byte 0x{raw[exc.start]:02X} cannot be decoded)",
                "save the file as UTF-8 (GBK and Big5 are not accepted)",
            )
        ]
    text = text.removeprefix("\ufeff")
    try:
        node = _compose(text)
    except TooDeep as exc:
        deep_at = exc.problem_mark.line + 1 if exc.problem_mark else None
        return None, [ContentError(file, deep_at, "", f"invalid YAML: {exc.problem}",
                                   "content nests a few levels at most; is this a content file?")]  # fmt: skip
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at: int | None = mark.line + 1 if mark else None
        problem = exc.problem or "invalid YAML"
        context = f" {exc.context}" if exc.context else ""
        return None, [
            ContentError(
                file,
                at,
                "",
                f"invalid YAML: {problem}{context}",
                "check indentation and quoting near this line; a value with ': ' needs quotes",
            )
        ]
    except yaml.YAMLError as exc:
        return None, [ContentError(file, None, "", f"invalid YAML: {exc}")]
    if node is None:
        return None, [ContentError(file, 1, "", "the file is empty")]
    builder = _Builder(file)
    data = builder.build(node, ())
    return Parsed(file, data, builder.lines), builder.errors
