"""Who is editing: short-lived notes that someone has an item's form open.

When a person unfolds an item, their page writes a note (item, their browser session's random
token, their name, a time it runs out) and renews it while the form stays open; everyone else
on the plan reads the notes that have not run out and shows "Lin is editing" on the item.
Nothing here is versioned or kept: a note that is not renewed (the tab was closed, the server
went away) simply runs out after `PRESENCE_SECONDS`; folding the item removes it at once.

Notes live in the database (`item_presence`) so that people on different app servers see each
other. Each write is one upsert plus a delete of the plan's run-out notes; each read is one
indexed query. Names are cleaned like authors; the page escapes them where they land.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from qunce.db.base import utcnow
from qunce.db.errors import InvalidValue
from qunce.db.store import Store
from qunce.plans.models import PresenceRow
from qunce.plans.repository import _author, _item_row, _plan_row

PRESENCE = cast(Table, PresenceRow.__table__)
# How long a note lasts without being renewed; the page renews an open form's note well before
# (every few refreshes), so a closed tab shows as editing for at most this long.
PRESENCE_SECONDS = 20.0
MAX_SESSION = 64


@dataclass(frozen=True)
class Presence:
    """Someone has an item's form open (until `expires_at`)."""

    item_id: int
    person: str
    session: str
    expires_at: datetime


def _session_token(session: str) -> str:
    token = session.strip()
    if not token or len(token) > MAX_SESSION:
        raise InvalidValue(f"a presence session token has 1 to {MAX_SESSION} characters")
    return token


def touch_presence(
    store: Store,
    workspace_id: str,
    item_id: int,
    *,
    session: str,
    person: str,
    seconds: float = PRESENCE_SECONDS,
    now: datetime | None = None,
) -> Presence:
    """Note that `person` (browser session `session`) has the item's form open for `seconds`.

    One note per item and session (renewed in place); the session's notes on other items are
    removed (a page keeps one form open at a time), and so are the plan's run-out notes.
    NotFound for an item outside the workspace.
    """
    token = _session_token(session)
    name = _author(person)
    moment = now or utcnow()
    until = moment + timedelta(seconds=seconds)
    with store.session(write=True) as db:
        item = _item_row(db, workspace_id, item_id)
        insert = pg_insert if store.dialect == "postgresql" else sqlite_insert
        statement = insert(PRESENCE).values(
            workspace_id=workspace_id,
            plan_id=item.plan_id,
            item_id=item_id,
            session=token,
            person=name,
            expires_at=until,
        )
        db.execute(
            statement.on_conflict_do_update(
                index_elements=["item_id", "session"],
                set_={"person": name, "expires_at": until},
            )
        )
        db.execute(
            delete(PRESENCE).where(
                PRESENCE.c.workspace_id == workspace_id,
                PRESENCE.c.session == token,
                PRESENCE.c.item_id != item_id,
            )
        )
        db.execute(
            delete(PRESENCE).where(
                PRESENCE.c.plan_id == item.plan_id, PRESENCE.c.expires_at < moment
            )
        )
    return Presence(item_id=item_id, person=name, session=token, expires_at=until)


def clear_presence(
    store: Store, workspace_id: str, *, session: str, item_id: int | None = None
) -> None:
    """Remove the session's note on one item (or all its notes): the form was folded."""
    token = _session_token(session)
    query = delete(PRESENCE).where(
        PRESENCE.c.workspace_id == workspace_id, PRESENCE.c.session == token
    )
    if item_id is not None:
        query = query.where(PRESENCE.c.item_id == item_id)
    with store.session(write=True) as db:
        db.execute(query)


def editing(
    store: Store, workspace_id: str, plan_id: int, *, now: datetime | None = None
) -> list[Presence]:
    """Every note on the plan's items that has not run out, oldest first (one indexed query).

    NotFound for a plan outside the workspace.
    """
    moment = now or utcnow()
    with store.session() as db:
        rows = db.execute(
            select(
                PresenceRow.item_id,
                PresenceRow.person,
                PresenceRow.session,
                PresenceRow.expires_at,
            )
            .where(
                PresenceRow.plan_id == plan_id,
                PresenceRow.workspace_id == workspace_id,
                PresenceRow.expires_at >= moment,
            )
            .order_by(PresenceRow.expires_at, PresenceRow.id)
        ).all()
        if not rows:
            _plan_row(db, workspace_id, plan_id)  # NotFound when the plan is not ours
        return [Presence(r.item_id, r.person, r.session, r.expires_at) for r in rows]


def editors_by_item(notes: list[Presence], *, except_session: str = "") -> dict[int, list[str]]:
    """The names of the people editing each item, without this session, each name once."""
    out: dict[int, list[str]] = {}
    for note in notes:
        if note.session == except_session:
            continue
        names = out.setdefault(note.item_id, [])
        if note.person not in names:
            names.append(note.person)
    return out
