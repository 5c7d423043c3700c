"""The live board: every team's progress per playbook, and the closing summary of the room.

One query reads the status of every item of every team's plan; the rest is pure counting, so the
board refreshes every few seconds without loading whole plans.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from qunce.content.schema import Case, Playbook
from qunce.db.store import Store
from qunce.plans.models import ItemRow
from qunce.plans.records import Progress
from qunce.workshop.agenda import Agenda, playbook_ids
from qunce.workshop.deck import Bi
from qunce.workshop.records import Team, Workshop


@dataclass(frozen=True)
class Row:
    """One item's state as the board needs it."""

    workspace_id: str
    playbook_id: str | None
    step_id: str | None
    title: Bi
    status: str
    updated_at: datetime


@dataclass(frozen=True)
class TeamProgress:
    """A team's progress, per playbook (custom items under None) and in total."""

    team: Team
    by_playbook: dict[str | None, Progress]
    total: Progress
    last_change: datetime | None


@dataclass(frozen=True)
class StepTally:
    """How the teams stand on one playbook step."""

    playbook_id: str
    step_id: str
    title: Bi
    teams: int
    done: int = 0
    doing: int = 0
    todo: int = 0
    skipped: int = 0

    @property
    def open(self) -> int:
        """Teams for which the step is still to do or in progress."""
        return self.todo + self.doing

    @property
    def not_done(self) -> int:
        """Teams that skipped the step or left it open."""
        return self.open + self.skipped


@dataclass(frozen=True)
class Board:
    """The room at a glance: playbooks (in agenda order), teams, and per-step tallies."""

    playbooks: tuple[tuple[str, Bi], ...]
    teams: tuple[TeamProgress, ...]
    steps: tuple[StepTally, ...] = field(default=())

    def closing_summary(self, share: float = 0.5) -> list[StepTally]:
        """Steps that more than `share` of the teams skipped or left open, worst first."""
        count = len(self.teams)
        if count == 0:
            return []
        hits = [s for s in self.steps if s.not_done > share * count]
        order = {pid: n for n, (pid, _t) in enumerate(self.playbooks)}
        return sorted(hits, key=lambda s: (-s.not_done, -s.skipped, order.get(s.playbook_id, 99)))


def tally(teams: Sequence[Team], playbooks: Sequence[tuple[str, Bi]], rows: Iterable[Row]) -> Board:
    """Count `rows` (items of the teams' plans) into a board; pure, for tests and the page."""
    by_team: dict[str, dict[str | None, dict[str, int]]] = {t.workspace_id: {} for t in teams}
    latest: dict[str, datetime] = {}
    steps: dict[tuple[str, str], dict[str, int]] = {}
    titles: dict[tuple[str, str], Bi] = {}
    step_order: list[tuple[str, str]] = []
    for row in rows:
        if row.workspace_id not in by_team:
            continue
        counts = by_team[row.workspace_id].setdefault(row.playbook_id, {})
        counts[row.status] = counts.get(row.status, 0) + 1
        previous = latest.get(row.workspace_id)
        latest[row.workspace_id] = (
            row.updated_at if previous is None else max(previous, row.updated_at)
        )
        if row.playbook_id is not None and row.step_id is not None:
            key = (row.playbook_id, row.step_id)
            if key not in steps:
                steps[key] = {}
                titles[key] = row.title
                step_order.append(key)
            steps[key][row.status] = steps[key].get(row.status, 0) + 1
    progress = []
    for team in teams:
        groups = by_team[team.workspace_id]
        per = {key: _progress(counts) for key, counts in groups.items()}
        total = _progress(
            {
                s: sum(c.get(s, 0) for c in groups.values())
                for s in ("todo", "doing", "done", "skipped")
            }
        )
        progress.append(
            TeamProgress(
                team=team, by_playbook=per, total=total, last_change=latest.get(team.workspace_id)
            )
        )
    rank = {pid: n for n, (pid, _t) in enumerate(playbooks)}
    step_order.sort(key=lambda k: rank.get(k[0], len(rank)))
    tallies = tuple(
        StepTally(
            playbook_id=key[0],
            step_id=key[1],
            title=titles[key],
            teams=len(teams),
            **{s: steps[key].get(s, 0) for s in ("done", "doing", "todo", "skipped")},
        )
        for key in step_order
    )
    return Board(playbooks=tuple(playbooks), teams=tuple(progress), steps=tallies)


def _progress(counts: dict[str, int]) -> Progress:
    return Progress(**{s: counts.get(s, 0) for s in ("todo", "doing", "done", "skipped")})


def board_rows(store: Store, workshop: Workshop) -> list[Row]:
    """Every item of every team's plan as the board needs it: one query, in plan order."""
    plan_ids = [t.plan_id for t in workshop.teams if t.plan_id is not None]
    workspace_ids = [t.workspace_id for t in workshop.teams]
    if not plan_ids:
        return []
    with store.session() as session:
        found = session.execute(
            select(
                ItemRow.workspace_id,
                ItemRow.playbook_id,
                ItemRow.step_id,
                ItemRow.title_zh,
                ItemRow.title_en,
                ItemRow.status,
                ItemRow.updated_at,
            )
            .where(ItemRow.plan_id.in_(plan_ids), ItemRow.workspace_id.in_(workspace_ids))
            .order_by(ItemRow.workspace_id, ItemRow.position, ItemRow.id)
        ).all()
    return [
        Row(
            workspace_id=ws,
            playbook_id=pid,
            step_id=sid,
            title=Bi(zh, en),
            status=status,
            updated_at=at,
        )
        for ws, pid, sid, zh, en, status, at in found
    ]


def board_stamp(store: Store, workshop: Workshop) -> tuple[int, int, datetime | None]:
    """A fingerprint of the board in one aggregate query: (items, items done, last change).

    Far cheaper than `read_board` (no rows leave the database): a view can ask every second
    and redraw the board only when the stamp changes, so a tick shows within about a second.
    """
    plan_ids = [t.plan_id for t in workshop.teams if t.plan_id is not None]
    if not plan_ids:
        return (0, 0, None)
    with store.session() as session:
        items, done, last = session.execute(
            select(
                func.count(ItemRow.id),
                func.count(ItemRow.id).filter(ItemRow.status == "done"),
                func.max(ItemRow.updated_at),
            ).where(ItemRow.plan_id.in_(plan_ids))
        ).one()
    return (int(items), int(done), last)


def read_board(store: Store, workshop: Workshop, playbooks: Sequence[tuple[str, Bi]]) -> Board:
    """The board of `workshop`: the items of its teams' plans, counted."""
    return tally(workshop.teams, playbooks, board_rows(store, workshop))


def playbook_titles(agenda: Agenda, items: Mapping[str, Playbook | Case]) -> list[tuple[str, Bi]]:
    """The agenda's playbooks (the board's columns) with their titles, in agenda order."""
    return [(pid, Bi.of(items[pid].title)) for pid in playbook_ids(agenda, items)]
