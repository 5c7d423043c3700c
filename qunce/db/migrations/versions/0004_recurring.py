"""Recurring items and their touched occurrences, duration and target, reminders sent.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03

- plan_items: duration_days (calendar days; NULL = as long as the effort), target_zh/en (the
  outcome to measure), routine_id (a playbook routine copied in), copied_from ("owner/step" of a
  step copied in place of a `see:` pointer), rule and repeat_from (a recurring item's RRULE and
  its first day).
- item_changes.occurs_at: the occurrence a history row is about (NULL: the item itself).
- item_occurrences: occurrences someone ticked, skipped or noted; the others are computed.
- plan_notifications: reminder digests sent per plan, robot and day (never twice).

A frozen snapshot: it does not import the models.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=f"fk_{table}_{column}_{target}",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    """Add the columns and the two tables."""
    with op.batch_alter_table("plan_items") as batch:
        batch.add_column(sa.Column("duration_days", sa.Float(), nullable=True))
        batch.add_column(sa.Column("target_zh", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("target_en", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("routine_id", sa.String(100), nullable=True))
        batch.add_column(sa.Column("copied_from", sa.String(201), nullable=True))
        batch.add_column(sa.Column("rule", sa.String(300), nullable=True))
        batch.add_column(sa.Column("repeat_from", sa.Date(), nullable=True))
    with op.batch_alter_table("item_changes") as batch:
        batch.add_column(sa.Column("occurs_at", sa.DateTime(timezone=False), nullable=True))
    op.create_table(
        "item_occurrences",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(32), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("occurs_at", sa.DateTime(timezone=False), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        _fk("item_occurrences", "workspace_id", "workspaces"),
        _fk("item_occurrences", "plan_id", "plans"),
        _fk("item_occurrences", "item_id", "plan_items"),
        sa.PrimaryKeyConstraint("id", name="pk_item_occurrences"),
        sa.UniqueConstraint("item_id", "occurs_at", name="uq_item_occurrences_item_id_occurs_at"),
    )
    op.create_index("ix_item_occurrences_workspace_id", "item_occurrences", ["workspace_id"])
    op.create_index(
        "ix_item_occurrences_plan_occurs_at", "item_occurrences", ["plan_id", "occurs_at"]
    )
    op.create_table(
        "plan_notifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.String(32), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("robot", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        _fk("plan_notifications", "workspace_id", "workspaces"),
        _fk("plan_notifications", "plan_id", "plans"),
        sa.PrimaryKeyConstraint("id", name="pk_plan_notifications"),
        sa.UniqueConstraint(
            "plan_id", "robot", "day", name="uq_plan_notifications_plan_id_robot_day"
        ),
    )
    op.create_index("ix_plan_notifications_workspace_id", "plan_notifications", ["workspace_id"])


def downgrade() -> None:
    """Drop the tables and columns again."""
    op.drop_table("plan_notifications")
    op.drop_table("item_occurrences")
    with op.batch_alter_table("item_changes") as batch:
        batch.drop_column("occurs_at")
    with op.batch_alter_table("plan_items") as batch:
        for column in (
            "repeat_from",
            "rule",
            "copied_from",
            "routine_id",
            "target_en",
            "target_zh",
            "duration_days",
        ):
            batch.drop_column(column)
