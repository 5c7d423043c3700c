"""Workspaces, plans, their playbook sources, checklist items and the items' change history.

Revision ID: 0001
Revises:
Create Date: 2026-11-25

A frozen snapshot: migrations never import the models, so later model changes cannot alter what
an old migration does.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _workspace_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["workspace_id"],
        ["workspaces.id"],
        name=f"fk_{table}_workspace_id_workspaces",
        ondelete="CASCADE",
    )


def _plan_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["plan_id"], ["plans.id"], name=f"fk_{table}_plan_id_plans", ondelete="CASCADE"
    )


def upgrade() -> None:
    """Create the plans tables."""
    op.create_table(
        "workspaces",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workspaces"),
        sa.UniqueConstraint("code_hash", name="uq_workspaces_code_hash"),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        _workspace_fk("plans"),
        sa.PrimaryKeyConstraint("id", name="pk_plans"),
    )
    op.create_index("ix_plans_workspace_id", "plans", ["workspace_id"])
    op.create_table(
        "plan_sources",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.String(32), nullable=False),
        sa.Column("playbook_id", sa.String(100), nullable=False),
        sa.Column("content_version", sa.String(64), nullable=False),
        sa.Column("title_zh", sa.String(300), nullable=False),
        sa.Column("title_en", sa.String(300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _plan_fk("plan_sources"),
        _workspace_fk("plan_sources"),
        sa.PrimaryKeyConstraint("id", name="pk_plan_sources"),
        sa.UniqueConstraint("plan_id", "playbook_id", name="uq_plan_sources_plan_id_playbook_id"),
    )
    op.create_index("ix_plan_sources_plan_id", "plan_sources", ["plan_id"])
    op.create_index("ix_plan_sources_workspace_id", "plan_sources", ["workspace_id"])
    op.create_table(
        "plan_items",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.String(32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("playbook_id", sa.String(100), nullable=True),
        sa.Column("step_id", sa.String(100), nullable=True),
        sa.Column("content_version", sa.String(64), nullable=True),
        sa.Column("title_zh", sa.String(300), nullable=False),
        sa.Column("title_en", sa.String(300), nullable=False),
        sa.Column("detail_zh", sa.Text(), nullable=False),
        sa.Column("detail_en", sa.Text(), nullable=False),
        sa.Column("done_when_zh", sa.Text(), nullable=False),
        sa.Column("done_when_en", sa.Text(), nullable=False),
        sa.Column("effort_days", sa.Float(), nullable=False),
        sa.Column("role", sa.String(50), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        _plan_fk("plan_items"),
        _workspace_fk("plan_items"),
        sa.PrimaryKeyConstraint("id", name="pk_plan_items"),
    )
    op.create_index("ix_plan_items_plan_id", "plan_items", ["plan_id"])
    op.create_index("ix_plan_items_workspace_id", "plan_items", ["workspace_id"])
    op.create_index("ix_plan_items_plan_position", "plan_items", ["plan_id", "position"])
    op.create_table(
        "item_changes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(32), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("item_title", sa.String(300), nullable=False),
        sa.Column("item_version", sa.Integer(), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("field", sa.String(30), nullable=False),
        sa.Column("old", sa.Text(), nullable=False),
        sa.Column("new", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["plan_items.id"],
            name="fk_item_changes_item_id_plan_items",
            ondelete="SET NULL",
        ),
        _plan_fk("item_changes"),
        _workspace_fk("item_changes"),
        sa.PrimaryKeyConstraint("id", name="pk_item_changes"),
    )
    op.create_index("ix_item_changes_item_id", "item_changes", ["item_id"])
    op.create_index("ix_item_changes_plan_id", "item_changes", ["plan_id"])
    op.create_index("ix_item_changes_workspace_id", "item_changes", ["workspace_id"])


def downgrade() -> None:
    """Drop the plans tables."""
    for table in ("item_changes", "plan_items", "plan_sources", "plans", "workspaces"):
        op.drop_table(table)
