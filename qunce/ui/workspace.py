"""The current workspace of a browser session, and the plans database for pages.

`current_workspace()` is what every page calls: it joins the workspace named by a `?join=CODE`
link (then removes the code from the address bar, so it does not linger in screenshots, history
or a forwarded URL), or returns the workspace this session joined earlier. The session keeps
only the workspace id, and every repository function filters by it, so the id is worthless
outside this server's session.
"""

from __future__ import annotations

import streamlit as st

from qunce.config import settings
from qunce.db.errors import InvalidCode, NotFound, StoreUnavailable
from qunce.db.store import Store, open_store
from qunce.plans.records import Workspace
from qunce.plans.workspaces import get_workspace, workspace_by_code
from qunce.ui.i18n import tr

WORKSPACE_KEY = "plans.workspace_id"
JOIN_ERROR_KEY = "plans.join_error"
JUST_JOINED_KEY = "plans.just_joined"


@st.cache_resource(show_spinner=False, max_entries=4)
def _open_store(url: str) -> Store:
    # Not cached when it raises: an unreachable database is retried on the next run.
    return open_store(url)


def store() -> Store:
    """The plans database for settings().database_url, opened and migrated once per process.

    Raises StoreUnavailable when the database cannot be reached (callers show `show_unavailable`).
    """
    return _open_store(settings().database_url)


def _init_state() -> None:
    for key in (WORKSPACE_KEY, JOIN_ERROR_KEY, JUST_JOINED_KEY):
        if key not in st.session_state:
            st.session_state[key] = None


def current_workspace() -> Workspace | None:
    """The workspace of this session: joined from `?join=CODE` now, or earlier; else None.

    A valid code joins and is removed from the URL; a wrong one is removed too and leaves a
    message for `pop_join_error()`. Raises StoreUnavailable when the database is unreachable
    (the code then stays in the URL, so a reload retries).
    """
    _init_state()
    code = st.query_params.get("join")
    if code:
        try:
            workspace = workspace_by_code(store(), code)
        except InvalidCode:
            st.session_state[JOIN_ERROR_KEY] = tr(
                "这个加入链接无效：可能抄错了，或者团队已经换了新链接。请向团队要最新的链接。",
                "This join link does not work: it may be mistyped, or the team made a new one. "
                "Ask the team for their current link.",
            )
        else:
            st.session_state[WORKSPACE_KEY] = workspace.id
            st.session_state[JUST_JOINED_KEY] = workspace.name
        del st.query_params["join"]
    workspace_id = st.session_state[WORKSPACE_KEY]
    if not workspace_id:
        return None
    try:
        return get_workspace(store(), workspace_id)
    except NotFound:
        # The workspace was deleted while this session held it: forget it.
        st.session_state[WORKSPACE_KEY] = None
        return None


def set_current_workspace(workspace: Workspace | None) -> None:
    """Make `workspace` this session's workspace (None leaves it)."""
    _init_state()
    st.session_state[WORKSPACE_KEY] = workspace.id if workspace else None


def pop_join_error() -> str | None:
    """The message about a join link that did not work, once."""
    _init_state()
    message: str | None = st.session_state[JOIN_ERROR_KEY]
    st.session_state[JOIN_ERROR_KEY] = None
    return message


def pop_just_joined() -> str | None:
    """The name of the workspace a link joined in this run, once (for a welcome message)."""
    _init_state()
    name: str | None = st.session_state[JUST_JOINED_KEY]
    st.session_state[JUST_JOINED_KEY] = None
    return name


def show_unavailable(exc: Exception) -> None:
    """Tell the person the plans database is unreachable, without a traceback."""
    st.error(
        tr(
            "计划数据库暂时无法连接，团队计划和已保存的方案现在打不开。其他页面照常可用；"
            "请稍后刷新，或请管理员检查 QUNCE_DATABASE_URL。",
            "The plans database cannot be reached right now, so team plans and saved scenarios "
            "are unavailable. Other pages work as usual; reload in a while, or ask the admin "
            "to check QUNCE_DATABASE_URL.",
        ),
        icon=":material/cloud_off:",
    )
    with st.expander(tr("技术细节", "Technical details")):
        st.text(str(exc) if isinstance(exc, StoreUnavailable) else type(exc).__name__)
