"""Filtered dense search: neighbours filtered here equal chromadb's own `where` search, and a
filter too selective for that falls back to chromadb's `where`."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from qunce.config import load_settings
from qunce.content.catalogue import load_catalogue
from qunce.search.engine import FEWEST_KEPT, Filters, Searcher, pool_size
from qunce.search.index import SearchIndex

QUERIES = ["群里冷清没人说话怎么办", "reward crowdfunding tiers", "paid membership pricing"]
FILTERS = [
    Filters(kind="playbook"),
    Filters(kind="case"),
    Filters(platforms=("wechat",)),
    Filters(kind="playbook", platforms=("wechat",)),
    Filters(chapters=(3,)),
]


@pytest.fixture(scope="module")
def searcher(search_index_dir: Path) -> Searcher:
    config = dataclasses.replace(load_settings(), index_dir=search_index_dir, chroma_url=None)
    return SearchIndex(load_catalogue(extra=[]), config).searcher()


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: str(f.where()))
def test_filtering_here_gives_chromas_filtered_neighbours(searcher: Searcher, filters: Filters) -> None:
    for query in QUERIES:
        vector = searcher.embed_query(query)
        ours = [h.id for h in searcher._filtered_neighbours(vector, 40, filters)]
        theirs = [h.id for h in searcher.store.query(vector, 40, filters.where())]
        # Ours may be shorter (only what passed among the unfiltered neighbours). Its head is
        # chromadb's filtered list in the same order; further down, the unfiltered ANN's own
        # approximation may swap near-ties (seen at rank 19 of 40), as any HNSW answer may.
        assert len(ours) >= 40 // FEWEST_KEPT, (query, filters)
        head = min(10, len(ours))
        assert ours[:head] == theirs[:head], (query, filters)
        assert len(set(ours) & set(theirs)) >= 0.9 * len(ours), (query, filters)
        for hit_id in ours:
            chunk = searcher.chunks[searcher._by_id[hit_id.rpartition("@")[0]]]
            assert filters.accepts(chunk)


def test_a_very_selective_filter_asks_chroma_with_where(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Any] = []
    query = searcher.store.query

    def spy(vector: Any, n: int, where: dict[str, Any] | None = None) -> Any:
        calls.append(where)
        return query(vector, n, where)

    monkeypatch.setattr(searcher.store, "query", spy)
    # the rarest tag within one chapter: its few vectors cannot fill want // FEWEST_KEPT
    # among the neighbours
    counts: dict[tuple[str, int], int] = {}
    for chunk in searcher.chunks:
        for tag in chunk.tags:
            counts[(tag, chunk.chapter)] = counts.get((tag, chunk.chapter), 0) + 1
    tag, chapter = min(counts, key=lambda t: (counts[t], t))
    rare = Filters(tags=(tag,), chapters=(chapter,))
    want = pool_size(40) * 2  # search(k=40) asks for a pool of chunks, in two languages
    assert 2 * counts[(tag, chapter)] < want // FEWEST_KEPT, "the content changed: pick a rarer filter"
    hits = searcher.search("how to run a community", k=40, mode="dense", filters=rare)
    assert calls[0] is None and calls[-1] == rare.where(), calls
    assert hits and all(rare.accepts(h.chunk) for h in hits)
