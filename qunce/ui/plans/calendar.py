"""The calendar tab: a week or a month as a grid, and the chosen day's entries to tick or skip.

Drawn with Streamlit's own elements (columns of bordered cells) from the pure view models of
`qunce.plans.calendar`. A week cell names its entries with their marks (☐ to do, ☑ done,
⊘ skipped, red: overdue); a month cell counts them: a seventh of the page is too narrow for a box
and a title side by side, let alone a month of titles. Clicking a day lists all of its entries
under the grid (today's at first), each with a box to tick it done in one tap and a skip (or
restore) button.
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date, timedelta

import streamlit as st

from qunce.plans.calendar import Day, Entry, month_range, month_view, week_range, week_view
from qunce.plans.records import STATUS_MARKS, Plan
from qunce.ui.i18n import lang, tr
from qunce.ui.plans.agenda import overdue_rule, person_picker
from qunce.ui.plans.common import md, today
from qunce.ui.plans.snapshot import occurrences_between
from qunce.ui.plans.taps import WEEKDAYS, day_name, entry_row

MODE_KEY = "plans.cal.mode"  # "week" or "month"
ANCHOR_KEY = "plans.cal.anchor"  # a day of the week or month shown
DAY_KEY = "plans.cal.day"  # the day listed under the grid
WEEK_CELL = 12  # entries named in a week cell (all of them: under the grid, by day)


def _shift(step: int) -> None:
    anchor: date = st.session_state[ANCHOR_KEY]
    if st.session_state.get(MODE_KEY) == "month":
        month = anchor.month - 1 + step
        year = anchor.year + month // 12
        anchor = date(year, month % 12 + 1, 1)
    else:
        anchor += timedelta(days=7 * step)
    st.session_state[ANCHOR_KEY] = anchor
    st.session_state[DAY_KEY] = anchor


def _back_to_today() -> None:
    st.session_state[ANCHOR_KEY] = today()
    st.session_state[DAY_KEY] = today()


def _pick(day: date) -> None:
    st.session_state[DAY_KEY] = day


def _day_button(day: Day, chosen: date, ui_lang: str, *, month: bool = False) -> None:
    """The day's name (a month cell: its number) as a button that lists the day below."""
    label = str(day.day.day) if month else day_name(day.day, ui_lang)
    if day.is_today:
        label = f":blue[**{label}**]"
    elif not day.in_month:
        label = f":gray[{label}]"
    today_word = tr("（今天）", " (today)") if day.is_today else ""
    st.button(label, key=f"plans.cal.pick.{day.day.isoformat()}", on_click=_pick, args=(day.day,),
              type="secondary" if day.day == chosen else "tertiary",
              help=tr(f"在下面列出 {day.day.isoformat()}{today_word}",
                      f"List {day.day.isoformat()}{today_word} below"))  # fmt: skip


def _line(entry: Entry, ui_lang: str, width: int, *, timed: bool) -> str:
    """One entry in a cell: its mark, time and a short title, in small type."""
    mark = STATUS_MARKS[
        "done" if entry.status == "done" else "skipped" if entry.status == "skipped" else "todo"
    ]
    title = entry.title(ui_lang)
    if len(title) > width:
        title = title[: width - 1] + "…"
    text = f"{mark} " + (f"**{entry.at:%H:%M}** " if timed and entry.at else "") + md(title)
    return f":red[:small[{text}]]" if entry.overdue else f":small[{text}]"


def _cell(day: Day, ui_lang: str, *, lines: int, width: int, timed: bool) -> None:
    shown = [_line(e, ui_lang, width, timed=timed) for e in day.entries[:lines]]
    more = len(day.entries) - lines
    if more > 0:
        shown.append(tr(f":gray[:small[还有 {more} 项]]", f":gray[:small[+{more} more]]"))
    if shown:
        st.markdown("  \n".join(shown))
    else:
        st.caption("—")


def _counts(day: Day) -> None:
    """A month cell: how many entries are open, done, skipped and overdue (the titles do not
    fit a seventh of the page; clicking the day lists them)."""
    open_ = sum(1 for e in day.entries if e.is_open and not e.overdue)
    late = sum(1 for e in day.entries if e.overdue)
    done = sum(1 for e in day.entries if e.status == "done")
    skipped = sum(1 for e in day.entries if e.status == "skipped")
    parts = []
    if open_:
        parts.append(f":small[{STATUS_MARKS['todo']} {open_}]")
    if late:
        parts.append(f":red[:small[{STATUS_MARKS['todo']} {late}]]")
    if done:
        parts.append(f":green[:small[{STATUS_MARKS['done']} {done}]]")
    if skipped:
        parts.append(f":gray[:small[{STATUS_MARKS['skipped']} {skipped}]]")
    if parts:
        st.markdown(" ".join(parts))


def _week(
    workspace_id: str, plan: Plan, anchor: date, chosen: date, person: str | None
) -> list[Day]:
    ui_lang = lang()
    start, end = week_range(anchor)
    view = week_view(plan, occurrences_between(workspace_id, plan, start, end), day=anchor,
                     today=today(), person=person)  # fmt: skip
    width = 10 if ui_lang == "zh" else 20
    for column, day in zip(st.columns(7, gap="small"), view.days, strict=True):
        with column, st.container(border=True):
            _day_button(day, chosen, ui_lang)
            _cell(day, ui_lang, lines=WEEK_CELL, width=width, timed=True)
    return list(view.days)


def _month(
    workspace_id: str, plan: Plan, anchor: date, chosen: date, person: str | None
) -> list[Day]:
    ui_lang = lang()
    start, end = month_range(anchor.year, anchor.month)
    view = month_view(plan, occurrences_between(workspace_id, plan, start, end),
                      year=anchor.year, month=anchor.month, today=today(), person=person)  # fmt: skip
    names = WEEKDAYS["en" if ui_lang == "en" else "zh"]
    for column, name in zip(st.columns(7, gap="small"), names, strict=True):
        column.caption(f"**{name}**")
    for week in view.weeks:
        for column, day in zip(st.columns(7, gap="small"), week, strict=True):
            with column, st.container(border=True, height=105):
                _day_button(day, chosen, ui_lang, month=True)
                _counts(day)
    st.caption(tr(
        f"每格：{STATUS_MARKS['todo']} 待办的项数（:red[红色]：逾期），{STATUS_MARKS['done']} 完成，"
        f"{STATUS_MARKS['skipped']} 跳过。点日期，在下面列出这一天。",
        f"In each day: {STATUS_MARKS['todo']} how many are to do (:red[red]: overdue), "
        f"{STATUS_MARKS['done']} done, {STATUS_MARKS['skipped']} skipped. Click a date to list "
        "that day below.",
    ))  # fmt: skip
    return list(view.days)


def calendar(workspace_id: str, plan: Plan) -> None:
    """The calendar tab: week or month grid, moving by week or month, and the chosen day."""
    ui_lang = lang()
    now = today()
    state = st.session_state
    modes = {"week": tr("周", "Week"), "month": tr("月", "Month")}
    if state.get(MODE_KEY) not in modes:
        state[MODE_KEY] = "week"
    if not isinstance(state.get(ANCHOR_KEY), date):
        state[ANCHOR_KEY] = now
    if not isinstance(state.get(DAY_KEY), date):
        state[DAY_KEY] = now
    mode_col, back, home, forward, whose = st.columns([2, 1, 1, 1, 3], vertical_alignment="bottom")
    with mode_col:
        mode = st.segmented_control(tr("视图", "View"), list(modes), format_func=modes.__getitem__,
                                    key=MODE_KEY) or "week"  # fmt: skip
    step = tr("上一月", "Previous month") if mode == "month" else tr("上一周", "Previous week")
    back.button("", icon=":material/chevron_left:", key="plans.cal.back", help=step,
                on_click=_shift, args=(-1,), width="stretch")  # fmt: skip
    home.button(tr("今天", "Today"), key="plans.cal.today", on_click=_back_to_today,
                width="stretch")  # fmt: skip
    step = tr("下一月", "Next month") if mode == "month" else tr("下一周", "Next week")
    forward.button("", icon=":material/chevron_right:", key="plans.cal.forward", help=step,
                   on_click=_shift, args=(1,), width="stretch")  # fmt: skip
    with whose:
        person = person_picker(plan)
    anchor: date = state[ANCHOR_KEY]
    chosen: date = state[DAY_KEY]
    if mode == "month":
        st.subheader(tr(f"{anchor.year}年{anchor.month}月",
                        f"{_calendar.month_name[anchor.month]} {anchor.year}"))  # fmt: skip
        days = _month(workspace_id, plan, anchor, chosen, person)
    else:
        start, end = week_range(anchor)
        st.subheader(tr(f"{start.year}年{start.month}月{start.day}日 – {end.month}月{end.day}日",
                        f"{start.day} {start:%b} – {end.day} {end:%b %Y}"))  # fmt: skip
        days = _week(workspace_id, plan, anchor, chosen, person)
    shown = next((d for d in days if d.day == chosen), None)
    if shown is None:  # the chosen day is outside the grid: list today's, or the first day's
        shown = next((d for d in days if d.is_today), days[0])
    heading = day_name(shown.day, ui_lang, long=True)
    st.markdown(f"#### {tr('今天 · ', 'Today · ') if shown.is_today else ''}{heading}")
    if not shown.entries:
        st.caption(tr("这一天没有安排。", "Nothing planned that day."))
    for entry in shown.entries:
        entry_row(workspace_id, entry, "cal.day", show_due=False)
    overdue_rule()
