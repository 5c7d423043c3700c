"""The UI language: kept in the `lang` query parameter, so it survives page changes and reloads."""

from __future__ import annotations

from typing import Literal, Protocol

import streamlit as st

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
_KEY = "app.lang"


class Bilingual(Protocol):
    @property
    def zh(self) -> str: ...
    @property
    def en(self) -> str: ...


def init_lang() -> None:
    """Sync the language between the URL and the session; call once per run from app.py.

    Page switches drop query parameters, so the session remembers the language and puts it back
    into the URL; a reload starts a new session and reads it from the URL.
    """
    asked = st.query_params.get("lang")
    if asked in LANGS:
        st.session_state[_KEY] = asked
    else:
        st.session_state.setdefault(_KEY, "zh")
        st.query_params["lang"] = st.session_state[_KEY]


def set_lang(value: Lang) -> None:
    """Switch the UI language."""
    st.session_state[_KEY] = value
    st.query_params["lang"] = value


def lang() -> Lang:
    """The current UI language ("zh" by default)."""
    value = st.session_state.get(_KEY) or st.query_params.get("lang", "zh")
    return "en" if value == "en" else "zh"


def tr(zh: str, en: str) -> str:
    """Pick the string for the current language."""
    return en if lang() == "en" else zh


def text(value: Bilingual) -> str:
    """A content `Text` (or anything with zh/en) in the current language."""
    return value.en if lang() == "en" else value.zh
