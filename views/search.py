"""Search: one box, filters, result cards with the matching passage and why it matched."""

import streamlit as st

from qunce.search.engine import Filters
from qunce.ui.cards import (
    CALCULATORS_PAGE,
    PLANS_PAGE,
    item_link,
    kind_label,
    labels,
    page,
    vocab_filter,
)
from qunce.ui.content import catalogue
from qunce.ui.i18n import lang, text, tr
from qunce.ui.search import (
    EXAMPLES,
    escape_md,
    highlight,
    landing,
    raw_scores,
    reason,
    search,
    shown,
    suggestions,
    tools_for,
)

cat = catalogue()
ui_lang = lang()  # format functions may run outside the script run (AppTest)
st.title(tr("搜索", "Search"))
st.caption(
    tr(
        "用中文或英文提问，例如“群里冷清没人说话怎么办”或“reward crowdfunding tiers”。",
        'Ask in Chinese or English, e.g. "群里冷清没人说话怎么办" or "reward crowdfunding tiers".',
    )
)


# The box, the filters and the results are a fragment: a new query or filter reruns only this
# part, not the navigation and sidebar around it (bench/load.py, 20 sessions: search p95 fell
# with it). A rerun of it keeps the catalogue of the last full run.
@st.fragment
def search_panel() -> None:
    """The search box, the filters and the result cards."""
    if "search.query" not in st.session_state:
        st.session_state["search.query"] = st.query_params.get("q", "")
    query = st.text_input(
        tr("搜索方法手册和案例", "Search playbooks and cases"),
        key="search.query",
        placeholder=tr("例如：付费会员怎么定价", "e.g. how to price a paid membership"),
    )

    with st.expander(tr("筛选", "Filters"), expanded=False):
        c1, c2, c3 = st.columns(3)
        kind = c1.selectbox(
            tr("类型", "Kind"),
            ["", "playbook", "case"],
            format_func={
                "": tr("全部", "All"),
                "playbook": tr("方法手册", "Playbooks"),
                "case": tr("案例", "Cases"),
            }.__getitem__,
            key="search.kind",
        )
        chapters = c2.multiselect(
            tr("章", "Chapter"),
            [c.number for c in cat.book.chapters],
            format_func=lambda n: f"{n} · {cat.book.chapters[n - 1].title.get(ui_lang)}",
            key="search.chapters",
            placeholder=tr("全部章节", "All chapters"),
        )
        platforms = vocab_filter(c3, cat, "platforms", "search.platforms")
        c4, c5 = st.columns(2)
        stages = vocab_filter(c4, cat, "stages", "search.stages")
        tags = vocab_filter(c5, cat, "tags", "search.tags")
    filters = Filters(kind or None, tuple(chapters), tuple(platforms), tuple(stages), tuple(tags))

    if query.strip():
        st.query_params["q"] = query
        hits = search(query, k=10, filters=filters)
        close = [h for h in hits if h.match == "strong"]
        for found in tools_for(query, close or hits):
            tool = found.tool
            with st.container(border=True):
                if tool.kind == "plan":
                    st.page_link(page(PLANS_PAGE), label=tool.title(lang()), icon="✅",
                                 query_params={"playbooks": ",".join(found.items), "lang": lang()})  # fmt: skip
                else:
                    st.page_link(page(CALCULATORS_PAGE), label=f"{tr('计算器', 'Calculator')} · {tool.title(lang())}",
                                 icon="🧮", query_params={"calc": tool.id, "lang": lang()})  # fmt: skip
        if not close:
            # Nothing is close: say so plainly, offer other words, and keep the nearest few
            # below, marked as loose, for whoever wants to look anyway.
            st.warning(
                tr("没有找到相近的结果。", "No close match.") if hits
                else tr("没有找到结果。", "No results.")
            )
            st.markdown(tr("试试：", "Try:"))
            cols = st.columns(4)
            for i, tip in enumerate(suggestions(query)):
                cols[i % 4].button(tip, key=f"search.tip.{i}", on_click=st.session_state.__setitem__,
                                   args=("search.query", tip))  # fmt: skip
            st.markdown(
                tr(
                    "- 换个说法，或用更短的关键词（如“付费会员”“裂变”）\n- 减少筛选条件\n- 按章节浏览方法手册或案例：",
                    "- Try other words, or shorter keywords (e.g. “paid membership”, “referral”)\n- Remove some filters\n- Or browse by chapter:",
                )
            )
            st.page_link(
                "views/playbooks.py", label=tr("浏览方法手册", "Browse playbooks"), icon="📘"
            )
            st.page_link("views/cases.py", label=tr("浏览案例", "Browse cases"), icon="🗂️")
            hits = hits[:3]
            if hits:
                st.caption(tr("相关度较低的结果：", "Loosely related:"))
        for rank, hit in enumerate(hits, start=1):
            item = cat.get(hit.item_id)
            if item is None:
                continue
            # Three elements per card (box, text, link): each element is a message the server
            # builds and sends on every run. The raw figures are the text's tooltip.
            with st.container(border=True):
                chapter = cat.book.chapters[item.chapter - 1]
                where = hit.chunk.sections[0] if hit.chunk.sections else item.sections[0]
                title = cat.book.title_of(where)
                part = {
                    "summary": tr("概要", "Summary"),
                    "now": tr("今天", "Today"),
                    "section": tr("书中小节", "Book section"),
                    "step": tr("步骤", "Step"),
                    "routine": tr("例行任务", "Routine"),
                    "move": tr("做法", "Move"),
                    "lesson": tr("经验", "Lesson"),
                }.get(hit.chunk.part, hit.chunk.part)
                meta = labels(cat, "platforms", item.platforms)
                badge = (
                    f":green-badge[{tr('相近', 'Close match')}]" if hit.match == "strong"
                    else f":gray-badge[{tr('较弱', 'Weak match')}]"
                )  # fmt: skip
                st.markdown(
                    f":orange-badge[{kind_label(item)}] {badge} **{rank}. {escape_md(text(item.title))}**  \n"
                    f":gray[{tr('第', 'Ch. ')}{chapter.number}{tr('章', '')} · §{where} "
                    f"{escape_md(text(title)) if title else ''}]\n\n"
                    f"*{part}* — "
                    + highlight(shown(hit), query)
                    + (f"  \n:gray[📍 {escape_md(meta)}]" if meta else "")
                    + f"  \n:gray[:material/insights: {escape_md(reason(hit))}]",
                    help=raw_scores(hit),
                )
                item_link(item, label=tr("打开", "Open"), params=landing(hit))
    else:
        st.markdown(tr("**试试：**", "**Try:**"))
        examples = EXAMPLES[lang()]
        cols = st.columns(len(examples))
        for col, example in zip(cols, examples, strict=True):
            col.button(
                example,
                key=f"search.example.{example}",
                on_click=st.session_state.__setitem__,
                args=("search.query", example),
            )


search_panel()
