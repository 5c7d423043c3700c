"""Database fixtures: a private PostgreSQL cluster per test session, and per-test databases.

`postgres_server` (session) yields the URL of a PostgreSQL server: `QUNCE_TEST_POSTGRES_URL` if
set, otherwise a throw-away cluster started from the binaries under /usr/lib/postgresql/*/bin
(as the `postgres` user when we run as root, because initdb refuses to run as root). Without
binaries the PostgreSQL tests are skipped with the reason, unless `QUNCE_REQUIRE_POSTGRES=1`
(CI sets it), which turns the skip into a failure.

`database_url` is parametrised over sqlite and postgres and yields the URL of a fresh, empty
database for one test, so tests (and xdist workers) never share mutable state.

Registered with `pytest_plugins = ["tests.fixtures_db"]` in tests/conftest.py.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REQUIRE_ENV = "QUNCE_REQUIRE_POSTGRES"
URL_ENV = "QUNCE_TEST_POSTGRES_URL"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_bindir() -> Path | None:
    """The newest PostgreSQL server bin folder that has initdb and pg_ctl."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
    )
    for folder in reversed(candidates):
        path = Path(folder)
        if (path / "initdb").is_file() and (path / "pg_ctl").is_file():
            return path
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    return None


def _as_postgres_user(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root; as root we drop to the `postgres` system user.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1, so PostgreSQL tests may not be skipped)")
    pytest.skip(reason)


class _Cluster:
    """A private PostgreSQL cluster in a temporary folder, on a free port."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="qunce-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        if os.geteuid() == 0:
            shutil.chown(self.root, user="postgres", group="postgres")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        result = subprocess.run(
            _as_postgres_user([str(self.bindir / args[0]), *args[1:]]),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{args[0]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
            )

    def start(self) -> None:
        self._run(
            "initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        # fsync off: the cluster is thrown away, and the tests measure behaviour, not durability.
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options,
            "-l", str(self.root / "server.log"), "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def _wait_until_ready(url: str, seconds: float = 30.0) -> None:
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    deadline = time.monotonic() + seconds
    try:
        while True:
            try:
                with engine.connect() as conn:
                    conn.execute(text("select 1"))
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """URL of a PostgreSQL server (maintenance database) for this test session."""
    given = os.environ.get(URL_ENV)
    if given:
        _wait_until_ready(given)
        yield given
        return
    bindir = _pg_bindir()
    if bindir is None:
        _unavailable(
            "no PostgreSQL server binaries (initdb, pg_ctl) found under /usr/lib/postgresql"
        )
        return
    cluster = _Cluster(bindir)
    try:
        cluster.start()
        _wait_until_ready(cluster.url)
    except Exception as exc:
        cluster.stop()
        _unavailable(f"could not start a private PostgreSQL cluster: {exc}")
        return
    try:
        yield cluster.url
    finally:
        cluster.stop()


def fresh_postgres_database(server_url: str) -> str:
    """Create an empty database on `server_url` and return its URL."""
    name = f"qunce_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"))
    finally:
        engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(server_url: str, url: str) -> None:
    """Drop a database made by `fresh_postgres_database`, even with connections still open."""
    name = make_url(url).database
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, empty database for one test, on sqlite and on postgres."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'qunce.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    url = fresh_postgres_database(server)
    try:
        yield url
    finally:
        drop_postgres_database(server, url)
