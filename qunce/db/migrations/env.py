"""Alembic environment for Qunce's database, run programmatically by `qunce.db.store.migrate`.

The connection comes from `config.attributes["connection"]` (so the migration runs inside the
caller's transaction and lock); with plain `alembic -c ...` the URL comes from `settings()`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, MetaData, create_engine

from qunce.db.base import Base


def _target_metadata() -> MetaData:
    """Every table's model, for `alembic revision --autogenerate` alone.

    Running the migrations needs no model (each version is a frozen snapshot), so the database
    layer imports the packages above it only when a developer asks Alembic to compare.
    """
    options = context.config.cmd_opts
    if options is not None and getattr(options, "autogenerate", False):
        import qunce.plans.models
        import qunce.workshop.models  # noqa: F401
    return Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=_target_metadata(),
        # SQLite cannot ALTER most things; batch mode rebuilds tables for later migrations.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the given connection, or on settings().database_url."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from qunce.config import settings

    engine = create_engine(settings().database_url)
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported for the plans database")
run_migrations_online()
