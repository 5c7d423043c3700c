"""Fixtures for the plans tests: content, a migrated store per test (sqlite and postgres)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from qunce.cli import app
from qunce.config import settings
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


@pytest.fixture
def run(database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run `qunce ...` against this test's database, from a scratch folder; `code` is the exit
    status expected (the output is shown when it differs)."""
    monkeypatch.setenv("QUNCE_DATABASE_URL", database_url)
    monkeypatch.setenv("QUNCE_BASE_URL", "https://qunce.example.org")
    for name in ("QUNCE_WORKSPACE_CODE", "QUNCE_NOTIFY_WEBHOOK", "QUNCE_NOTIFY_SECRET",
                 "QUNCE_NOTIFY_ROBOT", "QUNCE_AUTHOR"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: str, code: int = 0) -> Result:
        result = runner.invoke(app, list(args))
        assert result.exit_code == code, (
            f"qunce {' '.join(args)} exited {result.exit_code}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}\n{result.exception!r}"
        )
        return result

    return invoke
