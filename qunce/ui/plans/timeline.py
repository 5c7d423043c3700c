"""The timeline tab: the plan's Gantt chart and the start date it is computed from."""

from __future__ import annotations

from datetime import date

import streamlit as st

from qunce.plans.records import Plan
from qunce.plans.repository import update_plan
from qunce.plans.timeline import timeline_figure
from qunce.ui.i18n import lang, tr
from qunce.ui.plans.common import guarded, today
from qunce.ui.workspace import store


@guarded
def _restart(workspace_id: str, plan_id: int) -> None:
    start = st.session_state.get("plans.timeline.start")
    if isinstance(start, date):
        update_plan(store(), workspace_id, plan_id, start_date=start)


def timeline(workspace_id: str, plan: Plan) -> None:
    """The Gantt chart, with the start date it is computed from."""
    key = "plans.timeline.start"
    if st.session_state.get(f"{key}.for") != (plan.id, plan.start_date):
        # the chosen plan's start date as it is now (another plan, or a teammate changed it)
        st.session_state[key] = plan.start_date
        st.session_state[f"{key}.for"] = (plan.id, plan.start_date)
    st.date_input(tr("开始日期", "Start date"), key=key, format="YYYY-MM-DD",
                  on_change=_restart, args=(workspace_id, plan.id))  # fmt: skip
    st.caption(tr(
        "每份手册一条泳道，步骤按工期依次排开，各手册并行；有截止日期的事项在截止日结束（◆），条上写着负责人。"
        "斜线条纹是例行事项。灰色待办、蓝色进行中、绿色完成、红色逾期。"
        "逾期＝截止日期已过仍未完成；没有截止日期的事项不算逾期，只是排在过去。",
        "One lane per playbook, steps one after another by duration, playbooks side by side; an "
        "item with a due date ends on it (◆), and its owner is written on its bar. Hatched bars "
        "are routines. Grey to do, blue doing, green done, red overdue. Overdue means the due "
        "date has passed and it is still open; an item without a due date is never overdue, "
        "its bar just lies in the past.",
    ))  # fmt: skip
    st.plotly_chart(timeline_figure(plan, lang=lang(), today=today()), key="plans.timeline.chart")
