"""The presenter: the current slide, the next one, the notes, the timer and the poll panel side by
side, with Previous/Next on the first line so they stay on screen at 1280×720; and the phone
remote (`?remote=1` with the facilitator code): Previous/Next and the notes, nothing else.

Keys: ← / → (the buttons' own shortcuts), PageUp / PageDown and Space (a fixed script that
presses the same buttons; presentation clickers send these), never while typing in a field.
"""

from __future__ import annotations

import streamlit as st

from qunce.db.errors import PlanError
from qunce.ui.i18n import lang, tr
from qunce.ui.workshop.common import (
    PRESENTER_REFRESH_S,
    deck_for,
    error_text,
    fail,
    flash,
    lang_label,
    link_base,
    style,
)
from qunce.ui.workshop.polls import poll_panel
from qunce.ui.workshop.slides import md, show_notes, show_slide, show_timer
from qunce.ui.workspace import store
from qunce.workshop import repository as repo
from qunce.workshop.deck import DISPLAY_LANGS, Deck
from qunce.workshop.links import host_link, screen_link
from qunce.workshop.qr import qr_png
from qunce.workshop.records import Workshop

NOTES_KEY = "workshop.present.notes"
FOCUS_KEY = "workshop.present.focus"
JUMP_KEY = "workshop.present.jump"
LANG_KEY = "workshop.present.lang"

# Presentation clickers send PageDown/PageUp (some send Space): press the Next/Previous buttons.
_KEYS = """
<script>
(function () {
  if (window.quncekeys) return;
  window.quncekeys = true;
  document.addEventListener("keydown", function (event) {
    const target = event.target;
    const tag = target && target.tagName ? target.tagName : "";
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(tag))) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    let which = null;
    if (event.key === "PageDown" || (event.key === " " && tag !== "BUTTON")) which = "next";
    if (event.key === "PageUp") which = "prev";
    if (!which) return;
    const button = document.querySelector(".st-key-workshop-present-" + which + " button");
    if (!button) return;
    event.preventDefault();
    if (!button.disabled) button.click();
  });
})();
</script>
"""


def go(code: str, index: int) -> None:
    """Show slide `index` (callback)."""
    try:
        workshop = repo.open_workshop(store(), code)
        repo.go_to(store(), code, index, deck_for(workshop.agenda))
    except PlanError as exc:
        flash(error_text(exc))


def step(code: str, offset: int) -> None:
    """Move `offset` slides (callback)."""
    try:
        workshop = repo.open_workshop(store(), code)
        repo.go_to(store(), code, workshop.stage.slide + offset, deck_for(workshop.agenda))
    except PlanError as exc:
        flash(error_text(exc))


def _jump(code: str) -> None:
    go(code, int(st.session_state[JUMP_KEY]))


def _set_lang(code: str) -> None:
    value = st.session_state.get(LANG_KEY)
    if value:
        try:
            repo.set_display_lang(store(), code, value)
        except PlanError as exc:
            flash(error_text(exc))


def _restart(code: str) -> None:
    try:
        repo.restart_timer(store(), code)
    except PlanError as exc:
        flash(error_text(exc))


def _nav(code: str, deck: Deck, index: int, workshop: Workshop) -> None:
    slide = deck.slides[index]
    bar = st.columns([2, 2, 5, 2, 2], vertical_alignment="center", gap="small")
    bar[0].button(
        tr("◀ 上一页", "◀ Previous"),
        key="workshop.present.prev",
        on_click=step,
        args=(code, -1),
        disabled=index == 0,
        shortcut="Left",
        width="stretch",
    )
    bar[1].button(
        tr("下一页 ▶", "Next ▶"),
        key="workshop.present.next",
        on_click=step,
        args=(code, 1),
        disabled=index >= len(deck.slides) - 1,
        shortcut="Right",
        type="primary",
        width="stretch",
    )
    st.session_state[JUMP_KEY] = index
    labels = [
        f"{i + 1}/{len(deck.slides)} · {s.title.get(lang())}" for i, s in enumerate(deck.slides)
    ]
    bar[2].selectbox(
        tr("跳到", "Go to"),
        range(len(deck.slides)),
        format_func=labels.__getitem__,
        key=JUMP_KEY,
        on_change=_jump,
        args=(code,),
        label_visibility="collapsed",
    )
    with bar[3]:
        show_timer(workshop.stage, slide, "presenter", caption=False)
    if slide.block is not None:
        bar[4].button(
            tr("重新计时", "Restart timer"),
            key="workshop.present.restart",
            on_click=_restart,
            args=(code,),
            width="stretch",
        )
    st.html(_KEYS, unsafe_allow_javascript=True)


def presenter(code: str, workshop: Workshop) -> None:
    """Current slide, next slide, notes, timer and poll side by side; Next always on screen."""
    deck = deck_for(workshop.agenda)
    stage = workshop.stage
    index = deck.clamp(stage.slide)
    slide = deck.slides[index]
    display = stage.display_lang
    _nav(code, deck, index, workshop)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        show_slide(slide, display, "cur")
        options = st.columns([3, 2, 2], vertical_alignment="center")
        st.session_state[LANG_KEY] = display
        options[0].segmented_control(
            tr("投屏语言", "Slide language"),
            DISPLAY_LANGS,
            format_func=lang_label,
            key=LANG_KEY,
            on_change=_set_lang,
            args=(code,),
            required=True,
            label_visibility="collapsed",
        )
        options[1].toggle(tr("演讲者备注", "Speaker notes"), value=True, key=NOTES_KEY)
        options[2].toggle(
            tr("专注模式", "Focus mode"),
            key=FOCUS_KEY,
            help=tr("隐藏侧栏和顶部", "Hide the sidebar and the desk's header"),
        )
        st.caption(
            tr(
                "键盘：← / → 或 PageUp / PageDown（翻页笔）、空格 = 下一页。投影打开观众视图，它跟随这里翻页。",
                "Keys: ← / →, PageUp / PageDown (clickers), Space = next. Open the audience view "
                "on the projector; it follows this page.",
            )
        )
    with right:
        if index + 1 < len(deck.slides):
            st.caption(tr("下一页", "Next slide"))
            show_slide(deck.slides[index + 1], display, "next")
        else:
            st.caption(tr("这是最后一页。", "This is the last slide."))
        if st.session_state.get(NOTES_KEY, True):
            with st.container(height=220, border=False, key="workshop-notes-box"):
                show_notes(slide, display)
        poll_panel(code, workshop.id, slide)
    with st.expander(tr("观众视图与手机遥控", "Audience view and phone remote")):
        audience_links(code, workshop)


def audience_links(code: str, workshop: Workshop) -> None:
    """The audience screen's link, and the phone remote's QR code (it holds the facilitator
    code: never project it)."""
    base = link_base(workshop.id)
    link = screen_link(repo.screen_join_code(code, workshop), lang(), base=base)
    st.markdown(
        tr("**观众视图**（投影仪或第二块屏幕）", "**Audience view** (projector or second screen)")
    )
    st.code(link, language=None)
    st.link_button(tr("在新标签页打开观众视图", "Open the audience view in a new tab"), link)
    remote = host_link(code, lang(), base=base) + "&remote=1"
    st.markdown(
        tr("**手机遥控**：用你自己的手机扫码", "**Phone remote**: scan with your own phone")
    )
    st.warning(
        tr(
            "这个二维码含主持码：不要投屏，不要分享。",
            "This QR code holds the facilitator code: do not project or share it.",
        )
    )
    st.image(qr_png(remote, pixels=360), width=200)


# ---------------------------------------------------------------- the phone remote


def remote_view(code: str) -> None:
    """A phone as a remote: slide number and title, Previous/Next, the timer and the notes."""
    style(bare=True, wide=False)
    try:
        workshop = repo.open_workshop(store(), code)
    except PlanError as exc:
        fail(exc)
        return

    @st.fragment(run_every=PRESENTER_REFRESH_S)
    def live() -> None:
        try:
            stage = repo.get_stage(store(), workshop.id)
        except PlanError as exc:
            fail(exc)
            return
        deck = deck_for(stage.agenda)
        index = deck.clamp(stage.slide)
        slide = deck.slides[index]
        with st.container(key="workshop-remote"):
            st.caption(f"{md(workshop.title)} · {index + 1} / {len(deck.slides)}")
            st.markdown(f"### {md(slide.title.get(lang()))}")
            cols = st.columns(2)
            cols[0].button(
                tr("◀ 上一页", "◀ Previous"),
                key="workshop.remote.prev",
                on_click=step,
                args=(code, -1),
                disabled=index == 0,
                width="stretch",
            )
            cols[1].button(
                tr("下一页 ▶", "Next ▶"),
                key="workshop.remote.next",
                on_click=step,
                args=(code, 1),
                disabled=index >= len(deck.slides) - 1,
                type="primary",
                width="stretch",
            )
            show_timer(stage, slide, "remote", caption=False)
            if index + 1 < len(deck.slides):
                st.caption(tr("下一页：", "Next: ") + md(deck.slides[index + 1].title.get(lang())))
        show_notes(slide, stage.display_lang)

    live()
