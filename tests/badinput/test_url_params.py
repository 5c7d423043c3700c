"""Hostile query parameters on every page: path-like and huge ids, markup, SQL, another team's ids.

Whatever a link carries, each page answers with its normal view or a message, never an
exception, and a plan id of another workspace shows nothing of that workspace.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import qunce.ui.workspace
from qunce.plans import create_plan, create_workspace, open_store

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = [
    "../../etc/passwd",
    "x" * 10_000,
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "1 OR 1=1; DROP TABLE plans; --",
    "%00\x00%2e%2e%2f",
]
PAGES = {
    "playbooks": ["id"],
    "cases": ["id"],
    "calculators": ["calc", "reach", "join_rate", "tiers"],
    "plans": ["plan", "playbooks", "join", "id"],
    "workshop": ["join", "screen", "host", "id"],
    "search": ["q"],
    "home": ["lang", "id"],
}


class _NoPlaybooks:
    items: dict[str, object] = {}  # noqa: RUF012

    def version(self, item_id: str) -> str:
        return ""


@pytest.fixture
def app_env(
    tmp_path: Path, search_index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A private SQLite database (its URL) and the session's search index for the pages."""
    url = f"sqlite:///{tmp_path / 'q.db'}"
    monkeypatch.setenv("QUNCE_DATABASE_URL", url)
    monkeypatch.setenv("QUNCE_INDEX_DIR", str(search_index_dir))
    monkeypatch.delenv("QUNCE_CONTENT_PATH", raising=False)
    yield url
    qunce.ui.workspace._open_store.clear()


def _visit(page: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != "home":
        at.switch_page(f"views/{page}.py").run()
    return at


@pytest.mark.parametrize("page", sorted(PAGES))
def test_hostile_parameters_never_raise(page: str, app_env: str) -> None:
    for value in HOSTILE:
        params = {name: value for name in PAGES[page]}
        if page == "calculators" and params["calc"] != "funnel":
            _ok(_visit(page, params), page, value)
            params["calc"] = "funnel"  # and the same values in a real calculator's fields
        _ok(_visit(page, params), page, value)


def _ok(at: AppTest, page: str, value: str) -> None:
    assert not at.exception, (page, value[:40], [e.value for e in at.exception])
    assert at.title or at.error or at.warning, (page, value[:40])


def test_another_workspaces_plan_id_in_the_url_shows_nothing_of_it(app_env: str) -> None:
    store = open_store(app_env)
    _mine, my_code = create_workspace(store, "Mine")
    theirs, _their_code = create_workspace(store, "Theirs")
    secret = create_plan(store, theirs.id, "Their secret launch", [], _NoPlaybooks(),
                         start_date=date(2026, 3, 2))  # fmt: skip
    store.dispose()
    for key in ("plan", "id", "plans.plan"):
        at = _visit("plans", {"join": my_code, key: str(secret.id)})
        assert not at.exception, [e.value for e in at.exception]
        shown = "\n".join(str(e.value) for e in [*at.markdown, *at.caption, *at.success, *at.info])
        shown += "\n".join(str(getattr(w, "options", "")) for w in at.selectbox)
        assert "Mine" in shown
        assert "Their secret launch" not in shown
        assert "Theirs" not in shown
