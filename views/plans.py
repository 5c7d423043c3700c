"""Launch plans: a team's checklists built from playbooks, edited together, with timeline and exports."""

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from qunce.plans import StoreUnavailable, pending_updates
from qunce.ui import plans as ui
from qunce.ui.content import catalogue
from qunce.ui.i18n import tr
from qunce.ui.plans import md
from qunce.ui.workspace import (
    current_workspace,
    pop_access_ended,
    pop_join_error,
    pop_just_joined,
    show_unavailable,
    store,
)

st.title(tr("启动计划", "Launch plans"))
ui.init_state()


def _page(messages: DeltaGenerator) -> None:
    """The page below its messages. It ends by returning, never with st.stop, since a stopped run
    drops what app.py draws after the page, and with it the cookie that remembers a workspace
    just joined or created (a reload then lost it while the workspace had no plan)."""
    store()  # an unreachable database is reported here, before any widget needs it
    workspace = current_workspace()
    with messages:
        if (ended := pop_access_ended()) is not None:
            st.warning(ended, icon=":material/lock:")
        if (problem := pop_join_error()) is not None:
            st.error(problem)
        if (joined := pop_just_joined()) is not None:
            st.success(tr(f"已加入工作区：{md(joined)}", f"You joined the workspace: {md(joined)}"))
        ui.show_flashes()
    if workspace is None:
        ui.workspace_gate()
        return
    ui.pending_join_panel(workspace)
    ui.workspace_bar(workspace)
    cat = catalogue()
    plan = ui.choose_plan(workspace.id, cat)
    if plan is None:
        return
    pending = len(pending_updates(plan, cat))
    if pending:
        st.caption(tr(f":material/sync: {pending} 份手册有更新，见“手册更新”。",
                      f":material/sync: {pending} playbook{'s' if pending > 1 else ''} changed since "
                      "this plan copied them: see Playbook updates."))  # fmt: skip
    # Only the open tab is drawn (the others cost a chart, a history query and five exports
    # on every run); the labels stay the same so the open tab survives reruns.
    tabs = st.tabs([
        tr(":material/checklist: 清单", ":material/checklist: Checklist"),
        tr(":material/today: 今天与本周", ":material/today: Today & this week"),
        tr(":material/calendar_month: 日历", ":material/calendar_month: Calendar"),
        tr(":material/view_timeline: 时间线", ":material/view_timeline: Timeline"),
        tr(":material/sync: 手册更新", ":material/sync: Playbook updates"),
        tr(":material/history: 修改历史", ":material/history: History"),
        tr(":material/download: 导出与设置", ":material/download: Export & settings"),
    ], key="plans.tab", on_change="rerun")  # fmt: skip
    # The checklist, Today & this week and the calendar keep themselves up to date (a fragment
    # that redraws every few seconds when the plan changed); the other tabs show the plan's
    # summary above themselves.
    draw = (
        lambda: ui.live_view(workspace.id, plan, "checklist"),
        lambda: ui.live_view(workspace.id, plan, "agenda"),
        lambda: ui.live_view(workspace.id, plan, "calendar"),
        lambda: ui.timeline(workspace.id, plan),
        lambda: ui.updates(workspace.id, plan, cat),
        lambda: ui.history(workspace.id, plan),
        lambda: ui.exports(workspace.id, plan),
    )
    for number, (tab, part) in enumerate(zip(tabs, draw, strict=True)):
        if tab.open:
            with tab:
                if number > 2:
                    ui.plan_summary(plan)
                part()


# Messages come and go; keeping them in one container keeps every element below at the same
# place in the page, so open expanders stay open across reruns.
messages = st.container()
try:
    _page(messages)
except StoreUnavailable as exc:
    with messages:
        show_unavailable(exc)
