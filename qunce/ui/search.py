"""Search for pages: one index per process, rebuilt (with a progress bar) when missing or stale."""

from __future__ import annotations

import logging
import re

import streamlit as st

from qunce.content.catalogue import Catalogue, content_hash
from qunce.search.engine import Filters, Hit, Mode, Searcher
from qunce.search.index import SearchIndex
from qunce.search.keyword import bigram_tokens, stem
from qunce.search.script import fold
from qunce.search.tools import Tool, Toolbox, ToolHit, calculator_tools
from qunce.ui.content import catalogue
from qunce.ui.i18n import lang, tr

log = logging.getLogger("qunce.search")


@st.cache_resource(show_spinner=False, max_entries=1)
def _index(version: str) -> SearchIndex:
    index = SearchIndex(catalogue())
    log.info("search index opened: %s (%d items)", index.dir, len(index.hashes))
    return index


def _version(cat: Catalogue) -> str:
    # the aliases and the glossary shape the keyword side: a change to either is a new index
    words = f"aliases:{content_hash(cat.aliases)}:{content_hash(cat.glossary)}"
    return "|".join([*(f"{i}:{cat.version(i)}" for i in sorted(cat.items)), words])


def _current_index() -> SearchIndex:
    """The index for the catalogue as it is now (one per process)."""
    return _index(_version(catalogue()))


def searcher() -> Searcher:
    """A searcher over a fresh index; builds it first (showing progress) when needed."""
    index = _current_index()
    ready = index._searcher
    if ready is not None and index.manifest_path.exists():
        return ready
    # Another session or the start-up warm-up may be loading it: wait for that, not twice.
    with st.spinner(tr("正在准备搜索……", "Getting search ready...")), index.lock:
        if index._searcher is not None and not index.manifest_path.exists():
            index._searcher = None
        if index._searcher is None and index.status().state != "fresh":
            label = tr("正在建立搜索索引……", "Building the search index...")
            bar = st.progress(0.0, text=label)

            def progress(done: int, total: int, item_id: str) -> None:
                bar.progress(done / max(total, 1), text=f"{label} {done}/{total}")

            index.build(progress)
            bar.empty()
        return index.searcher()


def index_is_fresh() -> bool:
    """Whether the index on disk (or on the Chroma server) matches the catalogue (no model load)."""
    return _current_index().status().state == "fresh"


def warm_searcher() -> None:
    """Load the index, the embedder, BM25, OpenCC and jieba outside any session (start-up)."""
    _current_index().searcher().search("warm up 预热", k=1)


def search(
    query: str, k: int = 10, mode: Mode = "hybrid", filters: Filters | None = None
) -> list[Hit]:
    """Search; if the index broke underneath us (deleted, corrupted), rebuild it and ask again."""
    try:
        return searcher().search(query, k=k, mode=mode, filters=filters)
    except Exception:
        _index.clear()
        index = _current_index()
        index.build(force=True)
        return index.searcher().search(query, k=k, mode=mode, filters=filters)


@st.cache_data(show_spinner=False, max_entries=256)
def related(item_id: str, version: str, k: int = 5) -> list[str]:
    """Items nearest to this one in the vector index (by its title and summary)."""
    item = catalogue().get(item_id)
    if item is None:
        return []
    query = f"{item.title.zh} {item.summary.zh}\n{item.title.en} {item.summary.en}"
    hits = search(query, k=k + 1, mode="dense")
    return [h.item_id for h in hits if h.item_id != item_id][:k]


_MD = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<])")


def escape_md(text: str) -> str:
    """Make text show literally in st.markdown."""
    return _MD.sub(r"\\\1", text)


def shown(hit: Hit) -> str:
    """The matched passage as the reader reads it: in the UI's language, and in 简体 for the
    Chinese UI whatever script the card was written in."""
    passage = hit.chunk.shown(lang())
    return fold(passage) if lang() == "zh" else passage


def highlight(text: str, query: str) -> str:
    """Markdown of `text` with the query's words and Chinese bigrams in bold (繁體 or 简体)."""
    query = fold(query)
    grams = {t for t in bigram_tokens(query) if re.search(r"[\u4e00-\u9fff]", t)}
    words = {stem(w) for w in re.findall(r"[A-Za-z0-9]+", query.lower()) if len(w) > 2}
    marks = [False] * len(text)
    for gram in grams:
        for match in re.finditer(re.escape(gram), text):
            for i in range(match.start(), match.end()):
                marks[i] = True
    for match in re.finditer(r"[A-Za-z0-9]+", text):
        if len(match.group()) > 2 and stem(match.group().lower()) in words:
            for i in range(match.start(), match.end()):
                marks[i] = True
    out: list[str] = []
    run: list[str] = []
    bold = False
    for ch, mark in zip(text, marks, strict=True):
        if mark != bold and run:
            piece = escape_md("".join(run))
            out.append(f"**{piece}**" if bold else piece)
            run = []
        bold = mark
        run.append(ch)
    if run:
        piece = escape_md("".join(run))
        out.append(f"**{piece}**" if bold else piece)
    return "".join(out)


# -- what a result card says ---------------------------------------------------------------

PLAN_TOOL = "launch-plan"


@st.cache_resource(show_spinner=False, max_entries=1)
def _toolbox(version: str) -> Toolbox:
    from qunce.calculators.registry import registry

    tools = calculator_tools(registry())
    tools.append(
        Tool(
            PLAN_TOOL,
            "plan",
            "用这些方法手册建立启动计划",
            "Turn these playbooks into a launch plan",
            "启动计划 清单 负责人 截止日期 时间线 分工",
            "launch plan checklist owners due dates timeline",
        )
    )
    return Toolbox(tools, _current_index().concepts())


def tools_for(query: str, hits: list[Hit]) -> list[ToolHit]:
    """Calculators and plan templates that answer a question about numbers or planning."""
    return _toolbox(_version(catalogue())).match(query, hits)


def landing(hit: Hit) -> dict[str, str]:
    """Query parameters that open a result where it matched (a step, a move, a lesson)."""
    chunk = hit.chunk
    if chunk.step_id:
        return {"step": chunk.step_id}
    if chunk.part in ("move", "lesson") and chunk.position:
        return {chunk.part: str(chunk.position)}
    return {}


def reason(hit: Hit) -> str:
    """Why a result was found, in words: "matches 冷场 / 群里 in step 7 «…»"."""
    chunk = hit.chunk
    words = " / ".join(hit.matched[:4])
    label = chunk.label(lang())
    where = {
        "step": tr(f"第 {chunk.position} 步《{label}》", f"step {chunk.position} «{label}»"),
        "routine": tr(f"例行任务《{label}》", f"routine «{label}»"),
        "move": tr(f"第 {chunk.position} 个做法《{label}》", f"move {chunk.position} «{label}»"),
        "lesson": tr(
            f"第 {chunk.position} 条经验《{label}》", f"lesson {chunk.position} «{label}»"
        ),
        "now": tr("“今天”一节", "the then-and-now note"),
        "section": tr(f"书中小节《{label}》", f"the book's section «{label}»"),
        "summary": tr("概要", "the summary"),
    }.get(chunk.part, chunk.part)
    if words:
        return tr(f"匹配 {words}，在{where}", f"matches {words} in {where}")
    return tr(f"意思相近：{where}", f"close in meaning to {where}")


def raw_scores(hit: Hit) -> str:
    """The raw figures behind a result, for whoever wants them."""
    return tr(
        f"余弦 {hit.cosine:.3f} · BM25 {hit.bm25:.2f} · 覆盖 {hit.coverage:.0%} · "
        f"融合分 {hit.score:.3f}（语义 {hit.dense:.3f} + 关键词 {hit.keyword:.3f}）",
        f"cosine {hit.cosine:.3f} · BM25 {hit.bm25:.2f} · coverage {hit.coverage:.0%} · "
        f"fused {hit.score:.3f} (meaning {hit.dense:.3f} + keywords {hit.keyword:.3f})",
    )


EXAMPLES = {
    "zh": ["群里冷清没人说话怎么办", "付费会员的定价", "企业微信 社群SOP", "小红书种草 KOC"],
    "en": [
        "the group is quiet, nobody talks",
        "paid membership pricing",
        "WeCom group SOP",
        "seeding with KOCs on Xiaohongshu",
    ],
}


def suggestions(query: str, k: int = 4) -> list[str]:
    """Questions to try when nothing is close: today's words that look like the question's,
    then the examples."""
    import difflib

    concepts = _current_index().concepts()
    words = [
        w for w in concepts.words() if (lang() == "zh") == bool(re.search(r"[\u4e00-\u9fff]", w))
    ]
    close = difflib.get_close_matches(
        fold(query).casefold(), [w.casefold() for w in words], n=2, cutoff=0.5
    )
    shown = [next(w for w in words if w.casefold() == c) for c in close]
    return list(dict.fromkeys([*shown, *EXAMPLES[lang()]]))[:k]
