"""Today's words for the book's ideas (`playbooks/_aliases.yaml`), for search, with file:line errors.

The book speaks 2016: 微信群, 意见领袖, 口碑. People search in 2026 words: 私域, 企业微信 SOP,
KOC, 种草, "WeCom". Each concept lists the words people use for it today in both languages
(`zh`, `en`: any of them in a question or a text is the same concept) and the book's own words
for the nearest idea (`book`: added to a question that names the concept, so it still finds the
2016 text). The glossary's concepts (`_glossary.yaml`) join in under their own ids: a word the
house avoids in writing is still a word people search with. `asks` lists the words that make a
question one about numbers (it then shows calculators) or about planning (launch plans).
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import Field, ValidationError, field_validator

from qunce.content.errors import ContentError
from qunce.content.glossary import Glossary
from qunce.content.modelfile import validation_errors
from qunce.content.schema import KEBAB, Strict, Text
from qunce.content.yamlfile import format_path, read_yaml

ALIASES_FILE = "_aliases.yaml"


class Words(Strict):
    """Words in both languages (either list may be empty)."""

    zh: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)

    @field_validator("zh", "en")
    @classmethod
    def _not_blank(cls, value: list[str]) -> list[str]:
        for word in value:
            if not word.strip():
                raise ValueError("a word is blank")
        return [w.strip() for w in value]


class Alias(Strict):
    """One concept: the words people use for it today, and the book's words for it."""

    zh: list[str] = Field(min_length=1, description="today's Chinese words; the first is shown")
    en: list[str] = Field(min_length=1, description="today's English words; the first is shown")
    book: Words = Field(
        default_factory=Words,
        description="the book's (2016) words for the nearest idea: added to a question that "
        "names the concept, never to the indexed text",
    )
    note: Text | None = None

    @field_validator("zh", "en")
    @classmethod
    def _not_blank(cls, value: list[str]) -> list[str]:
        for word in value:
            if not word.strip():
                raise ValueError("a word is blank")
        return [w.strip() for w in value]

    def words(self) -> list[str]:
        """Every word of the concept, zh then en."""
        return [*self.zh, *self.en]


class Asks(Strict):
    """Words that say what kind of answer a question wants besides playbooks and cases."""

    numbers: Words = Field(
        default_factory=Words, description="a question about numbers: show calculators"
    )
    plans: Words = Field(
        default_factory=Words, description="a question about planning: show launch plans"
    )


class Aliases(Strict):
    """The file: concept id → concept, and the words of `asks`."""

    concepts: dict[str, Alias] = Field(default_factory=dict)
    asks: Asks = Field(default_factory=Asks)

    @field_validator("concepts")
    @classmethod
    def _kebab_keys(cls, value: dict[str, Alias]) -> dict[str, Alias]:
        for key in value:
            if not re.match(KEBAB, key):
                raise ValueError(f"{key!r} is not a kebab-case id")
        return value

    def with_glossary(self, glossary: Glossary) -> Aliases:
        """These concepts joined by the glossary's: same id, words added; a new id, a new concept."""
        concepts = dict(self.concepts)
        for key, concept in glossary.concepts.items():
            zh = [concept.preferred.zh, *concept.avoid.zh]
            en = [concept.preferred.en, *concept.avoid.en]
            known = concepts.get(key)
            if known is not None:
                zh = [*known.zh, *(w for w in zh if w not in known.zh)]
                en = [*known.en, *(w for w in en if w not in known.en)]
                concepts[key] = known.model_copy(update={"zh": zh, "en": en})
            else:
                concepts[key] = Alias(zh=zh, en=en, note=concept.note)
        return self.model_copy(update={"concepts": concepts})


def _key(word: str) -> str:
    return word.casefold()


def load_aliases(file: Path) -> tuple[Aliases | None, list[ContentError]]:
    """Read the alias file; every problem as a ContentError at its line.

    Beyond the model: a word given to two concepts (a search could not tell which is meant)
    is reported at both lines.
    """
    parsed, errors = read_yaml(file)
    if parsed is None:
        return None, errors
    try:
        aliases = Aliases.model_validate(parsed.data)
    except ValidationError as exc:
        return None, errors + validation_errors(exc, parsed, Aliases)
    owner: dict[str, tuple[str, tuple[str | int, ...]]] = {}
    for key, concept in aliases.concepts.items():
        for lang in ("zh", "en"):
            for index, word in enumerate(getattr(concept, lang)):
                path = ("concepts", key, lang, index)
                first = owner.get(_key(word))
                if first is not None and first[0] != key:
                    errors.append(
                        ContentError(
                            file,
                            parsed.line_of(path),
                            format_path(path),
                            f"{word!r} is already a word of concept {first[0]!r} "
                            f"(line {parsed.line_of(first[1])})",
                            "a word belongs to one concept; keep it where it means most",
                        )
                    )
                else:
                    owner.setdefault(_key(word), (key, path))
    return aliases, errors
