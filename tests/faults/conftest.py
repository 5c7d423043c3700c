"""Fixtures for the fault tests: the real catalogue and an embedder that rebuilds in seconds."""

from __future__ import annotations

from pathlib import Path

import pytest

from qunce.content.catalogue import Catalogue, load_catalogue
from tests.faults.vectors import CachedEmbedder


@pytest.fixture(scope="session")
def real_catalogue() -> Catalogue:
    """The shipped playbooks and cases (no extra content folders)."""
    return load_catalogue(extra=[])


@pytest.fixture(scope="session")
def cached_embedder(search_index_dir: Path, real_catalogue: Catalogue) -> CachedEmbedder:
    """An embedder that knows the vectors of `search_index_dir` (see vectors.py)."""
    return CachedEmbedder(search_index_dir, real_catalogue)
