"""Guard against copying the book: find runs of characters shared with the seed's prose."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

RUN = 20

_SPACE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


def shingles(text: str, size: int = RUN) -> set[str]:
    """Every run of `size` characters in `text`, whitespace removed."""
    flat = _squash(text)
    return {flat[i : i + size] for i in range(len(flat) - size + 1)}


def copied_runs(texts: Iterable[str], seed: str, size: int = RUN) -> list[str]:
    """Runs of `size` characters that appear both in one of `texts` and in `seed`."""
    seen = shingles(seed, size)
    return sorted({run for text in texts for run in shingles(text, size) if run in seen})


def seed_text(folder: Path) -> str:
    """All seed files of the book, concatenated."""
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt")))
