"""SQLAlchemy models of the workshop tables, on the plans' metadata (one database, one history).

A workshop's teams are ordinary plan workspaces: `workshop_teams` only links a workspace (and the
plan built for it) to the workshop. The team's name lives on the workspace, its checklist in the
plan, so the Launch plans page and the workshop board read and write the very same rows.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
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


class ShortCodeRow(Base):
    """A team's short join code: stored as a peppered HMAC digest, never as the code itself.

    `salt` with the facilitator code derives the code again (the desk can show it at any time);
    `sealed` is the team's long join code encrypted under a key derived from the short code and
    the server's pepper, so resolving a short code yields the long code without storing it.
    """

    __tablename__ = "workshop_short_codes"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_teams.id", ondelete="CASCADE"), primary_key=True
    )
    workshop_id: Mapped[str] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    salt: Mapped[str] = mapped_column(String(32))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    pepper_id: Mapped[str] = mapped_column(String(16))
    sealed: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class CodeAttemptRow(Base):
    """Failed short-code attempts of one client key (a digest), or of everyone (key "*")."""

    __tablename__ = "workshop_code_attempts"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class PollRow(Base):
    """A question the trainer asks the room: single choice, a 1-5 scale, or a short text."""

    __tablename__ = "workshop_polls"
    __table_args__ = (Index("ix_workshop_polls_workshop_opened", "workshop_id", "opened_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workshop_id: Mapped[str] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    question: Mapped[str] = mapped_column(String(300))
    # The choices of a single-choice poll, one per line (empty for scale and text polls).
    options: Mapped[str] = mapped_column(Text, default="")
    # The slide the trainer was on when opening it (a deck key like "step:launch-rules:x").
    slide_key: Mapped[str] = mapped_column(String(300), default="")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class PollAnswerRow(Base):
    """One team's answer to a poll (one per team; it may change while the poll is open)."""

    __tablename__ = "workshop_poll_answers"
    __table_args__ = (UniqueConstraint("poll_id", "team_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    poll_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_polls.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_teams.id", ondelete="CASCADE"), index=True
    )
    # The option's index (choice) or the value 1-5 (scale); None for a text answer.
    choice: Mapped[int | None] = mapped_column(Integer, nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
