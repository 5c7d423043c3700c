"""What changed: playbooks updated since the plan copied them (with a pull button), and the
plan's own history (who changed which item, when, from what to what)."""

from __future__ import annotations

from datetime import UTC

import streamlit as st

from qunce.content.catalogue import Catalogue
from qunce.plans.records import Plan, field_label, status_label
from qunce.plans.repository import plan_history
from qunce.plans.updates import apply_update, pending_updates
from qunce.ui import content as ui_content
from qunce.ui.i18n import lang, text, tr
from qunce.ui.plans.common import author, flash, guarded, md, name_first
from qunce.ui.workspace import store


@guarded
def _pull(workspace_id: str, plan_id: int, playbook_id: str) -> None:
    if not author():
        flash("error", name_first())
        return
    apply_update(
        store(), workspace_id, plan_id, playbook_id, ui_content.catalogue(), author=author()
    )
    flash("success", tr("已更新到手册的最新版本。", "Pulled in the playbook's newest version."))


def updates(workspace_id: str, plan: Plan, catalogue: Catalogue) -> None:
    """Playbooks that changed since the plan copied them: the differences and a pull button."""
    ui_lang = lang()
    pending = pending_updates(plan, catalogue)
    if not pending:
        st.success(
            tr("计划里的所有手册都是最新版本。", "Every playbook in this plan is up to date.")
        )
        return
    for update in pending:
        st.subheader(md(update.title(ui_lang)))
        st.caption(f"{update.from_version} → {update.to_version}")
        if not update.touches_steps:
            st.write(
                tr(
                    "步骤没有变化（只改了手册的其他内容）。",
                    "No step changed (only other texts of the playbook).",
                )
            )
        for step in update.added:
            st.markdown(f":material/add: **{md(text(step.title))}** — {tr('新步骤', 'new step')}")
        for item in update.removed:
            st.markdown(f":material/remove: **{md(item.title(ui_lang))}** — "
                        + tr("已从手册删除；拉取后保留为自定义事项", "removed from the playbook; kept as a custom item"))  # fmt: skip
        for change in update.changed:
            st.markdown(f":material/edit: **{md(change.item.title(ui_lang))}**")
            st.dataframe(
                [{tr("字段", "Field"): field_label(f.field, ui_lang), tr("原来", "Before"): f.old, tr("现在", "Now"): f.new}
                 for f in change.fields],
                hide_index=True, width="stretch",
            )  # fmt: skip
        st.button(
            tr("拉取这份手册的更新", "Pull this playbook's update"),
            key=f"plans.pull.{update.playbook_id}",
            on_click=_pull,
            args=(workspace_id, plan.id, update.playbook_id),
            type="primary",
            help=tr("只更新标题、说明、完成标准和工作量；状态、负责人、截止日期和备注不变。",
                    "Refreshes titles, details, done-when and effort; status, owners, due dates and notes stay."),
        )  # fmt: skip


def history(workspace_id: str, plan: Plan) -> None:
    """The latest changes of the plan: who, when, which item and field, from what to what."""
    ui_lang = lang()
    changes = plan_history(store(), workspace_id, plan.id, limit=300)
    if not changes:
        st.info(tr("还没有修改记录。", "No changes yet."))
        return
    rows = [
        {
            tr("时间 (UTC)", "When (UTC)"): c.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            tr("谁", "Who"): c.author or "—",
            tr("事项", "Item"): c.item_title,
            tr("字段", "Field"): field_label(c.field, ui_lang),
            tr("原来", "From"): status_label(c.old, ui_lang) if c.field == "status" else c.old,
            tr("改为", "To"): status_label(c.new, ui_lang) if c.field == "status" else c.new,
        }
        for c in changes
    ]
    st.dataframe(rows, hide_index=True, width="stretch", key="plans.history.table")
