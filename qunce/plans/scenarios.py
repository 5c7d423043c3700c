"""Saved calculator scenarios: named inputs of a calculator, owned by a workspace.

The calculators call these three functions (signatures are stable; see docs/plans.md):

    save_scenario(store, workspace_id, calculator, name, inputs) -> Scenario
    list_scenarios(store, workspace_id, calculator=None) -> list[Scenario]
    delete_scenario(store, workspace_id, scenario_id) -> None

Saving under a name that already exists for the same calculator in the workspace replaces that
scenario's inputs (same id), so "save" twice never makes duplicates. Like everything in
`qunce.plans`, each function filters by the workspace: another team's scenario id finds nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from qunce.db.base import utcnow
from qunce.db.errors import InvalidValue, NotFound
from qunce.db.store import Store
from qunce.plans.models import ScenarioRow
from qunce.plans.records import Scenario
from qunce.plans.workspaces import clean_name

MAX_INPUT_BYTES = 64_000
# json.dumps writes a NUL as \u0000; an even run of backslashes before it is a typed backslash.
_NUL_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")
_CALCULATOR_ID = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")


def _record(row: ScenarioRow) -> Scenario:
    return Scenario(
        id=row.id,
        workspace_id=row.workspace_id,
        calculator=row.calculator,
        name=row.name,
        inputs=dict(row.inputs),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _check(calculator: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    if not _CALCULATOR_ID.match(calculator) or len(calculator) > 64:
        raise InvalidValue(
            f"{calculator!r} is not a calculator id (kebab-case, at most 64 characters)"
        )
    try:
        # A round trip through JSON: what we store is exactly what comes back, on both databases.
        encoded = json.dumps(dict(inputs), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidValue(
            f"the inputs cannot be saved as JSON: {exc}", zh="这些输入无法保存。"
        ) from exc
    if _NUL_ESCAPE.search(encoded):
        raise InvalidValue(
            "the inputs contain a NUL character (\\x00), which cannot be stored",
            zh="输入里有无法保存的空字符（\\x00）。",
        )
    try:
        size = len(encoded.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise InvalidValue(
            "the inputs contain a broken character (a lone UTF-16 surrogate)",
            zh="输入里有损坏的字符，请重新输入。",
        ) from exc
    if size > MAX_INPUT_BYTES:
        raise InvalidValue(
            f"the inputs are larger than {MAX_INPUT_BYTES:,} bytes",
            zh=f"输入超过 {MAX_INPUT_BYTES:,} 字节。",
        )
    loaded: dict[str, Any] = json.loads(encoded)
    return loaded


def save_scenario(
    store: Store, workspace_id: str, calculator: str, name: str, inputs: Mapping[str, Any]
) -> Scenario:
    """Save `inputs` of `calculator` under `name` in the workspace (replacing a same-named one)."""
    clean = clean_name(name, what="scenario name")
    values = _check(calculator, inputs)
    for _attempt in range(2):
        try:
            with store.session(write=True) as session:
                row = session.scalars(
                    select(ScenarioRow).where(
                        ScenarioRow.workspace_id == workspace_id,
                        ScenarioRow.calculator == calculator,
                        ScenarioRow.name == clean,
                    )
                ).first()
                now = utcnow()
                if row is None:
                    row = ScenarioRow(
                        workspace_id=workspace_id,
                        calculator=calculator,
                        name=clean,
                        inputs=values,
                        created_at=now,
                        updated_at=now,
                    )
                    session.add(row)
                else:
                    row.inputs = values
                    row.updated_at = now
                session.flush()
                return _record(row)
        except IntegrityError:
            # Two people saved the same new name at once: the second save updates the first's row.
            continue
    raise InvalidValue(
        f"the scenario {clean!r} could not be saved; try again", zh="方案没有保存成功，请再试一次。"
    )


def list_scenarios(
    store: Store, workspace_id: str, calculator: str | None = None
) -> list[Scenario]:
    """The workspace's scenarios (of one calculator, if given), most recently saved first."""
    query = select(ScenarioRow).where(ScenarioRow.workspace_id == workspace_id)
    if calculator is not None:
        query = query.where(ScenarioRow.calculator == calculator)
    with store.session() as session:
        rows = session.scalars(
            query.order_by(ScenarioRow.updated_at.desc(), ScenarioRow.id.desc())
        ).all()
        return [_record(r) for r in rows]


def get_scenario(store: Store, workspace_id: str, scenario_id: int) -> Scenario:
    """One scenario of the workspace; NotFound otherwise."""
    with store.session() as session:
        row = session.scalars(
            select(ScenarioRow).where(
                ScenarioRow.id == scenario_id, ScenarioRow.workspace_id == workspace_id
            )
        ).first()
        if row is None:
            raise NotFound(
                f"scenario {scenario_id} is not in this workspace", zh="这个工作区里没有这个方案。"
            )
        return _record(row)


def delete_scenario(store: Store, workspace_id: str, scenario_id: int) -> None:
    """Delete one scenario of the workspace; NotFound if it is not there."""
    with store.session(write=True) as session:
        row = session.scalars(
            select(ScenarioRow).where(
                ScenarioRow.id == scenario_id, ScenarioRow.workspace_id == workspace_id
            )
        ).first()
        if row is None:
            raise NotFound(
                f"scenario {scenario_id} is not in this workspace", zh="这个工作区里没有这个方案。"
            )
        session.delete(row)
