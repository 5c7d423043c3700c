"""The export and settings tab: downloads in every format, renaming and deleting the plan."""

from __future__ import annotations

from functools import partial

import streamlit as st

from qunce.config import settings
from qunce.db.errors import PlanError
from qunce.db.store import Store
from qunce.plans.exports import EXPORT_FORMATS, MIME_TYPES, export_plan, filename
from qunce.plans.occurrences import all_occurrences
from qunce.plans.records import Plan
from qunce.plans.recurrence import local_today
from qunce.plans.repository import delete_plan, get_plan, update_plan
from qunce.plans.workspaces import get_workspace, require_owner
from qunce.ui.i18n import lang, tr
from qunce.ui.plans.common import PLAN_KEY, flash, guarded, md
from qunce.ui.workspace import access, guard, store


@guarded
def _rename(workspace_id: str, plan_id: int) -> None:
    update_plan(
        store(), workspace_id, plan_id, name=str(st.session_state.get("plans.rename") or "")
    )


@guarded
def _delete_plan(workspace_id: str, plan_id: int) -> None:
    require_owner(store(), guard(workspace_id))
    if not st.session_state.get("plans.delete.confirm"):
        flash("error", tr("请先勾选确认框。", "Tick the confirmation box first."))
        return
    delete_plan(store(), workspace_id, plan_id)
    st.session_state.pop(PLAN_KEY, None)
    st.session_state["plans.delete.confirm"] = False
    flash("success", tr("计划已删除。", "The plan was deleted."))


def _export_file(store_: Store, workspace_id: str, plan_id: int, fmt: str, ui_lang: str) -> bytes:
    """The file for a download button, made when it is clicked, from the plan as it is then."""
    plan = get_plan(store_, workspace_id, plan_id)
    occurrences = all_occurrences(store_, workspace_id, plan_id) if fmt in ("json", "ics") else ()
    return export_plan(plan, fmt, lang=ui_lang, today=local_today(), occurrences=occurrences)


def exports(workspace_id: str, plan: Plan) -> None:
    """Download buttons for every format, and the plan's settings (rename, delete)."""
    labels = {
        "md": "Markdown",
        "csv": "CSV",
        "xlsx": "Excel (XLSX)",
        "json": tr("JSON（可导入）", "JSON (importable)"),
        "ics": tr("日历（.ics）", "Calendar (.ics)"),
    }
    columns = st.columns(len(EXPORT_FORMATS))
    for column, fmt in zip(columns, EXPORT_FORMATS, strict=True):
        column.download_button(
            labels[fmt],
            # made when clicked (not on every run of the page), from the chosen plan by its id
            data=partial(_export_file, store(), workspace_id, plan.id, fmt, lang()),
            file_name=filename(plan, fmt),
            mime=MIME_TYPES[fmt],
            key=f"plans.export.{fmt}",
            on_click="ignore",
        )
    zone = settings().timezone
    st.caption(tr(
        "表格里以 = + - @ 开头的内容会加上单引号，防止被当作公式执行。JSON 文件可以导入到另一个工作区。",
        "Spreadsheet cells starting with = + - @ get a leading quote so they are never run as "
        "formulas. The JSON file imports into another workspace.",
    ))  # fmt: skip
    st.caption(tr(
        f"日历文件的时区是 {md(zone)}（QUNCE_TIMEZONE）：有截止日期的事项是全天事件，例行事项按规则重复，"
        "跳过的次数不显示，完成的标 ✓。再次导入同一个文件会更新原来的事件，不会重复。",
        f"The calendar file is in {md(zone)} (QUNCE_TIMEZONE): items with a due date are all-day "
        "events, routines repeat by their rule, skipped occurrences are left out and done ones "
        "marked ✓. Importing a newer file updates the same events instead of adding copies.",
    ))  # fmt: skip
    st.divider()
    key = "plans.rename"
    if st.session_state.get(f"{key}.for") != (plan.id, plan.name):
        # the box shows the chosen plan's name as it is now (another plan, or renamed since)
        st.session_state[key] = plan.name
        st.session_state[f"{key}.for"] = (plan.id, plan.name)
    with st.form("plans.rename_form"):
        st.text_input(tr("计划名称", "Plan name"), key=key, max_chars=200)
        st.form_submit_button(tr("改名", "Rename"), on_click=_rename, args=(workspace_id, plan.id))
    held = access()
    if held is None or not held.is_owner or guard_managed(workspace_id):
        st.caption(
            tr("只有工作区的所有者可以删除计划。", "Only the workspace's owner can delete a plan.")
        )
        return
    with st.expander(tr("删除这个计划", "Delete this plan")):
        st.checkbox(tr("我确定：删除计划及其全部事项和历史", "I am sure: delete the plan with all its items and history"),
                    key="plans.delete.confirm")  # fmt: skip
        st.button(tr("删除计划", "Delete the plan"), key="plans.delete.go", on_click=_delete_plan,
                  args=(workspace_id, plan.id))  # fmt: skip


def guard_managed(workspace_id: str) -> bool:
    """Whether the workspace is a workshop team's (its plan is the facilitator's to delete)."""
    try:
        return get_workspace(store(), workspace_id).managed
    except PlanError:
        return True
