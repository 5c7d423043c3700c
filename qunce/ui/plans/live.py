"""The views of a plan that keep themselves up to date: the checklist, Today & this week, and the
calendar.

Each is drawn inside one fragment that Streamlit reruns every `LIVE_SECONDS` (and whenever the
person uses a widget in it); the rest of the page stays as it is. A rerun asks the database for
the plan's stamp and reads the plan again only when it moved (`snapshot.current_plan`), so a
quiet plan costs one small query per refresh, plus one for who is editing. A teammate's tick
shows on everyone's page within a refresh, without a click.

What the person is typing survives a refresh: an open item's form is built from the item as it
was when they opened it (see `checklist`), so its widgets and the unsaved text in the browser
stay; forms are only submitted by their Save button.
"""

from __future__ import annotations

import streamlit as st

from qunce.db.errors import AccessRevoked, NotAllowed, NotFound, StoreUnavailable
from qunce.plans.records import Plan
from qunce.plans.recurrence import local_now
from qunce.ui.i18n import tr
from qunce.ui.plans.agenda import agenda
from qunce.ui.plans.calendar import calendar
from qunce.ui.plans.checklist import checklist
from qunce.ui.plans.common import partial_rerun, plan_summary, show_flashes
from qunce.ui.plans.snapshot import current_plan, editors
from qunce.ui.workspace import guard, show_unavailable

# How often an open view asks whether the plan changed. A refresh of a quiet plan costs one
# stamp query and one presence query, plus drawing the view again, which grows with the plan:
# bench/plans_page.py measured 140 ms of server time for the folded checklist of a 300-item
# plan against ~20 ms for 20 items, so big plans ask half as often.
LIVE_SECONDS = 5.0
BIG_PLAN_SECONDS = 10.0
BIG_PLAN_ITEMS = 100
VIEWS = ("checklist", "agenda", "calendar")


def live_seconds(items: int) -> float:
    """Seconds between two refreshes of a plan with `items` items."""
    return LIVE_SECONDS if items <= BIG_PLAN_ITEMS else BIG_PLAN_SECONDS


def live_view(workspace_id: str, plan: Plan, view: str) -> None:
    """Draw `view` of the plan, and again every few seconds with what teammates changed."""
    seconds = live_seconds(len(plan.items))

    @st.fragment(run_every=seconds)
    def live() -> None:
        # A rerun of this fragment alone (the timer, or a widget in it) keeps what the last
        # full run gave it: it reads the plan again itself (only when its stamp moved) and
        # shows the page-level messages its callbacks queued.
        current = plan
        if partial_rerun():
            # A fragment run is a page run too: the session's code is checked again, and when
            # it stopped working (replaced by the owner) the whole page reruns to say so.
            try:
                guard(workspace_id)
            except (AccessRevoked, NotAllowed, NotFound):
                st.rerun()
            except StoreUnavailable as exc:
                show_unavailable(exc)
                return
            show_flashes(fragment=True)
            try:
                current = current_plan(workspace_id, plan.id)
            except StoreUnavailable as exc:
                show_unavailable(exc)
                return
            except NotFound:
                st.info(tr("这个计划已被删除。", "This plan has been deleted."))
                return
        _draw(workspace_id, current, view)
        st.caption(tr(
            f":material/sync: 每 {seconds:g} 秒自动更新，队友的修改会自己出现 · 最近检查 {_clock()}",
            f":material/sync: Updates itself every {seconds:g} s: teammates' changes appear "
            f"without a click · last checked {_clock()}",
        ))  # fmt: skip

    live()


def _draw(workspace_id: str, plan: Plan, view: str) -> None:
    if view == "checklist":
        plan_summary(plan)
        try:
            others = editors(workspace_id, plan.id)
        except StoreUnavailable:
            others = {}  # a courtesy: the checklist works without it
        checklist(workspace_id, plan, others)
    elif view == "agenda":
        agenda(workspace_id, plan)
    else:
        calendar(workspace_id, plan)


def _clock() -> str:
    return local_now().strftime("%H:%M:%S")
