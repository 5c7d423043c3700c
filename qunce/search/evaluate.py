"""Search quality on a query file: recall@1, recall@5 and MRR (format of shared/eval/dev_queries.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError

from qunce.search.engine import Mode, Searcher


class Query(BaseModel):
    """One evaluation query and the book sections that count as a hit."""

    q: str = Field(min_length=1)
    expect: list[str] = Field(min_length=1)
    lang: str | None = None


def load_queries(path: Path) -> list[Query]:
    """Read a query file; raise ValueError naming the entry that is wrong."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of queries")
    out = []
    for index, entry in enumerate(data):
        try:
            out.append(Query.model_validate(entry))
        except ValidationError as exc:
            raise ValueError(f"{path}: entry {index}: {exc.errors()[0]['msg']}") from exc
    return out


def section_matches(found: str, expected: str) -> bool:
    """Equal, or one is a dotted prefix of the other ("9.1" ~ "9.1.2", not "9.10")."""
    return found == expected or found.startswith(expected + ".") or expected.startswith(found + ".")


def is_hit(sections: tuple[str, ...] | list[str], expected: list[str]) -> bool:
    """Whether any of an item's sections matches any expected section."""
    return any(section_matches(s, e) for s in sections for e in expected)


@dataclass
class Scores:
    """Aggregate figures for one mode."""

    n: int
    recall_at_1: float
    recall_at_5: float
    mrr: float
    misses: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        """JSON keys as the CLI documents them."""
        return {
            "n": self.n,
            "recall@1": round(self.recall_at_1, 4),
            "recall@5": round(self.recall_at_5, 4),
            "mrr": round(self.mrr, 4),
            "misses": self.misses,
        }


def evaluate(
    searcher: Searcher, queries: list[Query], mode: Mode = "hybrid", k: int = 10
) -> Scores:
    """Run every query and score the ranking by the first hit's rank."""
    r1 = r5 = 0
    rr = 0.0
    misses = []
    for query in queries:
        hits = searcher.search(query.q, k=k, mode=mode)
        rank = next(
            (i for i, h in enumerate(hits, start=1) if is_hit(h.sections, query.expect)), None
        )
        if rank == 1:
            r1 += 1
        if rank is not None and rank <= 5:
            r5 += 1
        if rank is not None:
            rr += 1.0 / rank
        if rank != 1:
            misses.append(
                {
                    "q": query.q,
                    "expect": query.expect,
                    "rank": rank,
                    "top": [h.item_id for h in hits[:3]],
                }
            )
    n = len(queries) or 1
    return Scores(len(queries), r1 / n, r5 / n, rr / n, misses)
