"""One word per concept (`playbooks/_glossary.yaml`), enforced by `qunce validate` with file:line.

Each concept names the preferred zh and en term and the variants to avoid. Chinese variants match
anywhere in a zh text; English ones match as whole words, case as written (so "Official account"
can be refused while "Official Account" passes). Chinese text also uses full-width quotes.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field

from qunce.content.errors import ContentError
from qunce.content.schema import Strict, Term, Text
from qunce.content.yamlfile import Parsed, PathKey, bilingual_texts, format_path

GLOSSARY_FILE = "_glossary.yaml"
# How far below a field's key a folded text may run: the error points at the line that has the word.
_LOOKAHEAD_LINES = 40


class Avoid(Strict):
    """Variants of a term that content must not use."""

    zh: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)


class Concept(Strict):
    """One concept: the words to use for it, and those to avoid."""

    preferred: Term
    avoid: Avoid = Field(default_factory=Avoid)
    note: Text | None = None


class Glossary(Strict):
    """The file: concept id → concept, and the typography rule for Chinese quotes."""

    concepts: dict[str, Concept]
    fullwidth_quotes_in_zh: bool = Field(
        default=True, description='Chinese text quotes with “ ” and ‘ ’, never with ASCII "'
    )


def _english(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![A-Za-z]){re.escape(term)}(?![A-Za-z])")


class GlossaryCheck:
    """Checks the zh/en texts of parsed files against a glossary."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self._zh = [(c, v) for c in glossary.concepts.values() for v in c.avoid.zh]
        self._en = [(c, v, _english(v)) for c in glossary.concepts.values() for v in c.avoid.en]
        self._lines: dict[Path, list[str]] = {}

    def _line(self, parsed: Parsed, path: PathKey, needle: str) -> int:
        """The line of `needle` at or below the field's key (folded texts span lines)."""
        start = parsed.line_of(path)
        if parsed.file not in self._lines:
            try:
                self._lines[parsed.file] = parsed.file.read_text(encoding="utf-8").splitlines()
            except OSError:
                self._lines[parsed.file] = []
        lines = self._lines[parsed.file]
        for number in range(start, min(start + _LOOKAHEAD_LINES, len(lines)) + 1):
            if needle in lines[number - 1]:
                return number
        return start

    def check(self, parsed: Parsed) -> list[ContentError]:
        """Every avoided variant and every ASCII quote in Chinese text, with file:line."""
        out: list[ContentError] = []

        def report(path: PathKey, needle: str, message: str, hint: str) -> None:
            line = self._line(parsed, path, needle)
            out.append(ContentError(parsed.file, line, format_path(path), message, hint))

        for path, lang, text in bilingual_texts(parsed.data):
            if lang == "zh":
                for concept, variant in self._zh:
                    if variant in text:
                        report(path, variant, f"glossary: avoid {variant!r}",
                               f"use {concept.preferred.zh!r} (playbooks/{GLOSSARY_FILE})")  # fmt: skip
                if self.glossary.fullwidth_quotes_in_zh and '"' in text:
                    report(path, '"', 'glossary: ASCII quote (") in Chinese text',
                           "use full-width quotes “ ” in Chinese")  # fmt: skip
            else:
                for concept, variant, pattern in self._en:
                    if pattern.search(text):
                        report(path, variant, f"glossary: avoid {variant!r}",
                               f"use {concept.preferred.en!r} (playbooks/{GLOSSARY_FILE})")  # fmt: skip
        return out
