"""The server killed in the middle of edits: every acknowledged edit survives, nothing half-written.

A writer process (tests/faults/edit_writer.py, standing in for an app server) saves edits from
several threads and prints an acknowledgement after each commit. We SIGKILL it mid-stream, then
reopen the database (for SQLite: the files as the kill left them, WAL included, and a copy of
those files) and look for every acknowledged edit, and for the invariant that makes a half-done
save visible: an item's version is one more than the number of its saved note changes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from qunce.plans import add_item, create_plan, create_workspace, get_plan, item_history, open_store

ROOT = Path(__file__).resolve().parents[2]
ITEMS = 12
THREADS = 4
ACKS_BEFORE_KILL = 120
START = date(2026, 1, 5)


class _NoPlaybooks:
    """A catalogue without playbooks: the plan holds only custom items."""

    items: dict[str, object] = {}  # noqa: RUF012

    def version(self, item_id: str) -> str:
        return ""


def _setup(url: str) -> tuple[str, int]:
    store = open_store(url)
    try:
        workspace, _code = create_workspace(store, "Kill test")
        plan = create_plan(store, workspace.id, "Plan", [], _NoPlaybooks(), start_date=START)
        for n in range(ITEMS):
            add_item(store, workspace.id, plan.id, f"item {n}")
        return workspace.id, plan.id
    finally:
        store.dispose()


def _run_and_kill(url: str, workspace_id: str, plan_id: int) -> list[str]:
    """Start the writer, let it acknowledge some edits, SIGKILL it; its acknowledged lines."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.edit_writer", url, workspace_id, str(plan_id),
         str(THREADS)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    assert proc.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if sum(1 for seen in lines if seen.startswith("ACK")) >= ACKS_BEFORE_KILL:
                break
        proc.send_signal(signal.SIGKILL)
        # Lines already in the pipe were acknowledged before the kill too.
        rest, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    lines += [line for line in rest.splitlines() if line]
    assert proc.returncode == -signal.SIGKILL, err[-2000:]
    acks = [line for line in lines if line.startswith(("ACK", "NEW"))]
    assert len(acks) >= ACKS_BEFORE_KILL, f"the writer stopped early:\n{err[-2000:]}"
    return acks


def _check(url: str, workspace_id: str, plan_id: int, acks: list[str]) -> None:
    store = open_store(url)
    try:
        plan = get_plan(store, workspace_id, plan_id)
        by_id = {item.id: item for item in plan.items}
        latest: dict[int, tuple[int, str]] = {}
        for line in acks:
            kind, item_id, rest = line.split(" ", 2)
            if kind == "NEW":
                assert int(item_id) in by_id, f"acknowledged new item lost: {line}"
                assert by_id[int(item_id)].title_en == rest
                continue
            version, notes = rest.split(" ", 1)
            if int(version) > latest.get(int(item_id), (0, ""))[0]:
                latest[int(item_id)] = (int(version), notes)
        assert latest, "no edit was acknowledged"
        for item_id, (version, notes) in latest.items():
            item = by_id[item_id]
            assert item.version >= version, (
                f"item {item_id}: acknowledged v{version}, found v{item.version}"
            )
            if item.version == version:
                assert item.notes == notes
        for item in plan.items:
            notes_changes = [
                c for c in item_history(store, workspace_id, item.id) if c.field == "notes"
            ]
            assert len(notes_changes) == item.version - 1, f"item {item.id} is half-written"
            if notes_changes:
                assert notes_changes[0].new == item.notes
        if store.dialect == "sqlite":
            with store.engine.connect() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        store.dispose()


def test_acknowledged_edits_survive_a_sigkill(database_url: str, tmp_path: Path) -> None:
    workspace_id, plan_id = _setup(database_url)
    acks = _run_and_kill(database_url, workspace_id, plan_id)
    if make_url(database_url).get_backend_name() == "sqlite":
        # The files exactly as the kill left them (main file, -wal, -shm), copied elsewhere:
        # whoever restores them, or restarts on them, finds every acknowledged edit.
        source = Path(make_url(database_url).database or "")
        files = [p for p in source.parent.iterdir() if p.name.startswith(source.name)]
        assert any(p.name.endswith("-wal") for p in files), "expected WAL mode"
        copy_dir = tmp_path / "copied"
        copy_dir.mkdir()
        for path in files:
            shutil.copy2(path, copy_dir / path.name)
        _check(f"sqlite:///{copy_dir / source.name}", workspace_id, plan_id, acks)
    _check(database_url, workspace_id, plan_id, acks)
    # And the restarted database takes new edits where the killed one stopped.
    acks_again = _run_and_kill(database_url, workspace_id, plan_id)
    _check(database_url, workspace_id, plan_id, acks + acks_again)


@pytest.fixture(autouse=True)
def _no_plan_content(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUNCE_CONTENT_PATH", raising=False)
