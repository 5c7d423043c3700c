"""`qunce workshop ...` (the Typer app in qunce/workshop/cli.py), exit codes and output."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pptx import Presentation
from typer.testing import CliRunner, Result

from qunce.config import settings
from qunce.db.store import open_store
from qunce.workshop.cli import app
from qunce.workshop.repository import join_team, open_workshop

AGENDA = """\
title: 社群启动半日工作坊
blocks:
  - item: launch-rules
    minutes: 40
  - item: xiaomi-fans
    minutes: 15
    note: 问：谁是你的前 100 个用户？
"""


def _run(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args))
    print(result.output)
    return result


@pytest.fixture
def agenda_file(tmp_path: Path) -> Path:
    path = tmp_path / "agenda.yaml"
    path.write_text(AGENDA, encoding="utf-8")
    return path


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'qunce.db'}"
    monkeypatch.setenv("QUNCE_DATABASE_URL", url)
    monkeypatch.setenv("QUNCE_BASE_URL", "https://qunce.example.org")
    settings.cache_clear()
    return url


def test_deck_and_handout_from_an_agenda_file(agenda_file: Path, tmp_path: Path) -> None:
    pptx = tmp_path / "deck.pptx"
    result = _run("deck", str(agenda_file), "--out", str(pptx), "--lang", "both")
    assert result.exit_code == 0
    slides = Presentation(io.BytesIO(pptx.read_bytes())).slides
    assert len(slides) == 1 + 1 + 9 + 1 + 1
    md = tmp_path / "handout.md"
    assert _run("handout", str(agenda_file), "-o", str(md), "--lang", "en").exit_code == 0
    assert md.read_text(encoding="utf-8").startswith("# 社群启动半日工作坊")


def test_a_bad_agenda_file_names_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("title: x\nblocks:\n  - item: no-such-item\n    minutes: 0\n", encoding="utf-8")
    result = _run("deck", str(path))
    assert result.exit_code == 1
    assert "bad.yaml" in result.output and "minutes" in result.output
    path.write_text("title: x\nblocks:\n  - item: no-such-item\n    minutes: 5\n", encoding="utf-8")
    result = _run("deck", str(path))
    assert result.exit_code == 1
    assert "no-such-item" in result.output


def test_create_prints_codes_that_work(agenda_file: Path, database: str, tmp_path: Path) -> None:
    result = _run(
        "create", str(agenda_file), "--teams", "2", "--name", "红队", "--start", "2026-05-09"
    )
    assert result.exit_code == 0
    host = re.search(r"facilitator code: (\S+)", result.output)
    assert host is not None
    team_links = re.findall(
        r"https://qunce\.example\.org/workshop\?lang=zh&join=(\S+)", result.output
    )
    assert len(team_links) == 2
    store = open_store(database)
    try:
        workshop = open_workshop(store, host.group(1))
        assert [t.name for t in workshop.teams] == ["红队", "第 2 组"]
        assert join_team(store, team_links[0]).team.name == "红队"
    finally:
        store.dispose()
    again = _run("links", "--host", host.group(1))
    assert again.exit_code == 0 and team_links[1] in again.output
    sheet = tmp_path / "teams.html"
    assert _run("sheet", "--host", host.group(1), "-o", str(sheet)).exit_code == 0
    assert sheet.read_text(encoding="utf-8").count("<svg") == 2
    wrong = _run("links", "--host", team_links[0])
    assert wrong.exit_code == 1
    assert "facilitator code" in wrong.output
