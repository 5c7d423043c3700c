"""Occurrences of recurring items: read the touched ones, tick, skip or note one, one-tap marks.

An occurrence nobody touched has no row: it is computed from the item's rule, with status
"todo" and version 0. The first save inserts its row (version 1); later saves update it. Both
carry the version they were based on, checked in the statement itself: an INSERT that finds
the row already there (someone else saved first) or an UPDATE whose version moved on raises
`StaleOccurrence` with the occurrence as it is now, and nothing is written. Each saved field
adds a history row (`item_changes`, with `occurs_at`), like an item's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Annotated, Any, cast

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError
from sqlalchemy import Executable, Table, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from qunce.db.base import utcnow
from qunce.db.errors import InvalidValue
from qunce.db.store import Store
from qunce.plans.errors import StaleOccurrence
from qunce.plans.models import ChangeRow, ItemRow, OccurrenceRow, PlanRow
from qunce.plans.records import Item, Occurrence, OccurrenceStatus, Status
from qunce.plans.recurrence import Repeat
from qunce.plans.repository import (
    _author,
    _item_row,
    _plan_row,
    fmt_value,
    invalid,
    update_item,
)
from qunce.plans.texts import StorableText

OCCURRENCES = cast(Table, OccurrenceRow.__table__)
Notes = Annotated[str, StringConstraints(max_length=20_000), StorableText]


class OccurrenceEdit(BaseModel):
    """What a person may change on an occurrence; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")

    status: OccurrenceStatus | None = None
    notes: Notes | None = None


def _occurrence(row: OccurrenceRow) -> Occurrence:
    return Occurrence(
        item_id=row.item_id,
        occurs_at=row.occurs_at,
        status=cast(OccurrenceStatus, row.status),
        notes=row.notes,
        version=row.version,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
    )


def get_occurrences(
    store: Store, workspace_id: str, plan_id: int, *, start: date, end: date
) -> list[Occurrence]:
    """The touched occurrences of a plan whose day lies from `start` to `end` (included).

    One indexed query; pair it with the pure views in `qunce.plans.calendar`, which compute the
    untouched ones.
    """
    with store.session() as session:
        _plan_row(session, workspace_id, plan_id)
        rows = session.scalars(
            select(OccurrenceRow)
            .where(
                OccurrenceRow.plan_id == plan_id,
                OccurrenceRow.workspace_id == workspace_id,
                OccurrenceRow.occurs_at >= datetime.combine(start, time()),
                OccurrenceRow.occurs_at <= datetime.combine(end, time.max),
            )
            .order_by(OccurrenceRow.occurs_at, OccurrenceRow.item_id)
        ).all()
        return [_occurrence(r) for r in rows]


def all_occurrences(store: Store, workspace_id: str, plan_id: int) -> list[Occurrence]:
    """Every touched occurrence of a plan (for exports)."""
    with store.session() as session:
        _plan_row(session, workspace_id, plan_id)
        rows = session.scalars(
            select(OccurrenceRow)
            .where(OccurrenceRow.plan_id == plan_id, OccurrenceRow.workspace_id == workspace_id)
            .order_by(OccurrenceRow.item_id, OccurrenceRow.occurs_at)
        ).all()
        return [_occurrence(r) for r in rows]


def _repeat(row: ItemRow) -> Repeat:
    if not row.rule:
        raise InvalidValue(
            f"item {row.id} does not repeat; change its status itself "
            "(or give it a repeat rule first)"
        )
    return Repeat(row.rule, row.repeat_from or row.updated_at.date())


def _check_occurs(row: ItemRow, when: datetime) -> None:
    repeat = _repeat(row)
    if repeat.includes(when):
        return
    that_day = repeat.on(when.date())
    if that_day:
        times = ", ".join(t.strftime("%H:%M") for t in that_day)
        hint = f"on {when.date().isoformat()} it happens at {times}"
    else:
        hint = f"it does not happen on {when.date().isoformat()} ({repeat.describe('en')})"
    raise InvalidValue(f"item {row.id} has no occurrence at {when:%Y-%m-%d %H:%M}: {hint}")


def occurrence_at(item: Item, when: date | datetime) -> datetime:
    """The item's occurrence at `when`: a datetime must be one; a date must have exactly one.

    InvalidValue names the times of that day, or says the rule does not happen then.
    """
    repeat = item.repeat
    if repeat is None:
        raise InvalidValue(f"item {item.id} does not repeat; set its status instead")
    if isinstance(when, datetime):
        if not repeat.includes(when):
            raise InvalidValue(
                f"item {item.id} has no occurrence at {when:%Y-%m-%d %H:%M} "
                f"({repeat.describe('en')})"
            )
        return when
    found = repeat.on(when)
    if len(found) == 1:
        return found[0]
    if not found:
        raise InvalidValue(
            f"item {item.id} does not happen on {when.isoformat()} ({repeat.describe('en')})"
        )
    times = ", ".join(t.strftime("%H:%M") for t in found)
    raise InvalidValue(
        f"item {item.id} happens {len(found)} times on {when.isoformat()} ({times}); "
        f"name the time, e.g. {found[0]:%Y-%m-%dT%H:%M}"
    )


def _stored(session: Session, workspace_id: str, item_id: int, when: datetime) -> Occurrence:
    row = session.scalars(
        select(OccurrenceRow)
        .where(
            OccurrenceRow.item_id == item_id,
            OccurrenceRow.workspace_id == workspace_id,
            OccurrenceRow.occurs_at == when,
        )
        .execution_options(populate_existing=True)
    ).first()
    return _occurrence(row) if row is not None else Occurrence(item_id=item_id, occurs_at=when)


def get_occurrence(store: Store, workspace_id: str, item_id: int, when: datetime) -> Occurrence:
    """One occurrence as it is now (computed if nobody touched it); InvalidValue if off-rule."""
    with store.session() as session:
        row = _item_row(session, workspace_id, item_id)
        _check_occurs(row, when)
        return _stored(session, workspace_id, item_id, when)


def update_occurrence(
    store: Store,
    workspace_id: str,
    item_id: int,
    when: datetime,
    changes: Mapping[str, Any],
    *,
    expected_version: int,
    author: str = "",
) -> Occurrence:
    """Tick, skip or note one occurrence, based on `expected_version` (0: never touched).

    Raises StaleOccurrence when someone saved it since; a save that changes nothing returns it
    unchanged. The item itself and its other occurrences are not touched.
    """
    try:
        edit = OccurrenceEdit.model_validate(dict(changes))
    except ValidationError as exc:
        raise invalid(exc) from exc
    fields = {key: getattr(edit, key) for key in changes if getattr(edit, key) is not None}
    author = _author(author)
    now = utcnow()
    with store.session(write=True) as session:
        item = _item_row(session, workspace_id, item_id)
        _check_occurs(item, when)
        current = _stored(session, workspace_id, item_id, when)
        if current.version != expected_version:
            raise StaleOccurrence(current, expected_version)
        diffs = {k: v for k, v in fields.items() if getattr(current, k) != v}
        if not diffs:
            return current
        values = {"updated_at": now, "updated_by": author, **diffs}
        statement: Executable
        if expected_version == 0:
            insert = pg_insert if store.dialect == "postgresql" else sqlite_insert
            statement = (
                insert(OCCURRENCES)
                .values(
                    workspace_id=workspace_id,
                    plan_id=item.plan_id,
                    item_id=item_id,
                    occurs_at=when,
                    status=diffs.get("status", "todo"),
                    notes=diffs.get("notes", ""),
                    version=1,
                    updated_at=now,
                    updated_by=author,
                )
                .on_conflict_do_nothing(index_elements=["item_id", "occurs_at"])
                .returning(OCCURRENCES.c.version)
            )
        else:
            statement = (
                update(OCCURRENCES)
                .where(
                    OCCURRENCES.c.item_id == item_id,
                    OCCURRENCES.c.workspace_id == workspace_id,
                    OCCURRENCES.c.occurs_at == when,
                    OCCURRENCES.c.version == expected_version,
                )
                .values(version=OCCURRENCES.c.version + 1, **values)
                .returning(OCCURRENCES.c.version)
            )
        version = session.execute(statement).scalar()
        if version is None:
            raise StaleOccurrence(_stored(session, workspace_id, item_id, when), expected_version)
        for key, new in diffs.items():
            session.add(
                ChangeRow(
                    workspace_id=workspace_id,
                    plan_id=item.plan_id,
                    item_id=item_id,
                    item_title=(item.title_zh or item.title_en)[:300],
                    item_version=version,
                    at=now,
                    author=author,
                    field=key,
                    old=fmt_value(getattr(current, key)),
                    new=fmt_value(new),
                    occurs_at=when,
                )
            )
        session.flush()
        return Occurrence(
            item_id=item_id,
            occurs_at=when,
            status=diffs.get("status", current.status),
            notes=diffs.get("notes", current.notes),
            version=version,
            updated_at=now,
            updated_by=author,
        )


def plan_stamp(store: Store, workspace_id: str, plan_id: int) -> tuple[object, ...]:
    """A cheap fingerprint of a plan that changes whenever the plan, an item or an occurrence does.

    One query of three aggregates; a page that refreshes on a timer compares it with the last
    one and reloads the plan only when it differs.
    """
    mine_items = (ItemRow.plan_id == plan_id, ItemRow.workspace_id == workspace_id)
    mine_occurrences = (
        OccurrenceRow.plan_id == plan_id,
        OccurrenceRow.workspace_id == workspace_id,
    )
    with store.session() as session:
        row = session.execute(
            select(
                PlanRow.updated_at,
                PlanRow.start_date,
                PlanRow.name,
                select(func.count()).where(*mine_items).scalar_subquery(),
                select(func.max(ItemRow.updated_at)).where(*mine_items).scalar_subquery(),
                select(func.sum(ItemRow.version)).where(*mine_items).scalar_subquery(),
                select(func.count()).where(*mine_occurrences).scalar_subquery(),
                select(func.max(OccurrenceRow.updated_at))
                .where(*mine_occurrences)
                .scalar_subquery(),
            ).where(PlanRow.id == plan_id, PlanRow.workspace_id == workspace_id)
        ).first()
        if row is None:
            _plan_row(session, workspace_id, plan_id)  # raises NotFound
            return ()
        return tuple(row)


def mark(
    store: Store,
    workspace_id: str,
    item: Item,
    status: Status,
    *,
    occurrence: Occurrence | None = None,
    author: str = "",
) -> Item | Occurrence:
    """One tap: set the status of an item, or of one of its occurrences, from the version shown.

    A stale tap raises StaleEdit (item) or StaleOccurrence (occurrence) like any other save.
    """
    if occurrence is None:
        return update_item(
            store, workspace_id, item.id, {"status": status}, expected_version=item.version,
            author=author,
        )  # fmt: skip
    if status == "doing":
        raise InvalidValue(
            "an occurrence is to do, done or skipped; 'doing' is for items",
            zh="单次只能是待办、完成或跳过；“进行中”只用于普通事项。",
        )
    return update_occurrence(
        store, workspace_id, item.id, occurrence.occurs_at, {"status": status},
        expected_version=occurrence.version, author=author,
    )  # fmt: skip
