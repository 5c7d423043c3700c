"""The plan's timeline: a schedule from the start date, due dates and durations, and a Gantt chart.

Each playbook is a lane that runs its steps one after another; lanes run side by side from the
plan's start date (different people usually carry different playbooks); custom items form their
own lane. A bar is as long as the item's duration (calendar days; the effort when the step has
no duration): effort is work, not time. An item with a due date ends on its due date; the next
item of its lane starts after it. Skipped items take no time. A recurring item runs beside its
lane from its first day to its last occurrence (or to the right edge of the chart when it does
not end). An open item is overdue when its due date lies before today; an item without a due
date is never overdue (its bar simply lies in the past).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import plotly.graph_objects as go

from qunce.content.rrules import describe
from qunce.plans.records import STATUSES, Item, Plan, status_label

STATUS_COLOURS = {"todo": "#9aa5b1", "doing": "#2f80ed", "done": "#27ae60", "skipped": "#d5dbe1"}
OVERDUE_COLOUR = "#d64545"


@dataclass(frozen=True)
class Bar:
    """One item on the timeline: its lane (playbook id, None for custom items) and its window."""

    item: Item
    lane: str | None
    start: datetime
    end: datetime
    overdue: bool
    recurring: bool = False

    @property
    def last_day(self) -> date:
        """The last calendar day of work (`end` is exclusive)."""
        return (self.end - timedelta(microseconds=1)).date()


def schedule(plan: Plan, today: date) -> list[Bar]:
    """Planned windows of the plan's items that are not skipped, in plan order."""
    origin = datetime.combine(plan.start_date, time())
    cursors: dict[str | None, datetime] = {}
    bars: list[Bar] = []
    endless: list[int] = []
    for item in plan.items:
        if item.status == "skipped":
            continue
        repeat = item.repeat
        if repeat is not None:
            start = datetime.combine(repeat.start, time())
            last = repeat.last()
            end = datetime.combine(last.date(), time()) + timedelta(days=1) if last else start
            if last is None:
                endless.append(len(bars))
            bars.append(Bar(item, item.playbook_id, start, max(end, start), False, True))
            continue
        length = timedelta(days=item.calendar_days)
        if item.due is not None:
            end = datetime.combine(item.due, time()) + timedelta(days=1)
            start = end - length
        else:
            start = cursors.get(item.playbook_id, origin)
            end = start + length
        cursors[item.playbook_id] = max(cursors.get(item.playbook_id, origin), end)
        late = item.is_open and item.due is not None and item.due < today
        bars.append(Bar(item, item.playbook_id, start, end, late))
    if endless:
        # A routine that does not end runs to the chart's right edge: the last planned day,
        # or four weeks after today, whichever is later.
        finite = [b.end for i, b in enumerate(bars) if i not in endless]
        edge = max([*finite, datetime.combine(today, time()) + timedelta(days=28)])
        for index in endless:
            bar = bars[index]
            bars[index] = Bar(
                bar.item, bar.lane, bar.start, max(edge, bar.start + timedelta(days=1)), False, True
            )
    return bars


def overdue_ids(plan: Plan, today: date) -> set[int]:
    """Ids of the plan's open one-off items whose due date is before today."""
    return {
        item.id
        for item in plan.items
        if item.is_open and not item.recurring and item.due is not None and item.due < today
    }


def finish_date(plan: Plan, today: date) -> date | None:
    """The last planned day of the plan's one-off items, or None when nothing is scheduled."""
    bars = [bar for bar in schedule(plan, today) if not bar.recurring]
    return max(bar.last_day for bar in bars) if bars else None


def _owner_text(item: Item, width: int = 16) -> str:
    owner = item.owner.strip()
    if len(owner) > width:
        owner = owner[: width - 1] + "…"
    return html.escape(owner)


def _label(item: Item, lang: str, width: int = 36) -> str:
    title = item.title(lang)
    if len(title) > width:
        title = title[: width - 1] + "…"
    # Plotly renders a subset of HTML in labels and hover text: escape what people typed.
    return html.escape(f"{item.position + 1}. {title}")


def timeline_figure(plan: Plan, *, lang: str, today: date) -> go.Figure:
    """A Plotly Gantt chart of the plan: bars by status, overdue bars red, due dates as ◆."""
    bars = schedule(plan, today)
    labels = [_label(bar.item, lang) for bar in bars]
    figure = go.Figure()
    overdue_name = "逾期" if lang == "zh" else "Overdue"
    groups: list[tuple[str, str, list[int]]] = [
        (
            status_label(s, lang),
            STATUS_COLOURS[s],
            [i for i, b in enumerate(bars) if b.item.status == s and not b.overdue],
        )
        for s in STATUSES
    ]
    groups.append((overdue_name, OVERDUE_COLOUR, [i for i, b in enumerate(bars) if b.overdue]))
    owner_word, due_word = ("负责人", "截止") if lang == "zh" else ("Owner", "Due")
    for name, colour, indexes in groups:
        if not indexes:
            continue
        chosen = [bars[i] for i in indexes]
        figure.add_trace(
            go.Bar(
                name=name,
                orientation="h",
                y=[labels[i] for i in indexes],
                base=[b.start.isoformat() for b in chosen],
                x=[(b.end - b.start).total_seconds() * 1000 for b in chosen],
                marker={
                    "color": colour,
                    "line": {
                        "color": OVERDUE_COLOUR if name == overdue_name else colour,
                        "width": 1,
                    },
                    # Recurring items are hatched: they run beside the lane, not in it.
                    "pattern": {"shape": ["/" if b.recurring else "" for b in chosen]},
                },
                text=[_owner_text(b.item) for b in chosen],
                textposition="inside",
                insidetextanchor="start",
                textfont={"size": 11},
                cliponaxis=False,
                customdata=[
                    [
                        html.escape(b.item.title(lang)),
                        status_label(b.item.status, lang),
                        html.escape(b.item.owner or "—"),
                        b.start.date().isoformat(),
                        b.last_day.isoformat(),
                        b.item.due.isoformat() if b.item.due else "—",
                        html.escape(describe(b.item.rule, lang)) if b.item.rule else "",
                    ]
                    for b in chosen
                ],
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
                    f"{owner_word}: %{{customdata[2]}}<br>"
                    "%{customdata[3]} → %{customdata[4]}<br>"
                    f"{due_word}: %{{customdata[5]}}<br>%{{customdata[6]}}<extra></extra>"
                ),
            )
        )
    due_bars = [(labels[i], b) for i, b in enumerate(bars) if b.item.due is not None]
    if due_bars:
        figure.add_trace(
            go.Scatter(
                name=due_word,
                mode="markers",
                y=[label for label, _ in due_bars],
                x=[
                    datetime.combine(b.item.due, time(12)).isoformat()
                    for _, b in due_bars
                    if b.item.due
                ],
                marker={"symbol": "diamond", "size": 10, "color": "#333333"},
                hoverinfo="skip",
            )
        )
    today_text = "今天" if lang == "zh" else "Today"
    figure.add_shape(
        type="line",
        xref="x",
        yref="paper",
        x0=today.isoformat(),
        x1=today.isoformat(),
        y0=0,
        y1=1,
        line={"color": OVERDUE_COLOUR, "width": 1, "dash": "dot"},
    )
    # "Today" sits inside the plot's top edge; the legend is above the plot (y > 1), so the two
    # never meet however the dates fall.
    figure.add_annotation(
        x=today.isoformat(), y=1, xref="x", yref="paper", text=today_text,
        showarrow=False, yanchor="top", xanchor="left", xshift=2,
        font={"color": OVERDUE_COLOUR}, bgcolor="rgba(255,255,255,0.85)",
    )  # fmt: skip
    figure.update_layout(
        barmode="overlay",
        height=max(260, 26 * len(bars) + 160),
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        xaxis={"type": "date"},
        yaxis={
            "autorange": "reversed",
            "categoryorder": "array",
            "categoryarray": labels,
            "automargin": True,
        },
    )
    return figure
