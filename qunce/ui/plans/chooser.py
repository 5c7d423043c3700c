"""Choosing a plan, building one from playbooks, importing a plan file."""

from __future__ import annotations

from collections import Counter

import streamlit as st

from qunce.content.catalogue import Catalogue
from qunce.db.errors import InvalidValue, NotFound
from qunce.plans.errors import ImportRejected
from qunce.plans.exports import import_plan
from qunce.plans.records import Plan, PlanSummary
from qunce.plans.repository import create_plan, list_plans
from qunce.ui.i18n import lang, tr
from qunce.ui.plans.common import (
    NEW_PLAN_OPEN_KEY,
    PLAN_KEY,
    author,
    flash,
    guarded,
    keep_choice,
    md,
    name_first,
    remember_choice,
    today,
)
from qunce.ui.plans.snapshot import current_plan
from qunce.ui.workspace import store

ROUTINES_KEY = "plans.new.routines"


@guarded
def _create_plan(workspace_id: str, catalogue: Catalogue) -> None:
    if not author():
        flash("error", name_first())
        return
    state = st.session_state
    chosen = list(state.get("plans.new.playbooks") or [])
    if not chosen:
        flash("error", tr("请至少选择一份方法手册。", "Choose at least one playbook."))
        return
    try:
        plan = create_plan(
            store(),
            workspace_id,
            str(state.get("plans.new.name") or ""),
            chosen,
            catalogue,
            start_date=state.get("plans.new.start") or today(),
            author=author(),
            routines=bool(state.get(ROUTINES_KEY)),
        )
    except InvalidValue as exc:
        flash(
            "error",
            tr(
                f"计划没有建成：{md(exc.text('zh'))}",
                f"The plan was not created: {md(exc.text('en'))}",
            ),
        )
        return
    state[PLAN_KEY] = plan.id
    state["plans.new.name"] = ""
    state["plans.new.playbooks"] = []
    repeating = sum(1 for i in plan.items if i.recurring)
    flash("success", tr(f"已建立计划「{md(plan.name)}」，共 {len(plan.items)} 项"
                        + (f"，其中 {repeating} 项例行事项。" if repeating else "。"),
                        f"Created the plan “{md(plan.name)}” with {len(plan.items)} items"
                        + (f", {repeating} of them recurring." if repeating else ".")))  # fmt: skip


@guarded
def _import(workspace_id: str) -> None:
    if not author():
        flash("error", name_first())
        return
    upload = st.session_state.get("plans.import.file")
    if upload is None:
        flash("error", tr("请先选择一个 JSON 计划文件。", "Choose a JSON plan file first."))
        return
    try:
        plan = import_plan(store(), workspace_id, upload.getvalue(), author=author())
    except ImportRejected as exc:
        problems = "\n".join(f"- {md(p)}" for p in exc.problems[:10])
        flash("error", tr("文件没有导入，什么都没有改变：", "The file was not imported; nothing changed:")
              + "\n\n" + problems)  # fmt: skip
        return
    st.session_state[PLAN_KEY] = plan.id
    flash(
        "success", tr(f"已导入计划「{md(plan.name)}」。", f"Imported the plan “{md(plan.name)}”.")
    )


def new_plan_form(workspace_id: str, catalogue: Catalogue, *, expanded: bool) -> None:
    """Build a plan from playbooks chosen in a multiselect, or import a JSON plan file."""
    ui_lang = lang()  # format_func may run outside the script run
    titles = {p.id: p.title.get(ui_lang) for p in catalogue.playbooks}
    routines = {p.id: len(p.routines) for p in catalogue.playbooks}

    def title(pid: str) -> str:
        count = routines.get(pid, 0)
        extra = (
            (f"（{count} 个例行事项）" if ui_lang == "zh" else f" (+{count} routines)")
            if count
            else ""
        )
        return titles.get(pid, pid) + extra

    asked = [p for p in st.query_params.get_all("playbooks") for p in p.split(",") if p in titles]
    if asked and "plans.new.playbooks" not in st.session_state:
        st.session_state["plans.new.playbooks"] = asked
        expanded = True
    if expanded:
        st.session_state[NEW_PLAN_OPEN_KEY] = True
    # Its widgets are drawn only while it is open: folded, it cost every run of the page eight
    # elements and four widget registrations that nobody was looking at.
    box = st.expander(tr("新建计划", "New plan"), expanded=expanded, icon=":material/add:",
                      key=NEW_PLAN_OPEN_KEY, on_change="rerun")  # fmt: skip
    with box:
        if not box.open:
            return
        with st.form("plans.new_form"):
            st.text_input(tr("计划名称", "Plan name"), key="plans.new.name", max_chars=200,
                          placeholder=tr("例如：618 社群开店", "e.g. 618 community store launch"))  # fmt: skip
            st.multiselect(
                tr(
                    "从哪些方法手册生成（步骤会变成清单项）",
                    "Build from these playbooks (their steps become items)",
                ),
                options=list(titles),
                format_func=title,
                key="plans.new.playbooks",
                placeholder=tr("选择方法手册", "Choose playbooks"),
            )
            st.checkbox(
                tr("加入手册里的例行事项（每天、每周、每月重复的群运营动作）",
                   "Include the playbooks' routines (the daily, weekly and monthly group routines)"),
                key=ROUTINES_KEY,
                help=tr("例如每天早上的群内分享、每周五的活动、每月复盘：它们会成为重复事项，每一次都能单独打勾或跳过。",
                        "Such as the morning post, the Friday activity or the monthly review: each "
                        "becomes a recurring item whose occurrences are ticked or skipped one by one."),
            )  # fmt: skip
            if "plans.new.start" not in st.session_state:
                st.session_state["plans.new.start"] = today()
            st.date_input(tr("开始日期", "Start date"), key="plans.new.start", format="YYYY-MM-DD")
            st.form_submit_button(tr("建立计划", "Create the plan"), type="primary",
                                  on_click=_create_plan, args=(workspace_id, catalogue))  # fmt: skip
        st.divider()
        chosen = st.file_uploader(
            tr("或导入 JSON 计划文件（最大 1 MB）", "Or import a JSON plan file (at most 1 MB)"),
            type=["json"],
            key="plans.import.file",
        )
        # Enabled once the server holds the file: a click while it is still uploading would
        # otherwise import nothing.
        st.button(tr("导入", "Import"), key="plans.import.go", on_click=_import,
                  args=(workspace_id,), disabled=chosen is None)  # fmt: skip


def choose_plan(workspace_id: str, catalogue: Catalogue) -> Plan | None:
    """The plan chosen in the selectbox (with the new-plan form); None when there is none."""
    plans = list_plans(store(), workspace_id)
    new_plan_form(workspace_id, catalogue, expanded=not plans)
    if not plans:
        st.info(
            tr(
                "这个工作区还没有计划：在上面新建一个。",
                "No plans in this workspace yet: create one above.",
            )
        )
        return None
    names = plan_names(plans)
    # A plan of another workspace (stale session) or a deleted one is never shown.
    keep_choice(PLAN_KEY, list(names), plans[0].id)
    chosen = int(st.selectbox(tr("计划", "Plan"), options=list(names),
                              format_func=names.__getitem__, key=PLAN_KEY))  # fmt: skip
    remember_choice(PLAN_KEY, chosen)
    try:
        return current_plan(workspace_id, chosen)
    except NotFound:
        return None


def plan_names(plans: list[PlanSummary]) -> dict[int, str]:
    """Each plan's label in the chooser: its name (with its number when two share a name).

    The label carries no progress: the selectbox keeps its choice by label, so a label that
    moved with every ticked item lost the choice (and History and exports showed another plan).
    """
    seen = Counter(p.name for p in plans)
    return {p.id: p.name if seen[p.name] == 1 else f"{p.name} (#{p.id})" for p in plans}
