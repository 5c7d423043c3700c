"""Whether a result is a close match, judged on absolute signals, never on rescaled scores.

The fused score is divided by each question's best, so the first result of any question, even
"asdfghjkl qwerty", scores 1.0. Here a result's strength is its raw cosine (multilingual USE v3)
plus a little of its raw BM25 score, log-damped: `cosine + BM25_WEIGHT * ln(1 + bm25)`. A result
is `strong` at STRONG_AT or above; or when its text holds nearly all of the question's weight
(coverage, keyword.KeywordIndex.matched: idf-weighted share of the question's words and
concepts) and its cosine is fair, which short exact questions ("资金错配", "word of mouth") need:
one or two words give little BM25 and a short vector. Otherwise `weak`; a question with no
strong result has no close match.

Calibrated with `qunce eval` on the dev, held-out and eval/today.yaml questions and a further 24
off-topic questions (weather, recipes, bread, code, films, keyboard mash) kept out of the repo.
The most on-topic-looking off-topic question ("how to bake bread at home", a recipe against the
Douguo case) reached strength 0.441 and coverage 0.59; the thresholds keep a margin above both.
BM25 grows with the corpus's idf: calibrate again for a corpus of another size (docs/search.md).
"""

from __future__ import annotations

import math
from typing import Literal

Match = Literal["strong", "weak"]

BM25_WEIGHT = 0.08
STRONG_AT = 0.46
FULL_COVERAGE = 0.75
FAIR_COSINE = 0.2


def strength(cosine: float, bm25: float) -> float:
    """A result's closeness on absolute signals: raw cosine plus a damped raw BM25."""
    return cosine + BM25_WEIGHT * math.log1p(max(bm25, 0.0))


def judge(cosine: float, bm25: float, coverage: float = 0.0) -> Match:
    """`strong` or `weak` for a result with this raw cosine, raw BM25 score and coverage."""
    if strength(cosine, bm25) >= STRONG_AT:
        return "strong"
    return "strong" if coverage >= FULL_COVERAGE and cosine >= FAIR_COSINE else "weak"
