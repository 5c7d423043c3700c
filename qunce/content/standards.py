"""The house's numbers and words in one place (`playbooks/_standards.yaml`), cited by content.

Playbooks and cases do not restate a reply time, a group size or a platform limit: they write
`{{group-split}}` and the catalogue puts in the standard's value in each language when it loads
the file. Change the standard once and every item that cites it says the new value; a citation
of an unknown standard is a `file:line` error. Platform limits and compliance rules carry the
date they were checked and their public sources; house choices say why they were chosen.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from qunce.content.errors import ContentError
from qunce.content.schema import KEBAB, DatedSource, Strict, Text
from qunce.content.yamlfile import Parsed, PathKey, bilingual_texts, format_path

STANDARDS_FILE = "_standards.yaml"
PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")


class Standard(Strict):
    """One number or word the house uses everywhere."""

    kind: Literal["house", "platform", "compliance"] = Field(
        description="house: our own choice; platform: a platform's limit; compliance: the law"
    )
    title: Text
    value: Text = Field(description="what {{id}} becomes in a text, e.g. 200 人 / 200 members")
    detail: Text = Field(description="the rule in full, and why")
    as_of: date | None = Field(
        default=None, description="when a platform or legal fact was checked"
    )
    sources: list[DatedSource] = Field(default_factory=list)

    @model_validator(mode="after")
    def _facts_are_dated(self) -> Standard:
        if self.kind != "house" and (self.as_of is None or not self.sources):
            raise ValueError(f"a {self.kind} standard needs as_of and public, dated sources")
        return self


class Standards(Strict):
    """The file: standard id → standard."""

    standards: dict[str, Standard]

    @field_validator("standards")
    @classmethod
    def _kebab_keys(cls, value: dict[str, Standard]) -> dict[str, Standard]:
        for key in value:
            if not re.match(KEBAB, key):
                raise ValueError(f"{key!r} is not a kebab-case id")
        return value

    def get(self, key: str) -> Standard | None:
        """The standard with this id, if there is one."""
        return self.standards.get(key)


def _put(node: Any, path: PathKey, value: str) -> None:
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def fill_placeholders(parsed: Parsed, standards: Standards) -> tuple[list[str], list[ContentError]]:
    """Put each `{{id}}` of a parsed file's texts in place, in its language; rewrites `parsed.data`.

    Returns the ids cited (in order of first use) and an error for each unknown one.
    """
    cited: list[str] = []
    errors: list[ContentError] = []
    for path, lang, text in bilingual_texts(parsed.data):
        if "{{" not in text:
            continue

        def swap(match: re.Match[str], path: PathKey = path, lang: str = lang) -> str:
            key = match.group(1)
            standard = standards.get(key)
            if standard is None:
                close = difflib.get_close_matches(key, list(standards.standards), n=1)
                hint = f"did you mean {{{{{close[0]}}}}}? " if close else ""
                errors.append(
                    ContentError(
                        parsed.file,
                        parsed.line_of(path),
                        format_path(path),
                        f"unknown standard {{{{{key}}}}}",
                        f"{hint}standards are listed in playbooks/{STANDARDS_FILE}",
                    )
                )
                return match.group(0)
            if key not in cited:
                cited.append(key)
            return standard.value.get(lang)

        _put(parsed.data, path, PLACEHOLDER.sub(swap, text))
    return cited, errors
