"""How much text a slide may carry, and how to shorten a text that carries more (pure functions).

A step slide holds at most STEP_ZH characters of Chinese and STEP_EN English words of body text:
what a room reads in the few seconds it looks up. Whatever does not fit goes to the speaker
notes, never away. Texts are measured per language (`zh_units`, `en_words`) and shortened at a
clause boundary when one is near enough, else at the limit, always with an ellipsis.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

STEP_ZH = 80
STEP_EN = 14
ELLIPSIS = "…"
# Clause ends where a shortened text may stop: Chinese and Latin punctuation.
_ZH_BREAKS = "。！？；，、："
_EN_BREAK = re.compile(r"[.;:,!?]$")
# XML 1.0 forbids these code points; python-pptx and openpyxl raise on them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML cannot hold (control characters, lone surrogates)."""
    return _XML_ILLEGAL.sub("", text)


def one_line(text: str) -> str:
    """`text` on one line: every run of whitespace (newlines, vertical tabs too) one space, and
    XML-safe."""
    return " ".join(xml_safe(" ".join(text.split())).split())


def zh_units(text: str) -> int:
    """Characters of a Chinese text as a reader counts them (whitespace does not count)."""
    return sum(1 for ch in text if not ch.isspace())


def en_words(text: str) -> int:
    """Words of an English text."""
    return len(text.split())


def fits(zh: Sequence[str], en: Sequence[str], zh_limit: int, en_limit: int) -> bool:
    """Whether the Chinese texts together stay within `zh_limit` and the English within `en_limit`."""
    return sum(zh_units(t) for t in zh) <= zh_limit and sum(en_words(t) for t in en) <= en_limit


def shorten_zh(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters (ellipsis included), at a clause end if near."""
    if zh_units(text) <= limit:
        return text
    kept, count = [], 0
    for ch in text:
        count += 0 if ch.isspace() else 1
        if count > limit - 1:
            break
        kept.append(ch)
    head = "".join(kept)
    cut = max(head.rfind(p) for p in _ZH_BREAKS)
    if cut >= len(head) // 2:
        head = head[:cut]
    return head.rstrip(" ，、：；") + ELLIPSIS


def shorten_en(text: str, limit: int) -> str:
    """`text` cut to at most `limit` words, at a clause end if near, with an ellipsis."""
    words = text.split()
    if len(words) <= limit:
        return text
    head = words[:limit]
    for end in range(len(head), max(1, len(head) // 2) - 1, -1):
        if _EN_BREAK.search(head[end - 1]):
            head = head[:end]
            break
    return " ".join(head).rstrip(".,;:") + ELLIPSIS
