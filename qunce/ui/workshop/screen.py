"""The audience screen (`?screen=CODE`): the current slide filling the projector, or the live
results of a poll; no notes, no controls, no sidebar, nothing to scroll.

A fragment looks every SCREEN_REFRESH_S seconds: the stage (one row) and the latest poll (two
small queries); the deck is cached per process and the poll's figure per results stamp.
"""

from __future__ import annotations

import streamlit as st

from qunce.db.errors import PlanError
from qunce.ui.keyring import keyring
from qunce.ui.workshop.common import SCREEN_REFRESH_S, deck_for, fail, style
from qunce.ui.workshop.polls import screen_poll, shows_on
from qunce.ui.workshop.slides import show_slide, show_timer
from qunce.ui.workspace import store
from qunce.workshop import repository as repo
from qunce.workshop.polls import live_poll


def screen_view(code: str) -> None:
    """The projector: the current slide in large type, following the presenter, no notes."""
    style(bare=True)
    try:
        first = repo.open_screen(store(), code)
    except PlanError as exc:
        fail(exc)
        return
    keyring().put("screen", code.strip())

    @st.fragment(run_every=SCREEN_REFRESH_S)
    def follow() -> None:
        try:
            stage = repo.get_stage(store(), first.workshop_id)
            results = live_poll(store(), first.workshop_id)
        except PlanError as exc:
            fail(exc)
            return
        deck = deck_for(stage.agenda)
        index = deck.clamp(stage.slide)
        slide = deck.slides[index]
        if results is not None and shows_on(results, slide):
            screen_poll(results, stage.display_lang)
        else:
            show_slide(slide, stage.display_lang, "screen")
        with st.container(
            key="workshop-screen-foot", horizontal=True, horizontal_alignment="distribute"
        ):
            st.caption(f"{index + 1} / {len(deck.slides)}")
            show_timer(stage, slide, "screen", caption=False)

    follow()
