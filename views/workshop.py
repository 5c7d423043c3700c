"""Workshop: agenda, presenter, team QR codes, live board and exports (see docs/workshop.md).

Which view opens depends on the code this browser holds: `?join=` a team's checklist,
`?screen=` the projector view, a facilitator code the trainer's desk (with `?remote=1` the
phone remote); otherwise the start page.
"""

import streamlit as st

from qunce.ui import workshop as ui

join = st.query_params.get("join")
screen = st.query_params.get("screen")
if join:
    ui.team_view(join)
elif screen:
    ui.screen_view(screen)
else:
    code = ui.host_code()
    if code and st.query_params.get("remote"):
        ui.remote_view(code)
    elif code:
        ui.host_desk(code)
    else:
        ui.landing()
