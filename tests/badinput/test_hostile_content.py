"""Hostile content files: `qunce validate` names each one with file:line and exits 1, without a
traceback and without hanging; the library still loads around them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qunce.content.catalogue import load_catalogue

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "tests" / "fixtures" / "content" / "valid" / "playbooks" / "fixture-basics.yaml"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    good = VALID.read_text(encoding="utf-8").replace("fixture-basics", "our-basics")
    (folder / "python-tag.yaml").write_text(
        good.replace("our-basics", "python-tag").replace(
            "kind: playbook", "kind: !!python/object/apply:os.system [echo pwned]"
        ),
        encoding="utf-8",
    )
    (folder / "custom-tag.yaml").write_text("id: custom-tag\nkind: !include other.yaml\n", encoding="utf-8")
    (folder / "deep.yaml").write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    (folder / "folder.yaml").mkdir()
    (folder / "dangling.yaml").symlink_to(folder / "nowhere.yaml")
    os.mkfifo(folder / "fifo.yaml")
    (folder / "huge.yaml").write_text("a: " + "x" * 1_100_000 + "\n", encoding="utf-8")
    return folder


def test_validate_names_every_hostile_file_and_exits_1(hostile: Path) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "qunce"), "validate", str(hostile)],
        capture_output=True,
        text=True,
        timeout=120,  # a FIFO read would hang here
        cwd=ROOT,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    expected = {
        "python-tag.yaml:2: kind: unknown YAML tag",
        "custom-tag.yaml:2: kind: unknown YAML tag '!include'",
        "deep.yaml:1: invalid YAML: nested more than 40 lists deep",
        "folder.yaml: not a regular file",
        "dangling.yaml: a broken link or unreadable path",
        "fifo.yaml: not a regular file",
        "huge.yaml: the file has",
    }
    for line in expected:
        assert line in output, (line, output)
    assert "pwned" not in output


def test_the_library_loads_around_hostile_files(hostile: Path) -> None:
    catalogue = load_catalogue(extra=[hostile])
    assert len(catalogue.playbooks) >= 31 and "launch-rules" in catalogue.items
    assert {e.file.name for e in catalogue.errors} >= {
        "python-tag.yaml", "custom-tag.yaml", "deep.yaml", "folder.yaml", "dangling.yaml",
        "fifo.yaml", "huge.yaml",
    }
