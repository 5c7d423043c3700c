"""Hybrid search over chunks: dense (chromadb) + keyword (BM25), fused, grouped by item."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from qunce.search import confidence, fusion
from qunce.search.chunks import Chunk
from qunce.search.concepts import NO_CONCEPTS, Concepts
from qunce.search.embedders import Embedder
from qunce.search.keyword import KeywordIndex, QueryTerms
from qunce.search.script import fold
from qunce.search.store import VectorStore

Mode = Literal["hybrid", "dense", "keyword"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "keyword")
LANGS = ("zh", "en")
# Chunks each side brings to the fusion for k results. `qunce eval` scored max(30, 5k) the same
# as max(50, 10k) (dev MRR 0.958 both, held-out 0.800 against 0.798), and the ANN's time grows
# with the neighbours it returns (10k vectors: 3.2 ms for 100, 4.9 for 200, 10.8 for 1,000).
POOL_MIN = 30
POOL_PER_RESULT = 5
# With a filter: unfiltered neighbours asked per wanted one, and the share of the wanted ones
# that must pass the filter, below which chromadb's `where` is asked instead.
FANOUT = 3
FEWEST_KEPT = 10  # at least want // FEWEST_KEPT


def pool_size(k: int) -> int:
    """How many chunks the dense and the keyword side each hand to the fusion for k results."""
    return max(POOL_MIN, k * POOL_PER_RESULT)


@dataclass(frozen=True)
class Filters:
    """Metadata filters; empty fields filter nothing."""

    kind: str | None = None
    chapters: tuple[int, ...] = ()
    platforms: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    def empty(self) -> bool:
        """True when nothing is filtered."""
        return not (self.kind or self.chapters or self.platforms or self.stages or self.tags)

    def where(self) -> dict[str, Any] | None:
        """The chromadb `where` clause for these filters."""
        clauses: list[dict[str, Any]] = []
        if self.kind:
            clauses.append({"kind": self.kind})
        if self.chapters:
            clauses.append({"chapter": {"$in": list(self.chapters)}})
        for prefix, values in (
            ("platform", self.platforms),
            ("stage", self.stages),
            ("tag", self.tags),
        ):
            if len(values) == 1:
                clauses.append({f"{prefix}:{values[0]}": True})
            elif values:
                clauses.append({"$or": [{f"{prefix}:{v}": True} for v in values]})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def accepts(self, chunk: Chunk) -> bool:
        """Whether a chunk passes (used for the keyword side)."""
        return (
            (not self.kind or chunk.kind == self.kind)
            and (not self.chapters or chunk.chapter in self.chapters)
            and (not self.platforms or bool(set(self.platforms) & set(chunk.platforms)))
            and (not self.stages or bool(set(self.stages) & set(chunk.stages)))
            and (not self.tags or bool(set(self.tags) & set(chunk.tags)))
        )


@dataclass(frozen=True)
class Hit:
    """One item in the results, with the chunk that matched best and why."""

    item_id: str
    kind: str
    sections: tuple[str, ...]
    title_zh: str
    title_en: str
    score: float
    dense: float
    keyword: float
    chunk: Chunk
    chunk_lang: str
    # absolute signals, comparable across questions (the scores above are rescaled per question)
    cosine: float = 0.0  # the item's best raw cosine in the dense pool
    bm25: float = 0.0  # the matched chunk's raw BM25 score
    coverage: float = 0.0  # share of the question's idf weight the matched chunk holds
    match: confidence.Match = "weak"
    matched: tuple[str, ...] = ()  # the question's words the chunk holds, as written

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form (the CLI's --json output)."""
        return {
            "id": self.item_id,
            "kind": self.kind,
            "sections": list(self.sections),
            "title": {"zh": self.title_zh, "en": self.title_en},
            "score": round(self.score, 4),
            "dense": round(self.dense, 4),
            "keyword": round(self.keyword, 4),
            "chunk": {
                "id": self.chunk.id,
                "part": self.chunk.part,
                "sections": list(self.chunk.sections),
                "text": self.chunk.shown(self.chunk_lang),
            },
            "match": self.match,
        }


def record_id(chunk_id: str, lang: str) -> str:
    """The vector record of one language of a chunk."""
    return f"{chunk_id}@{lang}"


@dataclass
class Searcher:
    """Answers queries over a fixed set of chunks."""

    chunks: Sequence[Chunk]
    store: VectorStore
    embedder: Embedder
    tokenizer: str = "bigram"
    dense_weight: float = fusion.DENSE_WEIGHT
    keyword_weight: float = fusion.KEYWORD_WEIGHT
    fusion_method: str = "weighted"
    concepts: Concepts = NO_CONCEPTS
    _by_id: dict[str, int] = field(init=False, repr=False)
    _keyword: KeywordIndex = field(init=False, repr=False)
    _masks: dict[Filters, npt.NDArray[np.bool_]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {c.id: i for i, c in enumerate(self.chunks)}
        self._keyword = KeywordIndex(
            [f"{c.zh}\n{c.en}" for c in self.chunks], self.tokenizer, self.concepts
        )
        self._masks = {}

    def embed_query(self, query: str) -> Any:
        """The query's vector."""
        return self.embedder.embed([query])[0]

    def dense_scores(
        self, vector: Any, n: int, filters: Filters
    ) -> tuple[dict[str, float], dict[str, str]]:
        """chunk id → best cosine over its languages, and which language matched."""
        scores: dict[str, float] = {}
        langs: dict[str, str] = {}
        want = n * len(LANGS)
        hits = (
            self.store.query(vector, want)
            if filters.empty()
            else self._filtered_neighbours(vector, want, filters)
        )
        for hit in hits:
            chunk_id, _, lang = hit.id.rpartition("@")
            if hit.similarity > scores.get(chunk_id, -1.0):
                scores[chunk_id] = hit.similarity
                langs[chunk_id] = lang
        return scores, langs

    def _filtered_neighbours(self, vector: Any, want: int, filters: Filters) -> list[Any]:
        """The nearest vectors that pass the filters.

        chromadb's `where` filters the metadata before the ANN, which grows with the corpus
        (36 ms at 10k vectors, 271 ms at 100k, against 5 ms unfiltered). Most filters keep a
        good share of the chunks, so ask the ANN for FANOUT times more neighbours, unfiltered,
        and filter them here: what passes is the filtered nearest list, since every vector further
        down is further away. It may be shorter than `want`; over the eval queries and nine
        filters the top 10 items overlap 99.4% with those of chromadb's exact filtered search,
        and the first result is always the same. Only when too few pass is chromadb asked
        with `where`.
        """
        asked = want * FANOUT
        hits = self.store.query(vector, asked)
        passes = self.mask(filters)
        kept = []
        for hit in hits:
            index = self._by_id.get(hit.id.rpartition("@")[0])
            if index is not None and passes[index]:
                kept.append(hit)
        if len(kept) >= want // FEWEST_KEPT or len(hits) < asked:  # enough, or the whole corpus
            return kept[:want]
        return self.store.query(vector, want, filters.where())

    def mask(self, filters: Filters) -> npt.NDArray[np.bool_]:
        """Which chunks pass the filters, as one boolean per chunk (kept for the last 256)."""
        known = self._masks.get(filters)
        if known is None:
            known = np.fromiter((filters.accepts(c) for c in self.chunks), dtype=bool,
                                count=len(self.chunks))  # fmt: skip
            if len(self._masks) >= 256:
                self._masks.clear()
            self._masks[filters] = known
        return known

    @property
    def keyword(self) -> KeywordIndex:
        """The keyword index (its tokens and coverage explain a match)."""
        return self._keyword

    def keyword_scores(self, query: str | QueryTerms, n: int, filters: Filters) -> dict[str, float]:
        """chunk id → BM25 score, for the n best chunks that pass the filters."""
        scores = self._keyword.scores(query)
        if not filters.empty():
            scores = np.where(self.mask(filters), scores, 0.0)
        positive = int(np.count_nonzero(scores > 0))
        if not positive:
            return {}
        n = min(n, positive)
        top = np.argpartition(-scores, n - 1)[:n]
        return {self.chunks[int(i)].id: float(scores[i]) for i in top}

    def search(
        self, query: str, k: int = 10, mode: Mode = "hybrid", filters: Filters | None = None
    ) -> list[Hit]:
        """The k best items for a query, each with its best-matching chunk and how close it is.

        The question is folded to simplified characters first, for both sides: a 繁體 question
        and its 简体 twin are the same question.
        """
        filters = filters or Filters()
        query = fold(query.strip())
        if not query or not self.chunks:
            return []
        pool = pool_size(k)
        dense: dict[str, float] = {}
        langs: dict[str, str] = {}
        keyword: dict[str, float] = {}
        terms = self._keyword.terms(query)
        if mode in ("hybrid", "dense"):
            dense, langs = self.dense_scores(self.embed_query(query), pool, filters)
        if mode in ("hybrid", "keyword"):
            keyword = self.keyword_scores(terms, pool, filters)
        if mode == "dense":
            fused = fusion.weighted(dense, {}, 1.0, 0.0)
        elif mode == "keyword":
            fused = fusion.weighted({}, keyword, 0.0, 1.0)
        elif self.fusion_method == "rrf":
            fused = fusion.rrf(dense, keyword, self.dense_weight, self.keyword_weight)
        else:
            fused = fusion.weighted(dense, keyword, self.dense_weight, self.keyword_weight)
        # An item's cosine is its best chunk's in the pool; an item the pool missed is no
        # closer than the pool's last one.
        best_cosine: dict[str, float] = {}
        for chunk_id, value in dense.items():
            item_id = self.chunks[self._by_id[chunk_id]].item_id
            if value > best_cosine.get(item_id, -1.0):
                best_cosine[item_id] = value
        floor = min(dense.values(), default=0.0)
        hits: list[Hit] = []
        seen: set[str] = set()
        for f in fused:
            index = self._by_id.get(f.key)
            if index is None:
                continue
            chunk = self.chunks[index]
            if chunk.item_id in seen:
                continue
            seen.add(chunk.item_id)
            lang = langs.get(f.key) or _guess_lang(query)
            cosine = best_cosine.get(chunk.item_id, floor)
            coverage, matched = self._keyword.matched(terms, index, f"{chunk.zh}\n{chunk.en}")
            hits.append(
                Hit(
                    chunk.item_id,
                    chunk.kind,
                    chunk.item_sections or chunk.sections,
                    chunk.title_zh,
                    chunk.title_en,
                    f.score,
                    f.dense,
                    f.keyword,
                    chunk,
                    lang,
                    cosine=cosine,
                    bm25=keyword.get(f.key, 0.0),
                    coverage=coverage,
                    match=confidence.judge(cosine, keyword.get(f.key, 0.0), coverage),
                    matched=matched,
                )
            )
            if len(hits) >= k:
                break
        return hits


def _guess_lang(text: str) -> str:
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"
