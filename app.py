"""Qunce 群策 — entry point: routes to the pages, holds the language switch."""

import pandas  # noqa: F401  # imported once up front: sessions importing it concurrently raced (bench/load.py)
import streamlit as st

from qunce.ui.i18n import LANGS, init_lang, lang, set_lang, tr

st.set_page_config(page_title="Qunce 群策", page_icon="🧭", layout="wide")
init_lang()

pages = [
    st.Page("views/home.py", title=tr("首页", "Home"), icon="🏠", url_path="", default=True),
    st.Page("views/search.py", title=tr("搜索", "Search"), icon="🔎", url_path="search"),
    st.Page("views/playbooks.py", title=tr("方法手册", "Playbooks"), icon="📘", url_path="playbooks"),
    st.Page("views/cases.py", title=tr("案例", "Cases"), icon="🗂️", url_path="cases"),
    st.Page("views/calculators.py", title=tr("计算器", "Calculators"), icon="🧮", url_path="calculators"),
    st.Page("views/plans.py", title=tr("启动计划", "Launch plans"), icon="✅", url_path="plans"),
    st.Page("views/workshop.py", title=tr("工作坊", "Workshop"), icon="🎤", url_path="workshop"),
]


def _switch_language() -> None:
    # a callback runs before the script, so the new language shows in this very run
    choice = st.session_state.get("app.lang_switch")
    if choice:
        set_lang(choice)


st.session_state["app.lang_switch"] = lang()
with st.sidebar:
    st.segmented_control(
        "语言 / Language",
        options=list(LANGS),
        format_func={"zh": "中文", "en": "English"}.__getitem__,
        key="app.lang_switch",
        on_change=_switch_language,
    )

page = st.navigation(pages)
st.session_state["app.page"] = page.url_path  # links to the page we are on become buttons
page.run()
