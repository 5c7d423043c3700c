"""Alembic environment for the plans database, run programmatically by `qunce.plans.store.migrate`.

The connection comes from `config.attributes["connection"]` (so the migration runs inside the
caller's transaction and lock); with plain `alembic -c ...` the URL comes from `settings()`.
"""

from __future__ import annotations

import contextlib

from alembic import context
from sqlalchemy import Connection, create_engine

from qunce.plans.models import Base

# The workshop keeps its tables in this database and history; autogenerate must see them, or it
# would propose dropping them.
with contextlib.suppress(ImportError):
    import qunce.workshop.models  # noqa: F401

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
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
