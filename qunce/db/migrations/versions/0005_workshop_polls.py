"""Workshop polls and their answers; short join codes and the failed-attempt counters.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-09

A frozen snapshot: it does not import the models (qunce/workshop/models.py).
- workshop_polls / workshop_poll_answers: a question the trainer asks, one answer per team.
- workshop_short_codes: a team's typeable code, as a peppered digest (qunce/workshop/shortcodes.py).
- workshop_code_attempts: failed short-code attempts per client key and overall, with lockouts,
  in the database so that several app servers count together.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    name = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=f"fk_{table}_{column}_{name}", ondelete="CASCADE"
    )


def upgrade() -> None:
    """Create the four tables."""
    op.create_table(
        "workshop_short_codes",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.String(32), nullable=False),
        sa.Column("salt", sa.String(32), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("pepper_id", sa.String(16), nullable=False),
        sa.Column("sealed", sa.String(64), nullable=False),
        sa.Column("issued_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        _fk("workshop_short_codes", "team_id", "workshop_teams.id"),
        _fk("workshop_short_codes", "workshop_id", "workshops.id"),
        sa.PrimaryKeyConstraint("team_id", name="pk_workshop_short_codes"),
        sa.UniqueConstraint("digest", name="uq_workshop_short_codes_digest"),
    )
    op.create_index("ix_workshop_short_codes_workshop_id", "workshop_short_codes", ["workshop_id"])
    op.create_index("ix_workshop_short_codes_expires_at", "workshop_short_codes", ["expires_at"])
    op.create_table(
        "workshop_code_attempts",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("window_started_at", TS, nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", TS, nullable=True),
        sa.PrimaryKeyConstraint("key", name="pk_workshop_code_attempts"),
    )
    op.create_table(
        "workshop_polls",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workshop_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("question", sa.String(300), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("slide_key", sa.String(300), nullable=False),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("closed_at", TS, nullable=True),
        _fk("workshop_polls", "workshop_id", "workshops.id"),
        sa.PrimaryKeyConstraint("id", name="pk_workshop_polls"),
    )
    op.create_index("ix_workshop_polls_workshop_id", "workshop_polls", ["workshop_id"])
    op.create_index(
        "ix_workshop_polls_workshop_opened", "workshop_polls", ["workshop_id", "opened_at"]
    )
    op.create_table(
        "workshop_poll_answers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        _fk("workshop_poll_answers", "poll_id", "workshop_polls.id"),
        _fk("workshop_poll_answers", "team_id", "workshop_teams.id"),
        sa.PrimaryKeyConstraint("id", name="pk_workshop_poll_answers"),
        sa.UniqueConstraint("poll_id", "team_id", name="uq_workshop_poll_answers_poll_id_team_id"),
    )
    op.create_index("ix_workshop_poll_answers_poll_id", "workshop_poll_answers", ["poll_id"])
    op.create_index("ix_workshop_poll_answers_team_id", "workshop_poll_answers", ["team_id"])


def downgrade() -> None:
    """Drop the four tables."""
    for table in (
        "workshop_poll_answers",
        "workshop_polls",
        "workshop_code_attempts",
        "workshop_short_codes",
    ):
        op.drop_table(table)
