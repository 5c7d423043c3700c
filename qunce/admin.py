"""What the admin page needs: the admin code check, usage of the database, and deletion.

The admin code (`QUNCE_ADMIN_CODE`) is compared in constant time, and every failed attempt makes
the next answer wait longer (1 s, 2 s, 4 s … up to 30 s); after ten failures in fifteen minutes
the server refuses every attempt, right or wrong, for fifteen minutes. The record is per server
process: a guesser spread over several servers still meets the delay on each.

Usage is read with a few grouped queries (one per table), so the page stays quick with
thousands of workspaces; deleting a workshop deletes its teams' workspaces with it.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qunce.db.errors import NotFound
from qunce.db.store import Store
from qunce.plans.models import ChangeRow, ItemRow, PlanRow, ScenarioRow, WorkspaceRow
from qunce.workshop.models import WorkshopBlockRow, WorkshopRow, WorkshopTeamRow

MAX_DELAY_S = 30.0
LOCKOUT_FAILURES = 10
LOCKOUT_WINDOW_S = 15 * 60


class AdminGate:
    """Checks admin codes: constant time, a growing delay after failures, and a lockout."""

    def __init__(self, sleep: Callable[[float], None] = time.sleep) -> None:
        self._failures: deque[float] = deque()
        self._lock = threading.Lock()
        self._sleep = sleep

    def _recent(self, now: float) -> int:
        while self._failures and now - self._failures[0] > LOCKOUT_WINDOW_S:
            self._failures.popleft()
        return len(self._failures)

    def locked(self, now: float | None = None) -> bool:
        """Whether attempts are refused now (too many recent failures)."""
        with self._lock:
            return self._recent(time.monotonic() if now is None else now) >= LOCKOUT_FAILURES

    def check(self, typed: str, configured: str | None) -> bool:
        """Whether `typed` is the admin code; False (after a delay) when it is not, when no
        code is configured, or while the gate is locked."""
        now = time.monotonic()
        with self._lock:
            recent = self._recent(now)
            if recent >= LOCKOUT_FAILURES:
                return False
        ok = bool(configured) and hmac.compare_digest(
            typed.strip().encode("utf-8"), (configured or "").encode("utf-8")
        )
        if ok:
            return True
        with self._lock:
            self._failures.append(now)
            delay = min(MAX_DELAY_S, 2.0 ** max(0, self._recent(now) - 1))
        self._sleep(delay)
        return False


GATE = AdminGate()


@dataclass(frozen=True)
class WorkspaceUsage:
    """One workspace as the admin sees it."""

    id: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    managed: bool
    has_owner: bool
    plans: int
    items: int
    changes: int
    scenarios: int


@dataclass(frozen=True)
class WorkshopUsage:
    """One workshop as the admin sees it."""

    id: str
    title: str
    created_at: datetime
    last_used_at: datetime | None
    teams: int
    blocks: int


def _counts(session: Session, column: Any, key: Any) -> dict[str, int]:
    rows = session.execute(select(key, func.count(column)).group_by(key))
    return {str(k): int(n) for k, n in rows}


def workspace_usage(store: Store) -> list[WorkspaceUsage]:
    """Every workspace with its size and last use, most recently used first."""
    with store.session() as session:
        plans = _counts(session, PlanRow.id, PlanRow.workspace_id)
        items = _counts(session, ItemRow.id, ItemRow.workspace_id)
        changes = _counts(session, ChangeRow.id, ChangeRow.workspace_id)
        scenarios = _counts(session, ScenarioRow.id, ScenarioRow.workspace_id)
        rows = session.scalars(select(WorkspaceRow)).all()
        out = [
            WorkspaceUsage(
                id=row.id,
                name=row.name,
                created_at=row.created_at,
                last_used_at=row.last_used_at,
                managed=bool(row.managed),
                has_owner=row.owner_hash is not None,
                plans=plans.get(row.id, 0),
                items=items.get(row.id, 0),
                changes=changes.get(row.id, 0),
                scenarios=scenarios.get(row.id, 0),
            )
            for row in rows
        ]
    return sorted(out, key=lambda w: w.last_used_at or w.created_at, reverse=True)


def workshop_usage(store: Store) -> list[WorkshopUsage]:
    """Every workshop with its teams and last use, most recently used first."""
    with store.session() as session:
        teams = _counts(session, WorkshopTeamRow.id, WorkshopTeamRow.workshop_id)
        blocks = _counts(session, WorkshopBlockRow.id, WorkshopBlockRow.workshop_id)
        rows = session.scalars(select(WorkshopRow)).all()
        out = [
            WorkshopUsage(
                id=row.id,
                title=row.title,
                created_at=row.created_at,
                last_used_at=row.last_used_at,
                teams=teams.get(row.id, 0),
                blocks=blocks.get(row.id, 0),
            )
            for row in rows
        ]
    return sorted(out, key=lambda w: w.last_used_at or w.created_at, reverse=True)


def delete_workshop(store: Store, workshop_id: str) -> None:
    """Delete a workshop with its agenda, its teams and the teams' workspaces and plans."""
    with store.session(write=True) as session:
        row = session.get(WorkshopRow, workshop_id)
        if row is None:
            raise NotFound("this workshop does not exist any more", zh="这个工作坊已经不存在了。")
        team_spaces = session.scalars(
            select(WorkshopTeamRow.workspace_id).where(WorkshopTeamRow.workshop_id == workshop_id)
        ).all()
        session.delete(row)
        session.flush()
        for space in session.scalars(select(WorkspaceRow).where(WorkspaceRow.id.in_(team_spaces))):
            session.delete(space)
