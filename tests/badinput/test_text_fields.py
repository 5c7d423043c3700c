"""Every text a person can type into the plans library, at its nastiest, on SQLite and PostgreSQL.

A value is either stored and read back exactly as typed, or refused with a `PlanError` (the page
shows its message); no other exception may escape, because the pages turn only `PlanError`s into
messages. Whether markup stays inert on screen is checked in the browser (test_markup_inert.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

from qunce.plans import (
    PlanError,
    Store,
    add_item,
    create_plan,
    create_workspace,
    get_item,
    get_plan,
    get_scenario,
    get_workspace,
    item_history,
    open_store,
    rename_workspace,
    save_scenario,
    update_item,
    update_plan,
)

VALUES = {
    "markup": '<img src=x onerror=alert(1)><script>alert("x")</script>',
    "nul": "before\x00after",
    "lone-surrogate": "half \ud800 a pair",
    "long": "长" * 25_000,
    "mixed": "**b** [l](javascript:alert(1)) $x^2$ :red[r] =1+1 \u202eevil\u202c 👩‍👩‍👧 a\nb\r\n\tc"
    " ../../etc/passwd",
}


class _NoPlaybooks:
    items: dict[str, object] = {}  # noqa: RUF012

    def version(self, item_id: str) -> str:
        return ""


@pytest.fixture
def team(database_url: str) -> Iterator[tuple[Store, str, int, int]]:
    """(store, workspace id, plan id, item id)."""
    store = open_store(database_url)
    try:
        workspace, _code = create_workspace(store, "Text team")
        plan = create_plan(store, workspace.id, "Plan", [], _NoPlaybooks(),
                           start_date=date(2026, 3, 2))  # fmt: skip
        item = add_item(store, workspace.id, plan.id, "first")
        yield store, workspace.id, plan.id, item.id
    finally:
        store.dispose()


def _cleaned(typed: str) -> str:
    return "".join(c for c in typed if c.isprintable() or c == " ").strip()


@pytest.mark.parametrize("kind", sorted(VALUES))
def test_every_text_field_stores_exactly_or_refuses_politely(
    kind: str, team: tuple[Store, str, int, int]
) -> None:
    store, ws, plan_id, item_id = team
    value = VALUES[kind]
    made: dict[str, int] = {}

    def edit(field: str) -> Callable[[], Any]:
        def write() -> Any:
            version = get_item(store, ws, item_id).version
            return update_item(store, ws, item_id, {field: value}, expected_version=version,
                               author=value)  # fmt: skip

        return write

    cases: dict[str, tuple[Callable[[], Any], Callable[[], Any]]] = {
        "item notes": (edit("notes"), lambda: get_item(store, ws, item_id).notes),
        "item owner": (edit("owner"), lambda: get_item(store, ws, item_id).owner),
        "workspace name": (lambda: rename_workspace(store, ws, value),
                           lambda: get_workspace(store, ws).name),
        "plan name": (lambda: update_plan(store, ws, plan_id, name=value),
                      lambda: get_plan(store, ws, plan_id).name),
        "custom item": (lambda: made.update(item=add_item(store, ws, plan_id, value, notes=value).id),
                        lambda: get_item(store, ws, made["item"]).title_en),
        "scenario": (lambda: made.update(scenario=save_scenario(store, ws, "funnel", value,
                                                                {"note": value}).id),
                     lambda: get_scenario(store, ws, made["scenario"]).name),
    }  # fmt: skip
    problems = []
    for name, (write, read) in cases.items():
        try:
            write()
        except PlanError as exc:
            assert str(exc).strip()
            continue
        except Exception as exc:
            problems.append(f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
            continue
        found = read()
        if found not in (value, _cleaned(value)):
            problems.append(f"{name}: stored {found[:40]!r}, typed {value[:40]!r}")
    if "scenario" in made:
        assert get_scenario(store, ws, made["scenario"]).inputs == {"note": value}
    item_history(store, ws, item_id)  # the history of such values reads back too
    assert not problems, "\n".join(problems)
