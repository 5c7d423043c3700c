"""Search quality on a query file: recall@1, recall@5 and MRR (format of shared/eval/dev_queries.yaml),
the weak/strong split of the confidence, and 繁體 questions against their 简体 twins.

A query with `expect: []` is off-topic: nothing should match it, so it is left out of recall and
MRR and counts only in the split (every one of its results should be weak). A query with
`twin:` is a 繁體 question; its twin, the 简体 question it was written from, is asked too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field, ValidationError

from qunce.search.engine import Hit, Mode, Searcher


class Query(BaseModel):
    """One evaluation query and the book sections that count as a hit."""

    q: str = Field(min_length=1)
    expect: list[str] = Field(description="sections that count as a hit; [] = off-topic")
    lang: str | None = None
    twin: str | None = Field(default=None, description="the 简体 question a 繁體 one mirrors")

    @property
    def off_topic(self) -> bool:
        """Whether nothing in the library should match."""
        return not self.expect


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
    off_topic: int = 0
    on_topic_weak: list[str] = field(default_factory=list)  # on-topic, no strong result
    off_topic_strong: list[str] = field(default_factory=list)  # off-topic, some strong result
    twins: int = 0
    twins_worse: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON keys as the CLI documents them."""
        return {
            "n": self.n,
            "recall@1": round(self.recall_at_1, 4),
            "recall@5": round(self.recall_at_5, 4),
            "mrr": round(self.mrr, 4),
            "misses": self.misses,
            "on_topic_weak": round(len(self.on_topic_weak) / self.n, 4) if self.n else 0.0,
            "off_topic": self.off_topic,
            "off_topic_strong": (
                round(len(self.off_topic_strong) / self.off_topic, 4) if self.off_topic else 0.0
            ),
            "weak": self.on_topic_weak,
            "strong_off_topic": self.off_topic_strong,
            "twins": self.twins,
            "twins_worse": self.twins_worse,
        }


def _rank(hits: list[Hit], expect: list[str]) -> int | None:
    return next((i for i, h in enumerate(hits, start=1) if is_hit(h.sections, expect)), None)


def evaluate(
    searcher: Searcher, queries: list[Query], mode: Mode = "hybrid", k: int = 10
) -> Scores:
    """Run every query: rank of the first hit, the weak/strong split, and 繁體 against 简体."""
    r1 = r5 = 0
    rr = 0.0
    misses = []
    on_topic = [q for q in queries if not q.off_topic]
    weak: list[str] = []
    strong_off: list[str] = []
    twins = 0
    worse: list[dict[str, Any]] = []
    for query in queries:
        hits = searcher.search(query.q, k=k, mode=mode)
        strong = any(h.match == "strong" for h in hits)
        if query.off_topic:
            if strong:
                strong_off.append(query.q)
            continue
        if not strong:
            weak.append(query.q)
        rank = _rank(hits, query.expect)
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
        if query.twin:
            twins += 1
            twin_rank = _rank(searcher.search(query.twin, k=k, mode=mode), query.expect)
            if twin_rank is not None and (rank is None or rank > twin_rank):
                worse.append(
                    {"q": query.q, "rank": rank, "twin": query.twin, "twin_rank": twin_rank}
                )
    n = len(on_topic) or 1
    return Scores(
        len(on_topic),
        r1 / n,
        r5 / n,
        rr / n,
        misses,
        off_topic=len(queries) - len(on_topic),
        on_topic_weak=weak,
        off_topic_strong=strong_off,
        twins=twins,
        twins_worse=worse,
    )
