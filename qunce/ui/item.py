"""Parts of a playbook's or case's page: then and now, provenance, house numbers, routines,
the trainer layer, and the honest year of a case.

Content text is the library's own (validated YAML), but it still goes through `escape_md` where
it lands in Markdown, so a stray bracket or asterisk in a title shows as written.
"""

from __future__ import annotations

import streamlit as st

from qunce.content.catalogue import Catalogue, Item
from qunce.content.rrules import describe
from qunce.content.schema import Playbook, ThenAndNow
from qunce.ui.cards import item_link
from qunce.ui.i18n import lang, text, tr
from qunce.ui.search import escape_md

BASIS = {
    "seed-text": ("书中原页", "the book's own pages"),
    "toc": (
        "书的小节标题（内容是我们的推理）",
        "the book's section title (the substance is our reasoning)",
    ),
    "public-record": ("公开资料", "public sources"),
    "practice": ("通行做法", "common practice"),
}


def then_and_now(tan: ThenAndNow | None, *, is_case: bool = False) -> None:
    """The book's world beside today's, dated, with its sources (or the illustration mark)."""
    if tan is None:
        return
    with st.container(border=True, key="item-then-and-now"):
        st.markdown(
            f"**{tr('2016 年的书 → 今天', 'The 2016 book → today')}**  "
            f":gray[{tr('核对于', 'checked')} {tan.as_of.isoformat()}]"
        )
        rows = [
            (tr("当年", "Then"), tan.then),
            (tr("现在", "Now"), tan.now),
        ]
        if tan.limits is not None:
            rows.append((tr("今天的限制", "Today's limits"), tan.limits))
        if is_case and tan.next is not None:
            rows.append((tr("后来", "What happened next"), tan.next))
        for label, value in rows:
            st.markdown(f"**{label}：**{escape_md(text(value))}" if lang() == "zh"
                        else f"**{label}:** {escape_md(text(value))}")  # fmt: skip
        if tan.illustration:
            st.caption(tr(
                ":material/info: 这里是我们的推理，没有找到公开资料可以佐证。",
                ":material/info: This is our reasoning; no public source was found to back it.",
            ))  # fmt: skip
        if tan.sources:
            with st.expander(tr(f"来源（{len(tan.sources)}）", f"Sources ({len(tan.sources)})")):
                for source in tan.sources:
                    st.markdown(
                        f"- {escape_md(source.title)} · {source.date.isoformat()}  \n"
                        f"  :gray[{escape_md(source.url)}]"
                    )


def provenance(item: Item) -> None:
    """Where the item's substance comes from, in the page's language."""
    zh, en = BASIS[item.provenance.basis]
    st.caption(f"{tr('依据', 'Based on')}: {tr(zh, en)} — {escape_md(text(item.provenance.note))}")


def house_numbers(cat: Catalogue, item: Item) -> None:
    """The house standards the item cites: one set of numbers across every playbook."""
    cited = [s for key in cat.cites.get(item.id, []) if (s := cat.standards.get(key)) is not None]
    if not cited:
        return
    with st.expander(
        tr(f"本页用到的统一标准（{len(cited)}）", f"House standards used here ({len(cited)})"),
        icon=":material/rule:",
    ):
        for standard in cited:
            dated = (
                f" · {tr('核对于', 'checked')} {standard.as_of.isoformat()}"
                if standard.as_of
                else ""
            )
            st.markdown(
                f"**{escape_md(text(standard.title))}** — {escape_md(text(standard.value))}"
                f"  \n:gray[{escape_md(text(standard.detail))}{dated}]"
            )


def routines(cat: Catalogue, pb: Playbook) -> None:
    """Once it runs: the playbook's daily, weekly and monthly routines (its 群SOP)."""
    if not pb.routines:
        return
    st.subheader(tr("日常运营节奏（群SOP）", "Once it runs: routines (group SOP)"))
    ui_lang = lang()
    for routine in pb.routines:
        role = cat.vocabulary.label("roles", routine.role, ui_lang)
        when = describe(routine.rule, ui_lang)
        with st.expander(f"{text(routine.title)}  ·  {when}  ·  {role}"):
            st.markdown(f"**{tr('消息模板', 'Message template')}**")
            st.code(text(routine.template), language=None, wrap_lines=True)
            st.markdown(f"**{tr('看这个数', 'Watch')}:** {escape_md(text(routine.metric))}")
            limits = [s for key in routine.standards if (s := cat.standards.get(key)) is not None]
            if limits:
                st.caption(
                    tr("遵守：", "Respects: ")
                    + "；".join(f"{text(s.title)}（{text(s.value)}）" for s in limits)
                )


def trainer(cat: Catalogue, pb: Playbook) -> None:
    """For trainers: the discussion questions, the exercise and the anchor case."""
    layer = pb.trainer
    if layer is None:
        return
    with st.expander(tr("给培训师", "For trainers"), icon=":material/co_present:"):
        st.markdown(f"**{tr('讨论题', 'Discussion questions')}**")
        for number, question in enumerate(layer.questions, start=1):
            st.markdown(f"{number}. {escape_md(text(question))}")
        exercise = layer.exercise
        st.markdown(
            f"**{tr('练习', 'Exercise')}（{exercise.minutes} {tr('分钟', 'min')}）：**"
            f" {escape_md(text(exercise.title))}"
        )
        st.write(text(exercise.brief))
        if exercise.calculator:
            from qunce.calculators.share import to_query

            try:
                params = to_query(exercise.calculator, exercise.inputs)
            except (KeyError, ValueError):
                params = {"calc": exercise.calculator}
            st.page_link("views/calculators.py", label=tr("用计算器做这个练习", "Do it in the calculator"),
                         icon="🧮", query_params={**params, "lang": lang()})  # fmt: skip
        anchor = cat.get(layer.anchor_case)
        if anchor is not None:
            st.markdown(f"**{tr('配套案例', 'Anchor case')}**")
            item_link(anchor, key_suffix="anchor")
