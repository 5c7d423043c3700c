"""Home: start people on their job first (founder, team lead, trainer); what the library holds below."""

import streamlit as st

from qunce.content.overview import counts, sunburst
from qunce.ui.cards import page
from qunce.ui.content import catalogue, show_content_errors
from qunce.ui.i18n import lang, tr

cat = catalogue()
st.title(tr("群策 Qunce", "Qunce 群策"))
st.caption(
    tr(
        "《社群电商》一书的方法与案例：可搜索的方法手册和案例卡、团队启动清单、规划计算器、工作坊。",
        "The book Community Commerce (社群电商, 2016) as searchable playbooks and cases, team "
        "launch checklists, planning calculators and workshops.",
    )
)

# Three jobs, three doors, all above the fold (1366×768 and a 390×844 phone): one bordered box
# per role, a short line and its links; the columns stack on a phone.
ROLES = (
    (
        "home.role.founder",
        tr("🚀 我在创建一个社群", "🚀 I'm founding a community"),
        tr("有没有人做过我要做的事？", "Has anyone done what I'm about to do?"),
        (
            ("views/search.py", tr("搜索方法与案例", "Search playbooks and cases"), "🔎"),
            ("views/cases.py", tr("看案例", "Read the cases"), "🗂️"),
            ("views/calculators.py", tr("用计算器算一算", "Plan with calculators"), "🧮"),
        ),
    ),
    (
        "home.role.team",
        tr("👥 我带一个团队", "👥 I lead a team"),
        tr("把方法变成有人负责、有日期的清单。", "Turn playbooks into a checklist with owners and dates."),
        (
            ("views/plans.py", tr("建立启动计划", "Start a launch plan"), "✅"),
            ("views/playbooks.py", tr("挑选方法手册", "Pick playbooks"), "📘"),
        ),
    ),
    (
        "home.role.trainer",
        tr("🎤 我在办工作坊", "🎤 I run a workshop"),
        tr("选议程、投屏讲解、看各组进度。", "Pick an agenda, present it, watch every team."),
        (("views/workshop.py", tr("准备工作坊", "Prepare a workshop"), "🎤"),),
    ),
)
for column, (key, title, line, links) in zip(st.columns(3), ROLES, strict=True):
    with column, st.container(border=True, key=key):
        st.markdown(f"**{title}**  \n:gray[{line}]")
        for script, label, icon in links:
            st.page_link(page(script), label=label, icon=icon)  # type: ignore[arg-type]

show_content_errors(cat)
st.divider()
st.subheader(tr("资料库里有什么", "What the library holds"))
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
