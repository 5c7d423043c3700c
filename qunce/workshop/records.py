"""Plain, immutable records the workshop repository returns (never live ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from qunce.workshop.agenda import Agenda
from qunce.workshop.deck import DisplayLang

MAX_TEAMS = 40


@dataclass(frozen=True)
class Team:
    """A team of a workshop: a plan workspace, and the plan built for it from the agenda."""

    id: int
    workshop_id: str
    workspace_id: str
    name: str
    plan_id: int | None
    position: int
    salt: str


@dataclass(frozen=True)
class Stage:
    """What is being presented: everything the audience screen and the teams may see."""

    workshop_id: str
    title: str
    agenda: Agenda
    display_lang: DisplayLang
    slide: int
    block_started_at: datetime | None

    def elapsed(self, now: datetime) -> timedelta:
        """Time since the current block started (zero before the first block)."""
        if self.block_started_at is None:
            return timedelta(0)
        return max(timedelta(0), now - self.block_started_at)


@dataclass(frozen=True)
class Workshop:
    """A workshop as its facilitator sees it: the stage, the teams and the dates."""

    id: str
    stage: Stage
    start_date: date
    created_at: datetime
    updated_at: datetime
    teams: tuple[Team, ...]
    screen_salt: str = ""
    last_used_at: datetime | None = None

    @property
    def title(self) -> str:
        """The title the trainer gave it."""
        return self.stage.title

    @property
    def agenda(self) -> Agenda:
        """The agenda as saved."""
        return self.stage.agenda

    def team(self, team_id: int) -> Team | None:
        """A team of this workshop by id."""
        return next((t for t in self.teams if t.id == team_id), None)


@dataclass(frozen=True)
class TeamAccess:
    """What a join code opens: one team, and the stage of its workshop (no controls)."""

    team: Team
    stage: Stage


def time_left(elapsed: timedelta, minutes: int) -> timedelta:
    """Time left in a block of `minutes` after `elapsed` (negative once it runs over)."""
    return timedelta(minutes=minutes) - elapsed


def clock(delta: timedelta) -> str:
    """A timer reading: "12:05", or "-01:30" when over time."""
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    return f"{sign}{seconds // 60:02d}:{seconds % 60:02d}"


@dataclass(frozen=True)
class Rotated:
    """The codes after the facilitator code was rotated: every one of them is new."""

    workshop: Workshop
    host_code: str
    screen_code: str
    team_codes: dict[int, str]
