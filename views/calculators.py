"""Calculators: plan with numbers, compare scenarios, share them as links."""

import streamlit as st

from qunce.ui.calculators import (
    case_origin,
    has_table,
    open_workspace,
    pick_calculator,
    scenarios_panel,
    share_panel,
    show_method,
    show_results,
    sync_link,
)
from qunce.ui.forms import input_form
from qunce.ui.i18n import text, tr

st.title(tr("计算器", "Calculators"))
workspace = open_workspace()
calc = pick_calculator()
st.caption(text(calc.summary) + tr(" · 本书 ", " · Book sections ") + ", ".join(calc.sections))
origin = st.container()  # filled below, once the form has the inputs: where each came from

# A table of tiers needs room; the results then show two figures a row.
wide = has_table(calc)
form_col, result_col = st.columns([1, 1] if wide else [2, 3], gap="large")
with form_col:
    st.subheader(tr("输入", "Inputs"))
    outcome = input_form(calc)
with result_col:
    st.subheader(tr("结果", "Results"))
    show_results(calc, outcome, per_row=2 if wide else 3)

with origin:
    case_origin(calc, outcome.inputs)
params = sync_link(calc, outcome.inputs)

scenarios_tab, share_tab, method_tab = st.tabs(
    [tr("方案对比", "Scenarios"), tr("分享链接", "Share"), tr("算法与来源", "Method and sources")]
)
with scenarios_tab:
    scenarios_panel(calc, outcome, workspace)
with share_tab:
    share_panel(calc, params)
with method_tab:
    show_method(calc)
