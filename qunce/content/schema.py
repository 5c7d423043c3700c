"""Pydantic models for Qunce content: playbooks, case cards, the book's TOC and the vocabulary.

The models are the single source of truth for the YAML format; `qunce schema` turns them into
JSON Schemas that editors use while people type.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SCHEMA_VERSION = 1

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’"
_FOLDED = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")

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

    @field_validator("zh")
    @classmethod
    def _no_folding_spaces(cls, value: str) -> str:
        # A folded YAML block (>-) joins its lines with a space, which Chinese does not have:
        # drop a lone space between two Chinese characters or punctuation marks.
        return _FOLDED.sub("", value)

    def get(self, lang: str) -> str:
        """The text in `lang` ("zh" or "en")."""
        return self.zh if lang == "zh" else self.en


class Provenance(Strict):
    """Where an item's substance comes from, said honestly."""

    basis: Literal["seed-text", "toc", "public-record", "practice"] = Field(
        description="seed-text: the book's pages in shared/seeds; toc: only the section title; "
        "public-record: public sources; practice: general practice"
    )
    note: Text = Field(description="one or two sentences on what the item rests on, in zh and en")


class DatedSource(Strict):
    """A public source with the date it speaks for (published, or read when it has no date)."""

    title: str = Field(min_length=1)
    url: str = Field(min_length=1)
    date: dt.date = Field(description="when the source published this (or when it was read)")


class ThenAndNow(Strict):
    """What the book assumed in 2016, what changed, and today's equivalent with its limits."""

    as_of: dt.date = Field(description="the date this was checked")
    then: Text = Field(description="what the book assumed (its platforms, its numbers)")
    now: Text = Field(description="what changed, and today's equivalent")
    limits: Text | None = Field(
        default=None, description="today's platform limits that matter here, as of `as_of`"
    )
    next: Text | None = Field(
        default=None, description="cases: what happened to the company next (sourced)"
    )
    sources: list[DatedSource] = Field(default_factory=list)
    illustration: bool = Field(
        default=False, description="true when no public source backs it: reasoning, not record"
    )

    @model_validator(mode="after")
    def _sourced_or_marked(self) -> ThenAndNow:
        if not self.sources and not self.illustration:
            raise ValueError("then_and_now needs sources (public, dated), or illustration: true")
        return self


KEY_MESSAGE_ZH = 20
KEY_MESSAGE_EN = 12


class KeyMessage(Text):
    """A step's one-line message for slides: at most 20 characters in zh, 12 words in en."""

    @model_validator(mode="after")
    def _short(self) -> KeyMessage:
        zh = len(re.sub(r"\s", "", self.zh))
        if zh > KEY_MESSAGE_ZH:
            raise ValueError(f"a key message has at most {KEY_MESSAGE_ZH} 字 in zh; this has {zh}")
        words = len(self.en.split())
        if words > KEY_MESSAGE_EN:
            raise ValueError(
                f"a key message has at most {KEY_MESSAGE_EN} words in en; this has {words}"
            )
        return self


class Step(Strict):
    """One thing a team does, checkably."""

    id: ItemId
    title: Text
    detail: Text = Field(description="what to do, concretely")
    done_when: Text = Field(description="a checkable result")
    effort_days: float = Field(
        gt=0,
        le=90,
        description="work in person-days (what it costs)",
        json_schema_extra={"unit": "days"},
    )
    duration_days: float | None = Field(
        default=None,
        gt=0,
        le=365,
        description="calendar days from start to done (how long it takes); default effort_days",
        json_schema_extra={"unit": "days"},
    )
    target: Text | None = Field(
        default=None, description="the outcome to measure afterwards (done_when is the deliverable)"
    )
    key_message: KeyMessage | None = Field(
        default=None, description="one line for the slide: at most 20 字 / 12 words"
    )
    see: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$",
        description="playbook-id/step-id of the step that owns this task (a plan copies it once)",
    )
    role: str = Field(description="who does it; an id from roles in _vocabulary.yaml")
    section: SectionNo | None = Field(
        default=None, description="the book section this step comes from"
    )

    @property
    def calendar_days(self) -> float:
        """Calendar days the step takes (duration_days, else effort_days)."""
        return self.duration_days if self.duration_days is not None else self.effort_days


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
    then_and_now: ThenAndNow | None = Field(
        default=None, description="the book's world beside today's, dated and sourced"
    )

    @property
    def chapter(self) -> int:
        """The chapter of the item's first section."""
        return int(self.sections[0].split(".")[0])


class Exercise(Strict):
    """A short exercise a workshop team does with this playbook (most use a calculator)."""

    title: Text
    brief: Text = Field(description="what the teams do, and what they hand back")
    minutes: int = Field(default=15, ge=5, le=60)
    calculator: ItemId | None = Field(default=None, description="a calculator id, if it uses one")
    inputs: dict[str, Any] = Field(
        default_factory=dict, description="the calculator inputs the exercise starts from"
    )


class Trainer(Strict):
    """What a trainer needs to run this playbook in a room."""

    questions: list[Text] = Field(
        min_length=2, max_length=2, description="two discussion questions"
    )
    exercise: Exercise
    anchor_case: ItemId = Field(description="the case that makes the playbook concrete")


class Routine(Strict):
    """A recurring task the method implies once the community runs (a 群SOP line)."""

    id: ItemId
    title: Text
    rule: str = Field(
        description='an RFC 5545 RRULE, e.g. "FREQ=DAILY;BYHOUR=9;BYMINUTE=0" or '
        '"FREQ=WEEKLY;BYDAY=FR;BYHOUR=20;BYMINUTE=0"'
    )
    role: str = Field(description="who does it; an id from roles in _vocabulary.yaml")
    template: Text = Field(description="the message to post, ready to adapt")
    metric: Text = Field(description="the number to watch")
    step: ItemId | None = Field(default=None, description="the step it keeps going, if any")
    standards: list[ItemId] = Field(
        default_factory=list, description="ids in _standards.yaml whose limits it respects"
    )

    @field_validator("rule")
    @classmethod
    def _valid_rule(cls, value: str) -> str:
        from qunce.content.rrules import check_rule

        return check_rule(value)


class Playbook(Item):
    """A framework from the book turned into steps a team can carry out."""

    kind: Literal["playbook"]
    steps: list[Step] = Field(min_length=1)
    metrics: list[Text] = Field(default_factory=list, description="what shows it works")
    pitfalls: list[Text] = Field(default_factory=list)
    routines: list[Routine] = Field(
        default_factory=list, description="daily / weekly / monthly tasks once it runs"
    )
    trainer: Trainer | None = Field(default=None, description="the workshop layer")

    @model_validator(mode="after")
    def _unique_step_ids(self) -> Playbook:
        for label, ids in (
            ("step", [s.id for s in self.steps]),
            ("routine", [r.id for r in self.routines]),
        ):
            seen: set[str] = set()
            for value in ids:
                if value in seen:
                    raise ValueError(f"{label} id {value!r} is used twice")
                seen.add(value)
        steps = {s.id for s in self.steps}
        for routine in self.routines:
            if routine.step is not None and routine.step not in steps:
                raise ValueError(
                    f"routine {routine.id!r} names step {routine.step!r}, which is not here"
                )
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
    """Inputs that reproduce a case's numbers in a calculator, saying which are the case's own."""

    id: ItemId
    inputs: dict[str, Any] = Field(default_factory=dict)
    from_case: list[str] = Field(
        default_factory=list,
        description="the inputs taken from the case's sourced numbers; the others are assumed",
    )
    illustration: bool = Field(
        default=False, description="true when the inputs only show the size of things"
    )
    note: Text | None = Field(default=None, description="where the inputs come from")

    @model_validator(mode="after")
    def _honest(self) -> CalculatorPreset:
        unknown = [name for name in self.from_case if name not in self.inputs]
        if unknown:
            raise ValueError(
                f"from_case names inputs the preset does not set: {', '.join(unknown)}"
            )
        if not self.from_case and not self.illustration:
            raise ValueError(
                "a preset names the inputs it takes from the case (from_case), "
                "or says illustration: true"
            )
        return self


class Case(Item):
    """A case study from the book, with its moves, results and lessons."""

    kind: Literal["case"]
    company: Text
    year: int = Field(ge=1990, le=2030, json_schema_extra={"unit": "year"})
    year_approx: bool = Field(
        default=False, description="true when the year is the book's period, not a verified date"
    )
    pattern: bool = Field(
        default=False,
        description="true when built from the section title: a pattern, not this company's record",
    )
    moves: list[Text] = Field(min_length=1)
    results: list[Result] = Field(default_factory=list)
    lessons: list[Text] = Field(min_length=1)
    playbooks: list[ItemId] = Field(default_factory=list, description="playbooks it illustrates")
    sources: list[Source] = Field(default_factory=list)
    calculator: CalculatorPreset | None = None
    illustrates: list[SectionNo] = Field(
        default_factory=list,
        description="book sections it illustrates without owning a leaf (cases after the book)",
    )


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
