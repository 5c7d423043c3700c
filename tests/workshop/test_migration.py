"""The workshop migration creates exactly the workshop models, and the history has one head."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from qunce.db.base import Base
from qunce.db.store import MIGRATIONS, Store, current_revision, head_revision
from qunce.workshop.models import (
    CodeAttemptRow,
    PollAnswerRow,
    PollRow,
    ShortCodeRow,
    WorkshopBlockRow,
    WorkshopRow,
    WorkshopTeamRow,
)

MODELS = (
    WorkshopRow,
    WorkshopBlockRow,
    WorkshopTeamRow,
    ShortCodeRow,
    CodeAttemptRow,
    PollRow,
    PollAnswerRow,
)
TABLES = {t.__tablename__ for t in MODELS}


def _ours(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table in TABLES


def test_single_head_and_the_store_reaches_it(store: Store) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, heads
    assert current_revision(store.engine) == head_revision()


def test_workshop_tables_match_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": _ours}
        )
        diffs = compare_metadata(context, Base.metadata)
        names = set(conn.dialect.get_table_names(conn))
    assert names >= TABLES
    assert diffs == []


def test_polls_migration_goes_down_and_up_again(database_url: str) -> None:
    from sqlalchemy import inspect

    from qunce.db.store import make_engine, migrate

    engine = make_engine(database_url)
    try:
        migrate(engine)
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        from alembic import command

        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0005-1")  # whatever comes before 0005 after a merge
        assert not {"workshop_polls", "workshop_short_codes"} & set(
            inspect(engine).get_table_names()
        )
        migrate(engine)
        assert {"workshop_polls", "workshop_poll_answers", "workshop_short_codes",
                "workshop_code_attempts"} <= set(inspect(engine).get_table_names())  # fmt: skip
    finally:
        engine.dispose()
