"""The workspace part of the Launch plans page: join or create one, the bar above the plans
(workspace, role, the person's name, other workspaces, leaving) and inviting people."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from qunce.db.errors import InvalidCode
from qunce.plans.records import Workspace
from qunce.plans.workspaces import (
    Access,
    create_workspace,
    get_workspace,
    issue_owner_code,
    join_link,
    open_code,
    rotate_join_code,
    rotate_owner_code,
)
from qunce.ui.i18n import lang, tr
from qunce.ui.keyring import keyring
from qunce.ui.plans.common import (
    AUTHOR_KEY,
    CREATE_WINDOW,
    CREATES_PER_WINDOW,
    MADE_KEY,
    NEW_CODE_KEY,
    PLAN_KEY,
    author,
    flash,
    guarded,
    md,
    safely,
)
from qunce.ui.workspace import (
    access,
    adopt,
    confirm_join,
    dismiss_join,
    forget,
    guard,
    known_code,
    leave,
    my_workspaces,
    pending_join,
    remember_code,
    set_current_workspace,
    store,
    switch_to,
)


@safely
def _join(code_key: str) -> None:
    typed = str(st.session_state.get(code_key) or "")
    try:
        workspace = set_current_workspace(typed)
    except InvalidCode:
        flash("error", tr(
            "这个加入码或链接无效：请粘贴团队发来的完整链接或加入码。",
            "This join code or link does not work: paste the whole link or code your team sent.",
        ))  # fmt: skip
        return
    st.session_state[code_key] = ""
    flash("success", tr(f"已加入工作区：{md(workspace.name)}",
                        f"Joined the workspace: {md(workspace.name)}"))  # fmt: skip


@safely
def _create_workspace(name_key: str) -> None:
    if not _creation_allowed():
        return
    workspace, code = create_workspace(store(), str(st.session_state.get(name_key) or ""))
    owner_code = issue_owner_code(store(), workspace.id)
    _, member = open_code(store(), code)
    _, owner = open_code(store(), owner_code)
    adopt(code, workspace, member)
    adopt(owner_code, workspace, owner)
    st.session_state[NEW_CODE_KEY] = (code, owner_code)
    st.session_state[name_key] = ""


def _creation_allowed() -> bool:
    """At most a few new workspaces per browser session an hour (a server-wide quota holds too)."""
    now = datetime.now(UTC)
    made: list[datetime] = [
        t for t in st.session_state.get(MADE_KEY, []) if now - t < CREATE_WINDOW
    ]
    if len(made) >= CREATES_PER_WINDOW:
        flash("error", tr(
            f"一小时内最多新建 {CREATES_PER_WINDOW} 个工作区，请稍后再试。",
            f"At most {CREATES_PER_WINDOW} new workspaces an hour from one browser; try again later.",
        ))  # fmt: skip
        return False
    st.session_state[MADE_KEY] = [*made, now]
    return True


def workspace_gate() -> None:
    """No workspace yet: join one with a link or code, or create one."""
    st.info(tr(
        "启动计划属于一个团队工作区。打开团队发来的加入链接即可加入；也可以在这里粘贴链接，或新建一个工作区。",
        "Launch plans belong to a team workspace. Open the join link your team sent to join it, "
        "paste it here, or create a new workspace.",
    ))  # fmt: skip
    join_tab, create_tab = st.tabs(
        [tr("加入团队", "Join a team"), tr("新建工作区", "Create a workspace")]
    )
    with join_tab, st.form("plans.join_form", clear_on_submit=False):
        st.text_input(
            tr("加入链接或加入码", "Join link or code"),
            key="plans.join_code",
            placeholder="https://…/plans?join=…",
        )
        st.form_submit_button(
            tr("加入", "Join"), on_click=_join, args=("plans.join_code",), type="primary"
        )
    with create_tab, st.form("plans.create_workspace_form"):
        st.text_input(tr("团队名称", "Team name"), key="plans.workspace_name", max_chars=200)
        st.caption(tr(
            "新建后你会拿到两个链接：加入链接发给队友；所有者链接留给自己（可更换加入链接、删除计划）。",
            "You get two links: the join link for your team, and the owner link for you (it "
            "replaces the join link and deletes plans).",
        ))  # fmt: skip
        st.form_submit_button(
            tr("新建", "Create"),
            on_click=_create_workspace,
            args=("plans.workspace_name",),
            type="primary",
        )


def pending_join_panel(current: Workspace) -> None:
    """A join link for another workspace arrived: name both, and ask before switching."""
    pending = pending_join()
    if pending is None:
        return
    with st.container(border=True):
        st.warning(tr(
            f"这个链接会打开工作区「{md(pending.workspace.name)}」。你现在在「{md(current.name)}」。要切换吗？",
            f"This link opens the workspace “{md(pending.workspace.name)}”. You are in "
            f"“{md(current.name)}” now. Switch?",
        ), icon=":material/swap_horiz:")  # fmt: skip
        left, right = st.columns(2)
        left.button(tr(f"切换到「{md(pending.workspace.name)}」", f"Switch to “{md(pending.workspace.name)}”"),
                    key="plans.join.switch", on_click=confirm_join, type="primary")  # fmt: skip
        right.button(tr(f"留在「{md(current.name)}」", f"Stay in “{md(current.name)}”"),
                     key="plans.join.stay", on_click=dismiss_join)  # fmt: skip


@guarded
def _rotate(workspace_id: str) -> None:
    held = guard(workspace_id)
    code = rotate_join_code(store(), held)
    workspace, member = open_code(store(), code)
    remember_code(workspace, member, code)
    st.session_state[NEW_CODE_KEY] = (code, None)
    flash("success", tr("已生成新的加入链接，旧链接和用它加入的人都已失效。",
                        "A new join link is made; the old one, and everyone who joined with it, are out."))  # fmt: skip


@guarded
def _rotate_owner(workspace_id: str) -> None:
    held = guard(workspace_id)
    code, owner = rotate_owner_code(store(), held)
    workspace = get_workspace(store(), workspace_id)
    old = known_code(workspace_id, "owner")
    remember_code(workspace, owner, code)
    if old:
        forget(old)
    st.session_state[NEW_CODE_KEY] = (None, code)


def _leave() -> None:
    leave()
    st.session_state[NEW_CODE_KEY] = None
    st.session_state.pop(PLAN_KEY, None)


def _set_name() -> None:
    keyring().set_name(str(st.session_state.get(AUTHOR_KEY) or ""))


def _switch(code_key: str) -> None:
    code = st.session_state.get(code_key)
    if code:
        switch_to(str(code))
        st.session_state.pop(PLAN_KEY, None)
        st.session_state[NEW_CODE_KEY] = None


def workspace_bar(workspace: Workspace) -> None:
    """The workspace's name and role, the person's name, the workspace list, invites, leaving."""
    held = access()
    mine = my_workspaces()
    left, middle, right = st.columns([3, 2, 1], vertical_alignment="bottom")
    role = tr("所有者", "owner") if held is not None and held.is_owner else tr("成员", "member")
    if len(mine) > 1:
        codes = {code: ws for ws, _, code in mine}
        current_code = next((code for ws, _, code in mine if ws.id == workspace.id), None)
        if st.session_state.get("plans.switch") not in codes:
            st.session_state["plans.switch"] = current_code
        left.selectbox(tr("我的工作区", "My workspaces"), list(codes),
                       format_func=lambda c: codes[c].name, key="plans.switch",
                       on_change=_switch, args=("plans.switch",))  # fmt: skip
        left.caption(tr(f"你在这里的身份：{role}", f"Your role here: {role}"))
    else:
        left.markdown(f"**{tr('工作区', 'Workspace')}:** {md(workspace.name)}  \n:gray[{role}]")
    if AUTHOR_KEY not in st.session_state or not st.session_state[AUTHOR_KEY]:
        st.session_state[AUTHOR_KEY] = keyring().name
    middle.text_input(
        tr("你的名字（记录在修改历史里）", "Your name (shown in the history)"),
        key=AUTHOR_KEY,
        max_chars=80,
        placeholder=tr("例如：小林", "e.g. Lin"),
        on_change=_set_name,
    )
    right.button(tr("离开工作区", "Leave"), key="plans.leave", on_click=_leave,
                 help=tr("这个浏览器将不再记得这个工作区", "This browser forgets the workspace"))  # fmt: skip
    if not author():
        st.warning(tr("保存修改之前，请先在上面写下你的名字：它会记在修改历史里。",
                      "Before you save anything, type your name above: it goes into the history."),
                   icon=":material/badge:")  # fmt: skip
    with st.container():  # one slot, whichever of the two shows, so nothing below moves
        _invite(workspace, held)


def _link_block(label: str, code: str) -> None:
    st.markdown(f"**{label}**")
    st.code(join_link(code, lang=lang()), language=None)


def _invite(workspace: Workspace, held: Access | None) -> None:
    new = st.session_state[NEW_CODE_KEY]
    if new:
        code, owner_code = new
        st.success(tr(
            "请现在把链接保存好：出于安全考虑，服务器只保存它们的指纹。这个浏览器会记住它们，之后也可以在“邀请成员”里再看到。",
            "Save these links now: for safety the server keeps only fingerprints of them. This "
            "browser remembers them, and shows them again under Invite people.",
        ))  # fmt: skip
        if code:
            _link_block(tr("加入链接（发给队友）", "Join link (for your team)"), code)
        if owner_code:
            _link_block(
                tr("所有者链接（只留给自己）", "Owner link (keep it to yourself)"), owner_code
            )
        st.button(tr("我已保存", "I saved them"), key="plans.hide_code",
                  on_click=lambda: st.session_state.__setitem__(NEW_CODE_KEY, None))  # fmt: skip
        return
    with st.expander(tr("邀请成员", "Invite people")):
        member_code = known_code(workspace.id, "member")
        if member_code:
            _link_block(tr("加入链接（发给队友）", "Join link (for your team)"), member_code)
        else:
            st.write(
                tr("这个浏览器没有保存加入链接。", "This browser does not hold the join link.")
            )
        if workspace.managed:
            st.caption(tr("这是工作坊的小组：加入链接由培训师管理。",
                          "This is a workshop team: the trainer manages its link."))  # fmt: skip
            return
        if held is None or not held.is_owner:
            st.caption(tr(
                "只有所有者可以更换加入链接。" + ("" if workspace.has_owner else "这个工作区还没有所有者：请管理员发一个所有者链接。"),
                "Only the owner can replace the join link."
                + ("" if workspace.has_owner else " This workspace has no owner yet: ask the admin for an owner link."),
            ))  # fmt: skip
            return
        owner_code = known_code(workspace.id, "owner")
        if owner_code:
            _link_block(
                tr("所有者链接（只留给自己）", "Owner link (keep it to yourself)"), owner_code
            )
        st.write(tr(
            "加入链接泄露了？生成新链接：旧链接立即失效，用旧链接加入的人都会退出，需要新链接才能回来。",
            "Join link leaked? Make a new one: the old link stops working at once, and everyone "
            "who joined with it is out until they get the new one.",
        ))  # fmt: skip
        left, right = st.columns(2)
        left.button(tr("生成新的加入链接", "Make a new join link"), key="plans.rotate",
                    on_click=_rotate, args=(workspace.id,))  # fmt: skip
        right.button(tr("更换所有者链接", "Replace the owner link"), key="plans.rotate_owner",
                     on_click=_rotate_owner, args=(workspace.id,))  # fmt: skip
