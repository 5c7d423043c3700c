"""Ask the room: the trainer opens a poll from any slide, each team answers once, all see results.

Three kinds: a single choice among 2-8 options, a scale from 1 to 5, or a short text (at most
200 characters). One poll is open per workshop at a time: opening another closes the one before.
Each team has one answer per poll, which it may change while the poll is open.

Capabilities, not ids, guard the changes: opening and closing need the facilitator code, answering
needs the team's join code (the poll must belong to that team's workshop and be open). Reading is
by workshop id, like `repository.get_stage`, for views that opened the workshop by a code first:
`live_poll` (the screen and the desk) and `team_poll` (a phone) are two or three small queries,
cheap enough for a page that refreshes every two seconds. `poll_figure` draws the results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qunce.db.base import utcnow
from qunce.db.errors import InvalidCode, InvalidValue, NotFound
from qunce.db.store import Store
from qunce.plans.models import WorkspaceRow
from qunce.plans.workspaces import clean_name, hash_code, parse_code
from qunce.workshop.models import PollAnswerRow, PollRow, WorkshopTeamRow
from qunce.workshop.repository import NO_TEAM, host_row

PollKind = Literal["choice", "scale", "text"]
KINDS: tuple[PollKind, ...] = ("choice", "scale", "text")
SCALE = (1, 2, 3, 4, 5)
MAX_QUESTION = 300
MAX_OPTION = 100
MIN_OPTIONS, MAX_OPTIONS = 2, 8
MAX_TEXT = 200


@dataclass(frozen=True)
class Poll:
    """A question put to the room."""

    id: int
    workshop_id: str
    kind: PollKind
    question: str
    options: tuple[str, ...]
    slide_key: str
    opened_at: datetime
    closed_at: datetime | None

    @property
    def is_open(self) -> bool:
        """Teams can still answer (or change their answer)."""
        return self.closed_at is None

    def labels(self) -> tuple[str, ...]:
        """What each count of the results stands for: the options, or "1" to "5"."""
        if self.kind == "choice":
            return self.options
        if self.kind == "scale":
            return tuple(str(v) for v in SCALE)
        return ()


@dataclass(frozen=True)
class Answer:
    """One team's answer: an option index or a 1-5 value (`choice`), or a text."""

    team_id: int
    team_name: str
    choice: int | None
    text: str
    author: str
    updated_at: datetime


@dataclass(frozen=True)
class PollResults:
    """A poll with its answers, counted."""

    poll: Poll
    teams: int
    answers: tuple[Answer, ...]

    @property
    def answered(self) -> int:
        """How many teams have answered."""
        return len(self.answers)

    @property
    def counts(self) -> tuple[int, ...]:
        """Answers per option (choice) or per value 1-5 (scale); empty for text polls."""
        if self.poll.kind == "choice":
            return tuple(
                sum(1 for a in self.answers if a.choice == i) for i in range(len(self.poll.options))
            )
        if self.poll.kind == "scale":
            return tuple(sum(1 for a in self.answers if a.choice == v) for v in SCALE)
        return ()

    @property
    def mean(self) -> float | None:
        """The average of a scale poll's answers (None for other kinds or no answers)."""
        values = [a.choice for a in self.answers if a.choice is not None]
        if self.poll.kind != "scale" or not values:
            return None
        return sum(values) / len(values)

    @property
    def texts(self) -> tuple[tuple[str, str], ...]:
        """(team name, text) of a text poll's answers, in team order."""
        return tuple((a.team_name, a.text) for a in self.answers if self.poll.kind == "text")

    @property
    def stamp(self) -> tuple[int, bool, int, datetime | None]:
        """Changes whenever what a results view shows changes (skip redrawing otherwise)."""
        latest = max((a.updated_at for a in self.answers), default=None)
        return (self.poll.id, self.poll.is_open, self.answered, latest)

    def answer_of(self, team_id: int) -> Answer | None:
        """The answer of one team, if it has answered."""
        return next((a for a in self.answers if a.team_id == team_id), None)


@dataclass(frozen=True)
class TeamPoll:
    """What a team's phone needs: the poll to answer (or None) and the team's current answer."""

    poll: Poll | None
    mine: Answer | None


# ---------------------------------------------------------------- validation (pure)


def _kind(value: str) -> PollKind:
    for kind in KINDS:
        if kind == value:
            return kind
    raise InvalidValue(f"the poll kind is {value!r}; use one of {', '.join(KINDS)}")


def _clean(text: str, what: str, what_zh: str, limit: int) -> str:
    """`clean_name` with the Chinese message naming the question or option."""
    try:
        return clean_name(text, what=what, limit=limit)
    except InvalidValue as exc:
        cleaned = "".join(ch for ch in text if ch.isprintable() or ch == " ").strip()
        zh = (
            f"{what_zh}是空的：请写几个字。"
            if not cleaned
            else f"{what_zh}有 {len(cleaned)} 个字符，最多 {limit} 个。"
        )
        raise InvalidValue(str(exc), zh=zh) from None


def check_poll(
    kind: str, question: str, options: Sequence[str]
) -> tuple[PollKind, str, tuple[str, ...]]:
    """The poll's kind, question and options cleaned, or InvalidValue naming what is wrong."""
    checked = _kind(kind)
    text = _clean(question, "question", "问题", MAX_QUESTION)
    cleaned = tuple(
        _clean(o, f"option {n}", f"选项 {n}", MAX_OPTION) for n, o in enumerate(options, 1)
    )
    if checked != "choice":
        if cleaned:
            raise InvalidValue(
                f"a {checked} poll has no options; leave them empty",
                zh="打分题和简答题没有选项：请把选项留空。",
            )
        return checked, text, ()
    if not MIN_OPTIONS <= len(cleaned) <= MAX_OPTIONS:
        raise InvalidValue(
            f"a single-choice poll needs {MIN_OPTIONS} to {MAX_OPTIONS} options; it has "
            f"{len(cleaned)}",
            zh=f"单选题要有 {MIN_OPTIONS} 到 {MAX_OPTIONS} 个选项（每行一个），现在有 {len(cleaned)} 个。",
        )
    if len({o.casefold() for o in cleaned}) != len(cleaned):
        raise InvalidValue(
            "two options of the poll are the same; make each one different",
            zh="有两个选项相同：请让每个选项都不一样。",
        )
    return checked, text, cleaned


def check_answer(poll: Poll, choice: int | None, text: str | None) -> tuple[int | None, str]:
    """The answer as stored (choice, text), or InvalidValue saying what this poll expects."""
    if poll.kind == "text":
        if text is None or choice is not None:
            raise InvalidValue("this poll asks for a short text, not a choice")
        cleaned = "".join(ch for ch in text if ch.isprintable() or ch in " \n").strip()
        if not cleaned:
            raise InvalidValue(
                "the answer is empty; type a few words", zh="回答是空的：请写几个字。"
            )
        if len(cleaned) > MAX_TEXT:
            raise InvalidValue(
                f"the answer has {len(cleaned)} characters; at most {MAX_TEXT} fit",
                zh=f"回答有 {len(cleaned)} 个字符，最多 {MAX_TEXT} 个。",
            )
        return None, cleaned
    if choice is None or text is not None or isinstance(choice, bool):
        raise InvalidValue("this poll asks for a choice, not a text")
    if poll.kind == "scale" and choice not in SCALE:
        raise InvalidValue(f"the answer is {choice}; pick a value from 1 to 5")
    if poll.kind == "choice" and not 0 <= choice < len(poll.options):
        raise InvalidValue(
            f"the answer is option {choice}; this poll has options 0 to {len(poll.options) - 1}"
        )
    return choice, ""


# ---------------------------------------------------------------- database


def _poll(row: PollRow) -> Poll:
    return Poll(
        id=row.id,
        workshop_id=row.workshop_id,
        kind=_kind(row.kind),
        question=row.question,
        options=tuple(o for o in row.options.split("\n") if o) if row.options else (),
        slide_key=row.slide_key,
        opened_at=row.opened_at,
        closed_at=row.closed_at,
    )


def _answers(session: Session, poll_id: int) -> tuple[Answer, ...]:
    rows = session.execute(
        select(PollAnswerRow, WorkspaceRow.name)
        .join(WorkshopTeamRow, WorkshopTeamRow.id == PollAnswerRow.team_id)
        .join(WorkspaceRow, WorkspaceRow.id == WorkshopTeamRow.workspace_id)
        .where(PollAnswerRow.poll_id == poll_id)
        .order_by(WorkshopTeamRow.position, WorkshopTeamRow.id)
    ).all()
    return tuple(
        Answer(a.team_id, name, a.choice, a.text, a.author, a.updated_at) for a, name in rows
    )


def _team_count(session: Session, workshop_id: str) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(WorkshopTeamRow)
            .where(WorkshopTeamRow.workshop_id == workshop_id)
        )
        or 0
    )


def _results(session: Session, row: PollRow) -> PollResults:
    return PollResults(
        poll=_poll(row),
        teams=_team_count(session, row.workshop_id),
        answers=_answers(session, row.id),
    )


def open_poll(
    store: Store,
    host_code: str,
    kind: str,
    question: str,
    options: Sequence[str] = (),
    *,
    slide_key: str = "",
) -> Poll:
    """Open a poll (from the slide `slide_key`); a poll still open in the workshop closes."""
    checked, text, cleaned = check_poll(kind, question, options)
    now = utcnow()
    with store.session(write=True) as session:
        workshop = host_row(session, host_code, lock=True)
        session.execute(
            update(PollRow)
            .where(PollRow.workshop_id == workshop.id, PollRow.closed_at.is_(None))
            .values(closed_at=now)
        )
        row = PollRow(
            workshop_id=workshop.id,
            kind=checked,
            question=text,
            options="\n".join(cleaned),
            slide_key=slide_key[:300],
            opened_at=now,
            closed_at=None,
        )
        session.add(row)
        session.flush()
        return _poll(row)


def _host_poll(session: Session, host_code: str, poll_id: int) -> PollRow:
    workshop = host_row(session, host_code)
    row = session.get(PollRow, poll_id)
    if row is None or row.workshop_id != workshop.id:
        raise NotFound(f"poll {poll_id} is not in this workshop")
    return row


def close_poll(store: Store, host_code: str, poll_id: int) -> PollResults:
    """Close a poll: teams can no longer answer; the results stay. Closing twice is harmless."""
    with store.session(write=True) as session:
        row = _host_poll(session, host_code, poll_id)
        if row.closed_at is None:
            row.closed_at = utcnow()
            session.flush()
        return _results(session, row)


def _team_of(session: Session, team_code: str) -> WorkshopTeamRow:
    try:
        digest = hash_code(parse_code(team_code))
    except InvalidCode:
        raise InvalidCode(NO_TEAM) from None
    team = session.scalars(
        select(WorkshopTeamRow)
        .join(WorkspaceRow, WorkspaceRow.id == WorkshopTeamRow.workspace_id)
        .where(WorkspaceRow.code_hash == digest)
    ).first()
    if team is None:
        raise InvalidCode(NO_TEAM)
    return team


def answer_poll(
    store: Store,
    team_code: str,
    poll_id: int,
    *,
    choice: int | None = None,
    text: str | None = None,
    author: str = "",
) -> Answer:
    """Save the team's answer (replacing its earlier one) while the poll is open."""
    who = clean_name(author, what="name") if author.strip() else ""
    now = utcnow()
    with store.session(write=True) as session:
        team = _team_of(session, team_code)
        row = session.get(PollRow, poll_id)
        if row is None or row.workshop_id != team.workshop_id:
            raise NotFound(
                "this poll is not part of your workshop (any more)",
                zh="这个投票不属于（或已不属于）你们的工作坊。",
            )
        if row.closed_at is not None:
            raise InvalidValue(
                "the trainer has closed this poll; answers can no longer change",
                zh="培训师已结束这个投票，回答不能再改。",
            )
        value, words = check_answer(_poll(row), choice, text)
        values = {"choice": value, "text": words, "author": who, "updated_at": now}
        changed = session.execute(
            update(PollAnswerRow)
            .where(PollAnswerRow.poll_id == poll_id, PollAnswerRow.team_id == team.id)
            .values(**values)
        )
        if not changed.rowcount:  # type: ignore[attr-defined]
            try:
                with session.begin_nested():
                    session.add(PollAnswerRow(poll_id=poll_id, team_id=team.id, **values))
            except IntegrityError:  # a teammate's first answer landed at the same moment
                session.execute(
                    update(PollAnswerRow)
                    .where(PollAnswerRow.poll_id == poll_id, PollAnswerRow.team_id == team.id)
                    .values(**values)
                )
        name = session.scalar(select(WorkspaceRow.name).where(WorkspaceRow.id == team.workspace_id))
    return Answer(team.id, name or "", value, words, who, now)


def live_poll(store: Store, workshop_id: str) -> PollResults | None:
    """The workshop's latest poll (open, or the last one closed) with its results; None if none.

    A results view shows a closed poll while the presenter is still on the slide it was opened
    from (`poll.slide_key`), and the open poll wherever the presenter is.
    """
    with store.session() as session:
        row = session.scalars(
            select(PollRow)
            .where(PollRow.workshop_id == workshop_id)
            .order_by(PollRow.opened_at.desc(), PollRow.id.desc())
            .limit(1)
        ).first()
        return _results(session, row) if row is not None else None


def team_poll(store: Store, workshop_id: str, team_id: int) -> TeamPoll:
    """The open poll of the team's workshop and the team's answer to it (two small queries)."""
    with store.session() as session:
        row = session.scalars(
            select(PollRow)
            .where(PollRow.workshop_id == workshop_id, PollRow.closed_at.is_(None))
            .order_by(PollRow.opened_at.desc(), PollRow.id.desc())
            .limit(1)
        ).first()
        if row is None:
            return TeamPoll(None, None)
        mine = session.execute(
            select(PollAnswerRow).where(
                PollAnswerRow.poll_id == row.id, PollAnswerRow.team_id == team_id
            )
        ).scalar_one_or_none()
        poll = _poll(row)
        if mine is None:
            return TeamPoll(poll, None)
        return TeamPoll(
            poll, Answer(mine.team_id, "", mine.choice, mine.text, mine.author, mine.updated_at)
        )


def list_polls(store: Store, host_code: str) -> list[PollResults]:
    """Every poll of the workshop with its results, oldest first (the desk, the report)."""
    with store.session() as session:
        workshop = host_row(session, host_code)
        rows = session.scalars(
            select(PollRow)
            .where(PollRow.workshop_id == workshop.id)
            .order_by(PollRow.opened_at, PollRow.id)
        ).all()
        return [_results(session, row) for row in rows]
