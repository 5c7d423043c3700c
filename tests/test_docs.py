"""Documentation keeps up: every CLI command and every content field is documented."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from qunce.cli import app
from qunce.content.schema import Case, Playbook, Result, Step

ROOT = Path(__file__).resolve().parent.parent
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])


def _commands(group: object, prefix: str = "qunce") -> list[str]:
    out = []
    for name, command in getattr(group, "commands", {}).items():
        path = f"{prefix} {name}"
        out.append(path)
        out += _commands(command, path)
    return out


def test_every_cli_command_is_documented() -> None:
    click_app = typer.main.get_command(app)
    missing = [c for c in _commands(click_app) if c not in DOCS]
    assert missing == []


def test_every_content_field_is_documented() -> None:
    guide = (ROOT / "docs" / "content.md").read_text(encoding="utf-8")
    fields = {f for model in (Playbook, Case, Step, Result) for f in model.model_fields}
    missing = sorted(f for f in fields if not re.search(rf"\b{f}\b", guide))
    assert missing == []


def test_every_setting_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    config = (ROOT / "qunce" / "config.py").read_text(encoding="utf-8")
    names = set(re.findall(r"QUNCE_[A-Z_]+", config))
    assert names and {n for n in names if n not in readme} == set()
