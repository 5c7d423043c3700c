"""The presenter deck: an agenda turned into slides, each text in both languages.

One deck feeds every output: the presenter view, the audience screen, the PPTX file and the
Markdown handout. A slide has what the audience sees (`title`, `body`, a `chart` of a case's
figures) and what only the trainer sees (`notes`). A playbook block is an opening slide plus one
slide per step; with the playbook's trainer layer it adds its anchor case, a discussion slide
and an exercise slide. A case is one slide.

Slides stay short, because a room reads them from the back: a step slide carries its key message
and its done-when within STEP_ZH characters / STEP_EN words (`budget.py`); the step's detail, and
whatever else does not fit, is in the speaker notes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from qunce.content.catalogue import Catalogue
from qunce.content.schema import Case, Exercise, Playbook, Result, Step, Text
from qunce.workshop.agenda import Agenda, Block
from qunce.workshop.budget import STEP_EN, STEP_ZH, fits, shorten_en, shorten_zh

DisplayLang = Literal["zh", "en", "both"]
DISPLAY_LANGS: tuple[DisplayLang, ...] = ("zh", "en", "both")
SlideKind = Literal["title", "playbook", "now", "step", "case", "discuss", "exercise", "close"]
# A case slide shows its summary and this many figures (a chart and lines together); the rest go
# to the speaker notes, so the slide stays readable from the back of the room.
CASE_RESULTS_SHOWN = 4
CHART_BARS = 6
# Summaries on opening, case and exercise slides are cut to these (the whole text is in the notes).
SUMMARY_ZH, SUMMARY_EN = 60, 16
# A then-and-now slide shows "then" and "now" cut to these; the whole note, its limits, what
# happened next and its dated sources are in the speaker notes.
THEN_ZH, THEN_EN = 40, 10
NOW_ZH, NOW_EN = 60, 16
CASE_ZH, CASE_EN = 90, 24


@dataclass(frozen=True)
class Bi:
    """A text in Chinese and English; `bullet` marks a list entry rather than a paragraph, and
    `emphasis` the slide's key message (drawn larger, in the accent colour)."""

    zh: str
    en: str
    bullet: bool = False
    emphasis: bool = False

    @staticmethod
    def of(text: Text, bullet: bool = False) -> Bi:
        """From a content `Text`."""
        return Bi(text.zh, text.en, bullet)

    def shortened(self, zh_limit: int, en_limit: int) -> Bi:
        """This text cut to `zh_limit` characters (zh) and `en_limit` words (en), with "…"."""
        return Bi(
            shorten_zh(self.zh, zh_limit),
            shorten_en(self.en, en_limit),
            self.bullet,
            self.emphasis,
        )

    def prefixed(self, zh: str, en: str) -> Bi:
        """This text with a label in front of each language ("完成标准：", "Done when: ")."""
        return Bi(zh + self.zh, en + self.en, self.bullet, self.emphasis)

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
class Figure:
    """A case's figure: metric, value, unit, and whether the number is an illustration."""

    metric: Bi
    value: float
    unit: Bi
    illustration: bool = False

    def line(self) -> Bi:
        """ "Metric: 1,000 users (illustration)" as a list entry."""
        value = _number(self.value)
        mark_zh = "（示意）" if self.illustration else ""
        mark_en = " (illustration)" if self.illustration else ""
        return Bi(
            f"{self.metric.zh}：{value} {self.unit.zh}{mark_zh}",
            f"{self.metric.en}: {value} {self.unit.en}{mark_en}",
            bullet=True,
        )

    def label(self) -> Bi:
        """The metric as a chart's category label (illustrations marked)."""
        if not self.illustration:
            return self.metric
        return Bi(f"{self.metric.zh}（示意）", f"{self.metric.en} (illustration)")


@dataclass(frozen=True)
class Chart:
    """Figures of one unit, drawn as bars (the PPTX chart; a page can draw it with Plotly)."""

    unit: Bi
    figures: tuple[Figure, ...]

    @property
    def title(self) -> Bi:
        """The chart's title: its unit."""
        return Bi(f"单位：{self.unit.zh}", f"In {self.unit.en}")


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
    chart: Chart | None = None


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


def _figure(result: Result) -> Figure:
    return Figure(Bi.of(result.metric), result.value, Bi.of(result.unit), result.illustration)


def _result_line(result: Result) -> Bi:
    return _figure(result).line()


def pick_chart(results: list[Result]) -> tuple[Chart | None, list[Result]]:
    """The figures worth a chart (the largest group of one unit, at least two, at most
    CHART_BARS) and the results left over, in their order."""
    groups: dict[str, list[Result]] = {}
    for result in results:
        groups.setdefault(result.unit.en.strip().lower(), []).append(result)
    best = max(groups.values(), key=len, default=[])
    if len(best) < 2:
        return None, list(results)
    charted = best[:CHART_BARS]
    rest = [r for r in results if not any(r is c for c in charted)]
    return Chart(Bi.of(charted[0].unit), tuple(_figure(r) for r in charted)), rest


def step_body(lead: Bi | None, done: Bi) -> tuple[tuple[Bi, ...], tuple[Bi, ...]]:
    """A step slide's body within STEP_ZH / STEP_EN, and what moves to the notes instead.

    The key message (`lead`) comes first; the done-when follows if it still fits. A first text
    that alone is too long is shortened on the slide and given whole in the notes.
    """
    shown: list[Bi] = []
    moved: list[Bi] = []
    for text in (t for t in (lead, done) if t is not None):
        together = [*shown, text]
        if fits([t.zh for t in together], [t.en for t in together], STEP_ZH, STEP_EN):
            shown.append(text)
        elif not shown:
            shown.append(text.shortened(STEP_ZH, STEP_EN))
            moved.append(text)
        else:
            moved.append(text)
    return tuple(shown), tuple(moved)


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
    book: Playbook, index: int, count: int, block: Block, catalogue: Catalogue, on_agenda: set[str]
) -> list[Slide]:
    notes = [
        Bi(
            f"本环节 {block.minutes} 分钟，共 {len(book.steps)} 步；书中章节 {'、'.join(book.sections)}。",
            f"{block.minutes} minutes for {len(book.steps)} steps; book sections "
            f"{', '.join(book.sections)}.",
        )
    ]
    summary = Bi.of(book.summary)
    short = summary.shortened(SUMMARY_ZH, SUMMARY_EN)
    if short != summary:
        notes.append(summary.prefixed("概要：", "Summary: "))
    notes += [Bi(f"衡量是否有效：{m.zh}", f"How to tell it works: {m.en}") for m in book.metrics]
    notes += [Bi(f"常见的坑：{p.zh}", f"Common pitfall: {p.en}") for p in book.pitfalls]
    trainer = book.trainer
    if trainer is not None:
        anchor = catalogue.items.get(trainer.anchor_case)
        if isinstance(anchor, Case):
            notes.append(
                Bi(
                    f"锚定案例：{anchor.title.zh}（{anchor.company.zh}，{anchor.year}）",
                    f"Anchor case: {anchor.title.en} ({anchor.company.en}, {anchor.year})",
                )
            )
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
            short,
            *(
                Bi(f"{n}. {s.title.zh}", f"{n}. {s.title.en}", bullet=True)
                for n, s in enumerate(book.steps, start=1)
            ),
        ),
        notes=tuple(notes),
        minutes=block.minutes,
    )
    slides = [opening, *_now_slide(book, index, block, opening.kicker)] + [
        _step_slide(book, step, n, index, block, catalogue)
        for n, step in enumerate(book.steps, start=1)
    ]
    return slides + _trainer_slides(book, index, block, catalogue, on_agenda)


def _trainer_slides(
    book: Playbook, index: int, block: Block, catalogue: Catalogue, on_agenda: set[str]
) -> list[Slide]:
    """The anchor case (unless it has a block of its own), the discussion and the exercise."""
    trainer = book.trainer
    if trainer is None:
        return []
    out = []
    anchor = catalogue.items.get(trainer.anchor_case)
    if isinstance(anchor, Case) and anchor.id not in on_agenda:
        out.append(
            _case_slide(
                anchor,
                index,
                block,
                catalogue.items,
                key=f"anchor:{book.id}:{anchor.id}",
                kicker=Bi(
                    f"{book.title.zh} · 锚定案例 · {anchor.company.zh} · {anchor.year}",
                    f"{book.title.en} · anchor case · {anchor.company.en} · {anchor.year}",
                ),
            )
        )
    questions = tuple(
        Bi(f"{n}. {q.zh}", f"{n}. {q.en}", bullet=True)
        for n, q in enumerate(trainer.questions, start=1)
    )
    out.append(
        Slide(
            key=f"discuss:{book.id}",
            kind="discuss",
            block=index,
            item_id=book.id,
            step_id=None,
            kicker=Bi(f"{book.title.zh} · 小组讨论", f"{book.title.en} · discussion"),
            title=Bi("小组讨论", "Discuss in your team"),
            body=questions,
            notes=(
                Bi(
                    "每组先讨论 5 分钟，再请两三组各用一分钟分享；可以用“向全场提问”收集每组的答案。",
                    "Give the teams five minutes, then ask two or three teams for a minute each; "
                    "“Ask the room” collects every team's answer.",
                ),
            ),
            minutes=block.minutes,
        )
    )
    out.append(_exercise_slide(book, trainer.exercise, index, block))
    return out


def _calculator_title(calc_id: str) -> Bi | None:
    from qunce.calculators.registry import REGISTRY

    found = REGISTRY.get(calc_id)
    return Bi(found.title.zh, found.title.en) if found is not None else None


def _exercise_slide(book: Playbook, exercise: Exercise, index: int, block: Block) -> Slide:
    brief = Bi.of(exercise.brief)
    short = brief.shortened(CASE_ZH, CASE_EN)
    body = [short, Bi(f"时间：{exercise.minutes} 分钟", f"Time: {exercise.minutes} minutes")]
    notes = [brief.prefixed("练习说明：", "The exercise: ")]
    calculator = _calculator_title(exercise.calculator) if exercise.calculator else None
    if calculator is not None:
        body.append(Bi(f"工具：{calculator.zh}计算器", f"Tool: the {calculator.en} calculator"))
        if exercise.inputs:
            values = "，".join(f"{k} = {v}" for k, v in exercise.inputs.items())
            values_en = ", ".join(f"{k} = {v}" for k, v in exercise.inputs.items())
            notes.append(
                Bi(f"计算器的起始输入：{values}", f"Calculator starting inputs: {values_en}")
            )
    notes.append(
        Bi(
            "计时开始前说清要交回什么；结束前 3 分钟提醒一次。",
            "Say what each team hands back before the clock starts; warn three minutes before "
            "the end.",
        )
    )
    return Slide(
        key=f"exercise:{book.id}",
        kind="exercise",
        block=index,
        item_id=book.id,
        step_id=None,
        kicker=Bi(
            f"{book.title.zh} · 练习 · {exercise.minutes} 分钟",
            f"{book.title.en} · exercise · {exercise.minutes} min",
        ),
        title=Bi.of(exercise.title),
        body=tuple(body),
        notes=tuple(notes),
        minutes=exercise.minutes,
    )


def _step_slide(
    book: Playbook, step: Step, number: int, index: int, block: Block, catalogue: Catalogue
) -> Slide:
    role_zh = catalogue.vocabulary.label("roles", step.role, "zh")
    role_en = catalogue.vocabulary.label("roles", step.role, "en")
    effort = _number(step.effort_days)
    lead = (
        Bi(step.key_message.zh, step.key_message.en, emphasis=True)
        if step.key_message is not None
        else None
    )
    done = Bi.of(step.done_when).prefixed("完成标准：", "Done when: ")
    body, moved = step_body(lead, done)
    notes = [
        Bi.of(step.detail).prefixed("做法：", "What to do: "),
        *moved,
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
        body=body,
        notes=tuple(notes),
        minutes=block.minutes,
    )


def _case_slide(
    case: Case,
    index: int,
    block: Block,
    items: Mapping[str, Playbook | Case],
    *,
    key: str | None = None,
    kicker: Bi,
) -> Slide:
    summary = Bi.of(case.summary)
    short = summary.shortened(CASE_ZH, CASE_EN)
    chart, rest = pick_chart(case.results)
    room = max(0, CASE_RESULTS_SHOWN - (len(chart.figures) if chart else 0))
    lines = [_result_line(r) for r in rest[: min(room, 2)]]
    later = rest[min(room, 2) :]
    notes = [summary.prefixed("概要：", "Summary: ")] if short != summary else []
    notes += [Bi(f"做法：{m.zh}", f"Move: {m.en}") for m in case.moves]
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
        Bi(f"更多数字：{line.zh}", f"More figures: {line.en}") for line in map(_result_line, later)
    ]
    notes += _trainer_note(block)
    return Slide(
        key=key or f"case:{case.id}",
        kind="case",
        block=index,
        item_id=case.id,
        step_id=None,
        kicker=kicker,
        title=Bi.of(case.title),
        body=(short, *lines),
        notes=tuple(notes),
        minutes=block.minutes,
        chart=chart,
    )


def _now_slide(item: Playbook | Case, index: int, block: Block, kicker: Bi) -> list[Slide]:
    """The book's 2016 world beside today's: one short slide, the full note in the notes."""
    tan = item.then_and_now
    if tan is None:
        return []
    body = (
        Bi.of(tan.then).shortened(THEN_ZH, THEN_EN).prefixed("当年：", "Then: "),
        Bi.of(tan.now).shortened(NOW_ZH, NOW_EN).prefixed("现在：", "Now: "),
    )
    notes = [
        Bi(f"核对于 {tan.as_of.isoformat()}", f"Checked {tan.as_of.isoformat()}"),
        Bi.of(tan.then).prefixed("当年：", "Then: "),
        Bi.of(tan.now).prefixed("现在：", "Now: "),
    ]
    if tan.limits is not None:
        notes.append(Bi.of(tan.limits).prefixed("今天的限制：", "Today's limits: "))
    if isinstance(item, Case) and tan.next is not None:
        notes.append(Bi.of(tan.next).prefixed("后来：", "What happened next: "))
    if tan.illustration:
        notes.append(
            Bi("这是推理，没有找到公开资料佐证。", "Our reasoning: no public source backs it.")
        )
    notes += [
        Bi.same(f"{source.title}, {source.date.isoformat()} — {source.url}")
        for source in tan.sources
    ]
    return [
        Slide(
            key=f"now:{item.id}",
            kind="now",
            block=index,
            item_id=item.id,
            step_id=None,
            kicker=kicker,
            title=Bi("2016 年的书 → 今天", "The 2016 book → today"),
            body=body,
            notes=tuple(notes),
            minutes=block.minutes,
        )
    ]


def _case_kicker(case: Case, index: int, count: int, block: Block) -> Bi:
    return Bi(
        f"环节 {index + 1}/{count} · 案例 · {case.company.zh} · {case.year} · {block.minutes} 分钟",
        f"Block {index + 1}/{count} · Case · {case.company.en} · {case.year} · {block.minutes} min",
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
    on_agenda = {b.item for b in kept}
    for index, block in enumerate(kept):
        item = items[block.item]
        if isinstance(item, Playbook):
            slides += _playbook_slides(item, index, count, block, catalogue, on_agenda)
        else:
            kicker = _case_kicker(item, index, count, block)
            slides.append(_case_slide(item, index, block, items, kicker=kicker))
            slides += _now_slide(item, index, block, kicker)
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
