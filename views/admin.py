"""Admin: QUNCE_ADMIN_CODE unlocks usage, quotas, content errors and deletion."""

import streamlit as st

from qunce.ui import admin as ui
from qunce.ui.i18n import tr

st.title(tr("管理", "Admin"))
if ui.unlocked():
    ui.desk()
else:
    ui.gate()
