"""`qunce validate` and `qunce schema`: exit codes and output, as a person at a terminal sees them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qunce.cli import app

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "content"
runner = CliRunner()


def _run(*args: str):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, list(args))
    print(result.output)
    return result


def test_validate_all_real_content_passes_with_full_coverage() -> None:
    result = _run("validate", "--coverage")
    assert result.exit_code == 0
    assert "coverage: 125/125 leaf sections (100%)" in result.output
    assert result.output.strip().splitlines()[-1].startswith("ok: ")


def test_validate_bad_file_prints_every_problem_and_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    result = _run("validate", "bad/wrong-type.yaml", "bad/unknown-tag.yaml")
    assert result.exit_code == 1
    assert "bad/wrong-type.yaml:22: steps[1].effort_days: expected a number of days, got 'two'" in result.output
    assert "bad/unknown-tag.yaml:6: tags[0]: unknown tag 'lanch'" in result.output
    assert "2 content errors" in result.output


def test_validate_missing_path_is_an_error() -> None:
    result = _run("validate", "no/such/file.yaml")
    assert result.exit_code == 1
    assert "no such file or folder" in result.output


def test_schema_writes_json_schemas_with_the_vocabulary(tmp_path: Path) -> None:
    result = _run("schema", "--out", str(tmp_path))
    assert result.exit_code == 0
    schema = json.loads((tmp_path / "playbook.schema.json").read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False
    assert "launch" in schema["properties"]["tags"]["items"]["enum"]
    assert "3.2.1" in schema["properties"]["sections"]["items"]["enum"]


def test_committed_schemas_are_up_to_date(tmp_path: Path) -> None:
    _run("schema", "--out", str(tmp_path))
    committed = Path(__file__).resolve().parents[2] / "schemas"
    for name in ("playbook.schema.json", "case.schema.json"):
        assert (committed / name).read_text(encoding="utf-8") == (tmp_path / name).read_text(
            encoding="utf-8"
        ), f"schemas/{name} is stale: run `qunce schema`"
