"""Whether a result is a close match, judged on absolute signals, never on rescaled scores.

The fused score is divided by each question's best, so the first result of any question, even
"asdfghjkl qwerty", scores 1.0. Here a result's strength is its raw cosine (multilingual USE v3)
plus a little of its raw BM25 score, log-damped: `cosine + BM25_WEIGHT * ln(1 + bm25)`. A result
is `strong` at STRONG_AT or above, otherwise `weak`; a question with no strong result has no
close match.

Calibrated with `qunce eval` on the dev, held-out and eval/today.yaml questions and a further 24
off-topic questions (weather, recipes, bread, code, films, keyboard mash) kept out of the repo:
the most on-topic-looking off-topic question ("how to bake bread at home", a recipe against the
Douguo case) reached 0.441, so STRONG_AT keeps 0.02 above it. Coverage of the question's words
(keyword.KeywordIndex.coverage) was measured as a third signal and separated nothing that these
two did not, so it explains results (reasons) but does not judge them. BM25 grows with the
corpus's idf: calibrate again for a corpus of another size (docs/search.md).
"""

from __future__ import annotations

import math
from typing import Literal

Match = Literal["strong", "weak"]

BM25_WEIGHT = 0.08
STRONG_AT = 0.46


def strength(cosine: float, bm25: float) -> float:
    """A result's closeness on absolute signals: raw cosine plus a damped raw BM25."""
    return cosine + BM25_WEIGHT * math.log1p(max(bm25, 0.0))


def judge(cosine: float, bm25: float) -> Match:
    """`strong` or `weak` for a result with this raw cosine and raw BM25 score."""
    return "strong" if strength(cosine, bm25) >= STRONG_AT else "weak"
