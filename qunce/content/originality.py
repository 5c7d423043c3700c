"""Guard against copying the book: find runs of characters shared with the seed's prose."""

from __future__ import annotations

import hashlib
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


def seed_text(folder: Path) -> str:
    """All seed files of the book, concatenated."""
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt")))


def digest(run: str) -> str:
    """A short fingerprint of one run: lets a repository check copying without holding the book."""
    return hashlib.blake2b(run.encode("utf-8"), digest_size=6).hexdigest()


def seed_digests(seed: str, size: int = RUN) -> set[str]:
    """The fingerprints of every run of `size` characters in the seed."""
    return {digest(run) for run in shingles(seed, size)}


def copied_by_digest(texts: Iterable[str], digests: set[str], size: int = RUN) -> list[str]:
    """Runs of `texts` whose fingerprint is among the seed's."""
    return sorted({run for text in texts for run in shingles(text, size) if digest(run) in digests})
