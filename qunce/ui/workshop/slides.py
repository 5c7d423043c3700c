"""A slide drawn to fit its frame: the audience screen (the whole window), the presenter's current
and next slide (16:9 boxes), at any size from a 1280×720 projector to 1920×1080.

Sizes are in units of the frame (CSS container units: `--u` is 1 % of a 16:9 frame's width), so
a slide looks the same on every screen, only larger or smaller. `fit_slide` estimates, from the
slide's text, how many lines it needs at each of a few scales and picks the largest that fits;
a long list goes into two columns, and when even the smallest readable scale is too big the last
entries give way to "… +N" (they are in the speaker notes and the handout). Nothing scrolls.

Text is drawn with Streamlit's Markdown, escaped (`md`); the only HTML is the fixed CSS below and
the timer's fixed script.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

import streamlit as st

from qunce.db.base import utcnow
from qunce.ui.i18n import lang, tr
from qunce.workshop.charts import case_figure
from qunce.workshop.deck import Bi, Slide
from qunce.workshop.handout import md_escape
from qunce.workshop.records import Stage, clock, time_left

Role = Literal["screen", "cur", "next", "remote", "presenter"]
# Scales of the body text, largest first; the last keeps body text at ~18 px on a 1280×720 screen.
SCALES = (1.0, 0.88, 0.77, 0.68, 0.6)
# Sizes in frame units (1 u = 1 % of the frame's width; a 16:9 frame is 56.25 u high).
KICKER_U, TITLE_U, SUBTITLE_U, BODY_U, KEY_U = 1.5, 4.0, 2.5, 2.3, 3.8
LINE = 1.4  # line height of body text
GAP_U = 0.9  # between paragraphs
FRAME_H = 56.25
PAD_X, PAD_Y = 3.5, 2.4
FOOTER_U = 3.2
WIDTH = 100 - 2 * PAD_X
CHART_SHARE = 0.56  # the body's share of the width next to a case's chart
TWO_COLUMNS_AT = 5  # lists this long may go into two columns


def md(text: str) -> str:
    """Typed text as one line of Markdown that shows exactly what was typed (no formatting,
    links, maths, icons or emoji codes)."""
    return md_escape(text).replace("$", "\\$").replace(":", "\\:")


# ---------------------------------------------------------------- fitting (pure)


def text_em(text: str) -> float:
    """The width of `text` in ems: a Chinese character is one em, a Latin letter about half."""
    width = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            width += 1.0
        elif ch.isspace():
            width += 0.28
        elif ch.isupper() or ch.isdigit():
            width += 0.62
        else:
            width += 0.52
    return width


def lines_of(text: str, font_u: float, width_u: float) -> int:
    """Lines `text` takes at `font_u` in a column `width_u` wide (a little pessimistic)."""
    per_line = max(1.0, width_u / font_u * 0.94)
    return max(1, math.ceil(text_em(text) / per_line))


@dataclass(frozen=True)
class Fit:
    """How a slide is drawn: the scale of its text, list columns, how many paragraphs show."""

    level: int
    columns: int
    shown: int

    @property
    def scale(self) -> float:
        """The body text's scale (1.0 is the largest)."""
        return SCALES[self.level]


def _bullets(slide: Slide) -> int:
    return sum(1 for b in slide.body if b.bullet)


def _height(
    slide: Slide, display: str, scale: float, columns: int, shown: int, chart: bool
) -> float:
    """The height (in u) the slide's text takes at `scale`."""
    width = WIDTH * CHART_SHARE if chart else WIDTH
    title = slide.title.parts(display)
    height = KICKER_U * 1.3 + GAP_U
    height += lines_of(title[0][0], TITLE_U * scale, WIDTH) * TITLE_U * scale * 1.18
    for text, _language in title[1:]:
        height += GAP_U + lines_of(text, SUBTITLE_U * scale, WIDTH) * SUBTITLE_U * scale * 1.25
    body = slide.body[:shown]
    bullets = [b for b in body if b.bullet]
    list_lines = 0.0
    for bi in body:
        font = (KEY_U if bi.emphasis else BODY_U) * scale
        column = width / columns if bi.bullet else width
        lines = sum(lines_of(text, font, column - 2.2 * font) for text, _ in bi.parts(display))
        if bi.bullet:
            list_lines += lines * font * LINE + 0.35 * font
        else:
            height += GAP_U * 1.6 + lines * font * LINE
    if bullets:
        height += GAP_U * 1.6 + list_lines / columns + (BODY_U * scale * LINE if columns > 1 else 0)
    if shown < len(slide.body):
        height += BODY_U * scale * LINE
    return height


def fit_slide(slide: Slide, display: str, *, chart: bool | None = None) -> Fit:
    """The largest scale (and list columns) at which the slide fits its frame; past the smallest
    readable scale, as many paragraphs as fit."""
    with_chart = slide.chart is not None if chart is None else chart
    room = FRAME_H - 2 * PAD_Y - FOOTER_U
    count = len(slide.body)
    many = _bullets(slide) >= TWO_COLUMNS_AT and not with_chart
    for columns in (1, 2) if many else (1,):
        for level, scale in enumerate(SCALES):
            if _height(slide, display, scale, columns, count, with_chart) <= room:
                return Fit(level, columns, count)
    last = len(SCALES) - 1
    columns = 2 if many else 1
    shown = count
    while shown > 1 and _height(slide, display, SCALES[last], columns, shown, with_chart) > room:
        shown -= 1
    return Fit(last, columns, shown)


# ---------------------------------------------------------------- drawing


def _paragraph(bi: Bi, display: str) -> str:
    parts = bi.parts(display)
    lines = [md(parts[0][0])] + [f":gray[{md(text)}]" for text, _ in parts[1:]]
    return "  \n".join(lines)


def _list(items: list[Bi], display: str) -> str:
    out = []
    for bi in items:
        parts = bi.parts(display)
        entry = f"- {md(parts[0][0])}"
        for text, _language in parts[1:]:
            entry += f"  \n  :gray[{md(text)}]"
        out.append(entry)
    return "\n".join(out)


def _body(slide: Slide, display: str, fit: Fit, role: Role) -> None:
    shown = slide.body[: fit.shown]
    run: list[Bi] = []
    number = 0

    def flush() -> None:
        if run:
            st.markdown(_list(run, display))
            run.clear()

    for bi in shown:
        if bi.bullet:
            run.append(bi)
            continue
        flush()
        if bi.emphasis:
            number += 1
            with st.container(key=f"workshop-{role}-keymsg-{number}"):
                st.markdown(_paragraph(bi, display))
        else:
            st.markdown(_paragraph(bi, display))
    flush()
    hidden = len(slide.body) - fit.shown
    if hidden > 0:
        st.markdown(f":gray[… +{hidden}]")


def _chart(slide: Slide, display: str, role: Role) -> None:
    if slide.chart is None:
        return
    # Plotly sizes in pixels: heights that fit the frame's text area at 1280×720 (the screen)
    # and the presenter's 16:9 boxes in their columns.
    height = {"screen": 360, "cur": 150}.get(role, 100)
    figure = case_figure(slide.chart, "en" if display == "en" else "zh", height=height)
    if role != "screen":  # a thumbnail: Plotly's sizes are pixels, not frame units
        small = 9 if role == "next" else 11
        figure.update_layout(font={"size": small}, title={"font": {"size": small}})
        figure.update_yaxes(tickfont={"size": small})
        figure.update_traces(textfont={"size": small})
    figure.update_yaxes(automargin=True)
    figure.update_layout(
        margin={
            "l": 6,
            "r": 70 if role == "screen" else 30,
            "t": 36 if role == "screen" else 18,
            "b": 6,
        },
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
    )
    st.plotly_chart(
        figure,
        key=f"workshop.{role}.chart",
        config={"displayModeBar": False, "staticPlot": True},
        width="stretch",
        height=height,
        theme=None,
    )


def frame_key(role: Role, fit: Fit, chart: bool) -> str:
    """The frame's key: its role and fit become CSS classes (`st-key-workshop-frame-...`)."""
    return f"workshop-frame-{role}-s{fit.level}-c{fit.columns}{'-chart' if chart else ''}"


def show_slide(slide: Slide, display: str, role: Role = "screen") -> Fit:
    """One slide in its frame, fitted: kicker, title, the audience's text and a case's chart
    (never the notes). Returns the fit it was drawn with."""
    chart = slide.chart is not None
    fit = fit_slide(slide, display)
    inner = "workshop-slide" if role in ("screen", "cur") else f"workshop-{role}-slide"
    with st.container(key=frame_key(role, fit, chart)), st.container(key=inner):
        st.caption(md(slide.kicker.get(display).replace("\n", " · ")))
        title = slide.title.parts(display)
        if role == "next":
            st.markdown(f"**{md(title[0][0])}**")
        else:
            st.title(md(title[0][0]), anchor=False)
        for text, _language in title[1:]:
            st.markdown(f"### :gray[{md(text)}]")
        with st.container(key=f"workshop-{role}-body"):
            if chart:
                left, right = st.columns(
                    [CHART_SHARE, 1 - CHART_SHARE], gap="medium", vertical_alignment="center"
                )
                with left:
                    _body(slide, display, fit, role)
                with right, st.container(key=f"workshop-{role}-chartbox"):
                    _chart(slide, display, role)
            else:
                _body(slide, display, fit, role)
    return fit


def show_notes(slide: Slide, display: str) -> None:
    """The speaker notes of a slide, in a box of their own."""
    with st.container(key="workshop-notes", border=True):
        st.markdown(
            f"**{tr('演讲者备注（观众屏幕不显示）', 'Speaker notes (not on the audience screen)')}**"
        )
        if not slide.notes:
            st.caption(tr("这一页没有备注。", "No notes for this slide."))
        items = [Bi(n.zh, n.en, bullet=True) for n in slide.notes]
        if items:
            st.markdown(_list(items, display if display != "both" else lang()))


_TIMER = """
<div class="qunce-timer" id="qunce-timer-{role}" data-end="{end}">{text}</div>
<script>
(function () {{
  const box = document.getElementById("qunce-timer-{role}");
  if (!box) return;
  const end = Number(box.dataset.end);
  window.quncetimers = window.quncetimers || {{}};
  if (window.quncetimers["{role}"]) clearInterval(window.quncetimers["{role}"]);
  function tick() {{
    const left = Math.round((end - Date.now()) / 1000);
    const abs = Math.abs(left);
    const text = String(Math.floor(abs / 60)).padStart(2, "0") + ":" +
      String(abs % 60).padStart(2, "0");
    box.textContent = (left < 0 ? "-" : "") + text;
    box.classList.toggle("over", left < 0);
  }}
  tick();
  window.quncetimers["{role}"] = setInterval(tick, 1000);
}})();
</script>
"""


def timer_end(stage: Stage, slide: Slide) -> tuple[int, str] | None:
    """When the block's time runs out (ms since the epoch) and the reading now; None without one."""
    if slide.block is None or slide.minutes <= 0:
        return None
    now = utcnow()
    left: timedelta = time_left(stage.elapsed(now), slide.minutes)
    return int((now + left).timestamp() * 1000), clock(left)


def show_timer(stage: Stage, slide: Slide, role: Role = "screen", caption: bool = True) -> None:
    """The block timer: counts down the block's minutes in the browser, red once over."""
    found = timer_end(stage, slide)
    if found is None:
        return
    end, text = found
    if caption:
        st.caption(tr(f"本环节计时（{slide.minutes} 分钟）", f"Block timer ({slide.minutes} min)"))
    st.html(
        _TIMER.format(end=end, text=text, role=role), width="content", unsafe_allow_javascript=True
    )


# Fixed CSS of the slide frames. `--u` is 1 % of a 16:9 frame's width (container units), the
# scale `--s` comes from the frame's key (fit level), so text fits without scrolling.
_SCALE_RULES = "\n".join(
    f'[class*="st-key-workshop-frame-"][class*="-s{n}-"] {{ --s: {scale}; }}'
    for n, scale in enumerate(SCALES)
)
SLIDE_CSS = f"""
<style>
[class*="st-key-workshop-frame-"] {{
  container-type: size; overflow: hidden; background: #fafaf9; border-radius: 6px;
  padding: 0 !important; position: relative; border-left: 6px solid #c2410c;
  box-sizing: border-box; }}
{_SCALE_RULES}
[class*="st-key-workshop-frame-"] > div {{
  flex: 1 1 auto; min-height: 0; display: flex; flex-direction: column; }}
[class*="st-key-workshop-frame-"] [data-testid="stElementContainer"],
[class*="st-key-workshop-frame-"] [class*="-body"] [data-testid="stVerticalBlock"] > div {{
  flex-shrink: 0; }}
[class*="st-key-workshop-frame-"] [class*="-slide"] {{
  --u: min(1cqw, 1.7778cqh); flex: 1 1 auto;
  padding: {PAD_Y}cqh {PAD_X}cqw 0 {PAD_X}cqw; gap: calc({GAP_U} * var(--u));
  box-sizing: border-box; }}
[class*="st-key-workshop-frame-"] [class*="-slide"] > div:has([class*="-body"]) {{
  flex: 1 1 auto; display: flex; flex-direction: column; }}
[class*="st-key-workshop-frame-"] [class*="-body"] {{
  flex: 1 1 auto; justify-content: center; padding-bottom: calc(2 * var(--u)); }}
[class*="st-key-workshop-frame-"] [data-testid="stVerticalBlock"],
[class*="st-key-workshop-frame-"] [data-testid="stHorizontalBlock"] {{
  gap: calc({GAP_U} * var(--u)); }}
[class*="st-key-workshop-frame-"] [data-testid="stCaptionContainer"] p {{
  font-size: max(calc({KICKER_U} * var(--u)), 7px); line-height: 1.3; margin: 0 0 0.3em 0;
  color: #78716c; }}
[class*="st-key-workshop-frame-"] h1 {{
  font-size: calc({TITLE_U} * var(--s) * var(--u)); line-height: 1.18; padding: 0;
  margin: 0; color: #1f2937; }}
[class*="st-key-workshop-frame-"] h3 {{
  font-size: calc({SUBTITLE_U} * var(--s) * var(--u)); line-height: 1.25; padding: 0;
  margin: 0; }}
[class*="st-key-workshop-frame-"] [data-testid="stMarkdownContainer"] p,
[class*="st-key-workshop-frame-"] [data-testid="stMarkdownContainer"] li {{
  font-size: calc({BODY_U} * var(--s) * var(--u)); line-height: {LINE}; margin: 0 0 0 0; }}
[class*="st-key-workshop-frame-"] [data-testid="stMarkdownContainer"],
[class*="st-key-workshop-frame-"] [data-testid="stMarkdown"],
[class*="st-key-workshop-frame-"] [data-testid="stCaptionContainer"] {{
  margin: 0 !important; }}
[class*="st-key-workshop-frame-"] [data-testid="stMarkdownContainer"] ul {{
  margin: 0; padding-left: 1.2em; }}
[class*="st-key-workshop-frame-"] [data-testid="stMarkdownContainer"] li {{
  margin-bottom: 0.35em; break-inside: avoid; }}
[class*="st-key-workshop-frame-"][class*="-c2"] [data-testid="stMarkdownContainer"] ul {{
  columns: 2; column-gap: calc(3 * var(--u)); }}
[class*="st-key-workshop-frame-"] [class*="-keymsg-"] p {{
  font-size: calc({KEY_U} * var(--s) * var(--u)); font-weight: 700; color: #c2410c;
  line-height: 1.3; }}
[class*="st-key-workshop-frame-screen-"] {{
  position: fixed; inset: 0; width: 100vw; height: calc(100vh - {FOOTER_U}vw);
  border-radius: 0; z-index: 1; }}
[class*="st-key-workshop-frame-cur-"], [class*="st-key-workshop-frame-next-"] {{
  aspect-ratio: 16 / 9; width: 100%; height: auto; box-shadow: 0 0 0 1px #e7e5e4; }}
.st-key-workshop-screen-foot {{
  position: fixed; left: 0; right: 0; bottom: 0; height: {FOOTER_U}vw; z-index: 2;
  padding: 0 {PAD_X}vw; display: flex; flex-direction: row; align-items: center;
  justify-content: space-between; background: #fafaf9; }}
.st-key-workshop-screen-foot [data-testid="stCaptionContainer"] p {{ font-size: 1.2vw; }}
.st-key-workshop-screen-foot .qunce-timer {{ font-size: 1.8vw; }}
</style>
"""
