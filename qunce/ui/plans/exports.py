"""The export and settings tab: downloads in every format, renaming and deleting the plan."""

from __future__ import annotations

from functools import partial

import streamlit as st

from qunce.db.errors import PlanError
from qunce.plans.exports import FORMATS, MIME_TYPES, export_plan, filename
from qunce.plans.records import Plan
from qunce.plans.repository import delete_plan, update_plan
from qunce.plans.workspaces import get_workspace, require_owner
from qunce.ui.i18n import lang, tr
from qunce.ui.plans.common import PLAN_KEY, flash, guarded, today
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


def exports(workspace_id: str, plan: Plan) -> None:
    """Download buttons for every format, and the plan's settings (rename, delete)."""
    labels = {
        "md": "Markdown",
        "csv": "CSV",
        "xlsx": "Excel (XLSX)",
        "json": tr("JSON（可导入）", "JSON (importable)"),
    }
    columns = st.columns(len(FORMATS))
    for column, fmt in zip(columns, FORMATS, strict=True):
        column.download_button(
            labels[fmt],
            # made when clicked, not on every run of the page
            data=partial(export_plan, plan, fmt, lang=lang(), today=today()),
            file_name=filename(plan, fmt),
            mime=MIME_TYPES[fmt],
            key=f"plans.export.{fmt}",
            on_click="ignore",
        )
    st.caption(tr(
        "表格里以 = + - @ 开头的内容会加上单引号，防止被当作公式执行。JSON 文件可以导入到另一个工作区。",
        "Spreadsheet cells starting with = + - @ get a leading quote so they are never run as "
        "formulas. The JSON file imports into another workspace.",
    ))  # fmt: skip
    st.divider()
    with st.form("plans.rename_form"):
        st.text_input(
            tr("计划名称", "Plan name"), value=plan.name, key="plans.rename", max_chars=200
        )
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
