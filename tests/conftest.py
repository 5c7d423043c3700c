"""Shared fixtures: a headless Chromium for browser tests; database fixtures live in fixtures_db."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS

pytest_plugins = ["tests.fixtures_db"]

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("QUNCE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing; install Debian's chromium (scripts/system-deps.sh)")
        pytest.skip(f"{CHROMIUM} is not installed (scripts/system-deps.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    """Settings are cached per process; tests that change env vars get them re-read."""
    from qunce.config import settings

    settings.cache_clear()
    yield
    settings.cache_clear()


@pytest.fixture(scope="session")
def search_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A search index over the real content, built once per test worker. Read-only for tests:
    a test that damages an index copies this folder first."""
    import dataclasses

    from qunce.config import load_settings
    from qunce.content.catalogue import load_catalogue
    from qunce.search.index import SearchIndex

    folder = tmp_path_factory.mktemp("search-index")
    config = dataclasses.replace(load_settings(), index_dir=folder, chroma_url=None)
    SearchIndex(load_catalogue(extra=[]), config).build()
    return folder
