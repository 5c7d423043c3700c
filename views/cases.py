"""Cases: cards with filters, a chart by year and platform, and each case's own page."""

import streamlit as st

from qunce.content.overview import cases_by_year
from qunce.content.schema import Case
from qunce.ui.cards import (
    back_here,
    case_year,
    item_card,
    item_link,
    labels,
    land_here,
    landing_target,
    vocab_filter,
)
from qunce.ui.content import catalogue, show_content_errors
from qunce.ui.i18n import lang, text, tr
from qunce.ui.item import house_numbers, provenance, then_and_now
from qunce.ui.related import show_calculators, show_case_calculator, show_related
from qunce.ui.search import escape_md

cat = catalogue()
ui_lang = lang()  # format functions may run outside the script run (AppTest)
chosen = cat.get(st.query_params.get("id", ""))

if isinstance(chosen, Case):
    case = chosen
    back_here(tr("← 全部案例", "← All cases"))
    st.title(text(case.title))
    st.caption(
        f"{text(case.company)} · {case_year(case)} · {labels(cat, 'platforms', case.platforms)} · "
        + " · ".join(f"§{n}" for n in [*case.sections, *case.illustrates])
    )
    st.markdown(f"> {escape_md(text(case.summary))}")
    if case.pattern:
        st.info(tr(
            "这是一种模式，不是这家公司的记录：我们没有找到它做法的公开资料，下面写的是书中标题所指的通行做法，数字都是示意。",
            "A pattern, not this company's record: we found no public source for what it did, "
            "so what follows is the general pattern the book's title points at, and the numbers "
            "are illustrations.",
        ), icon=":material/pattern:")  # fmt: skip
    then_and_now(case.then_and_now, is_case=True)
    st.subheader(tr("这种模式怎么做", "How the pattern works") if case.pattern
                 else tr("他们做了什么", "What they did"))  # fmt: skip
    landed = landing_target("move"), landing_target("lesson")  # where a search result opens it
    for number, move in enumerate(case.moves, start=1):
        shown = escape_md(text(move))
        if str(number) == landed[0]:
            land_here(f"move-{number}")
            shown = f":orange-background[{shown}]"
        st.markdown(f"{number}. {shown}")
    if case.results:
        st.subheader(tr("结果", "Results"))
        rows = []
        for r in case.results:
            rows.append(
                {
                    tr("指标", "Metric"): text(r.metric),
                    tr("数值", "Value"): f"{r.value:,.4g}"
                    if abs(r.value) < 1e4
                    else f"{r.value:,.0f}",
                    tr("单位", "Unit"): text(r.unit),
                    tr("来源", "Source"): tr("示意数字（非事实）", "Illustration, not a fact")
                    if r.illustration
                    else (r.source or ""),
                    tr("说明", "Note"): text(r.note) if r.note else "",
                }
            )
        st.dataframe(rows, hide_index=True, key="cases.results")
    st.subheader(tr("经验", "Lessons"))
    for number, lesson in enumerate(case.lessons, start=1):
        shown = escape_md(text(lesson))
        if str(number) == landed[1]:
            land_here(f"lesson-{number}")
            shown = f":orange-background[{shown}]"
        st.markdown(f"- {shown}")
    show_case_calculator(case)
    if case.playbooks:
        st.subheader(tr("对应的方法手册", "Playbooks it illustrates"))
        for pid in case.playbooks:
            if (pb := cat.get(pid)) is not None:
                item_link(pb)
    show_calculators(case.sections)
    house_numbers(cat, case)
    show_related(cat, case)
    if case.sources:
        st.subheader(tr("资料来源", "Sources"))
        for source in case.sources:
            st.markdown(f"- {escape_md(source.title)}" + (f" — `{source.url}`" if source.url else ""))
    provenance(case)
else:
    st.title(tr("案例", "Cases"))
    show_content_errors(cat)
    cases = cat.cases
    c1, c2, c3 = st.columns(3)
    platforms = vocab_filter(
        c1, cat, "platforms", "cases.platforms", sorted({p for c in cases for p in c.platforms})
    )
    chapters = c2.multiselect(
        tr("章", "Chapter"),
        sorted({c.chapter for c in cases}),
        format_func=lambda n: f"{n} · {cat.book.chapters[n - 1].title.get(ui_lang)}",
        key="cases.chapters",
        placeholder=tr("全部章节", "All chapters"),
    )
    tags = vocab_filter(c3, cat, "tags", "cases.tags", sorted({t for c in cases for t in c.tags}))
    shown = [
        c
        for c in cases
        if (not platforms or set(platforms) & set(c.platforms))
        and (not chapters or c.chapter in chapters)
        and (not tags or set(tags) & set(c.tags))
    ]
    if shown:
        st.plotly_chart(cases_by_year(cat, lang(), shown), key="cases.chart")
    st.caption(tr(f"{len(shown)} 个案例", f"{len(shown)} cases"))
    if not shown:
        st.info(tr("没有符合条件的案例，试试放宽筛选。", "No case matches; try fewer filters."))
    cols = st.columns(2)
    for i, case in enumerate(shown):
        with cols[i % 2]:
            item_card(cat, case, here=True)
