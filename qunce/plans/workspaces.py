"""Workspaces (teams) and their join codes.

A join code is `secrets.token_urlsafe(16)`: 128 random bits. Only its sha256 is stored. A fast,
unsalted hash is the right tool here, unlike for passwords: salts and slow hashes (bcrypt,
argon2) defend low-entropy secrets against guessing, but nobody can enumerate 2**128 codes, and
an unsalted digest can be looked up through a unique index in one query. Someone who reads the
database learns only digests, which cannot be turned back into working links.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from urllib.parse import parse_qs, urlencode, urlsplit

from sqlalchemy import select, update

from qunce.db.base import utcnow
from qunce.db.errors import InvalidCode, InvalidValue, NotFound
from qunce.db.store import Store
from qunce.plans.models import WorkspaceRow
from qunce.plans.records import Workspace

CODE_BYTES = 16
MAX_NAME = 200
# token_urlsafe's alphabet; anything else in a pasted code is a typo or part of a link.
_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def hash_code(code: str) -> str:
    """The sha256 hex digest under which a join code is stored."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def new_code() -> str:
    """A fresh, unguessable join code."""
    return secrets.token_urlsafe(CODE_BYTES)


def clean_name(name: str, *, what: str = "name", limit: int = MAX_NAME) -> str:
    """A name stripped of surrounding blanks and control characters, or InvalidValue."""
    cleaned = "".join(ch for ch in name if ch.isprintable() or ch == " ").strip()
    if not cleaned:
        raise InvalidValue(f"the {what} is empty; type a few words")
    if len(cleaned) > limit:
        raise InvalidValue(f"the {what} has {len(cleaned)} characters; at most {limit} fit")
    return cleaned


def parse_code(text: str) -> str:
    """The join code in `text`, which may be the bare code or a whole join link."""
    text = text.strip()
    if "join=" in text:
        values = parse_qs(urlsplit(text).query).get("join") or parse_qs(text.split("?")[-1]).get(
            "join"
        )
        text = values[0].strip() if values else ""
    if not _CODE_RE.match(text):
        raise InvalidCode("this is not a join code; paste the whole link or the code from it")
    return text


def join_link(code: str, *, lang: str | None = None) -> str:
    """The link that joins a workspace: `{base_url}/plans?join=CODE` (plus `lang` if given)."""
    from qunce.config import settings

    params = {"join": code}
    if lang:
        params = {"lang": lang, "join": code}
    return f"{settings().base_url}/plans?{urlencode(params)}"


def _record(row: WorkspaceRow) -> Workspace:
    return Workspace(id=row.id, name=row.name, created_at=row.created_at)


def create_workspace(store: Store, name: str) -> tuple[Workspace, str]:
    """Create a workspace; returns it and its join code (shown once, stored only hashed)."""
    code = new_code()
    row = WorkspaceRow(
        id=uuid.uuid4().hex,
        name=clean_name(name, what="workspace name"),
        code_hash=hash_code(code),
        created_at=utcnow(),
    )
    with store.session(write=True) as session:
        session.add(row)
    return _record(row), code


def workspace_by_code(store: Store, code: str) -> Workspace:
    """The workspace a join code (or join link) opens; InvalidCode if none."""
    digest = hash_code(parse_code(code))
    with store.session() as session:
        row = session.scalars(select(WorkspaceRow).where(WorkspaceRow.code_hash == digest)).first()
        if row is None:
            raise InvalidCode(
                "no workspace has this join code; check the link, or ask the team for a new one"
            )
        return _record(row)


def get_workspace(store: Store, workspace_id: str) -> Workspace:
    """A workspace by id; NotFound if it does not exist (any more)."""
    with store.session() as session:
        row = session.get(WorkspaceRow, workspace_id)
        if row is None:
            raise NotFound("this workspace does not exist any more")
        return _record(row)


def rename_workspace(store: Store, workspace_id: str, name: str) -> Workspace:
    """Give a workspace a new name."""
    cleaned = clean_name(name, what="workspace name")
    with store.session(write=True) as session:
        row = session.get(WorkspaceRow, workspace_id)
        if row is None:
            raise NotFound("this workspace does not exist any more")
        row.name = cleaned
        return _record(row)


def rotate_code(store: Store, workspace_id: str) -> str:
    """Replace a workspace's join code (the old link stops working); returns the new code."""
    code = new_code()
    with store.session(write=True) as session:
        result = session.execute(
            update(WorkspaceRow)
            .where(WorkspaceRow.id == workspace_id)
            .values(code_hash=hash_code(code))
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise NotFound("this workspace does not exist any more")
    return code


def delete_workspace(store: Store, workspace_id: str) -> None:
    """Delete a workspace with all its plans, items, history and scenarios."""
    with store.session(write=True) as session:
        row = session.get(WorkspaceRow, workspace_id)
        if row is None:
            raise NotFound("this workspace does not exist any more")
        session.delete(row)
