"""Home: what Qunce is and what the library holds."""

import streamlit as st

from qunce.content.overview import counts, sunburst
from qunce.ui.content import catalogue, show_content_errors
from qunce.ui.i18n import lang, tr

cat = catalogue()
st.title(tr("群策 Qunce", "Qunce 群策"))
st.markdown(
    tr(
        "把《社群电商》一书的方法与案例变成可搜索的**方法手册**、**案例卡**、团队的**启动清单**、"
        "创始人的**规划计算器**和培训师的**工作坊**。",
        "The frameworks and case studies of the book *Community Commerce* (社群电商, 2016) as "
        "searchable **playbooks** and **case cards**, team **launch checklists**, founders' "
        "**planning calculators** and trainers' **workshops**.",
    )
)
show_content_errors(cat)

cols = st.columns(4)
leaves = cat.book.leaves()
missing, _ = cat.coverage()
cols[0].metric(tr("方法手册", "Playbooks"), len(cat.playbooks))
cols[1].metric(tr("案例", "Cases"), len(cat.cases))
cols[2].metric(tr("书中小节", "Book sections"), len(leaves))
cols[3].metric(tr("覆盖率", "Coverage"), f"{100 * (len(leaves) - len(missing)) / len(leaves):.0f}%")

left, right = st.columns([3, 2])
with left:
    st.subheader(tr("按章节浏览", "By chapter"))
    if cat.items:
        st.plotly_chart(sunburst(cat, lang()), key="home.sunburst")
    else:
        st.info(tr("还没有内容。", "No content yet."))
with right:
    for field, title in (
        ("platforms", tr("平台", "Platforms")),
        ("stages", tr("阶段", "Stages")),
    ):
        st.subheader(title)
        rows = [
            {tr("名称", "Name"): cat.vocabulary.label(field, key, lang()), tr("条目", "Items"): n}
            for key, n in counts(cat, field).most_common()
        ]
        st.dataframe(rows, hide_index=True, key=f"home.{field}")

st.subheader(tr("从这里开始", "Start here"))
c1, c2, c3, c4 = st.columns(4)
c1.page_link("views/search.py", label=tr("搜索案例与方法", "Search cases and playbooks"), icon="🔎")
c2.page_link("views/playbooks.py", label=tr("按章节浏览方法", "Browse playbooks"), icon="📘")
c3.page_link("views/plans.py", label=tr("建立团队启动计划", "Start a team launch plan"), icon="✅")
c4.page_link("views/calculators.py", label=tr("用数字规划", "Plan with numbers"), icon="🧮")
