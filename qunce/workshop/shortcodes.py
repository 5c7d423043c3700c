"""Short join codes a person can type from a projector: 8 characters, no 0/O, 1/I/L.

The long join code (22 characters, 128 bits) stays on the printed QR codes and links. A short
code is another door to the same team, issued from the facilitator's desk:

- **Alphabet.** 31 symbols, `23456789ABCDEFGHJKMNPQRSTUVWXYZ`: no 0/O, no 1/I/L. Typing is
  forgiving: lower case, spaces and hyphens are fine (`abcd-2345` is `ABCD2345`).
- **Derived, not stored.** The code is HMAC-SHA256(facilitator code, "short:" + salt) written in
  that alphabet, so the desk (which holds the facilitator code) shows it again at any time, like
  the long team codes (`codes.py`). A new salt gives the team a new short code.
- **Only a peppered digest is stored**: HMAC-SHA256(pepper, code), where the pepper is a server
  secret kept outside the database (QUNCE_CODE_PEPPER, else a file in the data folder). See
  `digest` for why this is safe at 40 bits.
- **Sealed long code.** Resolving a short code must give the session the team's long code, which
  only the facilitator code derives. So the long code is stored XOR-ed with a key stream
  HMAC-SHA256(pepper, "seal:" + short code): only someone who knows the short code *and* the
  pepper can open it; the database alone holds nothing that joins a team.
- **Limited.** A code works for QUNCE_SHORT_CODE_HOURS (default 12: the workshop day) and ends
  when the team's long code or the facilitator code is rotated.
- **Bounded guessing.** Each wrong code counts against the client (the page passes the client's
  IP address or, failing that, its session id) and against everyone together. After
  CLIENT_FAILURES wrong codes in WINDOW the client waits LOCKOUT; after ALL_FAILURES wrong codes
  in WINDOW from all clients together, short codes are refused for everyone for LOCKOUT (QR codes
  and long links keep working). The counters live in the database, so several app servers agree.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import case, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qunce.config import settings
from qunce.db.base import utcnow
from qunce.db.errors import InvalidCode, NotFound, StoreUnavailable, TooManyAttempts
from qunce.db.store import Store
from qunce.plans.models import WorkspaceRow
from qunce.plans.workspaces import hash_code
from qunce.workshop.codes import team_code
from qunce.workshop.models import CodeAttemptRow, ShortCodeRow, WorkshopTeamRow
from qunce.workshop.repository import host_row

log = logging.getLogger(__name__)

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8
SPACE = len(ALPHABET) ** LENGTH  # 31**8 ≈ 8.5e11 ≈ 2**39.6
WINDOW = timedelta(minutes=10)
LOCKOUT = timedelta(minutes=15)
CLIENT_FAILURES = 10
ALL_FAILURES = 200
ALL_KEY = "*"
PEPPER_FILE = "code-pepper"
_SEPARATORS = str.maketrans("", "", " -_.\t")

NO_SHORT = (
    "no team has this short code; check it on the screen (it has 8 characters, no 0, O, 1, I "
    "or L), or scan your team's QR code"
)
NO_SHORT_ZH = (
    "没有小组用这个短码：请对照屏幕再看一遍（8 位，没有 0、O、1、I、L），或扫描本组的二维码"
)


@dataclass(frozen=True)
class ShortCode:
    """A team's short code as the desk shows it."""

    team_id: int
    code: str
    expires_at: datetime

    @property
    def display(self) -> str:
        """The code in two groups of four, easier to read from the back of the room."""
        return f"{self.code[:4]} {self.code[4:]}"


@dataclass(frozen=True)
class ShortJoin:
    """What a short code opens: the team's long join code (for the session) and the team."""

    team_code: str
    team_id: int
    workshop_id: str
    team_name: str


# ---------------------------------------------------------------- pure parts


def short_code(host_code: str, salt: str) -> str:
    """The short code of the team with this short-code salt (8 symbols of ALPHABET)."""
    mac = hmac.new(
        host_code.encode("utf-8"), f"qunce-workshop-short:{salt}".encode(), hashlib.sha256
    ).digest()
    # 64 bits reduced modulo 31**8: the bias is below one in ten million.
    number = int.from_bytes(mac[:8], "big") % SPACE
    symbols = []
    for _ in range(LENGTH):
        number, index = divmod(number, len(ALPHABET))
        symbols.append(ALPHABET[index])
    return "".join(reversed(symbols))


def normalise(text: str) -> str:
    """The code in `text` (case, spaces and hyphens ignored); InvalidCode if it cannot be one."""
    code = text.strip().upper().translate(_SEPARATORS)
    if len(code) != LENGTH:
        raise InvalidCode(
            f"a short code has {LENGTH} characters; this has {len(code)}. Type the code shown "
            "on the screen, or scan your team's QR code",
            zh=f"短码有 {LENGTH} 位，这里是 {len(code)} 位。请输入屏幕上的短码，或扫描本组的二维码。",
        )
    wrong = sorted({ch for ch in code if ch not in ALPHABET})
    if wrong:
        raise InvalidCode(
            f"a short code never contains {', '.join(wrong)} (no 0, O, 1, I or L); check the "
            "code on the screen",
            zh=f"短码里不会有 {'、'.join(wrong)}（没有 0、O、1、I、L）：请对照屏幕上的短码。",
        )
    return code


def _pepper_file(folder: Path) -> bytes:
    path = folder / PEPPER_FILE
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process wrote it first
        return path.read_bytes().strip()
    except OSError as exc:
        raise StoreUnavailable(
            f"the short-code secret cannot be written to {path} ({exc.strerror}); set "
            "QUNCE_CODE_PEPPER or check QUNCE_DATA_DIR"
        ) from exc
    value = secrets.token_hex(32).encode("ascii")
    with os.fdopen(handle, "wb") as out:
        out.write(value)
    return value


@lru_cache(maxsize=4)
def _pepper(configured: str | None, folder: str) -> bytes:
    if configured:
        return configured.encode("utf-8")
    return _pepper_file(Path(folder))


def pepper() -> bytes:
    """The server's secret for short codes: QUNCE_CODE_PEPPER, else a file in the data folder.

    Every app server that shares a database must use the same pepper: set QUNCE_CODE_PEPPER
    (or share the data folder), or short codes issued on one server fail on the others.
    """
    config = settings()
    return _pepper(config.code_pepper, str(config.data_dir))


def pepper_id(key: bytes) -> str:
    """A public fingerprint of the pepper, stored beside each code to spot mixed servers."""
    return hmac.new(key, b"qunce-pepper-id", hashlib.sha256).hexdigest()[:16]


def digest(code: str, key: bytes) -> str:
    """The stored digest of a short code: HMAC-SHA256 under the server's pepper.

    Why 40 bits are enough here. Online, a guesser is bounded by the attempt counters: at most
    ALL_FAILURES (200) wrong codes per WINDOW (10 min) for everyone together, then LOCKOUT
    (15 min), so at most 200 × 72 = 14,400 guesses in a day however many devices try. With
    even 4,000 live codes at once (100 workshops × 40 teams) a guess hits one with probability
    4,000 / 31**8 ≈ 4.7e-9, so a whole day of guessing succeeds with probability below 7e-5,
    and the first 200 wrong guesses already lock the door for everyone. Offline, a plain sha256
    of 40 bits would fall to a GPU in hours for anyone who read the database; the HMAC key (the
    pepper) is not in the database, so its digests tell such a reader nothing.
    """
    return hmac.new(key, f"qunce-short-code:{code}".encode(), hashlib.sha256).hexdigest()


def _stream(code: str, key: bytes, size: int) -> bytes:
    return hmac.new(key, f"qunce-short-seal:{code}".encode(), hashlib.sha256).digest()[:size]


def seal(long_code: str, code: str, key: bytes) -> str:
    """The team's long code, encrypted under a key stream from the short code and the pepper."""
    raw = long_code.encode("ascii")
    if len(raw) > 32:
        raise ValueError("a long join code has at most 32 characters")
    return bytes(a ^ b for a, b in zip(raw, _stream(code, key, len(raw)), strict=True)).hex()


def unseal(sealed: str, code: str, key: bytes) -> str:
    """The long code `seal` encrypted (garbage if the short code or the pepper differ)."""
    raw = bytes.fromhex(sealed)
    plain = bytes(a ^ b for a, b in zip(raw, _stream(code, key, len(raw)), strict=True))
    return plain.decode("ascii", errors="replace")


def client_key_digest(client_key: str) -> str:
    """The attempt counter's key for a client (an IP address or session id is never stored)."""
    return hashlib.sha256(f"qunce-client:{client_key or 'anonymous'}".encode()).hexdigest()


# ---------------------------------------------------------------- issuing (facilitator)


def _team_rows(session: Session, workshop_id: str, team_id: int | None) -> list[WorkshopTeamRow]:
    query = select(WorkshopTeamRow).where(WorkshopTeamRow.workshop_id == workshop_id)
    if team_id is not None:
        query = query.where(WorkshopTeamRow.id == team_id)
    return list(session.scalars(query.order_by(WorkshopTeamRow.position, WorkshopTeamRow.id)))


def _purge(session: Session, now: datetime) -> None:
    session.execute(delete(ShortCodeRow).where(ShortCodeRow.expires_at <= now))
    stale = now - WINDOW - LOCKOUT
    session.execute(
        delete(CodeAttemptRow).where(
            CodeAttemptRow.window_started_at < stale,
            (CodeAttemptRow.locked_until.is_(None)) | (CodeAttemptRow.locked_until < now),
        )
    )


def _issue(
    store: Store, host_code: str, team_id: int | None, now: datetime | None
) -> dict[int, ShortCode]:
    at = now or utcnow()
    key = pepper()
    until = at + timedelta(hours=settings().short_code_hours)
    for _attempt in range(3):
        try:
            with store.session(write=True) as session:
                row = host_row(session, host_code)
                teams = _team_rows(session, row.id, team_id)
                if team_id is not None and not teams:
                    raise NotFound(f"team {team_id} is not in this workshop")
                _purge(session, at)
                ids = [t.id for t in teams]
                session.execute(delete(ShortCodeRow).where(ShortCodeRow.team_id.in_(ids)))
                issued = {}
                for team in teams:
                    salt = secrets.token_hex(8)
                    code = short_code(host_code, salt)
                    session.add(
                        ShortCodeRow(
                            team_id=team.id,
                            workshop_id=row.id,
                            salt=salt,
                            digest=digest(code, key),
                            pepper_id=pepper_id(key),
                            sealed=seal(team_code(host_code, team.salt), code, key),
                            issued_at=at,
                            expires_at=until,
                        )
                    )
                    issued[team.id] = ShortCode(team.id, code, until)
                session.flush()
                return issued
        except IntegrityError:  # two teams drew the same code (p ≈ 1e-12): draw again
            continue
    raise StoreUnavailable("short codes could not be issued; try again")


def issue_short_code(
    store: Store, host_code: str, team_id: int, *, now: datetime | None = None
) -> ShortCode:
    """Give one team a new short code (its previous short code stops working)."""
    return _issue(store, host_code, team_id, now)[team_id]


def issue_short_codes(
    store: Store, host_code: str, *, now: datetime | None = None
) -> dict[int, ShortCode]:
    """Give every team of the workshop a new short code; {team id: code}."""
    return _issue(store, host_code, None, now)


def list_short_codes(
    store: Store, host_code: str, *, now: datetime | None = None
) -> dict[int, ShortCode]:
    """The workshop's short codes that still work, derived again (cheap: two small queries)."""
    at = now or utcnow()
    with store.session() as session:
        row = host_row(session, host_code)
        found = session.execute(
            select(ShortCodeRow.team_id, ShortCodeRow.salt, ShortCodeRow.expires_at).where(
                ShortCodeRow.workshop_id == row.id, ShortCodeRow.expires_at > at
            )
        ).all()
    return {
        team_id: ShortCode(team_id, short_code(host_code, salt), expires)
        for team_id, salt, expires in found
    }


def expire_short_codes(store: Store, host_code: str, team_id: int | None = None) -> int:
    """End the short codes of one team (or, without `team_id`, of every team); how many ended."""
    with store.session(write=True) as session:
        row = host_row(session, host_code)
        query = delete(ShortCodeRow).where(ShortCodeRow.workshop_id == row.id)
        if team_id is not None:
            query = query.where(ShortCodeRow.team_id == team_id)
        result = session.execute(query)
        return int(result.rowcount)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- resolving (a team's phone)


def _locked_until(session: Session, keys: list[str], now: datetime) -> datetime | None:
    found = session.scalars(
        select(CodeAttemptRow.locked_until).where(
            CodeAttemptRow.key.in_(keys), CodeAttemptRow.locked_until > now
        )
    ).all()
    return max((t for t in found if t is not None), default=None)


def _count(session: Session, key: str, limit: int, now: datetime) -> int:
    """Add one failure to `key`'s window (a new window once the old one ended); the count."""
    expired = CodeAttemptRow.window_started_at < now - WINDOW
    bump = (
        update(CodeAttemptRow)
        .where(CodeAttemptRow.key == key)
        .values(
            failures=case((expired, 1), else_=CodeAttemptRow.failures + 1),
            window_started_at=case((expired, now), else_=CodeAttemptRow.window_started_at),
        )
        .returning(CodeAttemptRow.failures)
    )
    failures = session.execute(bump).scalar()
    if failures is None:
        try:
            with session.begin_nested():
                session.add(CodeAttemptRow(key=key, window_started_at=now, failures=1))
            failures = 1
        except IntegrityError:  # another server counted the first failure at the same moment
            failures = session.execute(bump).scalar() or 1
    if failures >= limit:
        session.execute(
            update(CodeAttemptRow)
            .where(CodeAttemptRow.key == key)
            .values(locked_until=now + LOCKOUT)
        )
    return int(failures)


def _locked_out(until: datetime, now: datetime, everyone: bool) -> TooManyAttempts:
    minutes = max(1, round((until - now).total_seconds() / 60))
    who = "from all devices" if everyone else "from this device"
    who_zh = "所有设备" if everyone else "这台设备"
    return TooManyAttempts(
        f"too many wrong short codes {who}; short codes work again in about {minutes} "
        "minute(s). Meanwhile scan your team's QR code or open its link",
        zh=f"{who_zh}输错短码的次数太多；约 {minutes} 分钟后才能再用短码。这期间请扫描本组的二维码或打开本组的链接。",
    )


def resolve_short_code(
    store: Store, text: str, client_key: str, *, now: datetime | None = None
) -> ShortJoin:
    """The team a typed short code opens, with its long join code for the session.

    A wrong code counts against `client_key` (the client's IP address, or its session id) and
    against everyone; past the limits TooManyAttempts says how long to wait. A malformed entry
    (wrong length, a character never used) is refused with a hint and not counted: it cannot
    match any code, so counting it would only punish typos.
    """
    at = now or utcnow()
    code = normalise(text)
    client = client_key_digest(client_key)
    key = pepper()
    with store.session() as session:
        locked = _locked_until(session, [client, ALL_KEY], at)
        if locked is not None:
            everyone = _locked_until(session, [ALL_KEY], at) is not None
            raise _locked_out(locked, at, everyone)
        found = session.execute(
            select(ShortCodeRow, WorkspaceRow.name, WorkspaceRow.code_hash)
            .join(WorkshopTeamRow, WorkshopTeamRow.id == ShortCodeRow.team_id)
            .join(WorkspaceRow, WorkspaceRow.id == WorkshopTeamRow.workspace_id)
            .where(ShortCodeRow.digest == digest(code, key))
        ).first()
        if found is not None:
            row, name, code_hash = found
            if row.expires_at <= at:
                raise InvalidCode(
                    "this short code has expired; ask the trainer for a new one, or scan your "
                    "team's QR code",
                    zh="这个短码已过期：请向培训师要新的短码，或扫描本组的二维码。",
                )
            long_code = unseal(row.sealed, code, key)
            if hash_code(long_code) == code_hash:
                return ShortJoin(long_code, row.team_id, row.workshop_id, name)
            # The team's long code changed since: this short code is stale, like a wrong one.
        other = session.scalars(
            select(ShortCodeRow.pepper_id)
            .where(ShortCodeRow.expires_at > at, ShortCodeRow.pepper_id != pepper_id(key))
            .limit(1)
        ).first()
    if other is not None:
        log.warning(
            "short codes in the database were issued under another pepper; set the same "
            "QUNCE_CODE_PEPPER on every app server"
        )
    with store.session(write=True) as session:
        mine = _count(session, client, CLIENT_FAILURES, at)
        _count(session, ALL_KEY, ALL_FAILURES, at)
    left = CLIENT_FAILURES - mine
    if left <= 0:
        raise _locked_out(at + LOCKOUT, at, everyone=False)
    raise InvalidCode(
        f"{NO_SHORT} ({left} more wrong code(s) and this device has to wait)",
        zh=f"{NO_SHORT_ZH}（再错 {left} 次，这台设备就要等一会儿）。",
    )
