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
