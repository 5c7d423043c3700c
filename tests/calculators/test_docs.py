"""docs/calculators.md stays in step with the code."""

from __future__ import annotations

from pathlib import Path

from qunce.calculators.cli import app
from qunce.calculators.docs import fields_markdown
from qunce.calculators.registry import registry

DOC = Path(__file__).resolve().parents[2] / "docs" / "calculators.md"


def test_input_tables_match_the_models() -> None:
    assert fields_markdown() in DOC.read_text(encoding="utf-8"), (
        "docs/calculators.md is stale: paste `python -m qunce.calculators.docs` between its markers"
    )


def test_every_calculator_and_command_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for calc in registry():
        assert f"### `{calc.id}`" in text
        for section in calc.sections:
            assert section in text
    names = [command.name for command in app.registered_commands]
    assert set(names) == {"list"} | {c.id for c in registry()}
    assert "qunce calc list" in text
    assert "Each calculator is its own subcommand of `qunce calc`" in text
    for option in ("--set", "--fields", "--json", "--lang"):
        assert option in text
