"""Pydantic models for Qunce content: playbooks, case cards, the book's TOC and the vocabulary.

The models are the single source of truth for the YAML format; `qunce schema` turns them into
JSON Schemas that editors use while people type.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = 1

KEBAB = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SECTION = r"^\d{1,2}(?:\.\d{1,2}){0,2}$"

ItemId = Annotated[str, Field(pattern=KEBAB, description="kebab-case id")]
SectionNo = Annotated[str, Field(pattern=SECTION, description='a book section number like "3.2.1"')]


class Strict(BaseModel):
    """Base for content models: unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in both languages."""

    zh: str = Field(min_length=1, description="Chinese text")
    en: str = Field(min_length=1, description="English text")

    @field_validator("zh", "en")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is blank")
        return value.strip()

    def get(self, lang: str) -> str:
        """The text in `lang` ("zh" or "en")."""
        return self.zh if lang == "zh" else self.en


class Provenance(Strict):
    """Where an item's substance comes from, said honestly."""

    basis: Literal["seed-text", "toc", "public-record", "practice"] = Field(
        description="seed-text: the book's pages in shared/seeds; toc: only the section title; "
        "public-record: public sources; practice: general practice"
    )
    note: str = Field(min_length=1, description="one or two sentences on what the item rests on")


class Step(Strict):
    """One thing a team does, checkably."""

    id: ItemId
    title: Text
    detail: Text = Field(description="what to do, concretely")
    done_when: Text = Field(description="a checkable result")
    effort_days: float = Field(
        gt=0, le=90, description="effort in days", json_schema_extra={"unit": "days"}
    )
    role: str = Field(description="who does it; an id from roles in _vocabulary.yaml")
    section: SectionNo | None = Field(
        default=None, description="the book section this step comes from"
    )


class Item(Strict):
    """Fields shared by playbooks and cases."""

    id: ItemId
    sections: list[SectionNo] = Field(min_length=1)
    title: Text
    summary: Text
    tags: list[str] = Field(default_factory=list)
    platforms: list[str] = Field(default_factory=list)
    stages: list[str] = Field(default_factory=list)
    related: list[ItemId] = Field(default_factory=list)
    provenance: Provenance

    @property
    def chapter(self) -> int:
        """The chapter of the item's first section."""
        return int(self.sections[0].split(".")[0])


class Playbook(Item):
    """A framework from the book turned into steps a team can carry out."""

    kind: Literal["playbook"]
    steps: list[Step] = Field(min_length=1)
    metrics: list[Text] = Field(default_factory=list, description="what shows it works")
    pitfalls: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_step_ids(self) -> Playbook:
        seen: set[str] = set()
        for step in self.steps:
            if step.id in seen:
                raise ValueError(f"step id {step.id!r} is used twice")
            seen.add(step.id)
        return self


class Source(Strict):
    """A public source a case rests on."""

    title: str = Field(min_length=1)
    url: str | None = None


class Result(Strict):
    """A number a case reports, with its source, or marked as an illustration."""

    metric: Text
    value: float
    unit: Text
    source: str | None = Field(default=None, description="where the number comes from")
    illustration: bool = Field(
        default=False, description="true when the number is an illustration, not a fact"
    )
    note: Text | None = Field(default=None, description="e.g. where sources conflict")

    @model_validator(mode="after")
    def _sourced_or_marked(self) -> Result:
        if not self.source and not self.illustration:
            raise ValueError("a result needs a source, or illustration: true")
        return self


class CalculatorPreset(Strict):
    """Inputs that reproduce a case's numbers in a calculator."""

    id: ItemId
    inputs: dict[str, Any] = Field(default_factory=dict)


class Case(Item):
    """A case study from the book, with its moves, results and lessons."""

    kind: Literal["case"]
    company: Text
    year: int = Field(ge=1990, le=2030, json_schema_extra={"unit": "year"})
    moves: list[Text] = Field(min_length=1)
    results: list[Result] = Field(default_factory=list)
    lessons: list[Text] = Field(min_length=1)
    playbooks: list[ItemId] = Field(default_factory=list, description="playbooks it illustrates")
    sources: list[Source] = Field(default_factory=list)
    calculator: CalculatorPreset | None = None


AnyItem = Playbook | Case


class Section(Strict):
    """A section of the book's table of contents."""

    number: SectionNo
    title: Text
    case: bool = Field(default=False, description="a 【案例】 section")
    sections: list[Section] = Field(default_factory=list)


class Chapter(Strict):
    """A chapter of the book."""

    number: int = Field(ge=1, le=99)
    title: Text
    sections: list[Section] = Field(min_length=1)


class Book(Strict):
    """The book's bibliographic data and its table of contents."""

    title: Text
    author: Text
    publisher: Text
    year: int
    isbn: str
    chapters: list[Chapter] = Field(min_length=1)

    def walk(self) -> list[Section]:
        """Every section, depth first."""
        out: list[Section] = []

        def visit(sections: list[Section]) -> None:
            for section in sections:
                out.append(section)
                visit(section.sections)

        for chapter in self.chapters:
            visit(chapter.sections)
        return out

    def numbers(self) -> set[str]:
        """Every chapter and section number ("3", "3.2", "3.2.1")."""
        return {str(c.number) for c in self.chapters} | {s.number for s in self.walk()}

    def leaves(self) -> list[Section]:
        """Sections without sub-sections, in book order."""
        return [s for s in self.walk() if not s.sections]

    def title_of(self, number: str) -> Text | None:
        """The title of a chapter or section number, if the book has it."""
        for chapter in self.chapters:
            if str(chapter.number) == number:
                return chapter.title
        for section in self.walk():
            if section.number == number:
                return section.title
        return None


class Term(Strict):
    """A vocabulary entry: labels in both languages."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Vocabulary(Strict):
    """Tags, platforms, stages and roles that items may use, with their labels."""

    tags: dict[str, Term]
    platforms: dict[str, Term]
    stages: dict[str, Term]
    roles: dict[str, Term]

    @field_validator("tags", "platforms", "stages", "roles")
    @classmethod
    def _kebab_keys(cls, value: dict[str, Term]) -> dict[str, Term]:
        for key in value:
            if not re.match(KEBAB, key):
                raise ValueError(f"{key!r} is not a kebab-case id")
        return value

    def label(self, field: str, key: str, lang: str) -> str:
        """The label of `key` in vocabulary `field` ("tags", "platforms", ...)."""
        terms: dict[str, Term] = getattr(self, field)
        term = terms.get(key)
        if term is None:
            return key
        return term.zh if lang == "zh" else term.en
