"""The workspace a browser session is in, the access it holds there, and the plans database.

Every page that touches a workspace calls `current_workspace()` on every run. It

- takes a `?join=CODE` link on the Launch plans page (then removes the code from the address
  bar, so it does not linger in screenshots, history or a forwarded URL): it joins at once when
  the session is in no workspace, and otherwise asks before switching (`pending_join()`);
- otherwise reopens the workspace this browser was last in, from the codes the browser keeps
  (`qunce.ui.keyring`), so a reload, a new tab or a typed URL keeps the person where they were;
- checks, on every run, that the code the session came in with still opens the workspace
  (`check_access`): once an owner replaces it, the session is out, with a message saying why.

Callbacks that change a workspace call `guard(workspace_id)` first, so a click that arrives
after the code was replaced is refused too.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from qunce.config import settings
from qunce.db.errors import AccessRevoked, InvalidCode, NotAllowed, NotFound
from qunce.db.store import Store, open_store
from qunce.plans.records import Workspace
from qunce.plans.workspaces import Access, check_access, open_code, parse_code
from qunce.ui.i18n import tr
from qunce.ui.keyring import keyring

ACCESS_KEY = "plans.access"
PENDING_KEY = "plans.pending_join"
JOIN_ERROR_KEY = "plans.join_error"
JUST_JOINED_KEY = "plans.just_joined"
ENDED_KEY = "plans.access_ended"
CODES_KEY = "plans.codes"  # "workspace_id:role" → a code this session has seen


@st.cache_resource(show_spinner=False, max_entries=4)
def _open_store(url: str) -> Store:
    # Not cached when it raises: an unreachable database is retried on the next run.
    return open_store(url)


def store() -> Store:
    """The plans database for settings().database_url, opened and migrated once per process.

    Raises StoreUnavailable when the database cannot be reached (callers show `show_unavailable`).
    """
    return _open_store(settings().database_url)


@dataclass(frozen=True)
class PendingJoin:
    """A join link for another workspace than the one the session is in: asked before switching."""

    code: str
    workspace: Workspace
    access: Access


def _init_state() -> None:
    for key in (ACCESS_KEY, PENDING_KEY, JOIN_ERROR_KEY, JUST_JOINED_KEY, ENDED_KEY):
        if key not in st.session_state:
            st.session_state[key] = None


def access() -> Access | None:
    """The access this session holds, if any (checked by `current_workspace` on every run)."""
    _init_state()
    held: Access | None = st.session_state[ACCESS_KEY]
    return held


def _codes_for(workspace_id: str) -> dict[str, str]:
    """The codes this session has seen for one workspace, by role ("member", "owner")."""
    known: dict[str, str] = st.session_state.setdefault(CODES_KEY, {})
    out = {}
    for key, code in known.items():
        owner_id, _, role = key.partition(":")
        if owner_id == workspace_id:
            out[role] = code
    return out


def known_code(workspace_id: str, role: str) -> str | None:
    """A code of this workspace the browser holds (to show the link again), if any."""
    return _codes_for(workspace_id).get(role)


def _remember(workspace: Workspace, held: Access, code: str) -> None:
    known: dict[str, str] = st.session_state.setdefault(CODES_KEY, {})
    known[f"{workspace.id}:{held.role}"] = code


def adopt(code: str, workspace: Workspace, held: Access) -> None:
    """Enter `workspace` with `held`, and keep its code in the browser."""
    _init_state()
    st.session_state[ACCESS_KEY] = held
    st.session_state[PENDING_KEY] = None
    _remember(workspace, held, code)
    keyring().put("workspace", code)


def remember_code(workspace: Workspace, held: Access, code: str) -> None:
    """Keep another code of the current workspace (a new join link made by its owner)."""
    _remember(workspace, held, code)
    keyring().put("workspace", code)
    current = access()
    if current is not None and current.workspace_id == workspace.id and current.role == held.role:
        st.session_state[ACCESS_KEY] = held


def forget(code: str | None) -> None:
    """Forget one code in this browser (left the workspace, or the code was replaced)."""
    if code:
        keyring().drop("workspace", code)


def leave() -> None:
    """Leave the current workspace: this browser forgets its codes for it."""
    held = access()
    if held is not None:
        for code in _codes_for(held.workspace_id).values():
            forget(code)
    st.session_state[ACCESS_KEY] = None


def _end(held: Access, exc: Exception) -> None:
    """The session's code stopped working: drop it and say so once."""
    for role, code in _codes_for(held.workspace_id).items():
        if role == held.role:
            forget(code)
    st.session_state[ACCESS_KEY] = None
    st.session_state[ENDED_KEY] = (
        tr(
            "这个工作区的加入链接已被更换，你现在已退出。请向团队要新的链接。",
            "This workspace's join link was replaced, so you are no longer in it. Ask the team "
            "for the new link.",
        )
        if isinstance(exc, AccessRevoked)
        else tr("这个工作区已被删除。", "This workspace has been deleted.")
    )


def _from_keyring() -> tuple[Workspace, Access] | None:
    """Reopen the workspace this browser was last in (its first code that still works)."""
    ring = keyring()
    for code in ring.all("workspace"):
        try:
            workspace, held = open_code(store(), code)
        except InvalidCode:
            ring.drop("workspace", code)  # replaced or deleted since: forget it quietly
            continue
        adopt(code, workspace, held)
        return workspace, held
    return None


def _take_join_link(current: Workspace | None) -> None:
    code = st.query_params.get("join")
    if not code:
        return
    try:
        workspace, held = open_code(store(), code)
    except InvalidCode:
        st.session_state[JOIN_ERROR_KEY] = tr(
            "这个加入链接无效：可能抄错了，或者团队已经换了新链接。请向团队要最新的链接。",
            "This join link does not work: it may be mistyped, or the team made a new one. "
            "Ask the team for their current link.",
        )
    else:
        clean = parse_code(code)
        mine = access()
        if current is None or mine is None:
            adopt(clean, workspace, held)
            st.session_state[JUST_JOINED_KEY] = workspace.name
        elif workspace.id == current.id:
            # the same workspace: keep the stronger role, and the code for showing links again
            _remember(workspace, held, clean)
            keyring().put("workspace", clean)
            if held.is_owner and not mine.is_owner:
                st.session_state[ACCESS_KEY] = held
        else:
            st.session_state[PENDING_KEY] = PendingJoin(clean, workspace, held)
    del st.query_params["join"]


def current_workspace(*, take_join_link: bool = True) -> Workspace | None:
    """The workspace of this session, checked against the database on this run; else None.

    `take_join_link` (the Launch plans page) reads a `?join=` code; other pages leave it alone.
    Raises StoreUnavailable when the database is unreachable (a join code then stays in the URL,
    so a reload retries).
    """
    _init_state()
    workspace: Workspace | None = None
    held = access()
    if held is not None:
        try:
            workspace = check_access(store(), held, touch=True)
        except (AccessRevoked, NotFound) as exc:
            _end(held, exc)
            held = None
    if held is None and (found := _from_keyring()) is not None:
        workspace = found[0]
    if take_join_link:
        _take_join_link(workspace)
        held = access()
        if held is not None and (workspace is None or workspace.id != held.workspace_id):
            workspace = check_access(store(), held)
    return workspace


def guard(workspace_id: str) -> Access:
    """The session's access to `workspace_id`, checked now; for callbacks that change things.

    Raises AccessRevoked (the code was replaced: the session is out), NotFound, or NotAllowed
    when the session is not in that workspace (a stale button from before a switch).
    """
    held = access()
    if held is None or held.workspace_id != workspace_id:
        raise NotAllowed(
            "you are not in this workspace any more; reload the page",
            zh="你已不在这个工作区：请刷新页面。",
        )
    try:
        check_access(store(), held)
    except (AccessRevoked, NotFound) as exc:
        _end(held, exc)
        raise
    return held


def set_current_workspace(code: str) -> Workspace:
    """Enter the workspace a code opens (a workshop team's phone, say); InvalidCode if none."""
    workspace, held = open_code(store(), code)
    adopt(parse_code(code), workspace, held)
    return workspace


def my_workspaces() -> list[tuple[Workspace, Access, str]]:
    """The workspaces this browser holds codes for that still work (first: the current one)."""
    out: list[tuple[Workspace, Access, str]] = []
    seen: set[str] = set()
    ring = keyring()
    for code in ring.all("workspace"):
        try:
            workspace, held = open_code(store(), code)
        except InvalidCode:
            ring.drop("workspace", code)
            continue
        _remember(workspace, held, code)
        if workspace.id in seen:
            continue
        seen.add(workspace.id)
        out.append((workspace, held, code))
    return out


def switch_to(code: str) -> None:
    """Enter another workspace of this browser's list (the person chose it)."""
    try:
        workspace, held = open_code(store(), code)
    except InvalidCode:
        forget(code)
        return
    adopt(code, workspace, held)


def pending_join() -> PendingJoin | None:
    """A join link for another workspace, waiting for the person to confirm or dismiss it."""
    _init_state()
    pending: PendingJoin | None = st.session_state[PENDING_KEY]
    return pending


def confirm_join() -> None:
    """Switch to the workspace of the pending join link."""
    pending = pending_join()
    if pending is not None:
        adopt(pending.code, pending.workspace, pending.access)
        st.session_state[JUST_JOINED_KEY] = pending.workspace.name


def dismiss_join() -> None:
    """Stay where we are; the pending link is dropped (the person can open it again)."""
    st.session_state[PENDING_KEY] = None


def _pop(key: str) -> str | None:
    _init_state()
    value: str | None = st.session_state[key]
    st.session_state[key] = None
    return value


def pop_join_error() -> str | None:
    """The message about a join link that did not work, once."""
    return _pop(JOIN_ERROR_KEY)


def pop_just_joined() -> str | None:
    """The name of the workspace a link joined in this run, once (for a welcome message)."""
    return _pop(JUST_JOINED_KEY)


def pop_access_ended() -> str | None:
    """Why the session just lost its workspace (code replaced, workspace deleted), once."""
    return _pop(ENDED_KEY)


def show_unavailable(exc: Exception) -> None:
    """Tell the person the plans database is unreachable; details go to the server log only."""
    import logging

    logging.getLogger("qunce.db").warning("plans database unavailable: %s", exc)
    st.error(
        tr(
            "计划数据库暂时无法连接，团队计划和已保存的方案现在打不开。其他页面照常可用；"
            "请稍后刷新，或请管理员查看服务器日志。",
            "The plans database cannot be reached right now, so team plans and saved scenarios "
            "are unavailable. Other pages work as usual; reload in a while, or ask the admin "
            "to look at the server log.",
        ),
        icon=":material/cloud_off:",
    )
