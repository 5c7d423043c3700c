"""Qunce's database: engine set-up for SQLite and PostgreSQL, sessions, and migrations.

`open_store()` is the one way in: it builds the engine for `settings().database_url` (or a given
URL), brings the schema to the newest Alembic revision, and returns a `Store`. SQLite runs in WAL
mode with a busy timeout so that readers never block the writer and writers queue instead of
failing; PostgreSQL gets a connect timeout and pre-ping so a dead server becomes a clear message.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    InterfaceError,
    OperationalError,
    StatementError,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from qunce.db.errors import InvalidValue, StoreUnavailable

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
CONNECT_TIMEOUT_S = 5
# Any fixed 64-bit number; every Qunce server takes this advisory lock while migrating, so
# several app servers starting at once against one PostgreSQL database migrate one at a time.
PG_MIGRATION_LOCK = 7_146_512_901
# Write transactions one server process runs at once on PostgreSQL (bench/plans.py: with 20
# writers, p95 52-63 ms at 1, 2 or 4; 80-92 ms with no limit).
PG_WRITERS = 4


class FifoGate:
    """Lets at most `permits` threads in at once, the waiting ones in the order they came.

    Re-entrant: a thread already inside passes again. `threading.Semaphore` lets a thread that
    leaves and asks again jump the queue, so under load some writers waited ten turns while
    others waited none; here a leaving thread hands its place to the longest waiter.
    """

    def __init__(self, permits: int) -> None:
        self._mutex = threading.Lock()
        self._waiters: deque[tuple[int, threading.Lock]] = deque()
        self._inside: dict[int, int] = {}  # thread id -> depth
        self._permits = permits

    @property
    def waiting(self) -> int:
        """How many threads wait to come in."""
        with self._mutex:
            return len(self._waiters)

    def __enter__(self) -> FifoGate:
        me = threading.get_ident()
        with self._mutex:
            if me in self._inside:
                self._inside[me] += 1
                return self
            if len(self._inside) < self._permits and not self._waiters:
                self._inside[me] = 1
                return self
            gate = threading.Lock()
            gate.acquire()
            self._waiters.append((me, gate))
        gate.acquire()  # released by a leaving thread, which has already let this one in
        return self

    def __exit__(self, *_exc: object) -> None:
        me = threading.get_ident()
        with self._mutex:
            self._inside[me] -= 1
            if self._inside[me]:
                return
            del self._inside[me]
            if self._waiters:
                waiter, gate = self._waiters.popleft()
                self._inside[waiter] = 1
                gate.release()


_SQLITE_GATES: dict[str, FifoGate] = {}
_SQLITE_GATES_GUARD = threading.Lock()


def _writer_gate(engine: Engine) -> AbstractContextManager[object]:
    """How many write transactions of this process may run at once, queued first come first served.

    SQLite lets one writer in at a time and makes the others wait in its busy handler, which
    sleeps in growing steps (up to 100 ms) before it retries: with 20 writers the slowest save
    took 250 ms while the file stood free most of the time. Writers of one process queue here
    instead (one gate per file) and go in as soon as it is free; other processes still meet
    the busy handler. PostgreSQL takes several at once; more than a few only fight for the
    GIL, and the unlucky ones lost every fight (p95 twice the median).
    """
    if engine.dialect.name == "postgresql":
        return FifoGate(PG_WRITERS)
    database = engine.url.database or ""
    if engine.dialect.name != "sqlite" or database in ("", ":memory:"):
        return nullcontext()
    key = str(Path(database).expanduser().resolve())
    with _SQLITE_GATES_GUARD:
        return _SQLITE_GATES.setdefault(key, FifoGate(1))


@dataclass(frozen=True)
class Store:
    """An engine and its session factory; every repository function takes one."""

    engine: Engine
    sessions: sessionmaker[Session]
    writer: AbstractContextManager[object] = field(default_factory=nullcontext)

    @property
    def dialect(self) -> str:
        """ "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on any error.

        `write=True` for a transaction that may write: it first waits its turn at this
        process's writer gate (one at a time per SQLite file, PG_WRITERS on PostgreSQL).
        Connection failures become `StoreUnavailable`, so callers show one clear message.
        """
        try:
            with (
                self.writer if write else nullcontext(),
                self.sessions() as session,
                session.begin(),
            ):
                yield session
        except (OperationalError, InterfaceError) as exc:
            raise StoreUnavailable(describe_failure(self.engine, exc)) from exc
        except DataError as exc:
            # A safety net: the validators refuse such values first, with a better message.
            raise InvalidValue(f"the database refused a value: {_reason(exc)}") from exc
        except StatementError as exc:
            if isinstance(exc.orig, UnicodeError):
                raise InvalidValue(f"a text cannot be stored: {_reason(exc)}") from exc
            raise
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise StoreUnavailable(describe_failure(self.engine, exc)) from exc
            raise

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _reason(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def safe_url(url: URL) -> str:
    """The database URL with every secret masked: the password, and any query parameter that
    carries one (`?password=`, `?sslpassword=`, a token), for logs and the CLI."""
    query = {
        key: "***"
        if any(word in key.lower() for word in ("pass", "secret", "token", "key"))
        else value
        for key, value in url.query.items()
    }
    return url.set(query=query).render_as_string(hide_password=True)


def describe_failure(engine: Engine, exc: Exception) -> str:
    """A one-line message naming the database (without secrets) and the driver's reason.

    For the server log and the CLI only: pages show a generic message, never a host or user.
    """
    where = safe_url(engine.url)
    reason = _reason(exc)
    password = engine.url.password
    if password:
        reason = reason.replace(str(password), "***")
    for key, value in engine.url.query.items():
        if any(word in key.lower() for word in ("pass", "secret", "token", "key")):
            for part in value if isinstance(value, tuple) else (value,):
                reason = reason.replace(part, "***")
    return f"the plans database {where} cannot be used: {reason}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Safe with WAL: a power cut may lose the last commits, never corrupt the file.
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for a SQLite or PostgreSQL URL, tuned for many short concurrent sessions."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:"):
            engine = create_engine(
                url,
                connect_args={"check_same_thread": False},
                poolclass=StaticPool,
            )
        else:
            folder = Path(database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # e.g. a file where the data folder should be
                raise StoreUnavailable(
                    f"the database folder {folder} cannot be created ({exc.strerror}); "
                    "check QUNCE_DATA_DIR or QUNCE_DATABASE_URL"
                ) from exc
            engine = create_engine(
                url,
                connect_args={
                    "check_same_thread": False,
                    "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                },
                pool_size=10,
                max_overflow=40,
            )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=40,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
    )


def _alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration this code knows."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (default: the newest), whatever state it is in now.

    An empty database gets every table; an older one gets the missing migrations; one that is
    newer than this code is refused with a message instead of being touched.
    """
    known = {s.revision for s in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
            at = MigrationContext.configure(conn).get_current_revision()
            if at is not None and at not in known:
                raise StoreUnavailable(
                    f"the plans database is at migration {at!r}, which this version of Qunce "
                    f"does not know (newest known: {head_revision()!r}); upgrade Qunce"
                )
            command.upgrade(_alembic_config(conn), revision)
    except (OperationalError, InterfaceError) as exc:
        # Two processes creating a new SQLite file at once: the loser finds the work done.
        if engine.dialect.name == "sqlite" and _at_head(engine, revision):
            return
        raise StoreUnavailable(describe_failure(engine, exc)) from exc
    except CommandError as exc:
        raise StoreUnavailable(f"the plans database could not be migrated: {exc}") from exc


def _at_head(engine: Engine, revision: str) -> bool:
    try:
        at = current_revision(engine)
    except (OperationalError, InterfaceError):
        return False
    return at is not None and ((revision == "head" and at == head_revision()) or at == revision)


def open_store(url: str | None = None, *, upgrade: bool = True) -> Store:
    """Open the plans database at `url` (default: settings().database_url) and migrate it."""
    if url is None:
        from qunce.config import settings

        url = settings().database_url
    engine = make_engine(url)
    if upgrade:
        try:
            migrate(engine)
        except StoreUnavailable:
            engine.dispose()
            raise
    return Store(
        engine=engine,
        sessions=sessionmaker(engine, expire_on_commit=False),
        writer=_writer_gate(engine),
    )
