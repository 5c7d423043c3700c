"""Who is editing: a short-lived note per open item form.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-12

A frozen snapshot: it does not import the models (qunce/plans/models.py, PresenceRow).
- item_presence: an item's form is open in a browser session (`session`, a random token of
  that session) by `person`, until `expires_at`; one row per item and session, renewed while
  the form stays open, read as "Lin is editing" by everyone else on the plan.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _fk(column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=f"fk_item_presence_{column}_{target}",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    """Create item_presence."""
    op.create_table(
        "item_presence",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(32), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("session", sa.String(64), nullable=False),
        sa.Column("person", sa.String(200), nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        _fk("workspace_id", "workspaces"),
        _fk("plan_id", "plans"),
        _fk("item_id", "plan_items"),
        sa.PrimaryKeyConstraint("id", name="pk_item_presence"),
        sa.UniqueConstraint("item_id", "session", name="uq_item_presence_item_id_session"),
    )
    op.create_index("ix_item_presence_workspace_id", "item_presence", ["workspace_id"])
    op.create_index("ix_item_presence_plan_expires_at", "item_presence", ["plan_id", "expires_at"])


def downgrade() -> None:
    """Drop item_presence."""
    op.drop_table("item_presence")
