"""Cut items into the pieces a person wants to land on: a summary, a step, a move, a lesson."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from qunce.content.catalogue import Catalogue, Item
from qunce.content.schema import Case, Playbook, Step, Text
from qunce.search.script import fold

# 3: routines, then-and-now, key messages; 4: pointer steps carry their owner's words;
# 5: a chunk per leaf section, its title in the book's own words
CHUNKER_VERSION = 5


@dataclass(frozen=True)
class Chunk:
    """A searchable piece of one item, with the metadata filters need."""

    id: str
    item_id: str
    kind: str
    part: str  # summary | now | step | routine | move | lesson
    sections: tuple[str, ...]
    chapter: int
    zh: str
    en: str
    item_sections: tuple[str, ...] = ()
    title_zh: str = ""
    title_en: str = ""
    platforms: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    step_id: str | None = None
    shown_zh: str = ""  # what a person reads in a result (the embedded text adds context)
    shown_en: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    position: int = 0  # 1-based number of the step, routine, move or lesson in its item (0: none)
    label_zh: str = ""  # the step's or routine's title, or the start of a move or lesson
    label_en: str = ""

    def label(self, lang: str) -> str:
        """A short name for where the chunk sits in its item, in one language."""
        return self.label_zh if lang == "zh" else self.label_en

    def text(self, lang: str) -> str:
        """The chunk's indexed text in one language."""
        return self.zh if lang == "zh" else self.en

    def shown(self, lang: str) -> str:
        """The chunk's text as a person should read it in a result."""
        text = self.shown_zh if lang == "zh" else self.shown_en
        return text or self.text(lang)

    def metadata(self) -> dict[str, str | int | bool]:
        """Flat metadata for the vector store: list fields become one boolean per value."""
        meta: dict[str, str | int | bool] = {
            "item_id": self.item_id,
            "kind": self.kind,
            "part": self.part,
            "chapter": self.chapter,
            "sections": ",".join(self.sections),
        }
        for prefix, values in (
            ("platform", self.platforms),
            ("stage", self.stages),
            ("tag", self.tags),
        ):
            for value in values:
                meta[f"{prefix}:{value}"] = True
        return meta


def _section_titles(cat: Catalogue, numbers: list[str] | tuple[str, ...]) -> Text:
    titles = [t for n in numbers if (t := cat.book.title_of(n)) is not None]
    return Text(
        zh="；".join(t.zh for t in titles) or "-", en="; ".join(t.en for t in titles) or "-"
    )


def _join(*parts: str, sep: str) -> str:
    return sep.join(p for p in parts if p)


def _owner_step(cat: Catalogue, step: Step) -> Text:
    """The task a pointer step (`see:`) hands to its owner, as text for this step's chunk.

    A pointer keeps one line of its own; the book section it serves is still asked about in
    the owner's words, so its chunk carries the owner step's title, detail and deliverable.
    """
    blank = Text.model_construct(zh="", en="")
    if step.see is None:
        return blank
    owner_id, _, step_id = step.see.partition("/")
    owner = cat.get(owner_id)
    if not isinstance(owner, Playbook):
        return blank
    found = next((s for s in owner.steps if s.id == step_id), None)
    if found is None:
        return blank
    return Text.model_construct(
        zh=_join(found.title.zh, found.detail.zh, found.done_when.zh, sep="。"),
        en=_join(found.title.en, found.detail.en, found.done_when.en, sep=". "),
    )


def _section_chunks(
    cat: Catalogue, item: Item, head_zh: str, head_en: str, base: Mapping[str, Any]
) -> list[Chunk]:
    """One small chunk per leaf section the item owns: the book's own title for it.

    Readers who ask in the book's terms ("资金错配", "the elite partner bars") name a section
    title; in the long 2026 texts those words are a small share of a chunk, here they are all
    of it. A playbook's section chunk opens the page at the section's first step.
    """
    leaves = {s.number for s in cat.book.leaves()}
    out = []
    for number in item.sections:
        title = cat.book.title_of(number)
        if number not in leaves or title is None:
            continue
        first = (
            next((s for s in item.steps if s.section == number), None)
            if isinstance(item, Playbook)
            else None
        )
        out.append(
            Chunk(
                id=f"{item.id}::section::{number}",
                part="section",
                sections=(number,),
                zh=_join(title.zh, head_zh, sep="。"),
                en=_join(title.en, head_en, sep=". "),
                shown_zh=f"§{number} {title.zh}",
                shown_en=f"§{number} {title.en}",
                step_id=first.id if first else None,
                label_zh=title.zh,
                label_en=title.en,
                **base,
            )
        )
    return out


def chunk_item(cat: Catalogue, item: Item) -> list[Chunk]:
    """Every chunk of one item. Book section titles are part of the text: they name the topic.

    The indexed texts are folded to simplified characters (a company's 繁體 cards are searched
    like the rest); what a result shows stays as written."""
    return [replace(c, zh=fold(c.zh), en=fold(c.en)) for c in _chunks(cat, item)]


def _chunks(cat: Catalogue, item: Item) -> list[Chunk]:
    base = {
        "item_id": item.id,
        "kind": "case" if isinstance(item, Case) else "playbook",
        "chapter": item.chapter,
        "platforms": tuple(item.platforms),
        "stages": tuple(item.stages),
        "tags": tuple(item.tags),
        "item_sections": tuple(item.sections),
        "title_zh": item.title.zh,
        "title_en": item.title.en,
    }
    sections = tuple(item.sections)
    titles = _section_titles(cat, sections)
    tag_text = Text(
        zh=" ".join(cat.vocabulary.label("tags", t, "zh") for t in item.tags) or "-",
        en=" ".join(cat.vocabulary.label("tags", t, "en") for t in item.tags) or "-",
    )
    head_zh = item.title.zh
    head_en = item.title.en
    if isinstance(item, Case):
        head_zh = f"{item.company.zh}：{head_zh}"
        head_en = f"{item.company.en}: {head_en}"
    out = [
        Chunk(
            id=f"{item.id}::summary",
            part="summary",
            sections=sections,
            zh=_join(head_zh, titles.zh, item.summary.zh, tag_text.zh, sep="。"),
            en=_join(head_en, titles.en, item.summary.en, tag_text.en, sep=". "),
            shown_zh=item.summary.zh,
            shown_en=item.summary.en,
            **base,  # type: ignore[arg-type]
        )
    ]
    out += _section_chunks(cat, item, head_zh, head_en, base)
    if item.then_and_now is not None:
        now = item.then_and_now
        extra = [t for t in (now.limits, now.next) if t is not None]
        out.append(
            Chunk(
                id=f"{item.id}::now",
                part="now",
                sections=sections,
                zh=_join(head_zh, now.then.zh, now.now.zh, *(t.zh for t in extra), sep="。"),
                en=_join(head_en, now.then.en, now.now.en, *(t.en for t in extra), sep=". "),
                shown_zh=now.now.zh,
                shown_en=now.now.en,
                **base,  # type: ignore[arg-type]
            )
        )
    if isinstance(item, Playbook):
        for number, step in enumerate(item.steps, start=1):
            step_sections = (step.section,) if step.section else sections
            step_titles = _section_titles(cat, step_sections)
            key = step.key_message
            owner = _owner_step(cat, step)
            out.append(
                Chunk(
                    id=f"{item.id}::step::{step.id}",
                    part="step",
                    sections=step_sections,
                    step_id=step.id,
                    zh=_join(
                        step.title.zh,
                        key.zh if key else "",
                        step_titles.zh,
                        step.detail.zh,
                        step.done_when.zh,
                        owner.zh,
                        sep="。",
                    ),
                    en=_join(
                        step.title.en,
                        key.en if key else "",
                        step_titles.en,
                        step.detail.en,
                        step.done_when.en,
                        owner.en,
                        sep=". ",
                    ),
                    shown_zh=f"{step.title.zh}：{step.detail.zh}",
                    shown_en=f"{step.title.en}: {step.detail.en}",
                    position=number,
                    label_zh=step.title.zh,
                    label_en=step.title.en,
                    **base,  # type: ignore[arg-type]
                )
            )
        for number, routine in enumerate(item.routines, start=1):
            out.append(
                Chunk(
                    id=f"{item.id}::routine::{routine.id}",
                    part="routine",
                    sections=sections,
                    step_id=routine.step,  # a routine lands on the step it keeps going
                    zh=_join(routine.title.zh, routine.template.zh, routine.metric.zh, sep="。"),
                    en=_join(routine.title.en, routine.template.en, routine.metric.en, sep=". "),
                    shown_zh=f"{routine.title.zh}：{routine.template.zh}",
                    shown_en=f"{routine.title.en}: {routine.template.en}",
                    position=number,
                    label_zh=routine.title.zh,
                    label_en=routine.title.en,
                    **base,  # type: ignore[arg-type]
                )
            )
    else:
        for part, texts in (("move", item.moves), ("lesson", item.lessons)):
            for index, value in enumerate(texts):
                out.append(
                    Chunk(
                        id=f"{item.id}::{part}::{index}",
                        part=part,
                        sections=sections,
                        zh=_join(head_zh, value.zh, sep="。"),
                        en=_join(head_en, value.en, sep=". "),
                        shown_zh=value.zh,
                        shown_en=value.en,
                        position=index + 1,
                        label_zh=_start(value.zh, 24),
                        label_en=_start(value.en, 64),
                        **base,  # type: ignore[arg-type]
                    )
                )
    return out


def _start(text: str, limit: int) -> str:
    """The first sentence of a text, cut to `limit` characters."""
    first = re.split(r"(?<=[。！？；.!?;])\s*", text.strip(), maxsplit=1)[0]
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def chunk_catalogue(cat: Catalogue) -> dict[str, list[Chunk]]:
    """item id → its chunks, for every valid item."""
    return {item_id: chunk_item(cat, item) for item_id, item in cat.items.items()}
