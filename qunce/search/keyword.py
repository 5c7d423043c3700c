"""BM25 (bm25s) over Chinese-aware tokens of each chunk's zh + en text.

Chinese has no spaces: the default tokenizer is overlapping character bigrams (plus the single
characters of one-character runs), which measured better than jieba words on paraphrased Chinese
queries (bench figures in the search issue's note); `jieba` is kept as an option for comparison.
English is lower-cased words with a light suffix stemmer and a small stop list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SPLIT = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")

STOP_EN = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "by",
        "at",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "how",
        "what",
        "which",
        "who",
        "why",
        "when",
        "do",
        "does",
        "did",
        "can",
        "could",
        "should",
        "would",
        "will",
        "your",
        "you",
        "our",
        "we",
        "they",
        "them",
        "their",
        "i",
        "my",
        "me",
        "into",
        "about",
        "than",
        "then",
        "so",
        "not",
        "no",
    ]
)
STOP_ZH = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "在",
        "是",
        "把",
        "被",
        "对",
        "就",
        "都",
        "也",
        "而",
        "并",
        "或",
        "等",
        "个",
        "让",
        "用",
        "从",
        "中",
        "上",
        "下",
        "为",
        "吗",
        "呢",
        "啊",
        "吧",
    ]
)


def stem(word: str) -> str:
    """A light English stemmer: enough to match 'communities' with 'community'."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith("ss"):
                return word
            return word[: -len(suffix)] + keep
    return word


def _english(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in STOP_EN]


def bigram_tokens(text: str) -> list[str]:
    """Character bigrams for Chinese runs, stemmed words for everything else."""
    tokens: list[str] = []
    for piece in _SPLIT.split(text):
        if not piece:
            continue
        if _CJK.fullmatch(piece):
            chars = [c for c in piece if c not in STOP_ZH] if len(piece) > 2 else list(piece)
            if len(chars) == 1:
                tokens.append(chars[0])
            tokens.extend(chars[i] + chars[i + 1] for i in range(len(chars) - 1))
        else:
            tokens.extend(_english(piece))
    return tokens


@lru_cache(maxsize=1)
def _jieba() -> object:
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba


def jieba_tokens(text: str) -> list[str]:
    """jieba words for Chinese runs, stemmed words for everything else."""
    jieba = _jieba()
    tokens: list[str] = []
    for piece in _SPLIT.split(text):
        if not piece:
            continue
        if _CJK.fullmatch(piece):
            tokens.extend(w for w in jieba.lcut_for_search(piece) if w not in STOP_ZH)  # type: ignore[attr-defined]
        else:
            tokens.extend(_english(piece))
    return tokens


TOKENIZERS: dict[str, Callable[[str], list[str]]] = {"bigram": bigram_tokens, "jieba": jieba_tokens}


class KeywordIndex:
    """BM25 scores for every document, from a maintained library (bm25s)."""

    def __init__(self, documents: Sequence[str], tokenizer: str = "bigram") -> None:
        import bm25s

        self.tokenize = TOKENIZERS[tokenizer]
        self.size = len(documents)
        self._bm25 = bm25s.BM25()
        corpus = [self.tokenize(doc) or ["∅"] for doc in documents]
        if corpus:
            self._bm25.index(corpus, show_progress=False)

    def scores(self, query: str) -> npt.NDArray[np.float64]:
        """One BM25 score per document (zeros when nothing matches)."""
        tokens = self.tokenize(query)
        if not tokens or not self.size:
            return np.zeros(self.size)
        vocab = self._bm25.vocab_dict
        known = [t for t in tokens if t in vocab]
        if not known:
            return np.zeros(self.size)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float64)
