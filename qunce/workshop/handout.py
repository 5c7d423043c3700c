"""The participants' handout: the agenda and every block's content as Markdown (no speaker notes).

Text a trainer typed (the workshop title) is escaped, so it reads as written in any Markdown
viewer instead of turning into links, headings or HTML.
"""

from __future__ import annotations

import re

from qunce.content.catalogue import Catalogue
from qunce.content.schema import Case, Playbook
from qunce.workshop.agenda import Agenda
from qunce.workshop.budget import one_line
from qunce.workshop.deck import Bi, DisplayLang

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")


def md_escape(text: str) -> str:
    """`text` on one line, without control characters, every Markdown (and HTML) control
    character backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def _t(bi: Bi, lang: DisplayLang) -> str:
    return " / ".join(text for text, _ in bi.parts(lang))


def _label(zh: str, en: str, lang: DisplayLang) -> str:
    return _t(Bi(zh, en), lang)


def _then_and_now(item: Playbook | Case, lang: DisplayLang) -> list[str]:
    """The book's world beside today's, dated, with its sources (or the illustration mark)."""
    tan = item.then_and_now
    if tan is None:
        return []
    lines = ["", f"### {_label('2016 年的书 → 今天', 'The 2016 book → today', lang)} "
             f"({_label('核对于', 'checked', lang)} {tan.as_of.isoformat()})", ""]  # fmt: skip
    parts = [(("当年", "Then"), tan.then), (("现在", "Now"), tan.now)]
    if tan.limits is not None:
        parts.append((("今天的限制", "Today's limits"), tan.limits))
    if isinstance(item, Case) and tan.next is not None:
        parts.append((("后来", "What happened next"), tan.next))
    for (zh, en), text in parts:
        lines.append(f"- **{_label(zh, en, lang)}**: {_t(Bi.of(text), lang)}")
    if tan.illustration:
        lines.append("- " + _label("这是我们的推理，没有找到公开资料佐证。",
                                   "Our reasoning: no public source was found to back it.", lang))  # fmt: skip
    for source in tan.sources:
        lines.append(f"  - {md_escape(source.title)}, {source.date.isoformat()} — {source.url}")
    return lines


def handout_markdown(agenda: Agenda, catalogue: Catalogue, lang: DisplayLang = "zh") -> str:
    """The handout in `lang` ("both" writes each text as 中文 / English)."""
    items = catalogue.items
    out = [f"# {md_escape(agenda.title)}", ""]
    out.append(
        _t(
            Bi(
                f"共 {len(agenda.blocks)} 个环节，约 {agenda.minutes} 分钟。",
                f"{len(agenda.blocks)} blocks, about {agenda.minutes} minutes.",
            ),
            lang,
        )
    )
    out += [
        "",
        f"| # | {_label('开始', 'Starts', lang)} | {_label('内容', 'Topic', lang)} "
        f"| {_label('分钟', 'Minutes', lang)} |",
        "|---|---|---|---|",
    ]
    for number, (block, start) in enumerate(zip(agenda.blocks, agenda.starts(), strict=True), 1):
        item = items.get(block.item)
        title = _t(Bi.of(item.title), lang) if item else block.item
        out.append(f"| {number} | +{start} | {title.replace('|', '/')} | {block.minutes} |")
    for number, block in enumerate(agenda.blocks, 1):
        item = items.get(block.item)
        if item is None:
            continue
        out += [
            "",
            f"## {number}. {_t(Bi.of(item.title), lang)}",
            "",
            _t(Bi.of(item.summary), lang),
        ]
        out += _then_and_now(item, lang)
        if isinstance(item, Playbook):
            out += ["", f"### {_label('步骤清单', 'Checklist', lang)}", ""]
            for step in item.steps:
                out.append(f"- [ ] **{_t(Bi.of(step.title), lang)}**")
                out.append(f"  {_t(Bi.of(step.detail), lang)}")
                done = _t(
                    Bi(f"完成标准：{step.done_when.zh}", f"Done when: {step.done_when.en}"), lang
                )
                out.append(f"  *{done}*")
            if item.pitfalls:
                out += ["", f"### {_label('常见的坑', 'Pitfalls', lang)}", ""]
                out += [f"- {_t(Bi.of(p), lang)}" for p in item.pitfalls]
        elif isinstance(item, Case):
            out += ["", f"### {_label('做法', 'Moves', lang)}", ""]
            out += [f"- {_t(Bi.of(m), lang)}" for m in item.moves]
            if item.results:
                out += ["", f"### {_label('数字', 'Figures', lang)}", ""]
                for result in item.results:
                    mark = (
                        _label("（示意）", " (illustration)", lang) if result.illustration else ""
                    )
                    value = (
                        f"{result.value:,.0f}" if result.value.is_integer() else f"{result.value:g}"
                    )
                    out.append(
                        f"- {_t(Bi.of(result.metric), lang)}: {value} {_t(Bi.of(result.unit), lang)}{mark}"
                    )
            out += ["", f"### {_label('启示', 'Lessons', lang)}", ""]
            out += [f"- {_t(Bi.of(lesson), lang)}" for lesson in item.lessons]
            if item.sources:
                out += ["", f"### {_label('来源', 'Sources', lang)}", ""]
                out += [
                    f"- {source.title}" + (f" — {source.url}" if source.url else "")
                    for source in item.sources
                ]
    out += ["", "---", "", _label("由群策 Qunce 生成。", "Made with Qunce 群策.", lang), ""]
    return "\n".join(out)
