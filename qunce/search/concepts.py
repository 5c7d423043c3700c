"""Finding the alias vocabulary's concepts in a question or a text (see qunce/content/aliases.py).

A concept found in a text becomes one extra keyword token, `§id`, the same in every language:
a question with "WeCom" and a step with 企业微信 share it. A question that names a concept also
gets the book's words for it (`book`), searched like its own words, so a question in 2026 words
still reaches the 2016 text. Matching runs on folded text (simplified characters); Chinese
words match anywhere, words that start or end with a Latin letter or digit only as whole words,
in any case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from qunce.content.aliases import Aliases
from qunce.search.script import fold

CONCEPT_PREFIX = "§"
_ALNUM = "A-Za-z0-9"
_EDGE = f"[{_ALNUM}]"


@dataclass(frozen=True)
class Mention:
    """A concept word found in a text (offsets into the folded text)."""

    word: str
    concepts: frozenset[str]
    start: int
    end: int


def _trie(words: Iterable[str]) -> str:
    """One regex alternative for many words, shaped as a trie: it branches on each character
    once, instead of trying every word at every position (index builds over 100,000 texts), and
    takes the longest word at a position (视频号直播 before 视频号)."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def _regex(words: Iterable[str]) -> re.Pattern[str] | None:
    """A case-insensitive regex of the words. Words that start or end with a Latin letter or
    digit match as whole words, an English plural allowed ("KOCs"); Chinese words anywhere."""
    words = list(words)
    bounded = sorted({w for w in words if re.match(_EDGE, w) or re.search(_EDGE + "$", w)})
    plain = sorted(set(words) - set(bounded))
    parts = []
    if bounded:
        parts.append(rf"(?<![{_ALNUM}])(?:{_trie(bounded)})(?:e?s)?(?![{_ALNUM}])")
    if plain:
        parts.append(_trie(plain))
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


class Concepts:
    """The concepts of an alias vocabulary, ready to be found in texts."""

    def __init__(self, aliases: Aliases) -> None:
        self.aliases = aliases
        owner: dict[str, str] = {}
        for key, concept in aliases.concepts.items():
            for word in concept.words():
                owner.setdefault(fold(word).casefold(), key)
        # A word also names the concepts of the words inside it: 视频号直播 is 视频号 and 直播.
        self._names: dict[str, frozenset[str]] = {
            word: frozenset(k for w, k in owner.items() if w in word) for word in owner
        }
        self._regex = _regex(owner)
        self._asks: dict[str, re.Pattern[str] | None] = {
            kind: _regex(fold(w).casefold() for w in (*words.zh, *words.en))
            for kind, words in (("numbers", aliases.asks.numbers), ("plans", aliases.asks.plans))
        }

    def mentions(self, text: str) -> list[Mention]:
        """Every concept word in the text, left to right (the text is folded first)."""
        if self._regex is None or not text:
            return []
        folded = fold(text)
        return [
            Mention(m.group(), self._names[self._word(m.group())], m.start(), m.end())
            for m in self._regex.finditer(folded)
        ]

    def _word(self, matched: str) -> str:
        """The listed word a match stands for (a plural match drops its s)."""
        key = matched.casefold()
        if key in self._names:
            return key
        for cut in (1, 2):
            if key[:-cut] in self._names:
                return key[:-cut]
        return key

    def found(self, text: str) -> list[str]:
        """The ids of the concepts the text names, in order of first mention."""
        out: dict[str, None] = {}
        for mention in self.mentions(text):
            for key in sorted(mention.concepts):
                out.setdefault(key, None)
        return list(out)

    def tokens(self, text: str) -> list[str]:
        """One `§id` token per concept per mention (BM25 counts repeats)."""
        return [
            CONCEPT_PREFIX + key
            for mention in self.mentions(text)
            for key in sorted(mention.concepts)
        ]

    def book_words(self, keys: Iterable[str]) -> str:
        """The book's words for these concepts, as one text to search with."""
        words: dict[str, None] = {}
        for key in keys:
            concept = self.aliases.concepts.get(key)
            if concept is not None:
                for word in (*concept.book.zh, *concept.book.en):
                    words.setdefault(word, None)
        return " ".join(words)

    def label(self, key: str, lang: str) -> str:
        """The concept's first word in a language ("企业微信", "WeCom")."""
        concept = self.aliases.concepts.get(key)
        if concept is None:
            return key
        return concept.zh[0] if lang == "zh" else concept.en[0]

    def asks(self, text: str) -> set[str]:
        """What else the question asks for: "numbers" (calculators), "plans" (launch plans)."""
        folded = fold(text)
        return {kind for kind, regex in self._asks.items() if regex and regex.search(folded)}

    def words(self) -> list[str]:
        """Every concept word, for suggestions."""
        return [w for c in self.aliases.concepts.values() for w in c.words()]


NO_CONCEPTS = Concepts(Aliases())
