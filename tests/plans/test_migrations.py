"""Migrations: an empty database gets the whole schema, an older one is upgraded with its data,
a newer one is refused, and the migrations match the models exactly."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from qunce.db.base import Base
from qunce.db.store import make_engine
from qunce.plans import (
    StoreUnavailable,
    create_workspace,
    current_revision,
    head_revision,
    list_scenarios,
    migrate,
    open_store,
    save_scenario,
    workspace_by_code,
)

TABLES = {
    "workspaces",
    "plans",
    "plan_sources",
    "plan_items",
    "item_changes",
    "scenarios",
    "item_occurrences",
    "plan_notifications",
    "item_presence",
}


def test_empty_database_gets_every_table(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) is None
        migrate(engine)
        assert current_revision(engine) == head_revision()
        assert set(inspect(engine).get_table_names()) >= TABLES
    finally:
        engine.dispose()


def _ours(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    # Other packages (the workshop) keep their tables in the same database and history.
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table in TABLES


def test_migrations_match_the_models(database_url: str) -> None:
    store = open_store(database_url)
    try:
        with store.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": _ours}
            )
            differences = compare_metadata(context, Base.metadata)
        assert differences == []
    finally:
        store.dispose()


def test_older_database_is_upgraded_and_keeps_its_data(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate(engine, "0001")
        assert "scenarios" not in inspect(engine).get_table_names()
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO workspaces (id, name, code_hash, created_at) "
                    "VALUES ('w1', 'Old team', :hash, :now)"
                ),
                {"hash": "0" * 64, "now": date(2025, 1, 1)},
            )
    finally:
        engine.dispose()
    store = open_store(database_url)  # what the app does at start
    try:
        assert current_revision(store.engine) == head_revision()
        with store.engine.connect() as conn:
            names = conn.execute(text("SELECT name FROM workspaces")).scalars().all()
        assert names == ["Old team"]
        assert save_scenario(store, "w1", "funnel", "A", {"x": 1}).workspace_id == "w1"
        assert [s.name for s in list_scenarios(store, "w1")] == ["A"]
    finally:
        store.dispose()


def test_opening_twice_is_harmless(database_url: str) -> None:
    first = open_store(database_url)
    _, code = create_workspace(first, "Team")
    first.dispose()
    second = open_store(database_url)
    try:
        assert workspace_by_code(second, code).name == "Team"
    finally:
        second.dispose()


def test_database_newer_than_the_code_is_refused(database_url: str) -> None:
    store = open_store(database_url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.dispose()
    with pytest.raises(StoreUnavailable, match=r"9999.*upgrade Qunce"):
        open_store(database_url)


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: object) -> None:
    store = open_store(f"sqlite:///{tmp_path}/sub/dir/qunce.db")  # folders are created
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        store.dispose()


def test_unreachable_postgres_is_a_clear_error() -> None:
    from tests.browser_support import free_port

    url = f"postgresql+psycopg://nobody:secret@127.0.0.1:{free_port()}/qunce"
    with pytest.raises(StoreUnavailable) as caught:
        open_store(url)
    message = str(caught.value)
    assert "cannot be used" in message
    assert "secret" not in message  # the password never reaches a page or a log


def test_0004_keeps_items_and_gives_them_the_new_defaults(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        migrate(engine, "0003")
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO workspaces (id, name, code_hash, created_at, managed) "
                "VALUES ('w1', 'Old team', :hash, :now, FALSE)"
            ), {"hash": "1" * 64, "now": date(2026, 1, 1)})  # fmt: skip
            conn.execute(text(
                "INSERT INTO plans (id, workspace_id, name, start_date, created_at, updated_at, "
                "created_by) VALUES (1, 'w1', 'Plan', :day, :day, :day, '')"
            ), {"day": date(2026, 1, 1)})  # fmt: skip
            conn.execute(text(
                "INSERT INTO plan_items (plan_id, workspace_id, position, title_zh, title_en, "
                "detail_zh, detail_en, done_when_zh, done_when_en, effort_days, status, owner, "
                "notes, version, updated_at, updated_by) VALUES (1, 'w1', 0, '旧', 'Old', '', '', "
                "'', '', 2, 'todo', 'Lin', '', 3, :day, '')"
            ), {"day": date(2026, 1, 1)})  # fmt: skip
    finally:
        engine.dispose()
    store = open_store(database_url)
    try:
        from qunce.plans import get_plan

        item = get_plan(store, "w1", 1).items[0]
        assert (item.title_en, item.version, item.owner) == ("Old", 3, "Lin")
        assert (item.target_zh, item.rule, item.duration_days, item.calendar_days) == (
            "",
            None,
            None,
            2,
        )
    finally:
        store.dispose()
