"""Playbooks: browse by chapter, stage and platform; open one to see its steps."""

import streamlit as st

from qunce.content.schema import Playbook
from qunce.ui.cards import (
    back_here,
    item_card,
    item_link,
    labels,
    land_here,
    landing_target,
    vocab_filter,
)
from qunce.ui.content import catalogue, show_content_errors
from qunce.ui.i18n import lang, text, tr
from qunce.ui.item import house_numbers, provenance, routines, then_and_now, trainer
from qunce.ui.related import show_calculators, show_related
from qunce.ui.search import escape_md

cat = catalogue()
ui_lang = lang()  # format functions may run outside the script run (AppTest)
chosen = cat.get(st.query_params.get("id", ""))

if isinstance(chosen, Playbook):
    pb = chosen
    back_here(tr("← 全部方法手册", "← All playbooks"))
    st.title(text(pb.title))
    st.caption(
        " · ".join(
            f"§{n} {text(t)}" for n in pb.sections if (t := cat.book.title_of(n)) is not None
        )
    )
    st.markdown(f"> {escape_md(text(pb.summary))}")
    then_and_now(pb.then_and_now)
    meta = [
        (tr("平台", "Platforms"), labels(cat, "platforms", pb.platforms)),
        (tr("阶段", "Stages"), labels(cat, "stages", pb.stages)),
        (tr("标签", "Tags"), labels(cat, "tags", pb.tags)),
    ]
    st.caption("  |  ".join(f"{k}: {v}" for k, v in meta if v))
    effort = sum(s.effort_days for s in pb.steps)
    st.subheader(tr(f"步骤（共 {len(pb.steps)} 步，约 {effort:g} 人天的工作量）",
                    f"Steps ({len(pb.steps)}, about {effort:g} person-days of work)"))  # fmt: skip
    landed = landing_target("step") if landing_target("step") in {s.id for s in pb.steps} else None
    for number, step in enumerate(pb.steps, start=1):
        role = cat.vocabulary.label("roles", step.role, lang())
        days = tr(f"{step.effort_days:g} 人天", f"{step.effort_days:g} person-days")
        if step.duration_days is not None and step.duration_days != step.effort_days:
            days += tr(f"，历时 {step.duration_days:g} 天", f" over {step.duration_days:g} days")
        opened = step.id == landed if landed else number == 1
        with st.expander(f"{number}. {text(step.title)}  ·  {role} · {days}", expanded=opened):
            if step.id == landed:  # a search result opened the playbook here
                land_here(f"step-{step.id}")
            if step.key_message is not None:
                st.markdown(f":orange[**{escape_md(text(step.key_message))}**]")
            st.write(text(step.detail))
            if step.see is not None:
                owner_id, _, owner_step = step.see.partition("/")
                if (owner := cat.get(owner_id)) is not None:
                    st.caption(tr("完整做法在这份手册（做成计划时只复制一次）：",
                                  "The full method lives here (a plan copies it once):"))  # fmt: skip
                    item_link(owner, key_suffix=f"see.{step.id}")
            st.markdown(f"**{tr('交付物', 'Deliverable')}:** {escape_md(text(step.done_when))}")
            if step.target is not None:
                st.markdown(f"**{tr('目标', 'Target')}:** {escape_md(text(step.target))}")
            if step.section:
                title = cat.book.title_of(step.section)
                st.caption(f"§{step.section} {text(title) if title else ''}")
    routines(cat, pb)
    left, right = st.columns(2)
    with left:
        st.subheader(tr("衡量指标", "Metrics"))
        for metric in pb.metrics:
            st.markdown(f"- {text(metric)}")
    with right:
        st.subheader(tr("常见坑", "Pitfalls"))
        for pitfall in pb.pitfalls:
            st.markdown(f"- {text(pitfall)}")
    show_calculators(pb.sections)
    cases = [c for c in cat.cases if pb.id in c.playbooks]
    if cases:
        st.subheader(tr("相关案例", "Cases that illustrate it"))
        for case in cases:
            item_link(case, label=f"{text(case.company)} {case.year} — {text(case.title)}")
    house_numbers(cat, pb)
    trainer(cat, pb)
    show_related(cat, pb)
    st.page_link(
        "views/plans.py",
        label=tr("用这份方法建立启动计划", "Turn this playbook into a launch plan"),
        icon="✅",
        query_params={"playbooks": pb.id, "lang": lang()},
    )
    provenance(pb)
else:
    st.title(tr("方法手册", "Playbooks"))
    show_content_errors(cat)
    chapters = [c.number for c in cat.book.chapters]
    c1, c2, c3 = st.columns(3)
    chapter = c1.selectbox(
        tr("章", "Chapter"),
        [0, *chapters],
        format_func={0: tr("全部章节", "All chapters"), **{n: f"{n} · {cat.book.chapters[n - 1].title.get(ui_lang)}" for n in chapters}}.__getitem__,
        key="playbooks.chapter",
    )
    stages = vocab_filter(c2, cat, "stages", "playbooks.stages")
    platforms = vocab_filter(c3, cat, "platforms", "playbooks.platforms")
    shown = [
        pb for pb in cat.playbooks
        if (not chapter or pb.chapter == chapter)
        and (not stages or set(stages) & set(pb.stages))
        and (not platforms or set(platforms) & set(pb.platforms))
    ]
    st.caption(tr(f"{len(shown)} 份方法手册", f"{len(shown)} playbooks"))
    if not shown:
        st.info(tr("没有符合条件的方法手册，试试放宽筛选。", "No playbook matches; try fewer filters."))
    cols = st.columns(2)
    for i, pb in enumerate(shown):
        with cols[i % 2]:
            item_card(cat, pb, here=True, extra=tr(f"{len(pb.steps)} 步", f"{len(pb.steps)} steps"))
