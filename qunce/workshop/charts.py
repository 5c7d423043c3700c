"""Plotly figures for the workshop's screens (no Streamlit here): a poll's results, a case's figures.

Large type and one colour, so the room reads them from the back. Labels typed by the trainer are
escaped (Plotly reads a few HTML tags in labels). A text poll has no chart: its answers are a
list (`PollResults.texts`). `case_figure` draws a slide's `Chart`, the same bars as the PPTX.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from qunce.calculators.charts import FONT, plain
from qunce.workshop.deck import Chart
from qunce.workshop.polls import PollResults

PRIMARY = "#c2410c"
INK = "#1f2937"
GRID = "#e7e5e4"
WRAP = 24


def _wrap(text: str, width: int = WRAP) -> str:
    """A long label broken into lines (`<br>`), each line escaped."""
    words = text.split(" ")
    if len(words) == 1:  # Chinese has no spaces: cut every `width // 2` characters
        step = max(4, width // 2)
        return "<br>".join(plain(text[i : i + step]) for i in range(0, len(text), step))
    lines, line = [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(plain(one) for one in lines)


def summary_line(results: PollResults, lang: str = "zh") -> str:
    """ "7 of 12 teams answered · average 3.6" in the page's language."""
    en = lang == "en"
    line = (
        f"{results.answered} of {results.teams} teams answered"
        if en
        else f"{results.teams} 个小组中 {results.answered} 个已回答"
    )
    if results.mean is not None:
        line += f" · average {results.mean:.1f}" if en else f" · 平均 {results.mean:.1f}"
    if not results.poll.is_open:
        line += " · closed" if en else " · 已结束"
    return line


def poll_figure(results: PollResults, lang: str = "zh", height: int = 420) -> Any | None:
    """A bar chart of a choice or scale poll (None for a text poll)."""
    poll = results.poll
    if poll.kind == "text":
        return None
    counts = list(results.counts)
    if poll.kind == "choice":
        labels = [_wrap(o) for o in poll.options]
        figure = go.Figure(
            go.Bar(
                x=counts,
                y=labels,
                orientation="h",
                marker_color=PRIMARY,
                text=counts,
                textposition="outside",
                cliponaxis=False,
                hoverinfo="skip",
            )
        )
        figure.update_yaxes(autorange="reversed", tickfont={"size": 22})
        figure.update_xaxes(visible=False, range=[0, max(1, *counts) * 1.15])
    else:
        labels = [str(v) for v in range(1, 6)]
        figure = go.Figure(
            go.Bar(
                x=labels,
                y=counts,
                marker_color=PRIMARY,
                text=counts,
                textposition="outside",
                cliponaxis=False,
                hoverinfo="skip",
            )
        )
        figure.update_xaxes(type="category", tickfont={"size": 24})
        figure.update_yaxes(visible=False, range=[0, max(1, *counts) * 1.2])
        if results.mean is not None:
            figure.add_vline(
                x=results.mean - 1,  # category axis: "1" sits at 0
                line={"color": INK, "dash": "dash", "width": 2},
            )
    figure.update_layout(
        title={"text": plain(poll.question), "x": 0, "xanchor": "left", "font": {"size": 26}},
        font={"family": FONT, "size": 20, "color": INK},
        height=height,
        margin={"l": 10, "r": 30, "t": 70, "b": 40},
        plot_bgcolor="white",
        paper_bgcolor="white",
        showlegend=False,
        annotations=[
            {
                "text": plain(summary_line(results, lang)),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": -0.08,
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "font": {"size": 16},
            }
        ],
    )
    return figure


def case_figure(chart: Chart, lang: str = "zh", height: int = 420) -> Any:
    """A case slide's figures as horizontal bars with their values (zh or en labels)."""
    shown = "en" if lang == "en" else "zh"
    labels = [_wrap(f.label().get(shown)) for f in chart.figures]
    values = [f.value for f in chart.figures]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker_color=PRIMARY,
            text=[f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}" for v in values],
            textposition="outside",
            cliponaxis=False,
            hoverinfo="skip",
        )
    )
    figure.update_yaxes(autorange="reversed", tickfont={"size": 18})
    figure.update_xaxes(visible=False, range=[0, max(values) * 1.3 or 1])
    figure.update_layout(
        title={"text": plain(chart.title.get(shown)), "x": 0, "xanchor": "left",
               "font": {"size": 18}},
        font={"family": FONT, "size": 18, "color": INK},
        height=height,
        margin={"l": 10, "r": 30, "t": 50, "b": 10},
        plot_bgcolor="white",
        paper_bgcolor="white",
        showlegend=False,
    )  # fmt: skip
    return figure
