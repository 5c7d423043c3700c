"""A team's phone (`?join=CODE`): what is presented now, the open poll, and the team's checklist.

Two fragments keep each refresh cheap:
- `live` looks every PHONE_REFRESH_S seconds at the stage (one row), the open poll (two small
  queries) and the plan's stamp (`plan_stamp`, one aggregate query); it draws only the "now
  presenting" card and the poll. When the stamp differs from the one the checklist was drawn
  with (a teammate ticked), it reruns the page, once.
- `checklist` draws the progress and the items; a tick on this phone reruns only it.
"""

from __future__ import annotations

import streamlit as st

from qunce.content.catalogue import Catalogue
from qunce.db.errors import PlanError
from qunce.plans import plan_stamp
from qunce.plans.errors import StaleEdit
from qunce.plans.records import Item, Plan
from qunce.plans.repository import get_plan, update_item
from qunce.plans.workspaces import parse_code
from qunce.ui.content import catalogue
from qunce.ui.i18n import lang, tr
from qunce.ui.keyring import keyring
from qunce.ui.workshop.common import (
    PHONE_REFRESH_S,
    PLANS_PAGE,
    back_link,
    deck_for,
    error_text,
    fail,
    flash,
    shared_look,
    show_flash,
    style,
)
from qunce.ui.workshop.polls import AUTHOR_KEY, FRESH_KEY, phone_poll
from qunce.ui.workshop.slides import md
from qunce.ui.workspace import access as current_access
from qunce.ui.workspace import set_current_workspace, store
from qunce.workshop import repository as repo
from qunce.workshop.deck import Slide
from qunce.workshop.polls import team_poll
from qunce.workshop.records import Team

STAMP_KEY = "workshop.team.stamp"  # the plan stamp the checklist was drawn with
CURRENT_KEY = "workshop.team.current"  # the playbook it marked "now presenting"
# Slides that belong to a playbook: its checklist group is marked "now presenting".
PLAYBOOK_SLIDES = ("playbook", "now", "step", "discuss", "exercise")


def now_presenting(slide: Slide) -> str | None:
    """The playbook whose checklist the slide is about (steps, discussion, exercise), if any."""
    return slide.item_id if slide.kind in PLAYBOOK_SLIDES else None


def _tick(workspace_id: str, item: Item, key: str) -> None:
    checked = bool(st.session_state.get(key))
    author = str(st.session_state.get(AUTHOR_KEY) or "").strip()
    try:
        update_item(
            store(),
            workspace_id,
            item.id,
            {"status": "done" if checked else "todo"},
            expected_version=item.version,
            author=author,
        )
    except StaleEdit as exc:
        who = exc.current.updated_by or tr("队友", "a teammate")
        flash(
            tr(
                f"“{exc.current.title('zh')}”刚被{who}改过，已显示最新状态。",
                f"“{exc.current.title('en')}” was just changed by {who}; you see its latest "
                "state now.",
            )
        )
    except PlanError as exc:
        flash(error_text(exc))


def _item_row(workspace_id: str, item: Item) -> None:
    key = f"workshop.team.item.{item.id}.{item.version}"
    label = md(item.title(lang()))
    if item.status in ("doing", "skipped"):
        mark = {"doing": tr("进行中", "doing"), "skipped": tr("已跳过", "skipped")}[item.status]
        label = f"{label} :gray[({mark})]"
    st.checkbox(
        label,
        value=item.status == "done",
        key=key,
        on_change=_tick,
        args=(workspace_id, item, key),
    )
    done_when = item.done_when(lang())
    if done_when:
        st.caption(md(done_when))


def _groups(plan: Plan, current: str | None) -> None:
    groups: dict[str | None, list[Item]] = {}
    for item in plan.items:
        groups.setdefault(item.playbook_id, []).append(item)
    sources = [s.playbook_id for s in plan.sources]
    order = sources + [k for k in groups if k not in set(sources)]
    for playbook_id in order:
        items = groups.get(playbook_id)
        if not items:
            continue
        source = plan.source(playbook_id) if playbook_id else None
        title = source.title(lang()) if source else tr("自加条目", "Our own items")
        done = sum(1 for i in items if i.status == "done")
        counted = sum(1 for i in items if i.status != "skipped")
        now = (
            tr("（正在讲）", " (now presenting)") if playbook_id and playbook_id == current else ""
        )
        st.markdown(f"#### {md(title)}{now}")
        st.progress(done / counted if counted else 0.0, text=f"{done}/{counted}")
        for item in items:
            _item_row(plan.workspace_id, item)


def _card(slide: Slide) -> None:
    with st.container(border=True, key="workshop-now"):
        st.caption(tr("正在讲", "Now presenting"))
        st.markdown(f"**{md(slide.title.get(lang()))}**")
        st.caption(md(slide.kicker.get(lang())))
        if slide.kind in ("discuss", "exercise", "step"):
            for bi in slide.body[:4]:
                text = bi.get(lang())
                st.markdown(f"- {md(text)}" if bi.bullet else md(text))


def team_view(code: str) -> None:
    """A team's phone view: what is presented now, the open poll, and the checklist to tick."""
    style()
    try:
        access = repo.join_team(store(), code)
        held = current_access()
        if held is None or held.workspace_id != access.team.workspace_id:
            # The sidebar's Launch plans page then opens this team's workspace too.
            set_current_workspace(code)
    except PlanError as exc:
        fail(exc)
        back_link()
        return
    team = access.team
    keyring().put("team", parse_code(code))
    cat = catalogue()
    stage = access.stage
    deck = deck_for(stage.agenda, cat)
    try:
        st.session_state[STAMP_KEY] = _stamp(team, fresh=True)
    except PlanError as exc:
        fail(exc)
        return
    st.session_state[CURRENT_KEY] = now_presenting(deck.slides[deck.clamp(stage.slide)])
    with st.container(key="workshop-team"):
        st.title(md(team.name), anchor=False)
        st.caption(md(access.stage.title))
        st.text_input(
            tr("你的名字（队友能看到谁勾的）", "Your name (so teammates see who ticked)"),
            key=AUTHOR_KEY,
            max_chars=200,
        )
        _live(team, code, access.stage.workshop_id, cat)
        _checklist(team, access.stage.workshop_id)
        if team.plan_id is not None:
            st.page_link(
                PLANS_PAGE,
                label=tr(
                    "打开完整计划（负责人、截止日期、跳过）",
                    "Open the full plan (owners, due dates, skip)",
                ),
                icon="✅",
                query_params={"lang": lang(), "join": code},
            )
        st.caption(
            tr(
                "这个链接就是本组的钥匙，只发给本组成员。",
                "This link is your team's key; share it only with your team.",
            )
        )


def _stamp(team: Team, *, fresh: bool = False) -> tuple[object, ...] | None:
    """The plan's stamp; shared between the team's phones for a moment unless `fresh`."""
    plan_id = team.plan_id
    if plan_id is None:
        return None
    return shared_look(
        ("plan", team.workspace_id, str(plan_id)),
        lambda: plan_stamp(store(), team.workspace_id, plan_id),
        fresh=fresh,
    )


def _live(team: Team, code: str, workshop_id: str, cat: Catalogue) -> None:
    @st.fragment(run_every=PHONE_REFRESH_S)
    def live() -> None:
        try:
            stage = shared_look(
                ("stage", workshop_id), lambda: repo.get_stage(store(), workshop_id)
            )
            found = shared_look(
                ("poll", workshop_id, str(team.id)),
                lambda: team_poll(store(), workshop_id, team.id),
                fresh=bool(st.session_state.pop(FRESH_KEY, False)),
            )
            stamp = _stamp(team)
        except PlanError as exc:
            fail(exc)
            return
        deck = deck_for(stage.agenda, cat)
        slide = deck.slides[deck.clamp(stage.slide)]
        current = now_presenting(slide)
        if stamp != st.session_state.get(STAMP_KEY) or current != st.session_state.get(CURRENT_KEY):
            # A teammate ticked, or another playbook is presented: draw the checklist again
            # (once; the page run stores what it drew).
            st.rerun()
        show_flash()
        phone_poll(code, found)
        _card(slide)

    live()


def _checklist(team: Team, workshop_id: str) -> None:
    @st.fragment
    def checklist() -> None:
        try:
            # The stamp first: a teammate's tick after it shows at the next look.
            st.session_state[STAMP_KEY] = _stamp(team, fresh=True)
            plan = get_plan(store(), team.workspace_id, team.plan_id) if team.plan_id else None
        except PlanError as exc:
            fail(exc)
            return
        if plan is None or not plan.items:
            st.info(tr("这个工作坊没有需要勾选的清单。", "This workshop has no checklist to tick."))
            return
        progress = plan.progress()
        st.progress(
            progress.ratio,
            text=tr(
                f"本组进度 {progress.done}/{progress.counted}",
                f"Team progress {progress.done}/{progress.counted}",
            ),
        )
        _groups(plan, st.session_state.get(CURRENT_KEY))

    checklist()
