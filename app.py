"""Qunce 群策 — entry point: routes to the pages, holds the language switch."""

import pandas  # noqa: F401  # imported once up front: sessions importing it concurrently raced (bench/load.py)
import streamlit as st

from qunce.ui.admin import unlocked
from qunce.ui.i18n import LANGS, init_lang, lang, set_lang, tr
from qunce.ui.keyring import write_back

st.set_page_config(page_title="Qunce 群策", page_icon="🧭", layout="wide")
init_lang()

PAGES = [  # (script, zh title, en title, icon, url path)
    ("views/home.py", "首页", "Home", "🏠", ""),
    ("views/search.py", "搜索", "Search", "🔎", "search"),
    ("views/playbooks.py", "方法手册", "Playbooks", "📘", "playbooks"),
    ("views/cases.py", "案例", "Cases", "🗂️", "cases"),
    ("views/calculators.py", "计算器", "Calculators", "🧮", "calculators"),
    ("views/plans.py", "启动计划", "Launch plans", "✅", "plans"),
    ("views/workshop.py", "工作坊", "Workshop", "🎤", "workshop"),
]
# This session's page objects in its language, made once: st.Page resolves its script on disk
# and hashes it, on every run otherwise. Not shared between sessions: st.navigation marks the
# page it returns as callable, and page.run() unmarks it.
_pages_key = f"app.pages.{lang()}"
if _pages_key not in st.session_state:
    st.session_state[_pages_key] = {
        script: st.Page(script, title=tr(zh, en), icon=icon, url_path=url, default=url == "")
        for script, zh, en, icon, url in PAGES
    }
    # The admin page answers at /admin, and shows in the navigation only once unlocked.
    st.session_state[_pages_key]["admin"] = {
        shown: st.Page("views/admin.py", title=tr("管理", "Admin"), icon="🛡️", url_path="admin",
                       visibility="visible" if shown else "hidden")
        for shown in (True, False)
    }  # fmt: skip
by_script = {k: v for k, v in st.session_state[_pages_key].items() if k != "admin"}
pages = [*by_script.values(), st.session_state[_pages_key]["admin"][unlocked()]]


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

st.session_state["app.pages"] = by_script  # links pass page objects (cheaper than paths)
page = st.navigation(pages)
st.session_state["app.page"] = page.url_path  # links to the page we are on become buttons
try:
    page.run()
finally:
    # The codes and name this browser keeps, written back when this run changed them. Pages
    # never call st.stop(): after it, a run draws nothing more, and this would be lost.
    with st.sidebar:
        write_back()
