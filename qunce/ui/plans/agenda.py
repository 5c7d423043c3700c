"""Today and This week: what is due, for everyone or one person ("Mine"), ticked in one tap.

The view models come from `qunce.plans.calendar` (`today_view`, `week_view`): a one-off item
shows on its due date, each occurrence of a recurring item on its day. "Overdue" is what the
library says it is, and the page says so: an open item whose due date has passed, or an
occurrence of the last week not ticked; an item without a due date is never overdue.
"""

from __future__ import annotations

import streamlit as st

from qunce.plans.calendar import Entry, owners, today_range, today_view, week_range, week_view
from qunce.plans.records import Plan
from qunce.ui.i18n import lang, tr
from qunce.ui.plans.common import author, keep_choice, md, remember_choice, today
from qunce.ui.plans.snapshot import occurrences_between
from qunce.ui.plans.taps import day_name, entry_row

MODE_KEY = "plans.agenda.mode"
PERSON_KEY = "plans.agenda.person"  # shared with the calendar: "" everyone, ME, or a name
ME = "\x00me"


def person_picker(plan: Plan) -> str | None:
    """Whose entries to show: None for everyone, else a name ("Mine" is the person's own)."""
    me = author()
    names = [n for n in owners(plan) if n.casefold() != me.casefold()]
    options = ["", ME, *names]
    keep_choice(PERSON_KEY, options, "")

    # labels made now: AppTest calls format_func outside the script run, in no language
    labels = {
        "": tr("所有人", "Everyone"),
        ME: (tr(f"我的（{me}）", f"Mine ({me})") if me else tr("我的", "Mine")),
        **{name: name for name in names},
    }
    chosen = st.selectbox(
        tr("看谁的", "Whose"), options, format_func=labels.__getitem__, key=PERSON_KEY
    )
    remember_choice(PERSON_KEY, chosen)
    if chosen == ME:
        if not me:
            st.info(tr("在页面上方写下你的名字，就能只看你负责的事项。",
                       "Type your name at the top of the page to see only what you own."))  # fmt: skip
            return None
        return me
    return chosen or None


def overdue_rule() -> None:
    """Say honestly what overdue means here."""
    st.caption(tr(
        "逾期：截止日期已过、还没完成的事项，以及最近 7 天里没打勾的例行事项。没有截止日期的事项永远不算逾期。",
        "Overdue: open items whose due date has passed, and occurrences of routines from the last "
        "7 days that nobody ticked. An item without a due date is never overdue.",
    ))  # fmt: skip


def _rows(workspace_id: str, found: tuple[Entry, ...], where: str, *, show_due: bool) -> None:
    for entry in found:
        entry_row(workspace_id, entry, where, show_due=show_due)


def agenda(workspace_id: str, plan: Plan) -> None:
    """The Today / This week tab."""
    ui_lang = lang()
    now = today()
    modes = {"today": tr("今天", "Today"), "week": tr("本周", "This week")}
    if st.session_state.get(MODE_KEY) not in modes:
        st.session_state[MODE_KEY] = "today"
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    with left:
        mode = st.segmented_control(tr("时间", "When"), list(modes), format_func=modes.__getitem__,
                                    key=MODE_KEY) or "today"  # fmt: skip
    with right:
        person = person_picker(plan)
    whose = md(person) if person else tr("所有人", "everyone")
    if mode == "today":
        start, end = today_range(now)
        view = today_view(plan, occurrences_between(workspace_id, plan, start, end),
                          today=now, person=person)  # fmt: skip
        st.subheader(tr(f"今天 · {day_name(now, ui_lang, long=True)}",
                        f"Today · {day_name(now, ui_lang, long=True)}"))  # fmt: skip
        if view.empty:
            st.success(tr(f"今天没有到期或逾期的事项（{whose}）。",
                          f"Nothing due or overdue today ({whose})."))  # fmt: skip
        if view.overdue:
            st.markdown(f"**:red[{tr('逾期', 'Overdue')} ({len(view.overdue)})]**")
            _rows(workspace_id, view.overdue, "today.late", show_due=True)
        if view.due:
            st.markdown(f"**{tr('今天到期', 'Due today')} ({len(view.due)})**")
            _rows(workspace_id, view.due, "today", show_due=False)
        overdue_rule()
        return
    start, end = week_range(now)
    week = week_view(plan, occurrences_between(workspace_id, plan, start, end), day=now,
                     today=now, person=person)  # fmt: skip
    st.subheader(tr(f"本周 · {start.month}月{start.day}日 – {end.month}月{end.day}日",
                    f"This week · {start.day} {start:%b} – {end.day} {end:%b %Y}"))  # fmt: skip
    for day in week.days:
        title = day_name(day.day, ui_lang, long=True)
        mark = tr(" · :blue[今天]", " · :blue[today]") if day.is_today else ""
        count = (f" :gray[{tr(f'（{day.open} 项待办，共 {len(day.entries)} 项）', f'({day.open} open of {len(day.entries)})')}]"
                 if day.entries else "")  # fmt: skip
        st.markdown(f"**{title}**{mark}{count}")
        if not day.entries:
            st.caption(tr("没有安排。", "Nothing planned."))
        _rows(workspace_id, day.entries, "week", show_due=False)
    overdue_rule()
