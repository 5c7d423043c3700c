"""Fusing dense and keyword rankings: pure functions that never mutate their inputs.

Two methods:
- `weighted`: each list's scores are divided by that list's best score (so both lie in 0..1)
  and added with weights. The default weights were chosen by `qunce eval --mode all` on this
  machine kind (see docs/search.md).
- `rrf`: reciprocal rank fusion, score = Σ weight / (K + rank), with K = 60 as in the original
  paper (Cormack et al., 2009); it ignores score gaps, which measured worse here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

RRF_K = 60
DENSE_WEIGHT = 0.7
KEYWORD_WEIGHT = 0.3


@dataclass(frozen=True)
class Fused:
    """One fused result with each side's normalised contribution."""

    key: str
    score: float
    dense: float
    keyword: float


def _normalised(scores: Mapping[str, float]) -> dict[str, float]:
    top = max(scores.values(), default=0.0)
    if top <= 0:
        return {k: 0.0 for k in scores}
    return {k: max(v, 0.0) / top for k, v in scores.items()}


def weighted(
    dense: Mapping[str, float],
    keyword: Mapping[str, float],
    dense_weight: float = DENSE_WEIGHT,
    keyword_weight: float = KEYWORD_WEIGHT,
) -> list[Fused]:
    """Weighted sum of max-normalised scores, best first (ties broken by key for stability)."""
    d = _normalised(dense)
    k = _normalised(keyword)
    out = [
        Fused(
            key,
            dense_weight * d.get(key, 0.0) + keyword_weight * k.get(key, 0.0),
            dense_weight * d.get(key, 0.0),
            keyword_weight * k.get(key, 0.0),
        )
        for key in {*d, *k}
    ]
    return sorted(out, key=lambda f: (-f.score, f.key))


def rrf(
    dense: Mapping[str, float],
    keyword: Mapping[str, float],
    dense_weight: float = 1.0,
    keyword_weight: float = 1.0,
    k: int = RRF_K,
) -> list[Fused]:
    """Reciprocal rank fusion over the two rankings, best first."""

    def ranks(scores: Mapping[str, float]) -> dict[str, int]:
        ordered = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        return {key: rank for rank, (key, value) in enumerate(ordered, start=1) if value > 0}

    rd, rk = ranks(dense), ranks(keyword)
    out = []
    for key in {*rd, *rk}:
        a = dense_weight / (k + rd[key]) if key in rd else 0.0
        b = keyword_weight / (k + rk[key]) if key in rk else 0.0
        out.append(Fused(key, a + b, a, b))
    return sorted(out, key=lambda f: (-f.score, f.key))
