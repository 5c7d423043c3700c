"""Ask the room: the presenter opens and closes a poll, phones answer, the screen shows results.

The trainer's panel sits beside the notes on the presenter (any slide); a team's phone shows the
open poll above its checklist; the audience screen shows the results live while the poll is
open, and a closed poll while the presenter is still on the slide it was asked from. Results
are redrawn only when `PollResults.stamp` changes (the figure is kept per session).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from qunce.db.errors import PlanError
from qunce.ui.i18n import lang, tr
from qunce.ui.workshop.common import error_text, fail, flash
from qunce.ui.workshop.slides import md
from qunce.ui.workspace import store
from qunce.workshop.charts import poll_figure, summary_line
from qunce.workshop.deck import Slide
from qunce.workshop.polls import (
    KINDS,
    MAX_OPTION,
    MAX_OPTIONS,
    MAX_QUESTION,
    MAX_TEXT,
    SCALE,
    PollResults,
    TeamPoll,
    answer_poll,
    close_poll,
    live_poll,
    open_poll,
)

KIND_KEY = "workshop.poll.kind"
QUESTION_KEY = "workshop.poll.question"
OPTIONS_KEY = "workshop.poll.options"
AUTHOR_KEY = "workshop.team.author"
_FIGURES_KEY = "workshop.poll.figures"


def kind_label(kind: str) -> str:
    """单选 / Single choice, 打分 1–5 / Scale 1–5, 简答 / Short text."""
    return {
        "choice": tr("单选", "Single choice"),
        "scale": tr("打分 1–5", "Scale 1–5"),
        "text": tr("简答", "Short text"),
    }[kind]


def shows_on(results: PollResults | None, slide: Slide) -> bool:
    """Whether the audience screen shows these results instead of the slide: while the presenter
    is on the slide the poll was asked from (open or closed), and an open poll asked from no
    slide (the command line). Pressing Next moves the screen on; phones can still answer and
    the presenter's panel keeps the open poll until it is closed."""
    if results is None:
        return False
    poll = results.poll
    return poll.slide_key == slide.key or (poll.is_open and not poll.slide_key)


def figure_for(results: PollResults, shown_lang: str, height: int) -> Any | None:
    """The results' chart, built again only when the results changed (`stamp`)."""
    cache: dict[tuple[Any, ...], Any] = st.session_state.setdefault(_FIGURES_KEY, {})
    key = (results.stamp, shown_lang, height)
    if key not in cache:
        cache.clear()
        figure = poll_figure(results, shown_lang, height=height)
        if figure is not None:
            # The question is the view's heading and the summary its own line (text a test and
            # a screen reader can find): not again inside the chart.
            figure.update_layout(
                title={"text": ""},
                annotations=[],
                margin={"l": 10, "r": 30, "t": 10, "b": 10},
                paper_bgcolor="rgba(0,0,0,0)",
                plot_bgcolor="rgba(0,0,0,0)",
            )
            figure.update_yaxes(automargin=True)
            figure.update_xaxes(automargin=True)
        cache[key] = figure
    return cache[key]


def show_results(results: PollResults, display: str, role: str, height: int = 420) -> None:
    """A poll's question, its results (a chart, or the teams' texts) and who answered."""
    shown = "en" if display == "en" else "zh"
    figure = figure_for(results, shown, height)
    if figure is not None:
        st.plotly_chart(
            figure,
            key=f"workshop.{role}.poll.chart",
            config={"displayModeBar": False, "staticPlot": True},
            width="stretch",
            theme=None,
        )
    else:
        texts = results.texts
        if texts:
            st.markdown("\n".join(f"- **{md(team)}**: {md(text)}" for team, text in texts))
        else:
            st.caption(tr("还没有小组回答。", "No team has answered yet."))
    st.markdown(md(summary_line(results, shown)))


def screen_poll(results: PollResults, display: str, role: str = "screen") -> None:
    """The poll filling the audience screen's frame (or the presenter's preview)."""
    with (
        st.container(key=f"workshop-frame-{role}-s0-c2-poll"),
        st.container(key=f"workshop-{role}-poll-slide"),
    ):
        st.caption(
            tr("向全场提问", "Ask the room") if display != "both" else "向全场提问 · Ask the room"
        )
        st.title(md(results.poll.question), anchor=False)
        with st.container(key=f"workshop-{role}-pollchart"):
            show_results(results, display, role)


# ---------------------------------------------------------------- the presenter's panel


def _open(code: str, slide_key: str) -> None:
    kind = st.session_state.get(KIND_KEY) or "choice"
    question = str(st.session_state.get(QUESTION_KEY) or "")
    options: list[str] = []
    if kind == "choice":
        options = [
            o for o in str(st.session_state.get(OPTIONS_KEY) or "").splitlines() if o.strip()
        ]
    try:
        open_poll(store(), code, kind, question, options, slide_key=slide_key)
    except PlanError as exc:
        flash(error_text(exc))
        return
    st.session_state[QUESTION_KEY] = ""
    st.session_state[OPTIONS_KEY] = ""


def _close(code: str, poll_id: int) -> None:
    try:
        close_poll(store(), code, poll_id)
    except PlanError as exc:
        flash(error_text(exc))


def poll_panel(code: str, workshop_id: str, slide: Slide) -> None:
    """Open a poll from this slide; while one is open, its live results and *Close poll*."""

    @st.fragment(run_every=2.0)
    def live() -> None:
        try:
            results = live_poll(store(), workshop_id)
        except PlanError as exc:
            fail(exc)
            return
        if results is None or not (results.poll.is_open or shows_on(results, slide)):
            return
        state = tr("进行中", "open") if results.poll.is_open else tr("已结束", "closed")
        st.markdown(f"**{md(results.poll.question)}** :gray[({state})]")
        show_results(results, lang(), "presenter", height=260)
        if results.poll.is_open:
            st.button(
                tr("结束投票", "Close poll"),
                key="workshop.poll.close",
                on_click=_close,
                args=(code, results.poll.id),
                type="primary",
            )

    with st.container(key="workshop-poll-panel", border=True):
        st.markdown(f"**{tr('向全场提问', 'Ask the room')}**")
        live()
        st.session_state.setdefault(KIND_KEY, "text" if slide.kind == "discuss" else "choice")
        kind = st.segmented_control(
            tr("题型", "Kind"),
            KINDS,
            format_func=kind_label,
            key=KIND_KEY,
            required=True,
        )
        st.text_input(
            tr("问题", "Question"),
            key=QUESTION_KEY,
            max_chars=MAX_QUESTION,
            placeholder=_placeholder(slide),
        )
        if kind == "choice":
            st.text_area(
                tr(
                    f"选项（每行一个，2–{MAX_OPTIONS} 个）",
                    f"Options (one per line, 2–{MAX_OPTIONS})",
                ),
                key=OPTIONS_KEY,
                height=96,
                max_chars=MAX_OPTIONS * (MAX_OPTION + 1),
            )
        st.button(
            tr("发起投票", "Open poll"),
            key="workshop.poll.open",
            on_click=_open,
            args=(code, slide.key),
            help=tr(
                "各组手机上立刻出现；观众屏幕实时显示结果。同一时间只开一个投票。",
                "It appears on every team's phone at once; the audience screen shows the results "
                "live. One poll is open at a time.",
            ),
        )


def _placeholder(slide: Slide) -> str:
    if slide.kind == "discuss" and slide.body:
        return slide.body[0].get(lang()).split(". ", 1)[-1][:MAX_QUESTION]
    return tr("例：你们组先做哪一步？", "e.g. Which step does your team do first?")


# ---------------------------------------------------------------- a team's phone


def _author() -> str:
    return str(st.session_state.get(AUTHOR_KEY) or "").strip()


FRESH_KEY = "workshop.answer.fresh"  # the phone just answered: its next look reads afresh


def _answer(team_code: str, poll_id: int, key: str, kind: str) -> None:
    st.session_state[FRESH_KEY] = True
    value = st.session_state.get(key)
    try:
        if kind == "text":
            answer_poll(store(), team_code, poll_id, text=str(value or ""), author=_author())
        elif value is not None:
            answer_poll(store(), team_code, poll_id, choice=int(value), author=_author())
    except PlanError as exc:
        flash(error_text(exc))


def phone_poll(team_code: str, found: TeamPoll) -> None:
    """The open poll on a team's phone: one tap (or a short text) answers for the team."""
    poll = found.poll
    if poll is None:
        return
    mine = found.mine
    version = int(mine.updated_at.timestamp() * 1000) if mine else 0
    key = f"workshop.answer.{poll.id}.{version}"
    with st.container(key="workshop-phone-poll", border=True):
        st.caption(tr("培训师提问（每组一个答案）", "The trainer asks (one answer per team)"))
        st.markdown(f"**{md(poll.question)}**")
        if poll.kind == "choice":
            st.radio(
                tr("选一个", "Pick one"),
                range(len(poll.options)),
                format_func=lambda i: md(poll.options[i]),
                index=mine.choice if mine and mine.choice is not None else None,
                key=key,
                on_change=_answer,
                args=(team_code, poll.id, key, "choice"),
            )
        elif poll.kind == "scale":
            st.segmented_control(
                tr("打分：1 最低，5 最高", "Rate: 1 lowest, 5 highest"),
                SCALE,
                default=mine.choice if mine and mine.choice in SCALE else None,
                key=key,
                on_change=_answer,
                args=(team_code, poll.id, key, "scale"),
            )
        else:
            with st.form(f"workshop.answer.form.{poll.id}.{version}", border=False):
                st.text_input(
                    tr("你们组的回答", "Your team's answer"),
                    value=mine.text if mine else "",
                    max_chars=MAX_TEXT,
                    key=key,
                )
                st.form_submit_button(
                    tr("发送", "Send"),
                    on_click=_answer,
                    args=(team_code, poll.id, key, "text"),
                )
        if mine is not None:
            who = f" · {md(mine.author)}" if mine.author else ""
            st.caption(
                tr("本组已回答，可以改。", "Your team has answered; you may change it.") + who
            )
