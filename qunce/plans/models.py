"""SQLAlchemy 2 models of the plans database (the Alembic migrations create exactly these).

Every row that belongs to a team carries `workspace_id`, so each query filters by it directly
instead of trusting a join: a plan id or item id from another workspace simply matches nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from qunce.db.base import Base, UTCDateTime, utcnow


class WorkspaceRow(Base):
    """A team. `code_hash` and `owner_hash` are sha256 digests of its codes; no code is stored."""

    __tablename__ = "workspaces"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The owner code rotates the join code and deletes plans; NULL for workspaces from before.
    owner_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    # A workshop team's workspace: only the facilitator rotates its code.
    managed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class PlanRow(Base):
    """A launch plan of a workspace."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200), default="")


class SourceRow(Base):
    """A playbook a plan was built from, and the catalogue version its steps were copied at."""

    __tablename__ = "plan_sources"
    __table_args__ = (UniqueConstraint("plan_id", "playbook_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    playbook_id: Mapped[str] = mapped_column(String(100))
    content_version: Mapped[str] = mapped_column(String(64))
    title_zh: Mapped[str] = mapped_column(String(300), default="")
    title_en: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class ItemRow(Base):
    """A checklist item. `version` rises by one with every saved change (optimistic locking)."""

    __tablename__ = "plan_items"
    __table_args__ = (Index("ix_plan_items_plan_position", "plan_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    playbook_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    step_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    content_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    title_zh: Mapped[str] = mapped_column(String(300), default="")
    title_en: Mapped[str] = mapped_column(String(300), default="")
    detail_zh: Mapped[str] = mapped_column(Text, default="")
    detail_en: Mapped[str] = mapped_column(Text, default="")
    done_when_zh: Mapped[str] = mapped_column(Text, default="")
    done_when_en: Mapped[str] = mapped_column(Text, default="")
    effort_days: Mapped[float] = mapped_column(Float, default=1.0)
    # Calendar days from start to done (the timeline's bar); NULL: as long as the effort.
    duration_days: Mapped[float | None] = mapped_column(Float, nullable=True)
    target_zh: Mapped[str] = mapped_column(Text, default="", server_default="")
    target_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    role: Mapped[str | None] = mapped_column(String(50), nullable=True)
    # A playbook routine copied in (step_id is NULL then); "owner/step" of a step copied in
    # place of a `see:` pointer.
    routine_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    copied_from: Mapped[str | None] = mapped_column(String(201), nullable=True)
    # A recurring item: an RFC 5545 RRULE (no DTSTART) and the first day it may fall on.
    rule: Mapped[str | None] = mapped_column(String(300), nullable=True)
    repeat_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(10), default="todo")
    owner: Mapped[str] = mapped_column(String(200), default="")
    due: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class ChangeRow(Base):
    """One field change of an item. Survives the item's deletion (item_id becomes NULL)."""

    __tablename__ = "item_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_items.id", ondelete="SET NULL"), nullable=True, index=True
    )
    item_title: Mapped[str] = mapped_column(String(300), default="")
    item_version: Mapped[int] = mapped_column(Integer, default=0)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    author: Mapped[str] = mapped_column(String(200), default="")
    field: Mapped[str] = mapped_column(String(30))
    old: Mapped[str] = mapped_column(Text, default="")
    new: Mapped[str] = mapped_column(Text, default="")
    # The occurrence of a recurring item the change was made to (NULL: the item itself).
    occurs_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=False), nullable=True)


class OccurrenceRow(Base):
    """One occurrence of a recurring item that someone touched (ticked, skipped, noted).

    Occurrences are computed from the item's rule; only touched ones get a row, versioned like
    items. `occurs_at` is the wall-clock time in the plan's time zone (QUNCE_TIMEZONE), without
    a zone, as the rule produces it (midnight for all-day rules).
    """

    __tablename__ = "item_occurrences"
    __table_args__ = (
        UniqueConstraint("item_id", "occurs_at"),
        Index("ix_item_occurrences_plan_occurs_at", "plan_id", "occurs_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_items.id", ondelete="CASCADE"))
    occurs_at: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    status: Mapped[str] = mapped_column(String(10), default="todo")
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class NotificationRow(Base):
    """A reminder digest sent (or being sent) for a plan to one robot on one day.

    `robot` is the sha256 of the webhook address (which holds the robot's token), so the same
    robot is recognised without storing its secret. The unique key makes a second run of the
    same day find the first one's row instead of posting again.
    """

    __tablename__ = "plan_notifications"
    __table_args__ = (UniqueConstraint("plan_id", "robot", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    robot: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(10))
    day: Mapped[date] = mapped_column(Date)
    # sending → sent | failed | unknown (no answer: it may have been posted)
    status: Mapped[str] = mapped_column(String(10))
    entries: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ScenarioRow(Base):
    """Saved calculator inputs of a workspace; a name is unique per workspace and calculator."""

    __tablename__ = "scenarios"
    __table_args__ = (UniqueConstraint("workspace_id", "calculator", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    calculator: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PresenceRow(Base):
    """Someone has an item's form open: who, in which browser session, until when.

    A short-lived note, not a record: the page renews it while the form stays open and the
    plan refreshes (qunce/plans/presence.py); a closed tab's note simply runs out. Kept in the
    database so that people on different app servers see each other.
    """

    __tablename__ = "item_presence"
    __table_args__ = (
        UniqueConstraint("item_id", "session"),
        Index("ix_item_presence_plan_expires_at", "plan_id", "expires_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True
    )
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_items.id", ondelete="CASCADE"))
    session: Mapped[str] = mapped_column(String(64))
    person: Mapped[str] = mapped_column(String(200), default="")
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
