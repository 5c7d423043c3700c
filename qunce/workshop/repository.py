"""Workshops in the plans database: create one with its teams, open it by code, present, rotate.

Capabilities, not ids, guard the controls: every function that changes a workshop takes the
facilitator code and finds the workshop by its digest inside the same transaction. A team knows
only its own join code, which opens `join_team` (its checklist and the stage) and nothing else;
no function here accepts a team code or a workshop id as permission to change anything.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from qunce.config import settings
from qunce.content.catalogue import Catalogue
from qunce.db.base import utcnow
from qunce.db.errors import InvalidCode, InvalidValue, NotFound
from qunce.db.store import Store
from qunce.plans.models import WorkspaceRow
from qunce.plans.repository import create_plan
from qunce.plans.workspaces import clean_name, hash_code, parse_code
from qunce.workshop.agenda import Agenda, Block, check_agenda, playbook_ids
from qunce.workshop.codes import new_host_code, new_salt, screen_code, team_code
from qunce.workshop.deck import DISPLAY_LANGS, Deck, DisplayLang
from qunce.workshop.models import ShortCodeRow, WorkshopBlockRow, WorkshopRow, WorkshopTeamRow
from qunce.workshop.records import MAX_TEAMS, Rotated, Stage, Team, TeamAccess, Workshop

# workshops.last_used_at is written at most this often per workshop (one conditional UPDATE).
LAST_USE_EVERY = timedelta(hours=1)

NO_WORKSHOP = (
    "no workshop has this facilitator code; check it, or create a new workshop "
    "(a team's join code does not open the facilitator's controls)"
)
NO_TEAM = "no workshop team has this join code; check the link, or ask the trainer for the QR code"
NO_WORKSHOP_ZH = (
    "没有工作坊用这个主持码：请检查，或新建一个工作坊（小组的加入码打不开培训师的控制台）。"
)
NO_TEAM_ZH = "没有小组用这个加入码：请检查链接，或向培训师要二维码。"
NO_SCREEN = ("this is not a screen code of any workshop", "这不是任何工作坊的投屏码。")


def default_team_names(count: int, lang: str) -> list[str]:
    """ "第 1 组", "第 2 组", ... or "Team 1", "Team 2", ..."""
    if lang == "en":
        return [f"Team {n}" for n in range(1, count + 1)]
    return [f"第 {n} 组" for n in range(1, count + 1)]


def _display_lang(value: str) -> DisplayLang:
    for candidate in DISPLAY_LANGS:
        if candidate == value:
            return candidate
    raise InvalidValue(
        f"the display language is {value!r}; use one of zh, en, both",
        zh=f"显示语言 {value!r} 不对：只能是 zh、en 或 both。",
    )


def _team_names(names: Sequence[str], already: int) -> list[str]:
    cleaned = [clean_name(n, what="team name") for n in names]
    if not cleaned:
        raise InvalidValue("a workshop needs at least one team", zh="一个工作坊至少要有一个小组。")
    limit = min(MAX_TEAMS, settings().quotas.teams_per_workshop)
    if already + len(cleaned) > limit:
        has = f"it has {already} already, so " if already else ""
        raise InvalidValue(
            f"a workshop on this server has at most {limit} teams; {has}{len(cleaned)} more "
            f"do not fit. Use fewer teams, or raise QUNCE_MAX_TEAMS_PER_WORKSHOP (at most "
            f"{MAX_TEAMS})",
            zh=f"这台服务器上一个工作坊最多 {limit} 个小组，再加 {len(cleaned)} 个就超了："
            f"少分几组，或调高 QUNCE_MAX_TEAMS_PER_WORKSHOP（最多 {MAX_TEAMS}）。",
        )
    return cleaned


def _check_quotas(session: Session, new_workshops: int, new_teams: int) -> None:
    """Refuse what would take the server past its quotas (workshops; workspaces, teams count)."""
    quotas = settings().quotas
    if new_workshops:
        held = session.scalar(select(func.count()).select_from(WorkshopRow)) or 0
        if held + new_workshops > quotas.workshops:
            raise InvalidValue(
                f"this server already holds {held} workshops, its limit "
                f"(QUNCE_MAX_WORKSHOPS={quotas.workshops}); delete a workshop that is over, or "
                "ask the administrator to raise the limit",
                zh=f"这台服务器已有 {held} 个工作坊，达到上限（QUNCE_MAX_WORKSHOPS={quotas.workshops}）："
                "请删除已结束的工作坊，或请管理员调高上限。",
            )
    held = session.scalar(select(func.count()).select_from(WorkspaceRow)) or 0
    if held + new_teams > quotas.workspaces:
        raise InvalidValue(
            f"this server holds {held} workspaces and accepts {quotas.workspaces} in all "
            f"(QUNCE_MAX_WORKSPACES; each team is one); {new_teams} more teams do not fit. Delete "
            "old workshops or workspaces, or ask the administrator to raise the limit",
            zh=f"这台服务器已有 {held} 个工作区，最多 {quotas.workspaces} 个（每个小组算一个），"
            f"放不下 {new_teams} 个新小组：请清理旧的工作坊或工作区，或请管理员调高上限。",
        )


def host_row(session: Session, host_code: str, *, lock: bool = False) -> WorkshopRow:
    """The workshop row a facilitator code opens, inside `session`; InvalidCode otherwise."""
    try:
        code = parse_code(host_code)
    except InvalidCode:
        raise InvalidCode(NO_WORKSHOP, zh=NO_WORKSHOP_ZH) from None
    query = select(WorkshopRow).where(WorkshopRow.host_hash == hash_code(code))
    if lock:
        query = query.with_for_update()
    row = session.scalars(query).first()
    if row is None:
        raise InvalidCode(NO_WORKSHOP, zh=NO_WORKSHOP_ZH)
    return row


def _agenda(session: Session, row: WorkshopRow) -> Agenda:
    blocks = session.scalars(
        select(WorkshopBlockRow)
        .where(WorkshopBlockRow.workshop_id == row.id)
        .order_by(WorkshopBlockRow.position, WorkshopBlockRow.id)
    ).all()
    return Agenda(
        title=row.title,
        blocks=tuple(Block(item=b.item_id, minutes=b.minutes, note=b.note) for b in blocks),
    )


def _stage(session: Session, row: WorkshopRow) -> Stage:
    return Stage(
        workshop_id=row.id,
        title=row.title,
        agenda=_agenda(session, row),
        display_lang=_display_lang(row.display_lang),
        slide=row.slide,
        block_started_at=row.block_started_at,
    )


def _team(row: WorkshopTeamRow, name: str) -> Team:
    return Team(
        id=row.id,
        workshop_id=row.workshop_id,
        workspace_id=row.workspace_id,
        name=name,
        plan_id=row.plan_id,
        position=row.position,
        salt=row.salt,
    )


def _teams(session: Session, workshop_id: str) -> tuple[Team, ...]:
    rows = session.execute(
        select(WorkshopTeamRow, WorkspaceRow.name)
        .join(WorkspaceRow, WorkspaceRow.id == WorkshopTeamRow.workspace_id)
        .where(WorkshopTeamRow.workshop_id == workshop_id)
        .order_by(WorkshopTeamRow.position, WorkshopTeamRow.id)
    ).all()
    return tuple(_team(team, name) for team, name in rows)


def _load(session: Session, row: WorkshopRow) -> Workshop:
    return Workshop(
        id=row.id,
        stage=_stage(session, row),
        start_date=row.start_date,
        created_at=row.created_at,
        updated_at=row.updated_at,
        teams=_teams(session, row.id),
        screen_salt=row.screen_salt,
        last_used_at=row.last_used_at,
    )


def _touch(store: Store, workshop_id: str, last_used_at: datetime | None) -> None:
    """Note that the workshop was opened, at most once per LAST_USE_EVERY (one UPDATE)."""
    now = utcnow()
    if last_used_at is not None and now - last_used_at < LAST_USE_EVERY:
        return
    with store.session(write=True) as session:
        session.execute(
            update(WorkshopRow)
            .where(
                WorkshopRow.id == workshop_id,
                or_(
                    WorkshopRow.last_used_at.is_(None),
                    WorkshopRow.last_used_at < now - LAST_USE_EVERY,
                ),
            )
            .values(last_used_at=now)
        )


def _insert_teams(
    session: Session, workshop: WorkshopRow, host_code: str, names: Sequence[str], first: int
) -> list[WorkshopTeamRow]:
    rows = []
    for offset, name in enumerate(names):
        salt = new_salt()
        workspace = WorkspaceRow(
            id=uuid.uuid4().hex,
            name=name,
            code_hash=hash_code(team_code(host_code, salt)),
            created_at=utcnow(),
            managed=True,
        )
        session.add(workspace)
        session.flush()
        team = WorkshopTeamRow(
            workshop_id=workshop.id,
            workspace_id=workspace.id,
            plan_id=None,
            position=first + offset,
            salt=salt,
        )
        session.add(team)
        rows.append(team)
    session.flush()
    return rows


def _build_plans(
    store: Store,
    workshop_id: str,
    team_ids: Sequence[int],
    agenda: Agenda,
    catalogue: Catalogue,
    start_date: date,
    author: str,
) -> None:
    """Give each new team its plan; the plans API opens its own transaction per plan."""
    books = playbook_ids(agenda, catalogue.items)
    with store.session() as session:
        teams = session.scalars(
            select(WorkshopTeamRow).where(WorkshopTeamRow.id.in_(team_ids))
        ).all()
        pairs = [(t.id, t.workspace_id) for t in teams]
    built = {}
    for team_id, workspace_id in pairs:
        plan = create_plan(
            store,
            workspace_id,
            agenda.title,
            books,
            catalogue,
            start_date=start_date,
            author=author,
        )
        built[team_id] = plan.id
    with store.session(write=True) as session:
        for team in session.scalars(
            select(WorkshopTeamRow).where(
                WorkshopTeamRow.id.in_(team_ids), WorkshopTeamRow.workshop_id == workshop_id
            )
        ):
            team.plan_id = built[team.id]


def _discard_teams(store: Store, team_ids: Sequence[int]) -> None:
    with store.session(write=True) as session:
        ids = session.scalars(
            select(WorkshopTeamRow.workspace_id).where(WorkshopTeamRow.id.in_(team_ids))
        ).all()
        for workspace in session.scalars(select(WorkspaceRow).where(WorkspaceRow.id.in_(ids))):
            session.delete(workspace)


def create_workshop(
    store: Store,
    agenda: Agenda,
    catalogue: Catalogue,
    team_names: Sequence[str],
    *,
    start_date: date,
    display_lang: str = "zh",
    author: str = "",
) -> tuple[Workshop, str]:
    """Save a workshop with its teams, each with a plan built from the agenda's playbooks.

    Returns the workshop and its facilitator code (shown once; only its digest is stored).
    """
    check_agenda(agenda, catalogue.items)
    names = _team_names(team_names, 0)
    lang = _display_lang(display_lang)
    host = new_host_code()
    workshop_id = uuid.uuid4().hex
    now = utcnow()
    with store.session(write=True) as session:
        _check_quotas(session, 1, len(names))
        row = WorkshopRow(
            id=workshop_id,
            title=agenda.title,
            host_hash=hash_code(host),
            screen_hash=hash_code(screen_code(host, workshop_id)),
            display_lang=lang,
            slide=0,
            block_started_at=None,
            start_date=start_date,
            created_at=now,
            updated_at=now,
            last_used_at=now,
            screen_salt="",
        )
        session.add(row)
        session.flush()
        for position, block in enumerate(agenda.blocks):
            session.add(
                WorkshopBlockRow(
                    workshop_id=workshop_id,
                    position=position,
                    item_id=block.item,
                    minutes=block.minutes,
                    note=block.note,
                )
            )
        team_ids = [t.id for t in _insert_teams(session, row, host, names, 0)]
    try:
        _build_plans(store, workshop_id, team_ids, agenda, catalogue, start_date, author)
    except BaseException:
        # Never leave a half-built workshop behind: its teams would have no checklist.
        _discard_teams(store, team_ids)
        with store.session(write=True) as session:
            found = session.get(WorkshopRow, workshop_id)
            if found is not None:
                session.delete(found)
        raise
    return open_workshop(store, host), host


def open_workshop(store: Store, host_code: str) -> Workshop:
    """The workshop a facilitator code opens; InvalidCode for any other code."""
    with store.session() as session:
        workshop = _load(session, host_row(session, host_code))
    _touch(store, workshop.id, workshop.last_used_at)
    return workshop


def get_stage(store: Store, workshop_id: str) -> Stage:
    """What a workshop presents right now (for the audience screen and the teams' phones)."""
    with store.session() as session:
        row = session.get(WorkshopRow, workshop_id)
        if row is None:
            raise NotFound("this workshop does not exist any more", zh="这个工作坊已经不存在了。")
        return _stage(session, row)


def open_screen(store: Store, code: str) -> Stage:
    """The stage an audience-screen code opens (read only)."""
    try:
        digest = hash_code(parse_code(code))
    except InvalidCode:
        raise InvalidCode(NO_SCREEN[0], zh=NO_SCREEN[1]) from None
    with store.session() as session:
        row = session.scalars(select(WorkshopRow).where(WorkshopRow.screen_hash == digest)).first()
        if row is None:
            raise InvalidCode(NO_SCREEN[0], zh=NO_SCREEN[1])
        stage, last_used = _stage(session, row), row.last_used_at
    _touch(store, stage.workshop_id, last_used)
    return stage


def join_team(store: Store, code: str) -> TeamAccess:
    """The team a join code (or join link) opens, and its workshop's stage."""
    try:
        digest = hash_code(parse_code(code))
    except InvalidCode:
        raise InvalidCode(NO_TEAM, zh=NO_TEAM_ZH) from None
    with store.session() as session:
        found = session.execute(
            select(WorkshopTeamRow, WorkspaceRow.name)
            .join(WorkspaceRow, WorkspaceRow.id == WorkshopTeamRow.workspace_id)
            .where(WorkspaceRow.code_hash == digest)
        ).first()
        if found is None:
            raise InvalidCode(NO_TEAM, zh=NO_TEAM_ZH)
        team_row, name = found
        workshop = session.get(WorkshopRow, team_row.workshop_id)
        if workshop is None:
            raise InvalidCode(NO_TEAM, zh=NO_TEAM_ZH)
        access = TeamAccess(team=_team(team_row, name), stage=_stage(session, workshop))
        last_used = workshop.last_used_at
    _touch(store, access.stage.workshop_id, last_used)
    return access


def add_teams(
    store: Store,
    host_code: str,
    team_names: Sequence[str],
    catalogue: Catalogue,
    *,
    author: str = "",
) -> Workshop:
    """Add teams to a workshop; each gets a plan like the others'."""
    with store.session(write=True) as session:
        row = host_row(session, host_code)
        agenda = _agenda(session, row)
        teams = _teams(session, row.id)
        names = _team_names(team_names, len(teams))
        _check_quotas(session, 0, len(names))
        first = max((t.position for t in teams), default=-1) + 1
        team_ids = [t.id for t in _insert_teams(session, row, host_code, names, first)]
        workshop_id, start = row.id, row.start_date
    try:
        _build_plans(store, workshop_id, team_ids, agenda, catalogue, start, author)
    except BaseException:
        _discard_teams(store, team_ids)
        raise
    return open_workshop(store, host_code)


def team_join_code(host_code: str, team: Team) -> str:
    """The join code of `team` (the facilitator can print it again at any time)."""
    return team_code(host_code, team.salt)


def screen_join_code(host_code: str, workshop: Workshop) -> str:
    """The audience screen's code of `workshop`."""
    return screen_code(host_code, workshop.id, workshop.screen_salt)


def rotate_team_code(store: Store, host_code: str, team_id: int) -> Workshop:
    """Give a team a new join code: its old link and QR code stop working at once."""
    with store.session(write=True) as session:
        row = host_row(session, host_code)
        team = session.scalars(
            select(WorkshopTeamRow).where(
                WorkshopTeamRow.id == team_id, WorkshopTeamRow.workshop_id == row.id
            )
        ).first()
        workspace = session.get(WorkspaceRow, team.workspace_id) if team else None
        if team is None or workspace is None:
            raise NotFound(f"team {team_id} is not in this workshop")
        team.salt = new_salt()
        workspace.code_hash = hash_code(team_code(host_code, team.salt))
        # The short code opened the old long code; it ends with it.
        session.execute(delete(ShortCodeRow).where(ShortCodeRow.team_id == team.id))
        session.flush()
        return _load(session, row)


def rotate_host_code(store: Store, host_code: str) -> Rotated:
    """Replace a leaked facilitator code; returns the new facilitator, screen and team codes.

    Every other code is derived from the facilitator code, so this re-keys the whole workshop:
    the old facilitator link, the audience screen's link, every team's join link and printed QR
    code, and every short code stop working at once (sessions that joined with an old code are
    refused at their next check). Print the QR sheet again, reopen the screen link and issue new
    short codes. The teams keep their names, checklists and answers; only their keys change.
    """
    new_host = new_host_code()
    with store.session(write=True) as session:
        row = host_row(session, host_code, lock=True)
        row.host_hash = hash_code(new_host)
        row.screen_hash = hash_code(screen_code(new_host, row.id, row.screen_salt))
        teams = session.execute(
            select(WorkshopTeamRow, WorkspaceRow)
            .join(WorkspaceRow, WorkspaceRow.id == WorkshopTeamRow.workspace_id)
            .where(WorkshopTeamRow.workshop_id == row.id)
        ).all()
        codes = {}
        for team, workspace in teams:
            codes[team.id] = team_code(new_host, team.salt)
            workspace.code_hash = hash_code(codes[team.id])
        session.execute(delete(ShortCodeRow).where(ShortCodeRow.workshop_id == row.id))
        row.updated_at = utcnow()
        session.flush()
        workshop = _load(session, row)
    return Rotated(
        workshop=workshop,
        host_code=new_host,
        screen_code=screen_join_code(new_host, workshop),
        team_codes=codes,
    )


def rotate_screen_code(store: Store, host_code: str) -> str:
    """Give the audience screen a new code (a new screen salt); returns it.

    The old screen link stops working at once; the facilitator and team codes stay as they are.
    """
    with store.session(write=True) as session:
        row = host_row(session, host_code, lock=True)
        row.screen_salt = new_salt()
        code = screen_code(host_code, row.id, row.screen_salt)
        row.screen_hash = hash_code(code)
        row.updated_at = utcnow()
    return code


def rename_team(store: Store, host_code: str, team_id: int, name: str) -> Workshop:
    """Rename a team (its workspace), e.g. to the name the team chose for itself."""
    cleaned = clean_name(name, what="team name")
    with store.session(write=True) as session:
        row = host_row(session, host_code)
        team = session.scalars(
            select(WorkshopTeamRow).where(
                WorkshopTeamRow.id == team_id, WorkshopTeamRow.workshop_id == row.id
            )
        ).first()
        workspace = session.get(WorkspaceRow, team.workspace_id) if team else None
        if workspace is None:
            raise NotFound(f"team {team_id} is not in this workshop")
        workspace.name = cleaned
        session.flush()
        return _load(session, row)


def go_to(store: Store, host_code: str, slide: int, deck: Deck) -> Workshop:
    """Show slide `slide` of `deck`; entering another agenda block restarts the block timer."""
    target = deck.clamp(slide)
    with store.session(write=True) as session:
        row = host_row(session, host_code, lock=True)
        before = deck.slides[deck.clamp(row.slide)].block if deck.slides else None
        after = deck.slides[target].block if deck.slides else None
        if after != before or row.block_started_at is None:
            row.block_started_at = utcnow() if after is not None else None
        row.slide = target
        row.updated_at = utcnow()
        session.flush()
        return _load(session, row)


def restart_timer(store: Store, host_code: str) -> Workshop:
    """Start the current block's timer again from its full length."""
    with store.session(write=True) as session:
        row = host_row(session, host_code)
        row.block_started_at = utcnow()
        session.flush()
        return _load(session, row)


def set_display_lang(store: Store, host_code: str, lang: str) -> Workshop:
    """Switch the presented language ("zh", "en" or "both"); the audience screen follows."""
    value = _display_lang(lang)
    with store.session(write=True) as session:
        row = host_row(session, host_code)
        row.display_lang = value
        session.flush()
        return _load(session, row)


def update_agenda(store: Store, host_code: str, agenda: Agenda, catalogue: Catalogue) -> Workshop:
    """Change titles, order, minutes, notes and cases of a saved agenda.

    The playbooks stay as they were: the teams' checklists were built from them, and changing
    the set would leave the board comparing different lists.
    """
    check_agenda(agenda, catalogue.items)
    with store.session(write=True) as session:
        row = host_row(session, host_code)
        old = _agenda(session, row)
        if set(playbook_ids(old, catalogue.items)) != set(playbook_ids(agenda, catalogue.items)):
            raise InvalidValue(
                "the playbooks of a saved workshop cannot change, because the teams' checklists "
                "were built from them; reorder them, change minutes and notes, add or remove "
                "cases, or create a new workshop"
            )
        for old_row in session.scalars(
            select(WorkshopBlockRow).where(WorkshopBlockRow.workshop_id == row.id)
        ):
            session.delete(old_row)
        for position, block in enumerate(agenda.blocks):
            session.add(
                WorkshopBlockRow(
                    workshop_id=row.id,
                    position=position,
                    item_id=block.item,
                    minutes=block.minutes,
                    note=block.note,
                )
            )
        row.title = agenda.title
        row.updated_at = utcnow()
        session.flush()
        return _load(session, row)


def delete_workshop(store: Store, host_code: str, *, with_teams: bool = True) -> None:
    """Delete a workshop; with `with_teams` also its teams' workspaces, plans and history."""
    with store.session(write=True) as session:
        row = host_row(session, host_code)
        if with_teams:
            ids = session.scalars(
                select(WorkshopTeamRow.workspace_id).where(WorkshopTeamRow.workshop_id == row.id)
            ).all()
            for workspace in session.scalars(select(WorkspaceRow).where(WorkspaceRow.id.in_(ids))):
                session.delete(workspace)
        session.delete(row)
