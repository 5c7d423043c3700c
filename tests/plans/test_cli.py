"""`qunce workspace ...` and `qunce plan ...` through the real `qunce` app (CliRunner)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from qunce.config import settings
from qunce.plans import Plan, Store, Workspace, list_plans

Team = tuple[Workspace, str]


def test_workspace_create_prints_code_and_link(run, store: Store) -> None:  # type: ignore[no-untyped-def]
    result = run("workspace", "create", "Shenzhen store")
    code = re.search(r"Join code: (\S+)", result.stdout)
    assert code, result.stdout
    assert (
        f"Join link: https://qunce.example.org/plans?lang=zh&join={code.group(1)}" in result.stdout
    )
    listed = run("plan", "list", "--workspace", code.group(1))
    assert "Shenzhen store (0 plans)" in listed.stdout


def test_plan_list_shows_ids_and_progress(run, team: Team, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    result = run("plan", "list", "--workspace", team[1])
    assert re.search(rf"^\s*{plan.id}\s+2026-03-02\s+0/5\s+0%\s+618 launch$", result.stdout, re.M)


def test_workspace_code_can_come_from_the_environment(  # type: ignore[no-untyped-def]
    run, team: Team, plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUNCE_WORKSPACE_CODE", team[1])
    assert "618 launch" in run("plan", "list").stdout


@pytest.mark.parametrize("fmt", ["md", "csv", "json"])
def test_export_to_stdout(run, team: Team, plan: Plan, fmt: str) -> None:  # type: ignore[no-untyped-def]
    result = run("plan", "export", "--workspace", team[1], "--plan", str(plan.id),
                 "--format", fmt, "--lang", "en")  # fmt: skip
    if fmt == "md":
        assert result.stdout.startswith("# 618 launch")
    elif fmt == "csv":
        assert "Pick seed members" in result.stdout
    else:
        assert json.loads(result.stdout)["plan"]["name"] == "618 launch"


def test_export_xlsx_to_a_file_and_import_it_elsewhere(  # type: ignore[no-untyped-def]
    run, team: Team, other_team: Team, plan: Plan, store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "plan.xlsx"
    run("plan", "export", "-w", team[1], "-p", str(plan.id), "-f", "xlsx", "-o", str(out))
    assert load_workbook(out)["计划"].max_row == 1 + len(plan.items)
    default = run("plan", "export", "-w", team[1], "-p", str(plan.id), "-f", "xlsx")
    assert "Wrote plan-" in default.stderr
    assert list(tmp_path.glob("plan-*.xlsx"))
    exported = tmp_path / "plan.json"
    run("plan", "export", "-w", team[1], "-p", str(plan.id), "-f", "json", "-o", str(exported))
    result = run("plan", "import", "-w", other_team[1], str(exported))
    assert "Imported plan" in result.stdout
    assert [p.name for p in list_plans(store, other_team[0].id)] == ["618 launch"]


def test_bad_code_is_a_clear_error(run, team: Team) -> None:  # type: ignore[no-untyped-def]
    result = run("plan", "list", "--workspace", "WrongCodeWrongCode1234", code=1)
    assert "Error: no workspace has this join code" in result.stderr
    assert "Traceback" not in result.output
    junk = run("plan", "list", "--workspace", "no", code=1)
    assert "not a join code" in junk.stderr


def test_another_workspaces_plan_is_not_found(  # type: ignore[no-untyped-def]
    run, other_team: Team, plan: Plan
) -> None:
    result = run("plan", "export", "-w", other_team[1], "-p", str(plan.id), code=1)
    assert f"plan {plan.id} is not in this workspace" in result.stderr


def test_bad_import_file_changes_nothing(  # type: ignore[no-untyped-def]
    run, team: Team, store: Store, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "qunce-plan", "version": 1, "plan": {"name": "x"}}')
    result = run("plan", "import", "-w", team[1], str(bad), code=1)
    assert "plan.start_date" in result.stderr and "plan.items" in result.stderr
    missing = run("plan", "import", "-w", team[1], str(tmp_path / "nope.json"), code=1)
    assert "cannot read" in missing.stderr
    assert list_plans(store, team[0].id) == []


def test_rotate_code(run, team: Team) -> None:  # type: ignore[no-untyped-def]
    result = run("workspace", "rotate-code", "-w", team[1])
    new = re.search(r"New join code: (\S+)", result.stdout)
    assert new, result.stdout
    run("plan", "list", "-w", team[1], code=1)
    run("plan", "list", "-w", new.group(1))


def test_unreachable_database_is_a_clear_error(  # type: ignore[no-untyped-def]
    run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.browser_support import free_port

    monkeypatch.setenv("QUNCE_DATABASE_URL", f"postgresql+psycopg://x@127.0.0.1:{free_port()}/db")
    settings.cache_clear()
    result = run("workspace", "create", "Team", code=1)
    assert "Error: the plans database" in result.stderr
    assert "Traceback" not in result.output
