"""Access that lasts and can be taken back: owner codes, workshop-managed teams, last use.

Revision ID: 0003
Revises: w001
Create Date: 2026-12-02

- workspaces.owner_hash: sha256 of the workspace's owner code (rotates the join code, deletes
  plans); NULL for workspaces made before owners existed (an admin can issue one).
- workspaces.managed: the workspace is a workshop team's; only the facilitator rotates its code.
- workspaces.last_used_at, workshops.last_used_at: shown to admins (updated at most hourly).
- workshops.screen_salt: a new salt gives the audience screen a new link.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "w001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add the columns, and mark the workspaces that belong to workshop teams."""
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(sa.Column("owner_hash", sa.String(64), nullable=True))
        batch.add_column(
            sa.Column("managed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("last_used_at", TS, nullable=True))
        batch.create_unique_constraint("uq_workspaces_owner_hash", ["owner_hash"])
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(sa.Column("last_used_at", TS, nullable=True))
        batch.add_column(sa.Column("screen_salt", sa.String(32), nullable=False, server_default=""))
    op.execute(
        "UPDATE workspaces SET managed = TRUE WHERE id IN (SELECT workspace_id FROM workshop_teams)"
    )


def downgrade() -> None:
    """Drop the columns again."""
    with op.batch_alter_table("workshops") as batch:
        batch.drop_column("screen_salt")
        batch.drop_column("last_used_at")
    with op.batch_alter_table("workspaces") as batch:
        batch.drop_constraint("uq_workspaces_owner_hash", type_="unique")
        batch.drop_column("last_used_at")
        batch.drop_column("managed")
        batch.drop_column("owner_hash")
