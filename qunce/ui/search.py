"""Search for pages: one index per process, rebuilt (with a progress bar) when missing or stale."""

from __future__ import annotations

import logging
import re

import streamlit as st

from qunce.content.catalogue import Catalogue
from qunce.search.engine import Filters, Hit, Mode, Searcher
from qunce.search.index import SearchIndex
from qunce.search.keyword import bigram_tokens, stem
from qunce.ui.content import catalogue
from qunce.ui.i18n import tr

log = logging.getLogger("qunce.search")


@st.cache_resource(show_spinner=False, max_entries=1)
def _index(version: str) -> SearchIndex:
    index = SearchIndex(catalogue())
    log.info("search index opened: %s (%d items)", index.dir, len(index.hashes))
    return index


def _version(cat: Catalogue) -> str:
    return "|".join(f"{i}:{cat.version(i)}" for i in sorted(cat.items))


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
    """Load the index, the embedder and BM25 outside any session (the server's start-up)."""
    _current_index().searcher().search("warm up", k=1)


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


def highlight(text: str, query: str) -> str:
    """Markdown of `text` with the query's words and Chinese bigrams in bold."""
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
