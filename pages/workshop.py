"""Workshop: not built yet; says plainly what will be here."""

import streamlit as st

from qunce.ui.i18n import tr

st.title(tr("工作坊", "Workshop"))
st.info(
    tr(
        "这里将是培训师的工作台：按方法手册和案例排出议程，全屏逐步演示，"
        "为每个小组生成加入链接和二维码，实时查看各组进度，并导出 PPTX 课件。尚未完成。",
        "This will be the trainer's desk: build an agenda from playbooks and cases, present it "
        "full screen step by step, give each team a join link and QR code, watch every team's "
        "progress live, and export the deck as PPTX. Not built yet.",
    )
)
