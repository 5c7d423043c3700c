"""The checklist: the plan's items grouped by playbook, each unfolding into its edit form.

Forms carry the item's version in their key. When someone else saves an item, the next run
builds a fresh form with the newer values; the person's own refused change is kept in
`plans.conflicts` and offered for re-applying on top.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from qunce.db.errors import InvalidValue, NotFound, StoreUnavailable
from qunce.plans.errors import StaleEdit
from qunce.plans.records import STATUS_MARKS, STATUSES, Item, Plan, field_label, status_label
from qunce.plans.repository import add_item, delete_item, get_plan, move_item, update_item
from qunce.plans.timeline import overdue_ids
from qunce.ui.i18n import lang, tr
from qunce.ui.plans.common import (
    CONFLICTS_KEY,
    FILTER_KEY,
    NOTICES_KEY,
    OPEN_PREFIX,
    OPENED_KEY,
    Conflict,
    author,
    flash,
    guarded,
    md,
    name_first,
    partial_rerun,
    plan_summary,
    progress_text,
    show_flashes,
    today,
    when,
)
from qunce.ui.workspace import show_unavailable, store


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
        _notice(item.id, "error", tr(f"没有保存：{exc}", f"Not saved: {exc}"))
        return
    conflicts.pop(item.id, None)
    _notice(
        item.id,
        "success",
        tr(f"已保存（第 {saved.version} 版）。", f"Saved (version {saved.version})."),
    )


@guarded
def _submit_item(workspace_id: str, item: Item, prefix: str) -> None:
    if not author():
        _notice(item.id, "error", name_first())
        return
    base = item.edit_values()
    mine = _form_values(prefix, item)
    changes = {k: v for k, v in mine.items() if v != base.get(k)}
    if not changes:
        _notice(item.id, "info", tr("没有改动。", "Nothing changed."))
        return
    _save(workspace_id, item, changes, item.version)


@guarded
def _reapply(workspace_id: str, item_id: int) -> None:
    if not author():
        _notice(item_id, "error", name_first())
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


@guarded
def _move(workspace_id: str, item_id: int, offset: int) -> None:
    move_item(store(), workspace_id, item_id, offset)


@guarded
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
        f"{who} 在 {when(theirs.updated_at)} 先保存了这一项，你的修改没有保存。下面的表单显示的是最新内容。",
        f"{who} saved this item first ({when(theirs.updated_at)}), so your change was not saved. "
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
            f"第 {item.version} 版 · {md(item.updated_by) or '—'} · {when(item.updated_at)}",
            f"version {item.version} · {md(item.updated_by) or '—'} · {when(item.updated_at)}",
        ))  # fmt: skip


@guarded
def _add_custom(workspace_id: str, plan_id: int) -> None:
    if not author():
        flash("error", name_first())
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


@st.fragment
def checklist_panel(workspace_id: str, plan: Plan) -> None:
    """The plan's progress and its checklist, as a fragment of the page.

    Unfolding, saving, moving, deleting or adding an item reruns only this part: under load
    (bench/load.py, 20 sessions) a full run of the page queued behind the others' runs, and
    most of it (navigation, workspace bar, plan list, new-plan form, tabs) never changes when
    an item does. Such a rerun keeps the arguments of the last full run, so it reads the plan
    again itself, and shows the page-level messages its callbacks queued.
    """
    if partial_rerun():
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
    late = overdue_ids(plan, today())
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
        st.progress(progress.ratio, text=progress_text(progress))
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


def refresh_button() -> None:
    """Fetch what teammates saved since this page was drawn."""
    st.button(tr("刷新（看到队友的最新修改）", "Refresh (see teammates' latest changes)"), icon=":material/refresh:",
              key="plans.refresh")  # fmt: skip
