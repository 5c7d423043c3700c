"""Search quality by configuration: prints MRR / recall@1 / recall@5 on the dev and held-out queries.

Compares embedders (USE v3 vs all-MiniLM-L6-v2), tokenizers (character bigrams vs jieba) and fusion
(weighted at several weights vs RRF). A benchmark: it prints figures, it asserts nothing.
Usage: python bench/search_quality.py [--minilm]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
from pathlib import Path

from qunce.config import load_settings
from qunce.content.catalogue import load_catalogue
from qunce.search.engine import Searcher
from qunce.search.evaluate import evaluate, load_queries
from qunce.search.index import SearchIndex

ROOT = Path(__file__).resolve().parent.parent
FILES = {
    "dev": ROOT.parent / "shared" / "eval" / "dev_queries.yaml",
    "holdout": ROOT / "tests" / "fixtures" / "eval" / "holdout.yaml",
    "today": ROOT / "eval" / "today.yaml",  # today's words, 繁體 twins (off-topic ones not scored here)
}


def searcher_for(spec: str) -> Searcher:
    folder = tempfile.mkdtemp(prefix=f"qunce-bench-{spec}-")
    config = dataclasses.replace(load_settings(), index_dir=Path(folder), embed_model=spec, chroma_url=None)
    index = SearchIndex(load_catalogue(), config)
    return index.searcher()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minilm", action="store_true", help="also measure all-MiniLM-L6-v2")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    queries = {name: load_queries(path) for name, path in FILES.items() if path.is_file()}
    base = searcher_for("use-v3")
    rows: list[tuple[str, str, Searcher]] = [
        ("use-v3", "dense", base),
        ("bigram", "keyword", base),
    ]
    jieba = dataclasses.replace(base, tokenizer="jieba")
    rows.append(("jieba", "keyword", jieba))
    for dw in (0.9, 0.8, 0.7, 0.6, 0.5):
        rows.append((f"weighted {dw:.1f}/{1 - dw:.1f} bigram", "hybrid", dataclasses.replace(base, dense_weight=dw, keyword_weight=1 - dw)))
    rows.append(("weighted 0.7/0.3 jieba", "hybrid", dataclasses.replace(jieba, dense_weight=0.7, keyword_weight=0.3)))
    rows.append(("rrf k=60 bigram", "hybrid", dataclasses.replace(base, fusion_method="rrf", dense_weight=1.0, keyword_weight=1.0)))
    if args.minilm:
        rows.append(("all-MiniLM-L6-v2", "dense", searcher_for("all-MiniLM-L6-v2")))
    header = f"{'configuration':32s} {'mode':8s}" + "".join(f" {n + ' mrr':>12s} {'r@1':>6s} {'r@5':>6s}" for n in queries)
    print(header)
    for label, mode, searcher in rows:
        line = f"{label:32s} {mode:8s}"
        for qs in queries.values():
            s = evaluate(searcher, qs, mode)  # type: ignore[arg-type]
            line += f" {s.mrr:12.3f} {s.recall_at_1:6.3f} {s.recall_at_5:6.3f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
