"""One tap: tick an item or one occurrence of a recurring item done (or skip it), from the
version the page showed.

A tap is a save like any other: it names the version it was based on, and when a teammate saved
first it is refused (`StaleEdit`, `StaleOccurrence`) and nothing is written. The page then says,
right under the box that was tapped (`tap_conflict`), who changed what and what it is now, and
offers to apply the tap on the newest version or to keep theirs: nothing the person did is lost.
A refused tap does not unfold the item's form (a tap is one field; the form would cost every
refresh a form and a table, and forms were for typing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import streamlit as st

from qunce.plans.calendar import Entry
from qunce.plans.errors import StaleEdit, StaleOccurrence
from qunce.plans.occurrences import mark
from qunce.plans.records import STATUS_MARKS, Item, Occurrence, Status, status_label
from qunce.ui.i18n import lang, tr
from qunce.ui.plans.common import (
    author,
    flash,
    guarded,
    md,
    name_first,
    when,
)
from qunce.ui.workspace import store

TAP_CONFLICTS_KEY = "plans.tap_conflicts"
WEEKDAYS = {
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


@dataclass(frozen=True)
class TapConflict:
    """A refused tap: what the person tapped, and the item or occurrence as it is now."""

    item: Item
    occurrence: Occurrence | None
    mine: Status

    @property
    def theirs(self) -> tuple[str, str, datetime | None]:
        """(status, who, when) of the newer save."""
        if self.occurrence is not None:
            o = self.occurrence
            return o.status, o.updated_by, o.updated_at
        return self.item.status, self.item.updated_by, self.item.updated_at


def _conflicts() -> dict[str, TapConflict]:
    found: dict[str, TapConflict] = st.session_state.setdefault(TAP_CONFLICTS_KEY, {})
    return found


def _key(item: Item, occurrence: Occurrence | None) -> str:
    if occurrence is None:
        return str(item.id)
    return f"{item.id}@{occurrence.occurs_at:%Y-%m-%dT%H:%M}"


def day_name(day: date, ui_lang: str, *, long: bool = False) -> str:
    """ "Mon 3/2" or "周一 3/2"; with `long`, "Monday 2 March 2026" or "2026年3月2日 周一"."""
    weekday = WEEKDAYS["en" if ui_lang == "en" else "zh"][day.weekday()]
    if long:
        if ui_lang == "en":
            return f"{day:%A} {day.day} {day:%B %Y}"
        return f"{day.year}年{day.month}月{day.day}日 {weekday}"
    return f"{weekday} {day.month}/{day.day}"


def _save(workspace_id: str, item: Item, occurrence: Occurrence | None, status: Status) -> bool:
    """Save a tap; on a stale one keep the conflict to show. True when it was saved."""
    conflicts = _conflicts()
    key = _key(item, occurrence)
    try:
        mark(store(), workspace_id, item, status, occurrence=occurrence, author=author())
    except StaleEdit as stale:
        conflicts[key] = TapConflict(stale.current, None, status)
        return False
    except StaleOccurrence as stale:
        conflicts[key] = TapConflict(item, stale.current, status)
        return False
    conflicts.pop(key, None)
    return True


@guarded
def ticked(workspace_id: str, item: Item, occurrence: Occurrence | None, key: str) -> None:
    """The box `key` of an item or occurrence was ticked (done) or cleared (to do)."""
    checked = bool(st.session_state.get(key))
    if not author():
        st.session_state[key] = not checked  # the box goes back: nothing was saved
        flash("error", name_first())
        return
    _save(workspace_id, item, occurrence, "done" if checked else "todo")


@guarded
def set_status(
    workspace_id: str, item: Item, occurrence: Occurrence | None, status: Status
) -> None:
    """A button set an item's or occurrence's status (skip, back to to-do)."""
    if not author():
        flash("error", name_first())
        return
    _save(workspace_id, item, occurrence, status)


@guarded
def _apply_mine(workspace_id: str, key: str) -> None:
    conflict = _conflicts().get(key)
    if conflict is None:
        return
    if not author():
        flash("error", name_first())
        return
    _save(workspace_id, conflict.item, conflict.occurrence, conflict.mine)


def _keep_theirs(key: str) -> None:
    _conflicts().pop(key, None)


def tap_conflict(workspace_id: str, item: Item, occurrence: Occurrence | None = None) -> None:
    """If a tap on this item (or occurrence) was refused: who changed it first, what it is now,
    and apply-mine / keep-theirs. Drawn right under the box that was tapped."""
    key = _key(item, occurrence)
    conflict = _conflicts().get(key)
    if conflict is None:
        return
    ui_lang = lang()
    status, who, at = conflict.theirs
    name = md(who) if who else tr("别人", "someone")
    title = md(conflict.item.title(ui_lang))
    if conflict.occurrence is not None:
        moment = conflict.occurrence.occurs_at
        timed = conflict.item.repeat is not None and conflict.item.repeat.timed
        title += f" ({day_name(moment.date(), ui_lang)}" + (f" {moment:%H:%M})" if timed else ")")
    at_text = when(at) if at else ""
    st.warning(tr(
        f"{name} 先改了「{title}」（{at_text}）：现在是「{status_label(status, ui_lang)}」。"
        f"你的操作（{status_label(conflict.mine, ui_lang)}）没有保存。",
        f"{name} changed “{title}” first ({at_text}): it is {status_label(status, 'en')} now. "
        f"Your change ({status_label(conflict.mine, 'en')}) was not saved.",
    ), icon=":material/warning:")  # fmt: skip
    with st.container(horizontal=True):
        st.button(tr("在最新版本上应用我的操作", "Apply mine on the newest version"),
                  key=f"plans.tap.apply.{key}", on_click=_apply_mine, args=(workspace_id, key),
                  type="primary")  # fmt: skip
        st.button(tr("保留对方的", "Keep theirs"), key=f"plans.tap.keep.{key}",
                  on_click=_keep_theirs, args=(key,))  # fmt: skip


def entry_label(entry: Entry, ui_lang: str, *, show_due: bool = False) -> str:
    """An entry as one line of Markdown: time, title, owner, repeat and overdue marks.

    `show_due` names the due date or the day (overdue lists).
    """
    parts = []
    if entry.at is not None:
        parts.append(f"{entry.at:%H:%M}")
    parts.append(md(entry.title(ui_lang)))
    if entry.status == "skipped":
        parts.append(f":gray[{STATUS_MARKS['skipped']} {status_label('skipped', ui_lang)}]")
    if entry.item.owner:
        parts.append(f":material/person: {md(entry.item.owner)}")
    if entry.occurrence is not None:
        parts.append(":material/repeat:")
    if show_due and entry.occurrence is None and entry.item.due:
        parts.append(tr(f"截止 {entry.item.due.isoformat()}", f"due {entry.item.due.isoformat()}"))
    elif show_due and entry.occurrence is not None:
        parts.append(day_name(entry.day, ui_lang))
    if entry.overdue:
        parts.append(tr(":red[:material/warning: 逾期]", ":red[:material/warning: overdue]"))
    return " · ".join(parts)


def entry_row(workspace_id: str, entry: Entry, where: str, *, show_due: bool = False) -> None:
    """One entry: a box to tick it done in one tap, and a button to skip it (or restore it)."""
    ui_lang = lang()
    key = f"plans.{where}.tick.{entry.key}.v{entry.version}"
    args = (workspace_id, entry.item, entry.occurrence)
    label = entry_label(entry, ui_lang, show_due=show_due)
    left, right = st.columns([12, 1], vertical_alignment="center")
    left.checkbox(label, value=entry.status == "done", key=key,
                  on_change=ticked, args=(*args, key))  # fmt: skip
    occurrence = entry.occurrence is not None
    if entry.status == "skipped":
        right.button("", icon=":material/undo:", key=f"plans.{where}.restore.{entry.key}.v{entry.version}",
                     help=tr("恢复为待办", "Back to to-do"), type="tertiary",
                     on_click=set_status, args=(*args, "todo"))  # fmt: skip
    elif entry.is_open:
        right.button("", icon=":material/block:", key=f"plans.{where}.skip.{entry.key}.v{entry.version}",
                     help=tr("这一次跳过", "Skip this time") if occurrence else tr("跳过这一项", "Skip this item"),
                     type="tertiary", on_click=set_status, args=(*args, "skipped"))  # fmt: skip
    tap_conflict(workspace_id, entry.item, entry.occurrence)
