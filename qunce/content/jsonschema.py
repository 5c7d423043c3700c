"""JSON Schemas for the content files, generated from the models, so editors validate as people type.

The vocabulary and the book's section numbers are written into the schemas as enums, so an
editor flags an unknown tag or section number before `qunce validate` runs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qunce.content.aliases import Aliases
from qunce.content.schema import Book, Case, Playbook, Vocabulary

SCHEMA_FILES: dict[str, type[Playbook] | type[Case]] = {"playbook": Playbook, "case": Case}


def _patch(node: Any, enums: dict[str, list[str]]) -> None:
    """Add enums to list fields named like vocabulary fields, and to step roles and sections."""
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for name, values in enums.items():
                prop = props.get(name)
                if not isinstance(prop, dict):
                    continue
                if prop.get("type") == "array" and isinstance(prop.get("items"), dict):
                    prop["items"] = {**prop["items"], "enum": values}
                elif prop.get("type") == "string":
                    prop["enum"] = values
        for value in node.values():
            _patch(value, enums)
    elif isinstance(node, list):
        for value in node:
            _patch(value, enums)


def build_schemas(book: Book, vocabulary: Vocabulary) -> dict[str, dict[str, Any]]:
    """kind → JSON Schema, with the vocabulary and the book's section numbers as enums; and the
    alias file's schema."""
    sections = sorted(s.number for s in book.walk())
    enums = {
        "tags": sorted(vocabulary.tags),
        "platforms": sorted(vocabulary.platforms),
        "stages": sorted(vocabulary.stages),
        "role": sorted(vocabulary.roles),
        "sections": sections,
    }
    out = {}
    for kind, model in SCHEMA_FILES.items():
        schema = model.model_json_schema()
        schema["$schema"] = "http://json-schema.org/draft-07/schema#"
        schema["$id"] = f"https://qunce.invalid/schemas/{kind}.schema.json"
        _patch(schema, enums)
        out[kind] = schema
    # playbooks/_aliases.yaml (search's words for today's concepts)
    aliases = Aliases.model_json_schema()
    aliases["$schema"] = "http://json-schema.org/draft-07/schema#"
    aliases["$id"] = "https://qunce.invalid/schemas/aliases.schema.json"
    out["aliases"] = aliases
    return out


def write_schemas(folder: Path, book: Book, vocabulary: Vocabulary) -> list[Path]:
    """Write `<kind>.schema.json` files into `folder`; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind, schema in build_schemas(book, vocabulary).items():
        path = folder / f"{kind}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
