"""Fixtures for the plans tests: content, a migrated store per test (sqlite and postgres)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from qunce.content.catalogue import Catalogue
from qunce.plans import Plan, Store, Workspace, create_plan, create_workspace, open_store
from tests.plans.content import load, write_content, write_rhythm_content

START = date(2026, 3, 2)


@pytest.fixture(scope="session")
def content_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A content folder with two playbooks (launch-basics: 3 steps, group-growth: 2 steps)."""
    return write_content(tmp_path_factory.mktemp("content"))


@pytest.fixture(scope="session")
def catalogue(content_dir: Path) -> Catalogue:
    """The catalogue of `content_dir`."""
    return load(content_dir)


@pytest.fixture(scope="session")
def edited_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    """The same two playbooks after an edit of launch-basics (reworded, added, removed steps)."""
    return load(write_content(tmp_path_factory.mktemp("content-v2"), revision=2))


@pytest.fixture(scope="session")
def rhythm_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    """Four playbooks: the two above, launch-rules (durations, a target, two routines) and
    welcome-flow (a step that points at launch-rules/recruit-seed-members, a monthly routine)."""
    return load(write_rhythm_content(tmp_path_factory.mktemp("content-rhythm")))


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A migrated, empty plans database (parametrised: sqlite and postgres)."""
    opened = open_store(database_url)
    try:
        yield opened
    finally:
        opened.dispose()


@pytest.fixture
def team(store: Store) -> tuple[Workspace, str]:
    """A workspace and its join code."""
    return create_workspace(store, "Team A")


@pytest.fixture
def other_team(store: Store) -> tuple[Workspace, str]:
    """A second workspace, to prove isolation."""
    return create_workspace(store, "Team B")


@pytest.fixture
def plan(store: Store, team: tuple[Workspace, str], catalogue: Catalogue) -> Plan:
    """A plan of Team A built from both playbooks."""
    return create_plan(
        store,
        team[0].id,
        "618 launch",
        ["launch-basics", "group-growth"],
        catalogue,
        start_date=START,
        author="Lin",
    )
