"""Dense search: neighbours filtered here equal chromadb's own `where` search, a filter too
selective for that falls back to chromadb's `where`, and the ANN finds the exact nearest."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from qunce.config import load_settings
from qunce.content.catalogue import load_catalogue
from qunce.search.engine import FEWEST_KEPT, Filters, Searcher, pool_size
from qunce.search.evaluate import load_queries
from qunce.search.index import SearchIndex
from qunce.search.script import fold
from qunce.search.store import (
    COLLECTION,
    EF_SEARCH,
    QunceEmbeddingFunction,
    VectorStore,
    make_client,
)

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


def _questions() -> list[str]:
    """The on-topic eval questions (off-topic ones have no near neighbours to get right)."""
    root = Path(__file__).resolve().parents[2]
    files = [root / "tests" / "fixtures" / "eval" / "holdout.yaml", root / "eval" / "today.yaml"]
    return [q.q for f in files for q in load_queries(f) if q.expect]


def test_the_dense_neighbours_are_the_exact_nearest(search_index_dir: Path, tmp_path: Path) -> None:
    """The HNSW walk keeps enough candidates (EF_SEARCH) that the 100 neighbours a query asks for
    are the true 100 nearest by cosine, for every on-topic eval question (at chromadb's default of
    100 candidates, 3 % of them were missed, up to 15 for one question, and an item ranked fifth
    could vanish). Off-topic questions are left out: every cosine there is near 0.06, and which
    of those far-away chunks come back does not change an answer that says "no close match".

    The index is read from disk by a client of its own, as a server starting up reads it: in the
    process that built it, recent vectors are still searched exhaustively."""
    folder = tmp_path / "index"
    shutil.copytree(search_index_dir, folder)
    config = dataclasses.replace(load_settings(), index_dir=folder, chroma_url=None)
    searcher = SearchIndex(load_catalogue(extra=[]), config).searcher()
    stored = searcher.store.collection.get(include=["embeddings"])
    ids = np.asarray(stored["ids"])
    matrix = np.asarray(stored["embeddings"], dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    questions = _questions()
    assert len(questions) >= 100
    want = pool_size(10) * 2
    for question in questions:
        vector = np.asarray(searcher.embed_query(fold(question)), dtype=np.float32)
        cosine = dict(zip(ids.tolist(), matrix @ (vector / np.linalg.norm(vector)), strict=True))
        ranked = sorted(cosine, key=cosine.__getitem__, reverse=True)
        edge = cosine[ranked[want - 1]]  # the 100th nearest; a tie there may go either way
        found = {h.id for h in searcher.store.query(vector, want)}
        missed = [i for i in ranked[:want] if i not in found and cosine[i] > edge + 1e-5]
        assert len(found) == want and not missed, (question, missed)


def test_an_index_made_with_chromas_default_search_width_is_widened(tmp_path: Path) -> None:
    client = make_client(tmp_path, None)
    # as an earlier Qunce made it: our embedding function, chromadb's default search width
    client.create_collection(COLLECTION, embedding_function=QunceEmbeddingFunction("unused"),
                             metadata={"embedder": "test"},
                             configuration={"hnsw": {"space": "cosine"}})  # fmt: skip
    assert client.get_collection(COLLECTION).configuration["hnsw"]["ef_search"] == 100
    VectorStore(client, "unused", "test")
    reopened = make_client(tmp_path, None).get_collection(COLLECTION)
    assert reopened.configuration["hnsw"]["ef_search"] == EF_SEARCH
