"""The presenter deck: an agenda turned into slides, each text in both languages.

One deck feeds every output: the presenter view, the audience screen, the PPTX file and the
Markdown handout. A slide has what the audience sees (`title`, `body`) and what only the trainer
sees (`notes`). A playbook block is an opening slide plus one slide per step; a case is one slide.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from qunce.content.catalogue import Catalogue
from qunce.content.schema import Case, Playbook, Result, Step, Text
from qunce.workshop.agenda import Agenda, Block

DisplayLang = Literal["zh", "en", "both"]
DISPLAY_LANGS: tuple[DisplayLang, ...] = ("zh", "en", "both")
SlideKind = Literal["title", "playbook", "step", "case", "close"]
# A case slide shows its summary and this many figures; the rest go to the speaker notes, so the
# slide stays readable from the back of the room.
CASE_RESULTS_SHOWN = 4


@dataclass(frozen=True)
class Bi:
    """A text in Chinese and English; `bullet` marks a list entry rather than a paragraph."""

    zh: str
    en: str
    bullet: bool = False

    @staticmethod
    def of(text: Text, bullet: bool = False) -> Bi:
        """From a content `Text`."""
        return Bi(text.zh, text.en, bullet)

    @staticmethod
    def same(value: str, bullet: bool = False) -> Bi:
        """A text that reads the same in both languages (a name the trainer typed, a number)."""
        return Bi(value, value, bullet)

    def get(self, lang: str) -> str:
        """The text in "zh" or "en" (the other language when empty); "both" joins them."""
        return "\n".join(text for text, _ in self.parts(lang))

    def parts(self, lang: str) -> list[tuple[str, Literal["zh", "en"]]]:
        """The pieces to show for `lang`, each with its language (one piece, or zh then en)."""
        if lang == "both":
            if self.zh == self.en or not self.en:
                return [(self.zh or self.en, "zh")]
            if not self.zh:
                return [(self.en, "en")]
            return [(self.zh, "zh"), (self.en, "en")]
        if lang == "en":
            return [(self.en, "en")] if self.en else [(self.zh, "zh")]
        return [(self.zh, "zh")] if self.zh else [(self.en, "en")]


@dataclass(frozen=True)
class Slide:
    """One slide: a kicker line, a title, the audience's text and the speaker notes."""

    key: str
    kind: SlideKind
    block: int | None
    item_id: str | None
    step_id: str | None
    kicker: Bi
    title: Bi
    body: tuple[Bi, ...]
    notes: tuple[Bi, ...]
    minutes: int = 0


@dataclass(frozen=True)
class Deck:
    """The slides of a workshop, in order, with the agenda they came from."""

    agenda: Agenda
    slides: tuple[Slide, ...]

    def first_of_block(self, block: int) -> int:
        """The index of the first slide of agenda block `block`."""
        return next(i for i, s in enumerate(self.slides) if s.block == block)

    def clamp(self, index: int) -> int:
        """`index` moved into the deck's range."""
        return max(0, min(len(self.slides) - 1, index))


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _result_line(result: Result) -> Bi:
    value = _number(result.value)
    mark_zh = "（示意）" if result.illustration else ""
    mark_en = " (illustration)" if result.illustration else ""
    return Bi(
        f"{result.metric.zh}：{value} {result.unit.zh}{mark_zh}",
        f"{result.metric.en}: {value} {result.unit.en}{mark_en}",
        bullet=True,
    )


def _minutes(minutes: int) -> Bi:
    return Bi(f"{minutes} 分钟", f"{minutes} min")


def _trainer_note(block: Block) -> tuple[Bi, ...]:
    if not block.note:
        return ()
    return (Bi(f"培训师备注：{block.note}", f"Trainer's note: {block.note}"),)


def _kicker(index: int, count: int, kind: Bi, block: Block) -> Bi:
    return Bi(
        f"环节 {index + 1}/{count} · {kind.zh} · {block.minutes} 分钟",
        f"Block {index + 1}/{count} · {kind.en} · {block.minutes} min",
    )


def _playbook_slides(
    book: Playbook, index: int, count: int, block: Block, catalogue: Catalogue
) -> list[Slide]:
    notes = [
        Bi(
            f"本环节 {block.minutes} 分钟，共 {len(book.steps)} 步；书中章节 {'、'.join(book.sections)}。",
            f"{block.minutes} minutes for {len(book.steps)} steps; book sections "
            f"{', '.join(book.sections)}.",
        )
    ]
    notes += [Bi(f"衡量是否有效：{m.zh}", f"How to tell it works: {m.en}") for m in book.metrics]
    notes += [Bi(f"常见的坑：{p.zh}", f"Common pitfall: {p.en}") for p in book.pitfalls]
    notes += _trainer_note(block)
    opening = Slide(
        key=f"playbook:{book.id}",
        kind="playbook",
        block=index,
        item_id=book.id,
        step_id=None,
        kicker=_kicker(index, count, Bi("方法", "Playbook"), block),
        title=Bi.of(book.title),
        body=(
            Bi.of(book.summary),
            *(
                Bi(f"{n}. {s.title.zh}", f"{n}. {s.title.en}", bullet=True)
                for n, s in enumerate(book.steps, start=1)
            ),
        ),
        notes=tuple(notes),
        minutes=block.minutes,
    )
    return [opening] + [
        _step_slide(book, step, n, index, block, catalogue)
        for n, step in enumerate(book.steps, start=1)
    ]


def _step_slide(
    book: Playbook, step: Step, number: int, index: int, block: Block, catalogue: Catalogue
) -> Slide:
    role_zh = catalogue.vocabulary.label("roles", step.role, "zh")
    role_en = catalogue.vocabulary.label("roles", step.role, "en")
    effort = _number(step.effort_days)
    notes = [
        Bi(
            f"角色：{role_zh}；工作量约 {effort} 天"
            + (f"；书中章节 {step.section}" if step.section else "")
            + "。",
            f"Role: {role_en}; about {effort} day(s) of work"
            + (f"; book section {step.section}" if step.section else "")
            + ".",
        ),
        Bi(
            "请各组讨论：这一步谁来负责？什么时候完成？做完后在手机清单上勾选。",
            "Ask each team: who owns this step, and by when? Tick it on the phone checklist "
            "once it is done.",
        ),
    ]
    return Slide(
        key=f"step:{book.id}:{step.id}",
        kind="step",
        block=index,
        item_id=book.id,
        step_id=step.id,
        kicker=Bi(
            f"{book.title.zh} · 第 {number}/{len(book.steps)} 步",
            f"{book.title.en} · step {number} of {len(book.steps)}",
        ),
        title=Bi.of(step.title),
        body=(
            Bi.of(step.detail),
            Bi(f"完成标准：{step.done_when.zh}", f"Done when: {step.done_when.en}"),
        ),
        notes=tuple(notes),
        minutes=block.minutes,
    )


def _case_slide(
    case: Case, index: int, count: int, block: Block, items: Mapping[str, Playbook | Case]
) -> Slide:
    notes = [Bi(f"做法：{m.zh}", f"Move: {m.en}") for m in case.moves]
    notes += [Bi(f"启示：{lesson.zh}", f"Lesson: {lesson.en}") for lesson in case.lessons]
    shown = [items[p] for p in case.playbooks if p in items]
    if shown:
        notes.append(
            Bi(
                "对应的方法：" + "、".join(p.title.zh for p in shown),
                "Playbooks it illustrates: " + "; ".join(p.title.en for p in shown),
            )
        )
    if case.sources:
        notes.append(
            Bi(
                "来源：" + "；".join(s.title for s in case.sources),
                "Sources: " + "; ".join(s.title for s in case.sources),
            )
        )
    notes += [
        Bi(f"更多数字：{line.zh}", f"More figures: {line.en}")
        for line in map(_result_line, case.results[CASE_RESULTS_SHOWN:])
    ]
    notes += _trainer_note(block)
    return Slide(
        key=f"case:{case.id}",
        kind="case",
        block=index,
        item_id=case.id,
        step_id=None,
        kicker=Bi(
            f"环节 {index + 1}/{count} · 案例 · {case.company.zh} · {case.year} · "
            f"{block.minutes} 分钟",
            f"Block {index + 1}/{count} · Case · {case.company.en} · {case.year} · "
            f"{block.minutes} min",
        ),
        title=Bi.of(case.title),
        body=(
            Bi.of(case.summary),
            *(_result_line(r) for r in case.results[:CASE_RESULTS_SHOWN]),
        ),
        notes=tuple(notes),
        minutes=block.minutes,
    )


def _title_slide(agenda: Agenda, items: Mapping[str, Playbook | Case]) -> Slide:
    lines = []
    for number, block in enumerate(agenda.blocks, start=1):
        item = items[block.item]
        lines.append(
            Bi(
                f"{number}. {item.title.zh}（{block.minutes} 分钟）",
                f"{number}. {item.title.en} ({block.minutes} min)",
                bullet=True,
            )
        )
    return Slide(
        key="title",
        kind="title",
        block=None,
        item_id=None,
        step_id=None,
        kicker=Bi("群策 Qunce · 工作坊", "Qunce 群策 · Workshop"),
        title=Bi.same(agenda.title),
        body=tuple(lines),
        notes=(
            Bi(
                f"欢迎大家。今天共 {len(agenda.blocks)} 个环节，约 {agenda.minutes} 分钟。"
                "先分组：每组用手机扫描本组的二维码，进入本组的启动清单。",
                f"Welcome. Today has {len(agenda.blocks)} blocks, about {agenda.minutes} minutes. "
                "First form teams: each team scans its own QR code with a phone to open its "
                "launch checklist.",
            ),
        ),
    )


def _closing_slide() -> Slide:
    return Slide(
        key="close",
        kind="close",
        block=None,
        item_id=None,
        step_id=None,
        kicker=Bi("总结", "Wrap-up"),
        title=Bi("每组的下一步", "Each team's next step"),
        body=(
            Bi(
                "每组说出最先要做的一件事、负责人和日期。",
                "Each team names its first task, an owner and a date.",
                True,
            ),
            Bi(
                "没做完的条目留在清单里，会后继续推进。",
                "Open items stay on the checklist; carry on after today.",
                True,
            ),
        ),
        notes=(
            Bi(
                "打开“进度看板”的收尾总结：逐条讨论多数组跳过或没完成的步骤，问清原因。",
                "Open the board's closing summary: go through the steps most teams skipped or "
                "left open, and ask why.",
            ),
        ),
    )


def build_deck(agenda: Agenda, catalogue: Catalogue) -> Deck:
    """Slides for `agenda`: a title slide, its blocks in order, and a wrap-up slide.

    The agenda must name only items of `catalogue` (see `check_agenda`); an item that has since
    disappeared from the content is skipped rather than breaking a running workshop.
    """
    items = catalogue.items
    kept = tuple(b for b in agenda.blocks if b.item in items)
    if kept != agenda.blocks and kept:
        agenda = agenda.model_copy(update={"blocks": kept})
    slides: list[Slide] = [_title_slide(agenda, items)] if kept else []
    count = len(kept)
    for index, block in enumerate(kept):
        item = items[block.item]
        if isinstance(item, Playbook):
            slides += _playbook_slides(item, index, count, block, catalogue)
        else:
            slides.append(_case_slide(item, index, count, block, items))
    slides.append(_closing_slide())
    return Deck(agenda=agenda, slides=tuple(slides))


def block_minutes(deck: Deck, block: int | None) -> int:
    """Minutes planned for agenda block `block` (0 for the title and wrap-up slides)."""
    if block is None or block >= len(deck.agenda.blocks):
        return 0
    return deck.agenda.blocks[block].minutes


def minutes_label(minutes: int) -> Bi:
    """ "20 分钟" / "20 min"."""
    return _minutes(minutes)
