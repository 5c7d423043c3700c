"""Search performance: build, no-change rebuild, query embedding, and dense/keyword/hybrid latency.

Runs over the real content and over synthetic corpora of 10,000 and 100,000 chunks, each with and
without a metadata filter, and prints a table (or JSON with --json). A benchmark: figures only.

Synthetic chunks reuse real chunk texts with shuffled sentences; their vectors are real chunk
vectors plus Gaussian noise (renormalised), so the store and the ANN see realistic geometry
without spending minutes embedding 200,000 texts. Embedding throughput is measured separately.
Usage: python bench/search.py [--json] [--sizes 10000 100000] [--queries 40]
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from qunce.config import load_settings
from qunce.content.catalogue import load_catalogue
from qunce.search.chunks import Chunk
from qunce.search.embedders import get_embedder
from qunce.search.engine import LANGS, Filters, Searcher, record_id
from qunce.search.evaluate import load_queries
from qunce.search.index import SearchIndex
from qunce.search.store import VectorStore, make_client

ROOT = Path(__file__).resolve().parent.parent
QUERY_FILES = [ROOT.parent / "shared" / "eval" / "dev_queries.yaml", ROOT / "tests" / "fixtures" / "eval" / "holdout.yaml"]
FILTER = Filters(kind="playbook", platforms=("wechat",))


def rss_mb() -> float:
    """Peak resident set size of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of values, in ms."""
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def time_queries(searcher: Searcher, queries: list[str]) -> dict[str, float]:
    """p50/p95 of each mode with and without the filter, and the parts' medians.

    The loaded corpus is frozen out of the garbage collector first, as `qunce serve` does after
    its warm-up (qunce/ui/warm.py): otherwise a full collection over 100,000 chunk objects
    lands inside a timed query now and then, which the server never sees.
    """
    gc.collect()
    gc.freeze()
    out: dict[str, float] = {}
    embed, ann, bm25 = [], [], []
    for q in queries:
        t = time.perf_counter()
        vector = searcher.embed_query(q)
        embed.append(time.perf_counter() - t)
        t = time.perf_counter()
        searcher.store.query(vector, 100)
        ann.append(time.perf_counter() - t)
        t = time.perf_counter()
        searcher.keyword_scores(q, 50, Filters())
        bm25.append(time.perf_counter() - t)
    out["embed_p50"] = pct(embed, 50)
    out["ann_p50"] = pct(ann, 50)
    out["bm25_p50"] = pct(bm25, 50)
    for mode in ("dense", "keyword", "hybrid"):
        for label, filters in (("", Filters()), ("_filtered", FILTER)):
            times = []
            for q in queries:
                t = time.perf_counter()
                searcher.search(q, k=10, mode=mode, filters=filters)  # type: ignore[arg-type]
                times.append(time.perf_counter() - t)
            out[f"{mode}{label}_p50"] = pct(times, 50)
            out[f"{mode}{label}_p95"] = pct(times, 95)
    out["target_ms"] = 2 * (out["embed_p50"] + out["ann_p50"] + out["bm25_p50"])
    return out


def real(queries: list[str]) -> dict[str, Any]:
    """Build the real index from scratch, rebuild it unchanged, then time queries."""
    folder = Path(tempfile.mkdtemp(prefix="qunce-bench-real-"))
    config = dataclasses.replace(load_settings(), index_dir=folder, chroma_url=None)
    catalogue = load_catalogue()
    index = SearchIndex(catalogue, config)
    t = time.perf_counter()
    index.build()
    build = time.perf_counter() - t
    again = SearchIndex(catalogue, config)
    t = time.perf_counter()
    report = again.build()
    rebuild = time.perf_counter() - t
    searcher = index.searcher()
    texts = [c.text(lang) for c in searcher.chunks for lang in LANGS]
    t = time.perf_counter()
    index.embedder.embed(texts[:200])
    throughput = 200 / (time.perf_counter() - t)
    row: dict[str, Any] = {
        "corpus": "real",
        "chunks": len(searcher.chunks),
        "vectors": report.vectors,
        "build_s": build,
        "rebuild_s": rebuild,
        "embed_per_s": throughput,
    }
    row.update(time_queries(searcher, queries))
    row["rss_mb"] = rss_mb()
    return row


def synthetic(size: int, base: Searcher, queries: list[str]) -> dict[str, Any]:
    """A corpus of `size` chunks built from the real ones; vectors are noisy real vectors."""
    rng = random.Random(size)
    nprng = np.random.default_rng(size)
    real_chunks = list(base.chunks)
    real_vectors = base.embedder.embed([c.zh for c in real_chunks])
    chunks: list[Chunk] = []
    vectors = np.empty((size, real_vectors.shape[1]), dtype=np.float32)
    platforms = ["wechat", "qq", "tieba", "weibo", "app", "offline"]
    for i in range(size):
        src_index = rng.randrange(len(real_chunks))
        src = real_chunks[src_index]
        sentences = src.zh.split("。")
        rng.shuffle(sentences)
        chunks.append(
            dataclasses.replace(
                src,
                id=f"syn-{i}",
                item_id=f"syn-item-{i // 8}",
                zh="。".join(sentences),
                kind=rng.choice(["playbook", "case"]),
                platforms=tuple(rng.sample(platforms, 2)),
            )
        )
        noisy = real_vectors[src_index] + nprng.normal(0, 0.05, real_vectors.shape[1])
        vectors[i] = noisy / np.linalg.norm(noisy)
    folder = Path(tempfile.mkdtemp(prefix=f"qunce-bench-{size}-"))
    client = make_client(folder, None)
    store = VectorStore(client, "use-v3", base.embedder.name, name=f"syn-{size}", embedder=base.embedder)
    t = time.perf_counter()
    store.add([record_id(c.id, "zh") for c in chunks], vectors, [{**c.metadata(), "lang": "zh"} for c in chunks])
    searcher = Searcher(chunks, store, base.embedder)
    build = time.perf_counter() - t
    row: dict[str, Any] = {"corpus": f"synthetic {size:,}", "chunks": size, "vectors": size, "build_s": build}
    row.update(time_queries(searcher, queries))
    row["rss_mb"] = rss_mb()
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=40)
    args = parser.parse_args()
    get_embedder("use-v3")
    queries = [q.q for f in QUERY_FILES if f.is_file() for q in load_queries(f)][: args.queries]
    rows = [real(queries)]
    base_folder = Path(tempfile.mkdtemp(prefix="qunce-bench-base-"))
    config = dataclasses.replace(load_settings(), index_dir=base_folder, chroma_url=None)
    base = SearchIndex(load_catalogue(), config).searcher()
    for size in args.sizes:
        rows.append(synthetic(size, base, queries))
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    cols = [
        ("corpus", "{:>18s}"), ("chunks", "{:>8d}"), ("build_s", "{:>8.2f}"), ("embed_p50", "{:>9.1f}"),
        ("ann_p50", "{:>8.1f}"), ("bm25_p50", "{:>8.1f}"),
        ("dense_p95", "{:>9.1f}"), ("dense_filtered_p95", "{:>9.1f}"),
        ("keyword_p95", "{:>9.1f}"), ("keyword_filtered_p95", "{:>9.1f}"),
        ("hybrid_p50", "{:>9.1f}"), ("hybrid_p95", "{:>9.1f}"), ("hybrid_filtered_p95", "{:>9.1f}"),
        ("target_ms", "{:>9.1f}"), ("rss_mb", "{:>7.0f}"),
    ]
    print("times in ms unless named _s; target = 2 × (embed + ANN + BM25 medians); p95 over", len(queries), "queries")
    print(" ".join(f"{name[:18]:>{max(7, len(fmt.format(0 if 'd' in fmt or 'f' in fmt else '')))}}" for name, fmt in cols))
    for row in rows:
        print(" ".join(fmt.format(row.get(name, 0)) for name, fmt in cols))
    real_row = rows[0]
    print(
        f"real content: no-change rebuild {real_row['rebuild_s']:.2f}s, "
        f"embedding {real_row['embed_per_s']:.0f} texts/s, {real_row['vectors']} vectors"
    )
    print("median across rows:", statistics.median(r["hybrid_p95"] for r in rows))


if __name__ == "__main__":
    main()
