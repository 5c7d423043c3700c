"""`qunce workshop ...` (the Typer app in qunce/workshop/cli.py), exit codes and output."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pptx import Presentation
from typer.testing import CliRunner, Result

from qunce.config import settings
from qunce.content.catalogue import load_catalogue
from qunce.db.store import open_store
from qunce.workshop.cli import app, read_agenda
from qunce.workshop.deck import build_deck
from qunce.workshop.repository import join_team, open_screen, open_workshop
from qunce.workshop.shortcodes import resolve_short_code

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


def test_deck_and_handout_from_an_agenda_file(
    agenda_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pptx = tmp_path / "deck.pptx"
    result = _run("deck", str(agenda_file), "--out", str(pptx), "--lang", "both")
    assert result.exit_code == 0
    slides = Presentation(io.BytesIO(pptx.read_bytes())).slides
    catalogue = load_catalogue()
    expected = build_deck(read_agenda(agenda_file, catalogue), catalogue)
    assert len(slides) == len(expected.slides)
    monkeypatch.chdir(tmp_path)  # without --out the file is named after the workshop
    assert _run("deck", str(agenda_file), "--lang", "en").exit_code == 0
    assert (tmp_path / "社群启动半日工作坊 - slides (en).pptx").is_file()
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


def _create(agenda_file: Path) -> str:
    result = _run("create", str(agenda_file), "--teams", "2", "--start", "2026-05-09")
    assert result.exit_code == 0
    found = re.search(r"facilitator code: (\S+)", result.output)
    assert found is not None
    return found.group(1)


def test_localhost_links_come_with_a_warning(
    agenda_file: Path, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    host = _create(agenda_file)
    monkeypatch.setenv("QUNCE_BASE_URL", "http://localhost:8501")
    settings.cache_clear()
    result = _run("links", "--host", host)
    assert result.exit_code == 0
    assert "Warning: This link says http://localhost:8501; phones in the room cannot open it" in (
        result.stderr
    )
    lan = _run("links", "--host", host, "--base-url", "http://192.168.1.20:8501/")
    assert lan.exit_code == 0 and "Warning" not in lan.stderr
    assert "http://192.168.1.20:8501/workshop?lang=zh&join=" in lan.stdout


def test_short_codes_rotation_and_report(
    agenda_file: Path, database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUNCE_CODE_PEPPER", "cli-test-pepper-0123456789")
    settings.cache_clear()
    host = _create(agenda_file)
    issued = _run("short-codes", "--host", host)
    assert issued.exit_code == 0
    codes = re.findall(r": ([2-9A-Z]{4} [2-9A-Z]{4})   until", issued.stdout)
    assert len(codes) == 2 and "https://qunce.example.org/workshop" in issued.stdout
    store = open_store(database)
    try:
        assert resolve_short_code(store, codes[0], "cli").team_name == "第 1 组"
        screen = _run("rotate", "--host", host, "--screen")
        assert screen.exit_code == 0
        new_screen = re.search(r"screen=(\S+)", screen.stdout)
        assert new_screen is not None
        assert open_screen(store, new_screen.group(1)).title == "社群启动半日工作坊"
        rotated = _run("rotate", "--host", host)
        assert rotated.exit_code == 0
        new_host = re.search(r"new facilitator code: (\S+)", rotated.stdout)
        assert new_host is not None and new_host.group(1) != host
        assert open_workshop(store, new_host.group(1)).title == "社群启动半日工作坊"
        assert _run("links", "--host", host).exit_code == 1  # the old code is gone
    finally:
        store.dispose()
    out = tmp_path / "report.xlsx"
    made = _run("report", "--host", new_host.group(1), "--format", "xlsx", "-o", str(out))
    assert made.exit_code == 0 and out.read_bytes()[:2] == b"PK"
    monkeypatch.chdir(tmp_path)
    made = _run("report", "--host", new_host.group(1), "--lang", "en")
    assert made.exit_code == 0
    text = (tmp_path / "社群启动半日工作坊 - report (en).md").read_text(encoding="utf-8")
    assert text.startswith("# 社群启动半日工作坊") and "## Board by step" in text
    both = _run("rotate", "--host", new_host.group(1), "--screen", "--team", "1")
    assert both.exit_code == 1 and "give one of them" in both.output
