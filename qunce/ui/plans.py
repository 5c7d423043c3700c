"""Widgets of the Launch plans page: workspace gate, plan chooser, checklist, timeline, exports.

Everything a person typed (names, notes, owners, imported titles) goes through `md()` before it
reaches a label or Markdown, and never through unsafe HTML. Saves run in widget callbacks, so the
run that follows already shows the saved state; a callback never raises: database trouble and
refused values become messages in session state, shown where the person is looking.

Forms carry the item's version in their key. When someone else saves an item, the next run
builds a fresh form with the newer values; the person's own refused change is kept in
`plans.conflicts` and offered for re-applying on top.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial, wraps
from typing import Any, ParamSpec

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from qunce.content.catalogue import Catalogue
from qunce.db.errors import (
    AccessRevoked,
    InvalidCode,
    InvalidValue,
    NotAllowed,
    NotFound,
    PlanError,
    StoreUnavailable,
)
from qunce.plans.errors import ImportRejected, StaleEdit
from qunce.plans.exports import FORMATS, MIME_TYPES, export_plan, filename, import_plan
from qunce.plans.records import (
    STATUS_MARKS,
    STATUSES,
    Item,
    Plan,
    Progress,
    Workspace,
    field_label,
    status_label,
)
from qunce.plans.repository import (
    add_item,
    create_plan,
    delete_item,
    delete_plan,
    get_plan,
    list_plans,
    move_item,
    plan_history,
    update_item,
    update_plan,
)
from qunce.plans.timeline import overdue_ids, timeline_figure
from qunce.plans.updates import apply_update, pending_updates
from qunce.plans.workspaces import (
    Access,
    create_workspace,
    get_workspace,
    issue_owner_code,
    join_link,
    open_code,
    require_owner,
    rotate_join_code,
    rotate_owner_code,
)
from qunce.ui import content as ui_content
from qunce.ui.i18n import lang, text, tr
from qunce.ui.keyring import keyring
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
    show_unavailable,
    store,
    switch_to,
)

P = ParamSpec("P")
log = logging.getLogger("qunce.plans")

AUTHOR_KEY = "plans.author"
PLAN_KEY = "plans.plan"
CONFLICTS_KEY = "plans.conflicts"
NOTICES_KEY = "plans.notices"
OPEN_PREFIX = "plans.open."
OPENED_KEY = "plans.opened"
FLASH_KEY = "plans.flash"
NEW_CODE_KEY = "plans.new_code"
FILTER_KEY = "plans.filter"
NEW_PLAN_OPEN_KEY = "plans.new.open"
MADE_KEY = "plans.made_workspaces"  # when this session created workspaces (rate limit)
CREATES_PER_WINDOW = 3
CREATE_WINDOW = timedelta(hours=1)

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(value: str) -> str:
    """Text shown literally in a Streamlit label or Markdown (no links, emphasis, LaTeX, emoji)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(value.split()))


@dataclass(frozen=True)
class Conflict:
    """A refused save: the person's changes and the item as someone else left it."""

    mine: dict[str, Any]
    theirs: Item


def init_state() -> None:
    """Initialise this page's session state, once per key."""
    defaults: dict[str, Any] = {
        AUTHOR_KEY: keyring().name,
        CONFLICTS_KEY: {},
        NOTICES_KEY: {},
        OPENED_KEY: set(),
        FLASH_KEY: [],
        NEW_CODE_KEY: None,
    }
    for key, value in defaults.items():
        if key not in st.session_state:
            st.session_state[key] = value


def author() -> str:
    """The name this person gave (used as the author of their changes); kept per browser."""
    typed = str(st.session_state.get(AUTHOR_KEY) or "").strip()
    return typed or keyring().name


def _name_first() -> str:
    """What a save without a name says."""
    return tr(
        "先在页面上方写下你的名字，再保存：修改历史会记下是谁改的。你填的内容还在。",
        "Type your name at the top of the page first, then save: the history records who "
        "changed what. What you typed is still here.",
    )


def flash(kind: str, message: str) -> None:
    """Queue a page-level message for the next run ("success", "error", "info")."""
    st.session_state[FLASH_KEY].append((kind, message))


def show_flashes() -> None:
    """Show and forget the queued page-level messages."""
    for kind, message in st.session_state[FLASH_KEY]:
        {"success": st.success, "error": st.error}.get(kind, st.info)(message)
    st.session_state[FLASH_KEY] = []


def _safely(callback: Callable[P, None]) -> Callable[P, None]:
    """A widget callback whose PlanErrors become a flash message instead of a traceback."""

    @wraps(callback)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            callback(*args, **kwargs)
        except PlanError as exc:
            flash("error", _message(exc))

    return run


def _guarded(callback: Callable[P, None]) -> Callable[P, None]:
    """A callback that changes a workspace (its first argument): the session's access to it is
    checked first, so a click after the join code was replaced is refused, never saved."""

    @wraps(callback)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            guard(str(args[0]))
            callback(*args, **kwargs)
        except AccessRevoked:
            pass  # the page says so once, above everything (pop_access_ended)
        except PlanError as exc:
            flash("error", _message(exc))

    return run


def _message(exc: PlanError) -> str:
    """The error in the page's language; details of an unreachable database go to the log."""
    if isinstance(exc, StoreUnavailable):
        log.warning("plans database unavailable: %s", exc)
        return tr(
            "计划数据库暂时无法连接，刚才的操作没有保存。请稍后再试。",
            "The plans database cannot be reached, so this was not saved. Try again in a while.",
        )
    if isinstance(exc, NotFound) and not exc.zh:
        return tr(
            "找不到这一项：它可能已被删除。", "This could not be found: it may have been deleted."
        )
    text_ = exc.text(lang())
    if lang() == "zh" and not exc.zh:
        return "没有完成：" + md(text_)
    return md(text_)


def _today() -> date:
    return date.today()


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


# ---------------------------------------------------------------- workspace: join, create, invite


@_safely
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


@_safely
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


@_guarded
def _rotate(workspace_id: str) -> None:
    held = guard(workspace_id)
    code = rotate_join_code(store(), held)
    workspace, member = open_code(store(), code)
    remember_code(workspace, member, code)
    st.session_state[NEW_CODE_KEY] = (code, None)
    flash("success", tr("已生成新的加入链接，旧链接和用它加入的人都已失效。",
                        "A new join link is made; the old one, and everyone who joined with it, are out."))  # fmt: skip


@_guarded
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


# ---------------------------------------------------------------- choosing, creating, importing


def _progress_text(progress: Progress) -> str:
    return tr(
        f"{progress.done}/{progress.counted} 完成（{progress.ratio:.0%}）",
        f"{progress.done}/{progress.counted} done ({progress.ratio:.0%})",
    )


@_guarded
def _create_plan(workspace_id: str, catalogue: Catalogue) -> None:
    if not author():
        flash("error", _name_first())
        return
    state = st.session_state
    chosen = list(state.get("plans.new.playbooks") or [])
    if not chosen:
        flash("error", tr("请至少选择一份方法手册。", "Choose at least one playbook."))
        return
    try:
        plan = create_plan(
            store(),
            workspace_id,
            str(state.get("plans.new.name") or ""),
            chosen,
            catalogue,
            start_date=state.get("plans.new.start") or _today(),
            author=author(),
        )
    except InvalidValue as exc:
        flash(
            "error",
            tr(
                f"计划没有建成：{md(exc.text('zh'))}",
                f"The plan was not created: {md(exc.text('en'))}",
            ),
        )
        return
    state[PLAN_KEY] = plan.id
    state["plans.new.name"] = ""
    state["plans.new.playbooks"] = []
    flash("success", tr(f"已建立计划「{plan.name}」，共 {len(plan.items)} 项。",
                        f"Created the plan “{plan.name}” with {len(plan.items)} items."))  # fmt: skip


@_guarded
def _import(workspace_id: str) -> None:
    if not author():
        flash("error", _name_first())
        return
    upload = st.session_state.get("plans.import.file")
    if upload is None:
        flash("error", tr("请先选择一个 JSON 计划文件。", "Choose a JSON plan file first."))
        return
    try:
        plan = import_plan(store(), workspace_id, upload.getvalue(), author=author())
    except ImportRejected as exc:
        problems = "\n".join(f"- {md(p)}" for p in exc.problems[:10])
        flash("error", tr("文件没有导入，什么都没有改变：", "The file was not imported; nothing changed:")
              + "\n\n" + problems)  # fmt: skip
        return
    st.session_state[PLAN_KEY] = plan.id
    flash("success", tr(f"已导入计划「{plan.name}」。", f"Imported the plan “{plan.name}”."))


def new_plan_form(workspace_id: str, catalogue: Catalogue, *, expanded: bool) -> None:
    """Build a plan from playbooks chosen in a multiselect, or import a JSON plan file."""
    ui_lang = lang()  # format_func may run outside the script run
    titles = {p.id: p.title.get(ui_lang) for p in catalogue.playbooks}
    asked = [p for p in st.query_params.get_all("playbooks") for p in p.split(",") if p in titles]
    if asked and "plans.new.playbooks" not in st.session_state:
        st.session_state["plans.new.playbooks"] = asked
        expanded = True
    if expanded:
        st.session_state[NEW_PLAN_OPEN_KEY] = True
    # Its widgets are drawn only while it is open: folded, it cost every run of the page eight
    # elements and four widget registrations that nobody was looking at.
    box = st.expander(tr("新建计划", "New plan"), expanded=expanded, icon=":material/add:",
                      key=NEW_PLAN_OPEN_KEY, on_change="rerun")  # fmt: skip
    with box:
        if not box.open:
            return
        with st.form("plans.new_form"):
            st.text_input(tr("计划名称", "Plan name"), key="plans.new.name", max_chars=200,
                          placeholder=tr("例如：618 社群开店", "e.g. 618 community store launch"))  # fmt: skip
            st.multiselect(
                tr(
                    "从哪些方法手册生成（步骤会变成清单项）",
                    "Build from these playbooks (their steps become items)",
                ),
                options=list(titles),
                format_func=lambda pid: titles.get(pid, pid),
                key="plans.new.playbooks",
            )
            if "plans.new.start" not in st.session_state:
                st.session_state["plans.new.start"] = _today()
            st.date_input(tr("开始日期", "Start date"), key="plans.new.start", format="YYYY-MM-DD")
            st.form_submit_button(tr("建立计划", "Create the plan"), type="primary",
                                  on_click=_create_plan, args=(workspace_id, catalogue))  # fmt: skip
        st.divider()
        st.file_uploader(
            tr("或导入 JSON 计划文件（最大 1 MB）", "Or import a JSON plan file (at most 1 MB)"),
            type=["json"],
            key="plans.import.file",
        )
        st.button(
            tr("导入", "Import"), key="plans.import.go", on_click=_import, args=(workspace_id,)
        )


def choose_plan(workspace_id: str, catalogue: Catalogue) -> Plan | None:
    """The plan chosen in the selectbox (with the new-plan form); None when there is none."""
    plans = list_plans(store(), workspace_id)
    new_plan_form(workspace_id, catalogue, expanded=not plans)
    if not plans:
        st.info(
            tr(
                "这个工作区还没有计划：在上面新建一个。",
                "No plans in this workspace yet: create one above.",
            )
        )
        return None
    labels = {p.id: f"{p.name} — {_progress_text(p.progress)}" for p in plans}
    if st.session_state.get(PLAN_KEY) not in labels:
        # A plan of another workspace (stale session) or a deleted one is never shown.
        st.session_state[PLAN_KEY] = plans[0].id
    chosen = st.selectbox(tr("计划", "Plan"), options=list(labels), format_func=labels.__getitem__,
                          key=PLAN_KEY)  # fmt: skip
    try:
        return get_plan(store(), workspace_id, int(chosen))
    except NotFound:
        return None


def plan_summary(plan: Plan) -> None:
    """The plan's overall progress and its counts per status."""
    progress = plan.progress()
    late = overdue_ids(plan, _today())
    st.progress(progress.ratio, text=_progress_text(progress))
    columns = st.columns(5)
    for column, status in zip(columns, STATUSES, strict=False):
        column.metric(status_label(status, lang()), getattr(progress, status))
    columns[4].metric(tr("逾期", "Overdue"), len(late))


# ---------------------------------------------------------------- checklist


def _shown(field: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if field == "status":
        return status_label(str(value), lang())
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _form_values(prefix: str, item: Item) -> dict[str, Any]:
    state = st.session_state
    values: dict[str, Any] = {
        "status": state[f"{prefix}.status"],
        "owner": str(state[f"{prefix}.owner"] or "").strip(),
        "due": state[f"{prefix}.due"],
        "notes": str(state[f"{prefix}.notes"] or ""),
    }
    if item.is_custom:
        values["title"] = str(state[f"{prefix}.title"] or "").strip()
        values["effort_days"] = float(state[f"{prefix}.effort"])
    return values


def _notice(item_id: int, kind: str, message: str) -> None:
    st.session_state[NOTICES_KEY][item_id] = (kind, message)


def _save(workspace_id: str, item: Item, changes: dict[str, Any], expected_version: int) -> None:
    conflicts: dict[int, Conflict] = st.session_state[CONFLICTS_KEY]
    try:
        saved = update_item(store(), workspace_id, item.id, changes,
                            expected_version=expected_version, author=author())  # fmt: skip
    except StaleEdit as stale:
        conflicts[item.id] = Conflict(mine=changes, theirs=stale.current)
        return
    except InvalidValue as exc:
        _notice(
            item.id,
            "error",
            tr(f"没有保存：{md(exc.text('zh'))}", f"Not saved: {md(exc.text('en'))}"),
        )
        return
    conflicts.pop(item.id, None)
    _notice(
        item.id,
        "success",
        tr(f"已保存（第 {saved.version} 版）。", f"Saved (version {saved.version})."),
    )


@_guarded
def _submit_item(workspace_id: str, item: Item, prefix: str) -> None:
    if not author():
        _notice(item.id, "error", _name_first())
        return
    base = item.edit_values()
    mine = _form_values(prefix, item)
    changes = {k: v for k, v in mine.items() if v != base.get(k)}
    if not changes:
        _notice(item.id, "info", tr("没有改动。", "Nothing changed."))
        return
    _save(workspace_id, item, changes, item.version)


@_guarded
def _reapply(workspace_id: str, item_id: int) -> None:
    if not author():
        _notice(item_id, "error", _name_first())
        return
    conflict: Conflict | None = st.session_state[CONFLICTS_KEY].get(item_id)
    if conflict is not None:
        _save(workspace_id, conflict.theirs, conflict.mine, conflict.theirs.version)


def _discard(item_id: int) -> None:
    st.session_state[CONFLICTS_KEY].pop(item_id, None)
    _notice(
        item_id,
        "info",
        tr("已放弃你的修改，保留对方的版本。", "Your change was dropped; theirs stays."),
    )


@_guarded
def _move(workspace_id: str, item_id: int, offset: int) -> None:
    move_item(store(), workspace_id, item_id, offset)


@_guarded
def _delete(workspace_id: str, item: Item) -> None:
    try:
        delete_item(store(), workspace_id, item.id, expected_version=item.version, author=author())
    except StaleEdit:
        _notice(item.id, "error", tr("别人刚改过这一项，请看过后再删除。",
                                     "Someone just changed this item; look at it before deleting."))  # fmt: skip


def _conflict_panel(workspace_id: str, item: Item, conflict: Conflict) -> None:
    theirs = conflict.theirs
    who = md(theirs.updated_by) if theirs.updated_by else tr("别人", "someone")
    st.warning(tr(
        f"{who} 在 {_when(theirs.updated_at)} 先保存了这一项，你的修改没有保存。下面的表单显示的是最新内容。",
        f"{who} saved this item first ({_when(theirs.updated_at)}), so your change was not saved. "
        "The form below shows the newest values.",
    ), icon=":material/warning:")  # fmt: skip
    now = theirs.edit_values()
    rows = [
        {
            tr("字段", "Field"): field_label(field, lang()),
            tr("你的修改", "Your change"): _shown(field, value),
            tr("现在的值", "Now"): _shown(field, now.get(field)),
        }
        for field, value in conflict.mine.items()
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    left, right = st.columns(2)
    left.button(tr("在最新版本上重新应用我的修改", "Re-apply my change on the newest version"),
                key=f"plans.reapply.{item.id}", on_click=_reapply, args=(workspace_id, item.id),
                type="primary")  # fmt: skip
    right.button(tr("放弃我的修改", "Drop my change"), key=f"plans.discard.{item.id}",
                 on_click=_discard, args=(item.id,))  # fmt: skip


def _item_label(item: Item, number: int, late: bool, ui_lang: str) -> str:
    parts = [f"{STATUS_MARKS[item.status]} {number}. {md(item.title(ui_lang))}"]
    if item.owner:
        parts.append(f":material/person: {md(item.owner)}")
    if item.due:
        parts.append(f":material/event: {item.due.isoformat()}")
    if late:
        parts.append(tr(":red[:material/warning: 逾期]", ":red[:material/warning: overdue]"))
    return "  ·  ".join(parts)


def _unfolded(item_id: int) -> None:
    """Unfolding an item folds the others: one form at a time keeps every run of the page
    cheap however long the plan, and keeps the person's eye on one step."""
    if not st.session_state.get(f"{OPEN_PREFIX}{item_id}"):
        return
    opened: set[int] = st.session_state[OPENED_KEY]
    for other in opened - {item_id}:
        st.session_state[f"{OPEN_PREFIX}{other}"] = False
    opened.clear()
    opened.add(item_id)


def _item(workspace_id: str, item: Item, number: int, late: bool, group: list[Item]) -> None:
    ui_lang = lang()
    conflicts: dict[int, Conflict] = st.session_state[CONFLICTS_KEY]
    notices: dict[int, tuple[str, str]] = st.session_state[NOTICES_KEY]
    conflict = conflicts.get(item.id)
    notice = notices.pop(item.id, None)
    # The item's form is drawn only while it is open: forty forms of five widgets each made
    # every run of this page cost ~250 ms (Streamlit copies the session state per widget).
    # The expander remembers itself under its key; a notice or conflict opens it. Streamlit
    # forgets a widget's state after a run that did not draw it (the database was away, another
    # tab or filter), so the open items are also kept in our own set.
    open_key = f"{OPEN_PREFIX}{item.id}"
    opened: set[int] = st.session_state[OPENED_KEY]
    if conflict is not None or notice is not None:
        st.session_state[open_key] = True
    is_open = st.session_state.get(open_key)
    if is_open is None:
        is_open = item.id in opened
    # `expanded` follows the person's last choice, so a label that changed (status, owner, a
    # teammate's edit) does not fold the item they are working in.
    box = st.expander(_item_label(item, number, late, ui_lang), key=open_key, on_change=_unfolded,
                      args=(item.id,), expanded=bool(is_open))  # fmt: skip
    with box:
        if not box.open:
            opened.discard(item.id)
            return
        opened.add(item.id)
        if conflict is not None:
            _conflict_panel(workspace_id, item, conflict)
        if notice is not None:
            kind, message = notice
            {"success": st.success, "error": st.error}.get(kind, st.info)(message)
        if item.done_when(ui_lang):
            st.markdown(f"**{tr('完成标准', 'Done when')}:** {md(item.done_when(ui_lang))}")
        if item.detail(ui_lang):
            st.caption(md(item.detail(ui_lang)))
        prefix = f"plans.item.{item.id}.v{item.version}"
        with st.form(prefix, border=False):
            if item.is_custom:
                st.text_input(tr("标题", "Title"), value=item.title_zh or item.title_en,
                              key=f"{prefix}.title", max_chars=300)  # fmt: skip
            st.radio(
                tr("状态", "Status"),
                options=list(STATUSES),
                index=STATUSES.index(item.status),
                format_func=lambda s: f"{STATUS_MARKS[s]} {status_label(s, ui_lang)}",
                horizontal=True,
                key=f"{prefix}.status",
            )
            left, right = st.columns(2)
            left.text_input(
                tr("负责人", "Owner"), value=item.owner, key=f"{prefix}.owner", max_chars=200
            )
            right.date_input(tr("截止日期", "Due date"), value=item.due, key=f"{prefix}.due",
                             format="YYYY-MM-DD")  # fmt: skip
            if item.is_custom:
                # An imported plan may hold efforts below the step; the floor must not rewrite them.
                st.number_input(tr("工作量（天）", "Effort (days)"), min_value=0.01, max_value=365.0,
                                step=0.5, value=min(365.0, max(0.01, item.effort_days)),
                                key=f"{prefix}.effort")  # fmt: skip
            st.text_area(
                tr("备注", "Notes"), value=item.notes, key=f"{prefix}.notes", max_chars=20_000
            )
            st.form_submit_button(tr("保存", "Save"), type="primary", on_click=_submit_item,
                                  args=(workspace_id, item, prefix))  # fmt: skip
        position = group.index(item)
        tools = st.columns([1, 1, 1, 5])
        if position > 0:
            above = group[position - 1]
            tools[0].button(":material/arrow_upward:", key=f"plans.up.{item.id}", help=tr("上移", "Move up"),
                            on_click=_move, args=(workspace_id, item.id, above.position - item.position))  # fmt: skip
        if position < len(group) - 1:
            below = group[position + 1]
            tools[1].button(":material/arrow_downward:", key=f"plans.down.{item.id}", help=tr("下移", "Move down"),
                            on_click=_move, args=(workspace_id, item.id, below.position - item.position))  # fmt: skip
        if item.is_custom:
            tools[2].button(":material/delete:", key=f"plans.delete.{item.id}", help=tr("删除", "Delete"),
                            on_click=_delete, args=(workspace_id, item))  # fmt: skip
        tools[3].caption(tr(
            f"第 {item.version} 版 · {md(item.updated_by) or '—'} · {_when(item.updated_at)}",
            f"version {item.version} · {md(item.updated_by) or '—'} · {_when(item.updated_at)}",
        ))  # fmt: skip


@_guarded
def _add_custom(workspace_id: str, plan_id: int) -> None:
    if not author():
        flash("error", _name_first())
        return
    title = str(st.session_state.get("plans.add.title") or "")
    try:
        add_item(store(), workspace_id, plan_id, title, author=author(),
                 effort_days=float(st.session_state.get("plans.add.effort") or 1.0))  # fmt: skip
    except InvalidValue:
        flash(
            "error",
            tr("请写一个标题（最多 300 个字）。", "Write a title (at most 300 characters)."),
        )
        return
    st.session_state["plans.add.title"] = ""


def _visible(item: Item, mode: str, late: set[int], me: str) -> bool:
    if mode == "open":
        return item.is_open
    if mode == "overdue":
        return item.id in late
    if mode == "mine":
        return bool(me) and item.owner.casefold() == me.casefold()
    return True


def _partial_rerun() -> bool:
    """Whether this run reruns only a fragment (not the whole page)."""
    ctx = get_script_run_ctx()
    return bool(ctx and ctx.fragment_ids_this_run)


@st.fragment
def checklist_panel(workspace_id: str, plan: Plan) -> None:
    """The plan's progress and its checklist, as a fragment of the page.

    Unfolding, saving, moving, deleting or adding an item reruns only this part: under load
    (bench/load.py, 20 sessions) a full run of the page queued behind the others' runs, and
    most of it (navigation, workspace bar, plan list, new-plan form, tabs) never changes when
    an item does. Such a rerun keeps the arguments of the last full run, so it reads the plan
    again itself, and shows the page-level messages its callbacks queued.
    """
    if _partial_rerun():
        # A fragment run is a page run too: the session's code is checked again, and when it
        # stopped working (replaced by the owner) the whole page reruns to say so.
        try:
            guard(workspace_id)
        except (AccessRevoked, NotAllowed, NotFound):
            st.rerun()
        except StoreUnavailable as exc:
            show_unavailable(exc)
            return
        show_flashes()
        try:
            plan = get_plan(store(), workspace_id, plan.id)
        except StoreUnavailable as exc:
            show_unavailable(exc)
            return
        except NotFound:
            st.info(tr("这个计划已被删除。", "This plan has been deleted."))
            return
    plan_summary(plan)
    checklist(workspace_id, plan)


def checklist(workspace_id: str, plan: Plan) -> None:
    """The plan's items grouped by playbook, each with its edit form."""
    ui_lang = lang()
    late = overdue_ids(plan, _today())
    modes = {
        "all": tr("全部", "All"),
        "open": tr("未完成", "Open"),
        "overdue": tr("逾期", "Overdue"),
        "mine": tr("我负责的", "Mine"),
    }
    mode = st.radio(tr("显示", "Show"), list(modes), format_func=modes.__getitem__, horizontal=True,
                    key=FILTER_KEY)  # fmt: skip
    numbers = {item.id: index for index, item in enumerate(plan.items, start=1)}
    shown_any = False
    for key, progress in plan.progress_by_playbook().items():
        group = [i for i in plan.items if i.playbook_id == key]
        visible = [i for i in group if _visible(i, mode, late, author())]
        if not visible:
            continue
        shown_any = True
        source = plan.source(key) if key else None
        heading = source.title(ui_lang) if source else tr("自定义事项", "Custom items")
        st.subheader(md(heading))
        st.progress(progress.ratio, text=_progress_text(progress))
        for item in visible:
            _item(workspace_id, item, numbers[item.id], item.id in late, group)
    if not shown_any:
        st.info(tr("没有符合条件的事项。", "No items match."))
    with st.form("plans.add_form", clear_on_submit=False):
        st.markdown(f"**{tr('添加自定义事项', 'Add a custom item')}**")
        left, right = st.columns([4, 1])
        left.text_input(tr("标题", "Title"), key="plans.add.title", max_chars=300)
        right.number_input(tr("工作量（天）", "Effort (days)"), min_value=0.5, max_value=365.0, step=0.5,
                           value=1.0, key="plans.add.effort")  # fmt: skip
        st.form_submit_button(tr("添加", "Add"), on_click=_add_custom, args=(workspace_id, plan.id))


# ---------------------------------------------------------------- timeline, updates, history


@_guarded
def _restart(workspace_id: str, plan_id: int) -> None:
    start = st.session_state.get("plans.timeline.start")
    if isinstance(start, date):
        update_plan(store(), workspace_id, plan_id, start_date=start)


def timeline(workspace_id: str, plan: Plan) -> None:
    """The Gantt chart, with the start date it is computed from."""
    key = "plans.timeline.start"
    if st.session_state.get(f"{key}.plan") != plan.id:
        st.session_state[key] = plan.start_date
        st.session_state[f"{key}.plan"] = plan.id
    st.date_input(tr("开始日期", "Start date"), key=key, format="YYYY-MM-DD",
                  on_change=_restart, args=(workspace_id, plan.id))  # fmt: skip
    st.caption(tr(
        "每份手册一条泳道，步骤按工作量依次排开；各手册并行。灰色待办、蓝色进行中、绿色完成、红色逾期，◆ 为截止日期。",
        "One lane per playbook, steps one after another by effort; playbooks run side by side. "
        "Grey to do, blue doing, green done, red overdue; ◆ marks due dates.",
    ))  # fmt: skip
    st.plotly_chart(timeline_figure(plan, lang=lang(), today=_today()), key="plans.timeline.chart")


@_guarded
def _pull(workspace_id: str, plan_id: int, playbook_id: str) -> None:
    if not author():
        flash("error", _name_first())
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


# ---------------------------------------------------------------- export and settings


@_guarded
def _rename(workspace_id: str, plan_id: int) -> None:
    update_plan(
        store(), workspace_id, plan_id, name=str(st.session_state.get("plans.rename") or "")
    )


@_guarded
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
            data=partial(export_plan, plan, fmt, lang=lang(), today=_today()),
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


def refresh_button() -> None:
    """Fetch what teammates saved since this page was drawn."""
    st.button(tr("刷新（看到队友的最新修改）", "Refresh (see teammates' latest changes)"), icon=":material/refresh:",
              key="plans.refresh")  # fmt: skip
