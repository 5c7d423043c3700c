"""The admin page: unlocked with QUNCE_ADMIN_CODE; usage, quotas, content errors, deletion.

An unlocked session stays unlocked for an hour of use; the page is hidden from the navigation
until then (its address, /admin, shows only the code form).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

from qunce import admin
from qunce.config import settings
from qunce.db.errors import PlanError
from qunce.plans.workspaces import delete_workspace, issue_owner_code, join_link
from qunce.ui.content import catalogue
from qunce.ui.i18n import lang, tr
from qunce.ui.workspace import show_unavailable, store

UNLOCKED_KEY = "admin.unlocked_at"
SESSION_LENGTH = timedelta(hours=1)


def unlocked() -> bool:
    """Whether this session holds the admin code (and used it within the last hour)."""
    at: datetime | None = st.session_state.get(UNLOCKED_KEY)
    if at is None or datetime.now(UTC) - at > SESSION_LENGTH or not settings().admin_code:
        st.session_state.pop(UNLOCKED_KEY, None)
        return False
    st.session_state[UNLOCKED_KEY] = datetime.now(UTC)
    return True


def _unlock() -> None:
    typed = str(st.session_state.get("admin.code") or "")
    st.session_state["admin.code"] = ""
    if admin.GATE.check(typed, settings().admin_code):
        st.session_state[UNLOCKED_KEY] = datetime.now(UTC)
        st.session_state.pop("admin.failed", None)
    else:
        st.session_state["admin.failed"] = True


def _lock() -> None:
    st.session_state.pop(UNLOCKED_KEY, None)


def gate() -> None:
    """The code form (or a note that admin is switched off)."""
    if not settings().admin_code:
        st.info(tr(
            "管理功能未开启：服务器没有设置 QUNCE_ADMIN_CODE。",
            "Admin is switched off: the server has no QUNCE_ADMIN_CODE.",
        ))  # fmt: skip
        return
    if admin.GATE.locked():
        st.error(
            tr("尝试次数过多，请 15 分钟后再试。", "Too many attempts; try again in 15 minutes.")
        )
        return
    if st.session_state.pop("admin.failed", False):
        st.error(tr("管理码不对。", "That is not the admin code."))
    with st.form("admin.unlock"):
        st.text_input(tr("管理码", "Admin code"), type="password", key="admin.code")
        st.form_submit_button(tr("解锁", "Unlock"), on_click=_unlock, type="primary")


def _when(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if value else "—"


def quotas_panel(workspaces: int, workshops: int) -> None:
    """How much of each quota is used."""
    q = settings().quotas
    cols = st.columns(4)
    cols[0].metric(tr("工作区", "Workspaces"), f"{workspaces} / {q.workspaces}")
    cols[1].metric(tr("工作坊", "Workshops"), f"{workshops} / {q.workshops}")
    cols[2].metric(tr("每个工作区的计划", "Plans per workspace"), q.plans_per_workspace)
    cols[3].metric(tr("每个工作坊的小组", "Teams per workshop"), q.teams_per_workshop)
    st.caption(tr(
        "上限由 QUNCE_MAX_WORKSPACES、QUNCE_MAX_WORKSHOPS、QUNCE_MAX_PLANS_PER_WORKSPACE、QUNCE_MAX_TEAMS_PER_WORKSHOP 设置。",
        "Set the limits with QUNCE_MAX_WORKSPACES, QUNCE_MAX_WORKSHOPS, "
        "QUNCE_MAX_PLANS_PER_WORKSPACE and QUNCE_MAX_TEAMS_PER_WORKSHOP.",
    ))  # fmt: skip


def _delete_workspace() -> None:
    # the selection as it is now, not as it was when the button was drawn
    workspace_id = str(st.session_state.get("admin.ws.pick") or "")
    if not unlocked() or not st.session_state.get("admin.ws.confirm") or not workspace_id:
        return
    try:
        delete_workspace(store(), workspace_id)
        st.session_state["admin.flash"] = tr("工作区已删除。", "The workspace was deleted.")
    except PlanError as exc:
        st.session_state["admin.flash"] = exc.text(lang())
    st.session_state["admin.ws.confirm"] = False


def _owner_code() -> None:
    workspace_id = str(st.session_state.get("admin.ws.pick") or "")
    if not unlocked() or not workspace_id:
        return
    try:
        st.session_state["admin.owner_link"] = join_link(
            issue_owner_code(store(), workspace_id), lang=lang()
        )
    except PlanError as exc:
        st.session_state["admin.flash"] = exc.text(lang())


def _delete_workshop() -> None:
    workshop_id = str(st.session_state.get("admin.wk.pick") or "")
    if not unlocked() or not st.session_state.get("admin.wk.confirm") or not workshop_id:
        return
    try:
        admin.delete_workshop(store(), workshop_id)
        st.session_state["admin.flash"] = tr(
            "工作坊及其小组已删除。", "The workshop and its teams were deleted."
        )
    except PlanError as exc:
        st.session_state["admin.flash"] = exc.text(lang())
    st.session_state["admin.wk.confirm"] = False


def desk() -> None:
    """Usage, quotas, content errors and deletion, for an unlocked session."""
    st.button(tr("锁定", "Lock"), key="admin.lock", on_click=_lock, icon=":material/lock:")
    if (flash := st.session_state.pop("admin.flash", None)) is not None:
        st.info(flash)
    try:
        spaces = admin.workspace_usage(store())
        shops = admin.workshop_usage(store())
    except PlanError as exc:
        show_unavailable(exc)
        return
    quotas_panel(len(spaces), len(shops))
    ws_tab, wk_tab, content_tab = st.tabs(
        [tr("工作区", "Workspaces"), tr("工作坊", "Workshops"), tr("内容错误", "Content errors")]
    )
    with ws_tab:
        st.dataframe(
            [
                {
                    tr("名称", "Name"): w.name,
                    tr("类型", "Kind"): tr("工作坊小组", "workshop team")
                    if w.managed
                    else tr("团队", "team"),
                    tr("所有者", "Owner"): "✓" if w.has_owner else "—",
                    tr("计划", "Plans"): w.plans,
                    tr("事项", "Items"): w.items,
                    tr("修改记录", "Changes"): w.changes,
                    tr("方案", "Scenarios"): w.scenarios,
                    tr("创建 (UTC)", "Created (UTC)"): _when(w.created_at),
                    tr("最近使用 (UTC)", "Last used (UTC)"): _when(w.last_used_at),
                }
                for w in spaces
            ],
            hide_index=True,
            width="stretch",
        )
        if spaces:
            names = {w.id: f"{w.name} · {w.id[:8]}" for w in spaces}
            st.selectbox(tr("选择工作区", "Workspace"), list(names),
                                  format_func=names.__getitem__, key="admin.ws.pick")  # fmt: skip
            left, right = st.columns(2)
            left.button(tr("发一个新的所有者链接", "Issue a new owner link"), key="admin.ws.owner",
                        on_click=_owner_code)  # fmt: skip
            if (link := st.session_state.pop("admin.owner_link", None)) is not None:
                st.code(link, language=None)
                st.caption(
                    tr(
                        "只显示这一次：交给团队负责人。",
                        "Shown this once: give it to the team's lead.",
                    )
                )
            right.checkbox(tr("确认删除（计划、事项、历史一并删除）", "I am sure (plans, items and history go too)"),
                           key="admin.ws.confirm")  # fmt: skip
            right.button(tr("删除工作区", "Delete the workspace"), key="admin.ws.delete",
                         on_click=_delete_workspace)  # fmt: skip
    with wk_tab:
        st.dataframe(
            [
                {
                    tr("标题", "Title"): w.title,
                    tr("小组", "Teams"): w.teams,
                    tr("议程块", "Blocks"): w.blocks,
                    tr("创建 (UTC)", "Created (UTC)"): _when(w.created_at),
                    tr("最近使用 (UTC)", "Last used (UTC)"): _when(w.last_used_at),
                }
                for w in shops
            ],
            hide_index=True,
            width="stretch",
        )
        if shops:
            titles = {w.id: f"{w.title} · {w.id[:8]}" for w in shops}
            st.selectbox(tr("选择工作坊", "Workshop"), list(titles),
                                       format_func=titles.__getitem__, key="admin.wk.pick")  # fmt: skip
            st.checkbox(tr("确认删除（小组和它们的计划一并删除）", "I am sure (its teams and their plans go too)"),
                        key="admin.wk.confirm")  # fmt: skip
            st.button(tr("删除工作坊", "Delete the workshop"), key="admin.wk.delete",
                      on_click=_delete_workshop)  # fmt: skip
    with content_tab:
        cat = catalogue()
        if not cat.errors:
            st.success(tr("所有内容文件都通过了检查。", "Every content file passes."))
        else:
            st.code("\n".join(e.render(settings().playbooks_dir.parent) for e in cat.errors),
                    language=None)  # fmt: skip
