"""Fixtures for the workshop tests: the real catalogue, a migrated store, a small agenda."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from qunce.content.catalogue import Catalogue, load_catalogue
from qunce.db.store import Store, open_store
from qunce.workshop.agenda import Agenda, Block

START = date(2026, 5, 9)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The project's own content (31 playbooks, 20 cases)."""
    loaded = load_catalogue()
    assert not loaded.errors, [e.render() for e in loaded.errors]
    return loaded


@pytest.fixture(scope="session")
def agenda() -> Agenda:
    """Two playbooks around one case, with a trainer's note on the case."""
    return Agenda(
        title="社群启动半日工作坊",
        blocks=(
            Block(item="launch-rules", minutes=40),
            Block(item="xiaomi-fans", minutes=15, note="问：谁是你的前 100 个用户？"),
            Block(item="qr-code-scenarios", minutes=30),
        ),
    )


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A migrated, empty database (parametrised over sqlite and postgres)."""
    opened = open_store(database_url)
    try:
        yield opened
    finally:
        opened.dispose()
