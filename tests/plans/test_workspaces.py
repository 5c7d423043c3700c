"""Workspaces and join codes: unguessable codes, stored only as a digest, links that join."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from qunce.config import settings
from qunce.plans import (
    InvalidCode,
    InvalidValue,
    NotFound,
    Store,
    Workspace,
    create_workspace,
    delete_workspace,
    get_workspace,
    join_link,
    parse_code,
    rename_workspace,
    rotate_code,
    workspace_by_code,
)
from qunce.plans.workspaces import hash_code


def test_create_returns_an_unguessable_code_stored_only_hashed(store: Store) -> None:
    workspace, code = create_workspace(store, "  Shenzhen store ")
    assert workspace.name == "Shenzhen store"
    assert len(code) >= 22  # 16 random bytes in URL-safe base64
    with store.engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM workspaces")).mappings().one()
    assert code not in {str(v) for v in row.values()}
    assert row["code_hash"] == hash_code(code)
    _, other = create_workspace(store, "Shenzhen store")
    assert other != code


def test_the_code_and_the_link_both_open_the_workspace(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUNCE_BASE_URL", "https://qunce.example.org/")
    settings.cache_clear()
    workspace, code = create_workspace(store, "Team")
    link = join_link(code)
    assert link == f"https://qunce.example.org/plans?join={code}"
    assert join_link(code, lang="en") == f"https://qunce.example.org/plans?lang=en&join={code}"
    assert workspace_by_code(store, code) == workspace
    assert workspace_by_code(store, f"  {link}  ") == workspace
    assert workspace_by_code(store, f"?join={code}&lang=zh") == workspace


@pytest.mark.parametrize("bad", ["", "short", "x" * 30, "has spaces in it!!!!!!!"])
def test_wrong_codes_are_refused(store: Store, bad: str) -> None:
    create_workspace(store, "Team")
    with pytest.raises(InvalidCode):
        workspace_by_code(store, bad)


def test_parse_code_rejects_junk_and_accepts_links() -> None:
    assert parse_code("http://x/plans?join=AbC-_0123456789abcdef") == "AbC-_0123456789abcdef"
    with pytest.raises(InvalidCode, match="not a join code"):
        parse_code("http://x/plans?lang=en")


def test_rotating_the_code_turns_the_old_link_off(store: Store) -> None:
    workspace, old = create_workspace(store, "Team")
    new = rotate_code(store, workspace.id)
    assert workspace_by_code(store, new) == workspace
    with pytest.raises(InvalidCode):
        workspace_by_code(store, old)


def test_rename_and_delete(store: Store, team: tuple[Workspace, str]) -> None:
    workspace, code = team
    assert rename_workspace(store, workspace.id, "Team Alpha").name == "Team Alpha"
    with pytest.raises(InvalidValue):
        rename_workspace(store, workspace.id, "   ")
    with pytest.raises(InvalidValue, match="200"):
        create_workspace(store, "x" * 201)
    delete_workspace(store, workspace.id)
    with pytest.raises(NotFound):
        get_workspace(store, workspace.id)
    with pytest.raises(InvalidCode):
        workspace_by_code(store, code)
