"""The checklist: the plan's items grouped by playbook, a box to tick each one done in one tap,
and one item at a time unfolded into its edit form.

The checklist refreshes itself (`qunce.ui.plans.live`), so a form must survive a refresh with
whatever the person typed in it. A form is therefore built from the item as it was when the
person opened it (`plans.pinned`), not from the newest copy: its widgets keep their keys and
values, and the browser keeps the unsaved text. When a teammate saves the same item meanwhile,
the form says so; a save then names the old version and meets the usual conflict flow (the
newer values next to the person's own, re-apply or drop), so nothing is lost either way.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import streamlit as st

from qunce.db.errors import InvalidValue
from qunce.plans.calendar import Entry, entries, next_occurrence
from qunce.plans.errors import StaleEdit
from qunce.plans.records import STATUS_MARKS, STATUSES, Item, Plan, field_label, status_label
from qunce.plans.repository import add_item, delete_item, move_item, update_item
from qunce.plans.timeline import overdue_ids
from qunce.ui.i18n import lang, tr
from qunce.ui.plans.common import (
    CONFLICTS_KEY,
    FILTER_KEY,
    LINGER_SECONDS,
    NOTICES_KEY,
    OPEN_PREFIX,
    OPENED_KEY,
    PINNED_KEY,
    Conflict,
    author,
    flash,
    guarded,
    md,
    name_first,
    now,
    progress_text,
    today,
    when,
)
from qunce.ui.plans.snapshot import absent, occurrences_between, present
from qunce.ui.plans.taps import day_name, entry_row, tap_conflict, ticked
from qunce.ui.workspace import store

BOX_WIDTH = 16  # pixels a tap box takes beside an item (its label folded away)
# A tap box sits level with its item's header (a fixed CSS rule: nothing typed goes in it).
_CSS = "<style>[class*='st-key-plans-check-tick-'] { padding-top: 0.6rem; }</style>"

# ---------------------------------------------------------------- saving a form, stale saves


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
    """A message about an item, shown in it (unfolding it) for `LINGER_SECONDS`: the page's own
    refresh may come a moment after the click."""
    st.session_state[NOTICES_KEY][item_id] = Notice(kind, message, time.monotonic())


@dataclass
class Notice:
    """A message shown inside an item for a while."""

    kind: str
    text: str
    at: float
    shown: bool = False


def _pins() -> dict[int, Item]:
    pinned: dict[int, Item] = st.session_state[PINNED_KEY]
    return pinned


def _save(workspace_id: str, item: Item, changes: dict[str, Any], expected_version: int) -> None:
    conflicts: dict[int, Conflict] = st.session_state[CONFLICTS_KEY]
    try:
        saved = update_item(store(), workspace_id, item.id, changes,
                            expected_version=expected_version, author=author())  # fmt: skip
    except StaleEdit as stale:
        conflicts[item.id] = Conflict(mine=changes, theirs=stale.current)
        _pins()[item.id] = stale.current  # the form shows the newest values now
        st.session_state[NOTICES_KEY].pop(item.id, None)  # an older "Saved" would mislead
        return
    except InvalidValue as exc:
        _notice(
            item.id,
            "error",
            tr(f"没有保存：{md(exc.text('zh'))}", f"Not saved: {md(exc.text('en'))}"),
        )
        return
    conflicts.pop(item.id, None)
    _pins()[item.id] = saved
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
    _pins().pop(item_id, None)
    _notice(
        item_id,
        "info",
        tr("已放弃你的修改，保留对方的版本。", "Your change was dropped; theirs stays."),
    )


def _newest(item_id: int) -> None:
    """Rebuild the form from the newest copy of the item (what the person typed is dropped)."""
    _pins().pop(item_id, None)


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
    current = theirs.edit_values()
    rows = [
        {
            tr("字段", "Field"): field_label(field, lang()),
            tr("你的修改", "Your change"): _shown(field, value),
            tr("现在的值", "Now"): _shown(field, current.get(field)),
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


# ---------------------------------------------------------------- one item


def editing_text(names: list[str]) -> str:
    """ "Lin is editing" / "Lin, Wang are editing" (names escaped; nameless people: someone)."""
    me = author()
    shown = [
        tr("你（在另一个标签页）", "you (in another tab)") if me and n == me
        else md(n) if n else tr("有人", "someone")
        for n in names
    ]  # fmt: skip
    joined = tr("、", ", ").join(shown)
    if lang() == "zh":
        return f"{joined} 正在编辑"
    one = len(shown) == 1 and not (me and names[0] == me)
    return f"{joined} {'is' if one else 'are'} editing"


def _item_label(item: Item, number: int, late: bool, ui_lang: str, others: list[str]) -> str:
    parts = [f"{STATUS_MARKS[item.status]} {number}. {md(item.title(ui_lang))}"]
    if item.owner:
        parts.append(f":material/person: {md(item.owner)}")
    if item.due:
        parts.append(f":material/event: {item.due.isoformat()}")
    if item.repeat is not None:
        parts.append(f":material/repeat: {md(item.repeat.describe(ui_lang))}")
    if late:
        parts.append(tr(":red[:material/warning: 逾期]", ":red[:material/warning: overdue]"))
    if others:
        parts.append(f":orange[:material/edit: {editing_text(others)}]")
    return "  ·  ".join(p for p in parts if p)


def _unfolded(workspace_id: str, item_id: int) -> None:
    """Unfolding an item folds the others: one form at a time keeps every run of the page
    cheap however long the plan, and keeps the person's eye on one step. A folded form is
    forgotten (reopening it shows the newest values) and its "editing" note removed."""
    opened: set[int] = st.session_state[OPENED_KEY]
    if not st.session_state.get(f"{OPEN_PREFIX}{item_id}"):
        opened.discard(item_id)
        _pins().pop(item_id, None)
        absent(workspace_id)
        return
    for other in opened - {item_id}:
        st.session_state[f"{OPEN_PREFIX}{other}"] = False
        _pins().pop(other, None)
    opened.clear()
    opened.add(item_id)


def _days(value: float) -> str:
    return tr(f"{value:g} 天", f"{value:g} day{'s' if value != 1 else ''}")


def _facts(item: Item, ui_lang: str) -> None:
    """Duration, effort, target and repeats of an item, in one caption and a line."""
    facts = []
    if item.duration_days is not None:
        facts.append(
            tr(f"工期 {_days(item.duration_days)}", f"Duration {_days(item.duration_days)}")
        )
    facts.append(tr(f"工作量 {_days(item.effort_days)}", f"Effort {_days(item.effort_days)}"))
    repeat = item.repeat
    if repeat is not None:
        text_ = tr(f"重复：{md(repeat.describe(ui_lang))}，自 {repeat.start.isoformat()} 起",
                   f"Repeats {md(repeat.describe(ui_lang))}, from {repeat.start.isoformat()}")  # fmt: skip
        nxt = next_occurrence(item, now()) if item.is_open else None
        if nxt is not None:
            moment = f"{day_name(nxt.date(), ui_lang)}" + (f" {nxt:%H:%M}" if repeat.timed else "")
            text_ += tr(f"；下一次 {moment}", f"; next {moment}")
        facts.append(text_)
    st.caption(" · ".join(facts))
    if item.target(ui_lang):
        st.markdown(f"**{tr('目标', 'Target')}:** {md(item.target(ui_lang))}")


def _this_week(workspace_id: str, plan: Plan, item: Item) -> None:
    """Each occurrence of a recurring item this week, to tick or skip one by one."""
    day = today()
    start = day - timedelta(days=day.weekday())
    end = start + timedelta(days=6)
    touched = occurrences_between(workspace_id, plan, start, end)
    found = entries(replace(plan, items=(item,)), touched, start, end, today=day)
    st.markdown(f"**{tr('本周各次', 'This week, one by one')}**")
    if not found:
        st.caption(tr("这一周没有。", "None this week."))
    for entry in found:
        entry_row(workspace_id, entry, "check.week", show_due=True)


def _tap(workspace_id: str, item: Item, todays: list[Entry]) -> None:
    """The one-tap box beside an item: done for a one-off item, today's occurrence for a
    recurring one (ticking the item itself would end the routine)."""
    if item.repeat is None:
        key = f"plans.check.tick.{item.id}.v{item.version}"
        st.checkbox(tr("完成", "Done"), value=item.status == "done", key=key,
                    label_visibility="collapsed", on_change=ticked,
                    args=(workspace_id, item, None, key))  # fmt: skip
        return
    if not todays:  # a routine with nothing today: the item still lines up with the others
        st.container(width=BOX_WIDTH, height=1, border=False)
    for entry in todays:
        key = f"plans.check.tick.{entry.key}.v{entry.version}"
        at = f" {entry.at:%H:%M}" if entry.at else ""
        st.checkbox(tr(f"今天{at}完成", f"Done today{at}"), value=entry.status == "done",
                    key=key, label_visibility="collapsed", on_change=ticked,
                    args=(workspace_id, item, entry.occurrence, key),
                    help=tr(f"今天{at}这一次", f"Today's{at} occurrence"))  # fmt: skip


def _item(workspace_id: str, plan: Plan, item: Item, number: int, late: bool, group: list[Item],
          todays: list[Entry], others: list[str]) -> None:  # fmt: skip
    ui_lang = lang()
    conflicts: dict[int, Conflict] = st.session_state[CONFLICTS_KEY]
    notices: dict[int, Notice] = st.session_state[NOTICES_KEY]
    conflict = conflicts.get(item.id)
    notice = notices.get(item.id)
    if notice is not None and notice.shown and time.monotonic() - notice.at > LINGER_SECONDS:
        notices.pop(item.id)
        notice = None
    # The item's form is drawn only while it is open: forty forms of five widgets each made
    # every run of this page cost ~250 ms (Streamlit copies the session state per widget).
    # The expander remembers itself under its key; a notice or conflict opens it. Streamlit
    # forgets a widget's state after a run that did not draw it (the database was away, another
    # tab or filter), so the open items are also kept in our own set.
    open_key = f"{OPEN_PREFIX}{item.id}"
    opened: set[int] = st.session_state[OPENED_KEY]
    if conflict is not None or (notice is not None and not notice.shown):
        st.session_state[open_key] = True
    is_open = st.session_state.get(open_key)
    if is_open is None:
        is_open = item.id in opened
    # One row: the tap box, then the item. A horizontal container is one block where columns
    # were three: every element is a message to the browser, on every refresh of every page.
    row = st.container(horizontal=True, wrap=False, gap="small")
    with row:
        _tap(workspace_id, item, todays)
    # `expanded` follows the person's last choice, so a label that changed (status, owner, a
    # teammate's edit) does not fold the item they are working in.
    box = row.expander(_item_label(item, number, late, ui_lang, others), key=open_key,
                       on_change=_unfolded, args=(workspace_id, item.id),
                       expanded=bool(is_open))  # fmt: skip
    tap_conflict(workspace_id, item)  # a refused tap on the box, under its row
    if not box.open or item.repeat is None or not item.is_open:
        for entry in todays:  # (unfolded, the item's list of this week's occurrences says it)
            tap_conflict(workspace_id, item, entry.occurrence)
    with box:
        if not box.open:
            opened.discard(item.id)
            return
        opened.add(item.id)
        present(workspace_id, item.id, author())
        if others:
            st.info(tr(f"{editing_text(others)}：先商量一下，或尽快保存。",
                       f"{editing_text(others)}: talk first, or save soon."),
                    icon=":material/edit:")  # fmt: skip
        if conflict is not None:
            _conflict_panel(workspace_id, item, conflict)
        if notice is not None:
            notice.shown = True
            {"success": st.success, "error": st.error}.get(notice.kind, st.info)(notice.text)
        base = _pins().setdefault(item.id, item)
        if base.version != item.version and conflict is None:
            who = md(item.updated_by) if item.updated_by else tr("别人", "someone")
            st.warning(tr(
                f"你打开这一项后，{who} 保存了新版本（{when(item.updated_at)}）。表单里还是你打开时的内容和你填的字；"
                "保存时会把两边的不同列出来，由你决定。",
                f"{who} saved a newer version since you opened this item ({when(item.updated_at)}). "
                "The form keeps what you opened and typed; saving shows both versions side by side "
                "for you to decide.",
            ), icon=":material/update:")  # fmt: skip
            st.button(tr("放弃我填的内容，显示最新版本", "Drop what I typed and show the newest version"),
                      key=f"plans.newest.{item.id}", on_click=_newest, args=(item.id,))  # fmt: skip
        if item.done_when(ui_lang):
            st.markdown(f"**{tr('完成标准', 'Done when')}:** {md(item.done_when(ui_lang))}")
        if item.detail(ui_lang):
            st.caption(md(item.detail(ui_lang)))
        _facts(item, ui_lang)
        _form(workspace_id, base, ui_lang)
        if item.repeat is not None and item.is_open:
            _this_week(workspace_id, plan, item)
        _tools(workspace_id, item, group)


def _form(workspace_id: str, base: Item, ui_lang: str) -> None:
    """The item's edit form, built from `base` (the item as the person opened it)."""
    prefix = f"plans.item.{base.id}.v{base.version}"
    with st.form(prefix, border=False):
        if base.is_custom:
            st.text_input(tr("标题", "Title"), value=base.title_zh or base.title_en,
                          key=f"{prefix}.title", max_chars=300)  # fmt: skip
        st.radio(
            tr("状态", "Status"),
            options=list(STATUSES),
            index=STATUSES.index(base.status),
            format_func=lambda s: f"{STATUS_MARKS[s]} {status_label(s, ui_lang)}",
            horizontal=True,
            key=f"{prefix}.status",
            help=tr("重复的事项：选“已完成”或“跳过”会结束整个例行事项；单次打勾请用旁边的方框。",
                    "A recurring item: Done or Skipped here ends the whole routine; tick single "
                    "occurrences with the boxes instead.") if base.repeat else None,
        )  # fmt: skip
        left, right = st.columns(2)
        left.text_input(
            tr("负责人", "Owner"), value=base.owner, key=f"{prefix}.owner", max_chars=200
        )
        right.date_input(tr("截止日期", "Due date"), value=base.due, key=f"{prefix}.due",
                         format="YYYY-MM-DD")  # fmt: skip
        if base.is_custom:
            # An imported plan may hold efforts below the step; the floor must not rewrite them.
            st.number_input(tr("工作量（天）", "Effort (days)"), min_value=0.01, max_value=365.0,
                            step=0.5, value=min(365.0, max(0.01, base.effort_days)),
                            key=f"{prefix}.effort")  # fmt: skip
        st.text_area(tr("备注", "Notes"), value=base.notes, key=f"{prefix}.notes", max_chars=20_000)
        st.form_submit_button(tr("保存", "Save"), type="primary", on_click=_submit_item,
                              args=(workspace_id, base, prefix))  # fmt: skip


def _tools(workspace_id: str, item: Item, group: list[Item]) -> None:
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


# ---------------------------------------------------------------- the list


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
        return item.is_owned_by(me)
    return True


def checklist(workspace_id: str, plan: Plan, editors: dict[int, list[str]]) -> None:
    """The plan's items grouped by playbook, each with its tap box and its edit form.

    `editors`: who else has each item's form open (shown as "Lin is editing").
    """
    ui_lang = lang()
    day = today()
    late = overdue_ids(plan, day)
    modes = {
        "all": tr("全部", "All"),
        "open": tr("未完成", "Open"),
        "overdue": tr("逾期", "Overdue"),
        "mine": tr("我负责的", "Mine"),
    }
    mode = st.radio(tr("显示", "Show"), list(modes), format_func=modes.__getitem__, horizontal=True,
                    key=FILTER_KEY)  # fmt: skip
    if mode == "overdue":
        st.caption(tr(
            "逾期＝未完成、且截止日期已过的事项。没有截止日期的事项永远不算逾期；例行事项错过的次数见“今天与本周”。",
            "Overdue: open items whose due date has passed. An item without a due date is never "
            "overdue; missed occurrences of routines show under Today & this week.",
        ))  # fmt: skip
    if mode == "mine" and not author():
        st.info(tr("在页面上方写下你的名字，就能看到你负责的事项。",
                   "Type your name at the top of the page to see the items you own."))  # fmt: skip
    recurring = [i for i in plan.items if i.repeat is not None and i.is_open]
    todays: dict[int, list[Entry]] = {}
    if recurring:
        touched = occurrences_between(workspace_id, plan, day, day)
        for entry in entries(replace(plan, items=tuple(recurring)), touched, day, day, today=day):
            todays.setdefault(entry.item.id, []).append(entry)
    st.html(_CSS)
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
            _item(workspace_id, plan, item, numbers[item.id], item.id in late, group,
                  todays.get(item.id, []), editors.get(item.id, []))  # fmt: skip
    if not shown_any:
        st.info(tr("没有符合条件的事项。", "No items match."))
    with (
        st.form("plans.add_form", clear_on_submit=False),
        st.container(horizontal=True, vertical_alignment="bottom", wrap=False),
    ):
        st.text_input(tr("添加自定义事项：标题", "Add a custom item: title"), key="plans.add.title",
                      max_chars=300)  # fmt: skip
        st.number_input(tr("工作量（天）", "Effort (days)"), min_value=0.5, max_value=365.0, step=0.5,
                        value=1.0, key="plans.add.effort", width=140)  # fmt: skip
        st.form_submit_button(tr("添加", "Add"), on_click=_add_custom, args=(workspace_id, plan.id))
