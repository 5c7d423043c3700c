"""Workspaces (teams), their join and owner codes, and the access a code gives.

Two codes open a workspace: the join code (members read and write plans) and the owner code
(an owner also replaces the join code, replaces the owner code, deletes plans). A browser keeps
the codes it holds; a session keeps an `Access` — the workspace, the role and the digest of the
code it came in with — and `check_access` compares that digest with the current one on every
page run and callback, so replacing a code ends every session that used the old one at once.
A workshop team's workspace is `managed`: its code belongs to the facilitator's desk.

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
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal
from urllib.parse import parse_qs, urlencode, urlsplit

from sqlalchemy import func, or_, select, update

from qunce.db.base import utcnow
from qunce.db.errors import AccessRevoked, InvalidCode, InvalidValue, NotAllowed, NotFound
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


Role = Literal["member", "owner"]
# How often a workspace's last use is written: often enough for an admin, rarely enough that
# page runs do not turn into writes.
TOUCH_EVERY = timedelta(hours=1)
_WHAT_ZH = {
    "name": "名称",
    "workspace name": "工作区名称",
    "plan name": "计划名称",
    "team name": "队名",
    "workshop title": "工作坊标题",
    "title": "标题",
}


@dataclass(frozen=True)
class Access:
    """What a session holds: a workspace, its role there, and the digest of the code it used."""

    workspace_id: str
    role: Role
    digest: str

    @property
    def is_owner(self) -> bool:
        """Whether this access may rotate codes and delete plans."""
        return self.role == "owner"


def clean_name(name: str, *, what: str = "name", limit: int = MAX_NAME) -> str:
    """A name stripped of surrounding blanks and control characters, or InvalidValue."""
    cleaned = "".join(ch for ch in name if ch.isprintable() or ch == " ").strip()
    what_zh = _WHAT_ZH.get(what, what)
    if not cleaned:
        raise InvalidValue(
            f"the {what} is empty; type a few words", zh=f"{what_zh}是空的：请写几个字。"
        )
    if len(cleaned) > limit:
        raise InvalidValue(
            f"the {what} has {len(cleaned)} characters; at most {limit} fit",
            zh=f"{what_zh}有 {len(cleaned)} 个字符，最多 {limit} 个。",
        )
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
        raise InvalidCode(
            "this is not a join code; paste the whole link or the code from it",
            zh="这不是加入码：请粘贴完整的链接，或链接里的加入码。",
        )
    return text


def join_link(code: str, *, lang: str | None = None) -> str:
    """The link that joins a workspace: `{base_url}/plans?join=CODE` (plus `lang` if given)."""
    from qunce.config import settings

    params = {"join": code}
    if lang:
        params = {"lang": lang, "join": code}
    return f"{settings().base_url}/plans?{urlencode(params)}"


def _record(row: WorkspaceRow) -> Workspace:
    return Workspace(
        id=row.id,
        name=row.name,
        created_at=row.created_at,
        managed=bool(row.managed),
        has_owner=row.owner_hash is not None,
        last_used_at=row.last_used_at,
    )


NO_SUCH_CODE = (
    "no workspace has this join code; check the link, or ask the team for a new one",
    "没有工作区用这个加入码：请检查链接，或向团队要新的链接。",
)


def _gone() -> NotFound:
    return NotFound("this workspace does not exist any more", zh="这个工作区已经不存在了。")


def _new_code(store: Store, workspace_id: str, column: str) -> str:
    """Replace one of a workspace's codes (`code_hash` or `owner_hash`); returns the new code."""
    code = new_code()
    with store.session(write=True) as session:
        result = session.execute(
            update(WorkspaceRow)
            .where(WorkspaceRow.id == workspace_id)
            .values({column: hash_code(code)})
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise _gone()
    return code


def create_workspace(store: Store, name: str) -> tuple[Workspace, str]:
    """Create a workspace; returns it and its join code (shown once, stored only hashed).

    Refused with InvalidValue when the server already holds its quota of workspaces. Give it
    an owner with `issue_owner_code`.
    """
    from qunce.config import settings

    limit = settings().quotas.workspaces
    code = new_code()
    row = WorkspaceRow(
        id=uuid.uuid4().hex,
        name=clean_name(name, what="workspace name"),
        code_hash=hash_code(code),
        created_at=utcnow(),
        managed=False,
    )
    with store.session(write=True) as session:
        count = session.scalar(select(func.count()).select_from(WorkspaceRow)) or 0
        if count >= limit:
            raise InvalidValue(
                f"this server already holds its limit of {limit} workspaces; ask the admin "
                "to delete unused ones or raise QUNCE_MAX_WORKSPACES",
                zh=f"这台服务器的工作区已达上限（{limit} 个）：请管理员清理不用的工作区，或调高 "
                "QUNCE_MAX_WORKSPACES。",
            )
        session.add(row)
    return _record(row), code


def issue_owner_code(store: Store, workspace_id: str) -> str:
    """Give a workspace a new owner code (replacing any earlier one); returns the code.

    For the creator right after `create_workspace`, for `qunce workspace owner-code` and for the
    admin page; never for someone who only holds the join code.
    """
    return _new_code(store, workspace_id, "owner_hash")


def open_code(store: Store, code: str) -> tuple[Workspace, Access]:
    """The workspace a join or owner code (or link) opens, and the access it gives."""
    digest = hash_code(parse_code(code))
    with store.session() as session:
        row = session.scalars(
            select(WorkspaceRow).where(
                or_(WorkspaceRow.code_hash == digest, WorkspaceRow.owner_hash == digest)
            )
        ).first()
        if row is None:
            raise InvalidCode(NO_SUCH_CODE[0], zh=NO_SUCH_CODE[1])
        role: Role = "owner" if row.owner_hash == digest else "member"
        return _record(row), Access(row.id, role, digest)


def workspace_by_code(store: Store, code: str) -> Workspace:
    """The workspace a join code (or join link, or owner code) opens; InvalidCode if none."""
    return open_code(store, code)[0]


def check_access(store: Store, access: Access, *, touch: bool = False) -> Workspace:
    """The workspace, if `access` still opens it; AccessRevoked once its code was replaced.

    `touch` records the visit as the workspace's last use (at most once per TOUCH_EVERY).
    """
    with store.session(write=touch) as session:
        row = session.get(WorkspaceRow, access.workspace_id)
        if row is None:
            raise _gone()
        current = row.owner_hash if access.role == "owner" else row.code_hash
        if current != access.digest:
            raise AccessRevoked(
                "the code you joined with was replaced; ask the team for the new link",
                zh="你加入时用的加入码已被更换：请向团队要新的链接。",
            )
        now = utcnow()
        if touch and (row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY):
            row.last_used_at = now
        return _record(row)


def get_workspace(store: Store, workspace_id: str) -> Workspace:
    """A workspace by id; NotFound if it does not exist (any more)."""
    with store.session() as session:
        row = session.get(WorkspaceRow, workspace_id)
        if row is None:
            raise _gone()
        return _record(row)


def rename_workspace(store: Store, workspace_id: str, name: str) -> Workspace:
    """Give a workspace a new name."""
    cleaned = clean_name(name, what="workspace name")
    with store.session(write=True) as session:
        row = session.get(WorkspaceRow, workspace_id)
        if row is None:
            raise _gone()
        row.name = cleaned
        return _record(row)


def rotate_code(store: Store, workspace_id: str) -> str:
    """Replace a workspace's join code (the old link stops working); returns the new code.

    For trusted callers (the CLI on the server, the admin page, the workshop desk); a page
    session calls `rotate_join_code` with its access.
    """
    return _new_code(store, workspace_id, "code_hash")


def require_owner(store: Store, access: Access) -> Workspace:
    """The workspace, if `access` is a valid owner's; NotAllowed for members and managed teams."""
    workspace = check_access(store, access)
    if workspace.managed:
        raise NotAllowed(
            "this is a workshop team: its link is replaced from the facilitator's desk",
            zh="这是工作坊的小组：它的链接只能由培训师在控制台更换。",
        )
    if not access.is_owner:
        raise NotAllowed(
            "only the workspace's owner can do this; ask whoever created the workspace",
            zh="只有工作区的所有者可以这样做：请找创建这个工作区的人。",
        )
    return workspace


def rotate_join_code(store: Store, access: Access) -> str:
    """An owner replaces the join code: every member session that used the old one ends."""
    require_owner(store, access)
    return rotate_code(store, access.workspace_id)


def rotate_owner_code(store: Store, access: Access) -> tuple[str, Access]:
    """An owner replaces the owner code; returns it and the owner's new access."""
    require_owner(store, access)
    code = issue_owner_code(store, access.workspace_id)
    return code, Access(access.workspace_id, "owner", hash_code(code))


def delete_workspace(store: Store, workspace_id: str) -> None:
    """Delete a workspace with all its plans, items, history and scenarios."""
    with store.session(write=True) as session:
        row = session.get(WorkspaceRow, workspace_id)
        if row is None:
            raise _gone()
        session.delete(row)
