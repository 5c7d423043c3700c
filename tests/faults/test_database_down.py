"""The plans database unreachable: a clear message, the knowledge pages still work, and nothing
half-written.

"Unreachable" comes three ways: a URL nobody answers (closed port), a SQLite path that cannot be
a file, and a database that goes away while the app is running. The last one runs PostgreSQL
behind a loopback proxy whose cable the test pulls (tests/faults/tcp_proxy.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

import qunce.ui.workspace
from qunce.config import settings
from qunce.content.catalogue import Catalogue
from qunce.plans import (
    StoreUnavailable,
    create_plan,
    create_workspace,
    get_item,
    import_plan,
    list_plans,
    open_store,
    to_json,
)
from qunce.plans.models import ItemRow
from tests.browser_support import free_port
from tests.faults.tcp_proxy import TcpProxy
from tests.fixtures_db import drop_postgres_database, fresh_postgres_database

ROOT = Path(__file__).resolve().parents[2]
PLAYBOOK = "launch-rules"


def _texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "success", "error", "warning", "info", "caption", "text")
             for e in getattr(at, kind)]  # fmt: skip
    parts += [e.label for e in at.expander]
    return "\n".join(str(p) for p in parts)


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(params=["closed-port", "sqlite-path-under-a-file"])
def unreachable_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL that cannot be used; the password must never reach the page."""
    if request.param == "closed-port":
        return f"postgresql+psycopg://qunce:s3cret-pw@127.0.0.1:{free_port()}/plans"
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    return f"sqlite:///{blocker / 'qunce.db'}"


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("QUNCE_INDEX_DIR", str(tmp_path / "no-index"))
    monkeypatch.setenv("QUNCE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("QUNCE_CONTENT_PATH", raising=False)
    yield
    qunce.ui.workspace._open_store.clear()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_plans_page_says_the_database_is_unreachable(
    unreachable_url: str, lang: str, monkeypatch: pytest.MonkeyPatch, app_env: None
) -> None:
    monkeypatch.setenv("QUNCE_DATABASE_URL", unreachable_url)
    at = AppTest.from_file(str(ROOT / "views" / "plans.py"), default_timeout=60)
    at.query_params["lang"] = lang
    _ok(at.run())
    assert at.error, _texts(at)
    assert ("cannot be reached" if lang == "en" else "无法连接") in at.error[0].value
    assert "s3cret-pw" not in _texts(at)


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("views/home.py", {}),
        ("views/playbooks.py", {}),
        ("views/playbooks.py", {"id": PLAYBOOK}),
        ("views/cases.py", {"id": "xiaomi-fans"}),
        ("views/calculators.py", {"calc": "funnel"}),
    ],
    ids=["home", "playbooks", "one-playbook", "one-case", "calculator"],
)
def test_the_knowledge_pages_work_without_the_database(
    page: str,
    params: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    app_env: None,
    search_index_dir: Path,
) -> None:
    monkeypatch.setenv("QUNCE_INDEX_DIR", str(search_index_dir))  # "similar items" needs it
    monkeypatch.setenv("QUNCE_DATABASE_URL", f"postgresql+psycopg://x@127.0.0.1:{free_port()}/db")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    for key, value in params.items():
        at.query_params[key] = value
    _ok(at.run())
    _ok(at.switch_page(page).run())
    assert at.title and at.title[0].value.strip()
    if page == "views/playbooks.py" and params:
        assert len(at.expander) >= 4, "the playbook's steps are shown"
    if page == "views/calculators.py":
        assert at.metric, "the calculator still computes"
    # Only the calculators page touches plans (saved scenarios); it says why they are missing.
    errors = [e.value for e in at.error]
    assert all("cannot be reached" in e for e in errors), errors


@pytest.fixture
def proxied(postgres_server: str) -> Iterator[tuple[str, str, TcpProxy]]:
    """(direct URL, URL through a cuttable proxy, the proxy) of a fresh PostgreSQL database."""
    url = fresh_postgres_database(postgres_server)
    parsed = make_url(url)
    proxy = TcpProxy(parsed.host or "127.0.0.1", parsed.port or 5432)
    through = parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    try:
        yield url, through, proxy
    finally:
        proxy.cut()
        drop_postgres_database(postgres_server, url)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    from qunce.content.catalogue import load_catalogue

    return load_catalogue(extra=[])


@pytest.mark.postgres
def test_the_database_going_away_while_the_page_is_open(
    proxied: tuple[str, str, TcpProxy],
    catalogue: Catalogue,
    monkeypatch: pytest.MonkeyPatch,
    app_env: None,
) -> None:
    direct_url, through, proxy = proxied
    direct = open_store(direct_url)
    team, code = create_workspace(direct, "Cable team")
    plan = create_plan(
        direct, team.id, "Launch", [PLAYBOOK], catalogue, start_date=date(2026, 3, 2)
    )
    item = plan.items[0]
    monkeypatch.setenv("QUNCE_DATABASE_URL", through)
    settings.cache_clear()  # creating the workspace read the settings (its quota) already
    at = AppTest.from_file(str(ROOT / "views" / "plans.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.query_params["join"] = code
    at.session_state["plans.author"] = "Lin"  # the person told the page their name
    _ok(at.run())
    at.session_state[f"plans.open.{item.id}"] = True  # unfold the item: its form shows
    _ok(at.run())
    prefix = f"plans.item.{item.id}.v1"
    assert at.text_area(key=f"{prefix}.notes").value == ""

    proxy.cut()
    at.text_area(key=f"{prefix}.notes").input("typed while the database was away")
    at.button(key=f"FormSubmitter:{prefix}-Save").click()
    _ok(at.run())
    assert any("cannot be reached" in e.value for e in at.error), _texts(at)
    assert get_item(direct, team.id, item.id).version == 1  # nothing was written

    proxy.restore()
    _ok(at.run())
    # The page is back; at most the note that the earlier save was lost remains.
    assert all("not saved" in e.value for e in at.error), _texts(at)
    at.text_area(key=f"{prefix}.notes").input("typed after it came back")
    at.button(key=f"FormSubmitter:{prefix}-Save").click()
    _ok(at.run())
    saved = get_item(direct, team.id, item.id)
    assert (saved.notes, saved.version) == ("typed after it came back", 2)
    direct.dispose()


def _cut_at(store: Any, proxy: TcpProxy, moment: str) -> None:
    """Pull the cable just before the second INSERT ("insert") or before COMMIT ("commit")."""
    seen = {"inserts": 0}

    @event.listens_for(store.engine, "before_cursor_execute")
    def _count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT"):
            seen["inserts"] += 1
            if moment == "insert" and seen["inserts"] == 2:
                proxy.cut()

    @event.listens_for(store.engine, "commit")
    def _commit(_conn: Any) -> None:
        if moment == "commit" and seen["inserts"]:
            proxy.cut()


@pytest.mark.postgres
@pytest.mark.parametrize("moment", ["insert", "commit"])
def test_a_write_cut_halfway_leaves_nothing_behind(
    moment: str, proxied: tuple[str, str, TcpProxy], catalogue: Catalogue
) -> None:
    direct_url, through, proxy = proxied
    direct = open_store(direct_url)
    team, _code = create_workspace(direct, "Half team")
    plan = create_plan(
        direct, team.id, "Original", [PLAYBOOK], catalogue, start_date=date(2026, 3, 2)
    )
    document = to_json(plan)

    def items() -> int:
        with direct.session() as session:
            return int(session.scalar(select(func.count()).select_from(ItemRow)) or 0)

    before = items()
    for attempt in ("import", "create"):
        remote = open_store(through)
        _cut_at(remote, proxy, moment)
        with pytest.raises(StoreUnavailable) as caught:
            if attempt == "import":
                import_plan(remote, team.id, document)
            else:
                create_plan(
                    remote, team.id, "Second", [PLAYBOOK], catalogue, start_date=date(2026, 3, 2)
                )
        assert "cannot be used" in str(caught.value)
        assert [p.name for p in list_plans(direct, team.id)] == ["Original"]
        assert items() == before
        remote.dispose()
        proxy.restore()
    direct.dispose()
