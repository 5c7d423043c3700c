"""Fuzz the plan import: any file is either imported whole or refused with a message, never a
traceback and never half a plan.

Three sources of hostile files: random bytes, random JSON, and a valid export with one value
replaced by something nasty (NUL, lone surrogates, huge numbers, deep nesting, markup).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from qunce.plans import (
    ImportRejected,
    Store,
    add_item,
    create_plan,
    create_workspace,
    get_plan,
    import_plan,
    open_store,
    to_json,
)
from qunce.plans.models import ChangeRow, ItemRow, PlanRow, SourceRow

FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
NASTY = st.sampled_from(
    ["\x00", "a\x00b", "\ud800", "\udfff x", "<img src=x onerror=alert(1)>", "=cmd|' /C calc'!A0",
     "../../etc/passwd", "x" * 20_001, "\u202e\u2066", "", " ", 1e308, -1, 0, 10**30, float("inf"),
     None, True, [], {}, [[[]]], {"a": {"b": {}}}, "2026-02-30", "9999-12-31", "0000-01-01"]
)  # fmt: skip


class _NoPlaybooks:
    items: dict[str, object] = {}  # noqa: RUF012

    def version(self, item_id: str) -> str:
        return ""


@pytest.fixture
def target(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Store, str, bytes]]:
    """(store, workspace id, a valid plan file with custom items) on sqlite and postgres.

    Hypothesis imports hundreds of plans into this one workspace: the plan quota is raised."""
    from qunce.config import settings

    monkeypatch.setenv("QUNCE_MAX_PLANS_PER_WORKSPACE", "1000")
    settings.cache_clear()
    store = open_store(database_url)
    try:
        workspace, _code = create_workspace(store, "Import team")
        plan = create_plan(store, workspace.id, "Source plan", [], _NoPlaybooks(),
                           start_date=date(2026, 3, 2))  # fmt: skip
        for n in range(3):
            add_item(store, workspace.id, plan.id, f"item {n}", owner="Mei", notes=f"note {n}")
        yield store, workspace.id, to_json(get_plan(store, workspace.id, plan.id))
    finally:
        store.dispose()
        settings.cache_clear()


def _counts(store: Store) -> tuple[int, ...]:
    with store.session() as session:
        return tuple(
            int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (PlanRow, ItemRow, SourceRow, ChangeRow)
        )


def _attempt(store: Store, workspace_id: str, data: bytes) -> None:
    """Import `data`: all or nothing, and a refusal carries readable problems."""
    before = _counts(store)
    try:
        plan = import_plan(store, workspace_id, data, author="fuzz")
    except ImportRejected as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        assert _counts(store) == before, "a refused file changed the database"
        return
    after = _counts(store)
    assert after[0] == before[0] + 1
    assert after[1] == before[1] + len(plan.items)
    # What was imported exports and imports again unchanged.
    again = import_plan(store, workspace_id, to_json(plan))
    assert [(i.title_zh, i.title_en, i.notes, i.owner, i.status, i.due) for i in again.items] == [
        (i.title_zh, i.title_en, i.notes, i.owner, i.status, i.due) for i in plan.items
    ]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*prefix, index))
    return out


def _replace(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    changed = copy.deepcopy(document)
    node = changed
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return changed


def test_one_nasty_value_anywhere(target: tuple[Store, str, bytes]) -> None:
    store, workspace_id, valid = target
    document = json.loads(valid)
    paths = _paths(document)

    @FUZZ
    @given(st.sampled_from(paths), NASTY)
    def run(path: tuple[Any, ...], value: Any) -> None:
        data = json.dumps(_replace(document, path, value), allow_nan=True).encode("utf-8")
        _attempt(store, workspace_id, data)

    run()


def test_random_bytes_and_random_json(target: tuple[Store, str, bytes]) -> None:
    store, workspace_id, _valid = target
    json_values = st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20)),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=15,
    )

    @FUZZ
    @given(st.one_of(st.binary(max_size=300), json_values.map(lambda v: json.dumps(v).encode())))
    def run(data: bytes) -> None:
        _attempt(store, workspace_id, data)

    run()


@pytest.mark.parametrize(
    "data",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"format": "qunce-plan", "plan": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_001,
        b"\xff\xfe{}",
        b"\xef\xbb\xbf" + b'{"format": "qunce-plan"}',
        b'{"format": "qunce-plan", "version": 1, "plan": {"name": "x", "start_date": "2026-01-01",'
        b' "items": [' + b",".join([b'{"title_en": "t"}'] * 2001) + b"]}}",
        b" " * 1_000_001,
    ],
    ids=["deep-array", "deep-object", "utf16-bom", "utf8-bom-only-format", "2001-items", "1MB+1"],
)
def test_malformed_and_oversized_files_are_refused(
    data: bytes, target: tuple[Store, str, bytes]
) -> None:
    store, workspace_id, _valid = target
    before = _counts(store)
    with pytest.raises(ImportRejected):
        import_plan(store, workspace_id, data)
    assert _counts(store) == before
