"""Workshops: agenda blocks and the teams (workspaces) that take part.

Revision ID: w001
Revises: 0002
Create Date: 2026-11-25

A frozen snapshot: it does not import the models (qunce/workshop/models.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "w001"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the workshop tables."""
    op.create_table(
        "workshops",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("host_hash", sa.String(64), nullable=False),
        sa.Column("screen_hash", sa.String(64), nullable=False),
        sa.Column("display_lang", sa.String(4), nullable=False),
        sa.Column("slide", sa.Integer(), nullable=False),
        sa.Column("block_started_at", TS, nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workshops"),
        sa.UniqueConstraint("host_hash", name="uq_workshops_host_hash"),
        sa.UniqueConstraint("screen_hash", name="uq_workshops_screen_hash"),
    )
    op.create_table(
        "workshop_blocks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workshop_id", sa.String(32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(100), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name="fk_workshop_blocks_workshop_id_workshops",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_workshop_blocks"),
    )
    op.create_index("ix_workshop_blocks_workshop_id", "workshop_blocks", ["workshop_id"])
    op.create_index(
        "ix_workshop_blocks_workshop_position", "workshop_blocks", ["workshop_id", "position"]
    )
    op.create_table(
        "workshop_teams",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workshop_id", sa.String(32), nullable=False),
        sa.Column("workspace_id", sa.String(32), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("salt", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name="fk_workshop_teams_workshop_id_workshops",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name="fk_workshop_teams_workspace_id_workspaces",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name="fk_workshop_teams_plan_id_plans", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_workshop_teams"),
        sa.UniqueConstraint("workspace_id", name="uq_workshop_teams_workspace_id"),
    )
    op.create_index("ix_workshop_teams_workshop_id", "workshop_teams", ["workshop_id"])


def downgrade() -> None:
    """Drop the workshop tables."""
    for table in ("workshop_teams", "workshop_blocks", "workshops"):
        op.drop_table(table)
