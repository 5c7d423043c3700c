"""Calculators and plan templates as search results, for questions about numbers or planning.

Search knows no calculator: whoever asks (the Search page, `qunce search`) describes its tools
as `Tool`s, so qunce/search imports neither qunce/calculators nor Streamlit. A tool is shown
only when the question asks for it (a word of `asks.numbers` or `asks.plans` in _aliases.yaml:
"怎么定价", "how many members to break even") and then ranks by BM25 over its own description,
with a bonus when it serves a book section of the items the question found.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from qunce.search.concepts import NO_CONCEPTS, Concepts
from qunce.search.engine import Hit
from qunce.search.evaluate import section_matches
from qunce.search.keyword import KeywordIndex

ToolKind = Literal["calculator", "plan"]
ASKS: dict[ToolKind, str] = {"calculator": "numbers", "plan": "plans"}
# A tool serving a section of one of the question's first items is this much more likely the
# answer (added to its BM25 score, which for a good match is a few units).
SERVES_BONUS = 2.0
FIRST_ITEMS = 3


@dataclass(frozen=True)
class Tool:
    """Something besides a playbook or a case that can answer a question."""

    id: str
    kind: ToolKind
    title_zh: str
    title_en: str
    text_zh: str  # what it does and what it asks for, as a searchable text
    text_en: str
    sections: tuple[str, ...] = ()

    def title(self, lang: str) -> str:
        """The title in one language."""
        return self.title_zh if lang == "zh" else self.title_en


class _Bilingual(Protocol):
    def get(self, lang: str) -> str: ...


class _Field(Protocol):
    @property
    def label(self) -> _Bilingual: ...


class Describable(Protocol):
    """What a calculator tells search about itself (qunce/calculators' Calculator has it)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> _Bilingual: ...
    @property
    def summary(self) -> _Bilingual: ...
    @property
    def sections(self) -> Sequence[str]: ...
    def fields(self) -> Sequence[_Field]: ...


def calculator_tools(calculators: Iterable[Describable]) -> list[Tool]:
    """Calculators as tools: their title, and their summary and field labels as the text."""
    return [
        Tool(
            calc.id,
            "calculator",
            calc.title.get("zh"),
            calc.title.get("en"),
            " ".join([calc.summary.get("zh"), *(f.label.get("zh") for f in calc.fields())]),
            " ".join([calc.summary.get("en"), *(f.label.get("en") for f in calc.fields())]),
            tuple(calc.sections),
        )
        for calc in calculators
    ]


@dataclass(frozen=True)
class ToolHit:
    """A tool that answers the question, with the items it goes with."""

    tool: Tool
    score: float
    items: tuple[str, ...] = field(default_factory=tuple)  # for a plan: the playbooks to use


class Toolbox:
    """The tools a question may be answered with."""

    def __init__(self, tools: Sequence[Tool], concepts: Concepts = NO_CONCEPTS) -> None:
        self.tools = list(tools)
        self.concepts = concepts
        self._index = KeywordIndex(
            [f"{t.title_zh} {t.text_zh}\n{t.title_en} {t.text_en}" for t in self.tools],
            concepts=concepts,
        )

    def match(self, query: str, hits: Sequence[Hit], k: int = 2) -> list[ToolHit]:
        """The tools the question asks for, best first (none when it asks for none)."""
        asked = self.concepts.asks(query)
        if not asked or not self.tools:
            return []
        scores = self._index.scores(query)
        first = [h for h in hits[:FIRST_ITEMS]]
        out: list[ToolHit] = []
        for index, tool in enumerate(self.tools):
            if ASKS[tool.kind] not in asked:
                continue
            score = float(scores[index])
            if tool.kind == "plan":
                playbooks = tuple(h.item_id for h in hits[:FIRST_ITEMS] if h.kind == "playbook")
                if playbooks:
                    out.append(ToolHit(tool, score + SERVES_BONUS, playbooks))
                continue
            serves = any(
                section_matches(mine, theirs)
                for h in first
                for mine in tool.sections
                for theirs in h.sections
            )
            score += SERVES_BONUS if serves else 0.0
            if score > 0:
                out.append(ToolHit(tool, score))
        out.sort(key=lambda t: (-t.score, t.tool.id))
        return out[:k]
