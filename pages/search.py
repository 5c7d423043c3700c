"""Search: not built yet."""

import streamlit as st

from qunce.ui.i18n import tr

st.title(tr("搜索", "Search"))
st.info(tr("混合语义搜索正在建设中。", "Hybrid semantic search is being built."))
