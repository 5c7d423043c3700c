"""Shared look of the calculators' Plotly charts."""

from __future__ import annotations

import html
from typing import Any

# Colour-blind-safe (Okabe–Ito), readable on light and dark backgrounds.
COLORS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
FONT = "Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, sans-serif"


def layout(fig: Any, title: str, height: int = 380) -> Any:
    """Give a figure the house layout: title, font able to show Chinese, compact margins."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        # Below the x-axis title, never on top of it.
        legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0},
        separators=".,",
    )
    return fig


def plain(text: str) -> str:
    """A user-typed name made safe for Plotly, which reads a few HTML tags in trace names."""
    return html.escape(text, quote=False)
