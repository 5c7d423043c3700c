"""Read YAML while keeping line numbers, reporting duplicate keys, bad syntax and bad encodings.

PyYAML's `safe_load` forgets where each value came from; we compose the node tree instead and
record the line of every mapping key and sequence entry, keyed by its field path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
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


def _compose(text: str) -> Node | None:
    """Compose with libyaml (about 10x faster) when the text is clean; for anything it objects to,
    and for aliases, the pure-Python loader composes again so messages are the same everywhere."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            if not any(isinstance(e, AliasEvent) for e in yaml.parse(text, Loader=fast)):
                return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=_NoAliasLoader)


class _Builder:
    def __init__(self, file: Path) -> None:
        self.file = file
        self.lines: dict[PathKey, int] = {}
        self.errors: list[ContentError] = []
        self.constructor = SafeConstructor()

    def build(self, node: Node, path: PathKey) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        if isinstance(node, ScalarNode):
            return self.constructor.construct_object(node, deep=True)
        return None

    def _mapping(self, node: MappingNode, path: PathKey) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self.constructor.construct_object(key_node, deep=True)
            key = str(key)
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


def read_yaml(file: Path) -> tuple[Parsed | None, list[ContentError]]:
    """Parse one YAML file; on failure return None and the errors (encoding, syntax, duplicates)."""
    raw = file.read_bytes()
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
