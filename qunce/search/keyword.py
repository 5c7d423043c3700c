"""BM25 (bm25s) over Chinese-aware tokens of each chunk's zh + en text.

Chinese has no spaces: the default tokenizer is overlapping character bigrams (plus the single
characters of one-character runs), which measured better than jieba words on paraphrased Chinese
queries (bench figures in the search issue's note); `jieba` is kept as an option for comparison.
English is lower-cased words with a light suffix stemmer and a small stop list.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from qunce.search.concepts import CONCEPT_PREFIX, NO_CONCEPTS, Concepts
from qunce.search.script import fold

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
        "many",
        "much",
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

# How a Chinese question asks, not what it asks about: left out of a question's words, as
# STOP_EN leaves out "how" and "why". The rewritten content is prose that seldom asks, so these
# had a high idf, and "私域流量怎么做" held only half its weight in a text about 私域流量.
QUESTION_ZH = frozenset(
    ["怎么", "怎么办", "怎么样", "怎样", "如何", "为什么", "为何", "什么", "哪些", "哪里", "哪个",
     "多少", "是否", "能否", "能不能", "可以", "应该", "要不要", "有没有", "才能"]
)  # fmt: skip


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


def _question_words(text: str) -> list[tuple[str, str, int, int]]:
    """(word, zh|en, start, end) for the words of a question: jieba's Chinese words of two
    characters or more (single characters are mostly particles) but question words, and English
    stems."""
    out: list[tuple[str, str, int, int]] = []
    for match in _CJK.finditer(text):
        for word, start, end in _jieba().tokenize(match.group(), HMM=False):  # type: ignore[attr-defined]
            if len(word) >= 2 and word not in STOP_ZH and word not in QUESTION_ZH:
                out.append((word, "zh", match.start() + start, match.start() + end))
    for match in _WORD.finditer(text.lower()):
        word = match.group()
        if word not in STOP_EN:
            out.append((stem(word), "en", match.start(), match.end()))
    return out


TOKENIZERS: dict[str, Callable[[str], list[str]]] = {"bigram": bigram_tokens, "jieba": jieba_tokens}


@dataclass(frozen=True)
class Word:
    """A word of a question, as coverage weighs it."""

    text: str  # a Chinese word, an English stem, or a concept id
    kind: str  # zh | en | concept
    weight: float  # inverse document frequency (a word no text has weighs most)
    also: tuple[str, ...] = ()  # for a concept: the book's words that stand for it too
    shown: str = ""  # as the question wrote it (a concept: the word it used)
    pattern: re.Pattern[str] | None = None  # an English word: finds its forms in a text


@dataclass(frozen=True)
class QueryTerms:
    """A question as the keyword side sees it."""

    own: tuple[str, ...]  # tokens of the question's own (folded) words
    concepts: tuple[str, ...]  # `§id` tokens of the concepts it names
    book: tuple[str, ...]  # tokens of the book's words for those concepts
    words: tuple[Word, ...] = ()  # its words, for coverage

    @property
    def asked(self) -> tuple[str, ...]:
        """The tokens a text should have to answer the question (its words and concepts)."""
        return tuple(dict.fromkeys((*self.own, *self.concepts)))


class KeywordIndex:
    """BM25 scores for every document, from a maintained library (bm25s).

    Texts and questions are folded to simplified characters first (繁體 and 简体 alike), and a
    concept vocabulary, when given, adds its `§id` tokens to both.
    """

    def __init__(
        self,
        documents: Sequence[str],
        tokenizer: str = "bigram",
        concepts: Concepts | None = None,
    ) -> None:
        import bm25s

        self.tokenize = TOKENIZERS[tokenizer]
        self.concepts = concepts or NO_CONCEPTS
        self.size = len(documents)
        self._bm25 = bm25s.BM25()
        corpus = [self.document_tokens(doc) or ["∅"] for doc in documents]
        # document frequencies, for the share of a question's weight a text covers (coverage)
        self.df: Counter[str] = Counter()
        none: frozenset[str] = frozenset()
        self._concepts: list[frozenset[str]] = []
        for tokens in corpus:
            self.df.update(set(tokens))
            named = [t[len(CONCEPT_PREFIX) :] for t in tokens if t.startswith(CONCEPT_PREFIX)]
            self._concepts.append(frozenset(named) if named else none)
        if corpus:
            self._bm25.index(corpus, show_progress=False)

    def document_tokens(self, text: str) -> list[str]:
        """A text's tokens: its folded words and the concepts it names."""
        folded = fold(text)
        return self.tokenize(folded) + self.concepts.tokens(folded)

    def terms(self, query: str) -> QueryTerms:
        """A question's own tokens, its concept tokens, the book's words they add, its words."""
        folded = fold(query)
        mentions = self.concepts.mentions(folded)
        keys = list(dict.fromkeys(k for m in mentions for k in sorted(m.concepts)))
        book = self.concepts.book_words(keys)
        words: list[Word] = []
        for key in keys:
            concept = self.concepts.aliases.concepts[key]
            also = tuple(fold(w).casefold() for w in (*concept.book.zh, *concept.book.en))
            said = next(m.word for m in mentions if key in m.concepts)
            words.append(Word(key, "concept", self.idf(CONCEPT_PREFIX + key), also, said))
        taken = [(m.start, m.end) for m in mentions]
        for text, kind, start, end in _question_words(folded):
            if any(a < end and start < b for a, b in taken):
                continue  # part of a concept, which stands for it
            if kind == "zh":
                grams = bigram_tokens(text)
                weight = max((self.idf(g) for g in grams), default=self.idf(text))
                pattern = None
            else:
                weight = self.idf(text)
                # the stem's forms, without stemming every word of every text: "community"
                # finds "communities", "tier" finds "tiers"
                root = text[:-1] if text.endswith(("y", "e")) and len(text) > 3 else text
                pattern = re.compile(rf"(?<![a-z0-9]){re.escape(root)}")
            words.append(Word(text, kind, weight, shown=folded[start:end], pattern=pattern))
        return QueryTerms(
            tuple(self.tokenize(folded)),
            tuple(CONCEPT_PREFIX + k for k in keys),
            tuple(self.tokenize(book)) if book else (),
            tuple(words),
        )

    def idf(self, token: str) -> float:
        """BM25's inverse document frequency of a token (highest for a token no text has)."""
        df = self.df.get(token, 0)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def concepts_of(self, index: int) -> frozenset[str]:
        """The concept ids a document names."""
        return self._concepts[index] if index < len(self._concepts) else frozenset()

    def coverage(self, terms: QueryTerms, index: int, text: str) -> float:
        """The share of the question's weight that document `index` holds (see `matched`)."""
        return self.matched(terms, index, text)[0]

    def matched(self, terms: QueryTerms, index: int, text: str) -> tuple[float, tuple[str, ...]]:
        """The share of the question's weight document `index` (its folded text `text`) holds, and the
        question's words it holds, as the question wrote them ("KOC → 意见领袖" for a concept
        found through the book's words).

        A question's words are jieba's words of its Chinese (two characters or more), the stems
        of its English words, and its concepts, but not its question words (QUESTION_ZH,
        STOP_EN); each weighs its idf, so a word no text has weighs most. A concept counts as
        held when the text names it or has one of the book's words for it.
        """
        if not terms.words:
            return 0.0, ()
        folded = text.casefold()  # indexed texts are folded already (chunks.chunk_item)
        said: list[str] = []
        concepts = self.concepts_of(index)
        total = held = 0.0
        for word in terms.words:
            total += word.weight
            if word.kind == "zh":
                found = word.text in folded
                if not found and len(word.text) >= 3:  # jieba's longer words may be mis-cut
                    grams = [word.text[i : i + 2] for i in range(len(word.text) - 1)]
                    held += word.weight * sum(g in folded for g in grams) / len(grams)
            elif word.kind == "en":
                found = word.pattern is not None and word.pattern.search(folded) is not None
            else:
                found = word.text in concepts
                if not found:
                    # the book's word in the question's own language, if the text has one
                    found_also = [w for w in word.also if w in folded]
                    same = [w for w in found_also if _CJK.search(w) == _CJK.search(word.shown)]
                    bridge = (same or found_also)[0] if found_also else None
                    if bridge is not None:
                        found = True
                        said.append(f"{word.shown} → {bridge}")
                        held += word.weight
                        continue
            if found:
                held += word.weight
                said.append(word.shown or word.text)
        return (held / total if total else 0.0), tuple(dict.fromkeys(said))

    def scores(self, query: str | QueryTerms) -> npt.NDArray[np.float64]:
        """One BM25 score per document (zeros when nothing matches)."""
        # The book's words count like the question's own: at half weight eval/today.yaml had
        # MRR 0.906 and 7 of 60 questions without a close match; at full weight 0.908 and 3
        # (dev unchanged at 0.958; held-out 0.800 → 0.813). No second BM25 pass either.
        terms = self.terms(query) if isinstance(query, str) else query
        return self._raw([*terms.own, *terms.concepts, *terms.book])

    def _raw(self, tokens: list[str]) -> npt.NDArray[np.float64]:
        if not tokens or not self.size:
            return np.zeros(self.size)
        vocab = self._bm25.vocab_dict
        known = [t for t in tokens if t in vocab]
        if not known:
            return np.zeros(self.size)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float64)
