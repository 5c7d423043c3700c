"""SQLAlchemy models of the workshop tables, on the plans' metadata (one database, one history).

A workshop's teams are ordinary plan workspaces: `workshop_teams` only links a workspace (and the
plan built for it) to the workshop. The team's name lives on the workspace, its checklist in the
plan, so the Launch plans page and the workshop board read and write the very same rows.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from qunce.db.base import Base, UTCDateTime, utcnow


class WorkshopRow(Base):
    """A workshop. `host_hash` and `screen_hash` are sha256 digests; no code is stored."""

    __tablename__ = "workshops"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    host_hash: Mapped[str] = mapped_column(String(64), unique=True)
    screen_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # What the presenter shows right now; the audience screen and the teams follow it.
    display_lang: Mapped[str] = mapped_column(String(4), default="zh")
    slide: Mapped[int] = mapped_column(Integer, default=0)
    block_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The start date of the plans built for the teams (teams added later get the same).
    start_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Part of the audience screen's code; a new salt gives the screen a new link.
    screen_salt: Mapped[str] = mapped_column(String(32), default="", server_default="")


class WorkshopBlockRow(Base):
    """One agenda block: a playbook or case id, its minutes and the trainer's note."""

    __tablename__ = "workshop_blocks"
    __table_args__ = (Index("ix_workshop_blocks_workshop_position", "workshop_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workshop_id: Mapped[str] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[str] = mapped_column(String(100))
    minutes: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")


class WorkshopTeamRow(Base):
    """A team of a workshop: its workspace, the plan built for it, and the salt of its code."""

    __tablename__ = "workshop_teams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workshop_id: Mapped[str] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), unique=True
    )
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("plans.id", ondelete="SET NULL"), nullable=True
    )
    position: Mapped[int] = mapped_column(Integer)
    salt: Mapped[str] = mapped_column(String(32))
