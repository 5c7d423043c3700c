"""The admin page (issue 12): QUNCE_ADMIN_CODE unlocks usage, quotas, content errors and
deletion; the code is checked in constant time with a growing delay and a lockout."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import qunce.admin
from qunce.admin import LOCKOUT_FAILURES, AdminGate, workspace_usage
from qunce.config import settings
from qunce.content.catalogue import load_catalogue
from qunce.db.store import open_store
from qunce.plans import create_plan, list_plans
from qunce.plans.workspaces import create_workspace, get_workspace, open_code

ROOT = Path(__file__).resolve().parent.parent
CODE = "correct horse battery staple"


def test_the_gate_answers_right_codes_and_slows_down_wrong_ones() -> None:
    waited: list[float] = []
    gate = AdminGate(sleep=waited.append)
    assert gate.check(CODE, CODE)
    assert not gate.check("guess", CODE)
    assert not gate.check("guess again", CODE)
    assert not gate.check("guess once more", CODE)
    assert waited == [1.0, 2.0, 4.0]  # each failure waits twice as long as the one before
    assert gate.check(f"  {CODE} ", CODE)  # surrounding blanks from a paste are forgiven
    assert not gate.check(CODE, None)  # no code configured: nothing unlocks
    assert not gate.check("", "")


def test_the_gate_locks_after_ten_failures_even_for_the_right_code() -> None:
    gate = AdminGate(sleep=lambda _s: None)
    for _ in range(LOCKOUT_FAILURES):
        assert not gate.check("guess", CODE)
    assert gate.locked()
    assert not gate.check(CODE, CODE)


@pytest.fixture
def admin_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, search_index_dir: Path) -> Iterator[AppTest]:
    monkeypatch.setenv("QUNCE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("QUNCE_INDEX_DIR", str(search_index_dir))
    monkeypatch.setenv("QUNCE_ADMIN_CODE", CODE)
    settings.cache_clear()
    monkeypatch.setattr(qunce.admin, "GATE", AdminGate(sleep=lambda _s: None))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = "en"
    yield at
    settings.cache_clear()


def _admin(at: AppTest) -> AppTest:
    at.run()
    at.switch_page("views/admin.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_without_the_code_the_page_shows_only_the_form(admin_app: AppTest) -> None:
    at = _admin(admin_app)
    assert any(w.key == "admin.code" for w in at.text_input)
    assert not at.dataframe
    at.text_input(key="admin.code").input("nope")
    at.button(key="FormSubmitter:admin.unlock-Unlock").click()
    at.run()
    assert any("That is not the admin code." in e.value for e in at.error)
    assert not at.dataframe


def test_admin_sees_usage_and_deletes(admin_app: AppTest) -> None:
    store = open_store(settings().database_url)
    cat = load_catalogue()
    team, _code = create_workspace(store, "Shenzhen store")
    create_plan(store, team.id, "Launch", ["launch-rules"], cat, start_date=date(2026, 3, 2))
    other, _ = create_workspace(store, "Idle team")
    at = _admin(admin_app)
    at.text_input(key="admin.code").input(CODE)
    at.button(key="FormSubmitter:admin.unlock-Unlock").click()
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    row = table[table["Name"] == "Shenzhen store"].iloc[0]
    assert row["Plans"] == 1 and row["Items"] == len(cat.get("launch-rules").steps)  # type: ignore[union-attr]
    assert [m.value for m in at.metric][:2] == ["2 / 500", "0 / 100"]
    # a new owner link for a workspace that had none
    at.selectbox(key="admin.ws.pick").set_value(team.id)
    at.button(key="admin.ws.owner").click()
    at.run()
    link = next(c.value for c in at.code if "join=" in c.value)
    assert open_code(store, link.rsplit("=", 1)[1])[1].role == "owner"
    # delete the idle workspace
    at.selectbox(key="admin.ws.pick").set_value(other.id)
    at.checkbox(key="admin.ws.confirm").check()
    at.button(key="admin.ws.delete").click()
    at.run()
    assert [w.name for w in workspace_usage(store)] == ["Shenzhen store"]
    assert list_plans(store, team.id) and get_workspace(store, team.id).name == "Shenzhen store"
    store.dispose()


def test_deleting_without_the_confirmation_deletes_nothing(admin_app: AppTest) -> None:
    store = open_store(settings().database_url)
    team, _ = create_workspace(store, "Keep me")
    at = _admin(admin_app)
    at.session_state["admin.unlocked_at"] = datetime.now(UTC)
    at.run()
    at.button(key="admin.ws.delete").click()
    at.run()
    assert get_workspace(store, team.id).name == "Keep me"
    store.dispose()
