"""Plans and their checklist items: build, read, edit (with optimistic locking), history.

Every function takes the workspace id and filters every query by it, so an id from another
workspace, a guessed id or a stale session finds nothing (`NotFound`, the same message whether
the row exists elsewhere or not at all).

No lost edits: an item's `version` rises by one with every saved change, and a save names the
version it was based on. The UPDATE itself carries `WHERE version = :expected`, so the check and
the write are one atomic statement on both SQLite and PostgreSQL; when it matches no row, the
save raises `StaleEdit` with the current row, and nothing is written.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Annotated, Any, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)
from sqlalchemy import Select, Table, Update, bindparam, func, insert, or_, select, update
from sqlalchemy.orm import Session

from qunce.db.base import utcnow
from qunce.db.errors import InvalidValue, NotFound
from qunce.db.store import Store
from qunce.plans.content import (
    PlaybookCatalogue,
    playbook,
    resolve_step,
    routine_fields,
    step_fields,
)
from qunce.plans.errors import StaleEdit
from qunce.plans.models import ChangeRow, ItemRow, PlanRow, SourceRow, WorkspaceRow
from qunce.plans.records import Change, Item, Plan, PlanSummary, Progress, Source, Status
from qunce.plans.recurrence import check_repeat, local_today, normalise_rule
from qunce.plans.texts import EARLIEST, LATEST, SaneDate, StorableText, check_date, printable
from qunce.plans.workspaces import clean_name

MAX_ITEMS = 2000
# The tables behind the models, for the hot save path, which uses Core statements.
ITEMS = cast(Table, ItemRow.__table__)
CHANGES = cast(Table, ChangeRow.__table__)
MAX_AUTHOR = 200

Owner = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), StorableText]
Notes = Annotated[str, StringConstraints(max_length=20_000), StorableText]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), StorableText
]
Due = Annotated[date, SaneDate]


class ItemEdit(BaseModel):
    """The fields a person may change on an item; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")

    status: Status | None = None
    owner: Owner | None = None
    due: Due | None = None
    notes: Notes | None = None
    title: Title | None = Field(default=None, description="custom items only")
    effort_days: float | None = Field(default=None, gt=0, le=365)
    rule: str | None = Field(default=None, description="an RRULE; None or '' stops repeating")
    repeat_from: Due | None = None

    @field_validator("rule")
    @classmethod
    def _rule(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return normalise_rule(value)


def _validate_edit(changes: Mapping[str, Any]) -> dict[str, Any]:
    try:
        edit = ItemEdit.model_validate(dict(changes))
    except ValidationError as exc:
        raise invalid(exc) from exc
    # Only the keys the caller gave: `due=None` clears a due date, a missing key leaves it.
    fields = {key: getattr(edit, key) for key in changes}
    if fields.get("rule"):
        # Never happening is a mistake worth a message; the start is checked with the rule.
        check_repeat(fields["rule"], fields.get("repeat_from") or local_today())
    return fields


_ZH_PROBLEMS = {
    "string_too_long": "最多 {max_length} 个字符",
    "string_too_short": "不能为空",
    "too_long": "最多 {max_length} 项",
    "greater_than": "必须大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "必须小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "date_from_datetime_parsing": "不是日期",
    "date_parsing": "不是日期（格式 YYYY-MM-DD）",
    "date_type": "不是日期",
    "float_parsing": "不是数字",
    "int_parsing": "不是整数",
    "literal_error": "只能是 {expected}",
    "extra_forbidden": "不能修改这一项",
    "missing": "缺少这一项",
}


def describe_validation_zh(exc: ValidationError) -> str:
    """The same problems as `describe_validation`, in Chinese, one per line."""
    from qunce.plans.records import field_label

    lines = []
    for error in exc.errors():
        field = str(error["loc"][-1]) if error["loc"] else ""
        template = _ZH_PROBLEMS.get(error["type"])
        ctx = error.get("ctx") or {}
        if template is not None:
            problem = template.format(
                **{k: ctx.get(k, "") for k in ("max_length", "gt", "ge", "lt", "le", "expected")}
            )
        elif "must lie between" in str(error["msg"]):
            problem = f"日期须在 {EARLIEST.isoformat()} 到 {LATEST.isoformat()} 之间"
        elif "NUL character" in str(error["msg"]) or "broken character" in str(error["msg"]):
            problem = "含有无法保存的字符，请重新输入"
        else:
            problem = "这个值不能保存：" + str(error["msg"])
        lines.append(f"{field_label(field, 'zh') if field else '文件'}：{problem}")
    return "\n".join(lines)


def invalid(exc: ValidationError) -> InvalidValue:
    """An InvalidValue for a refused edit, in both languages."""
    return InvalidValue(describe_validation(exc), zh=describe_validation_zh(exc))


def describe_validation(exc: ValidationError, prefix: str = "") -> str:
    """A pydantic error as `field: message (found ...)` lines."""
    lines = []
    for error in exc.errors():
        where = prefix + ".".join(
            str(p) if not isinstance(p, int) else f"[{p}]" for p in error["loc"]
        )
        where = where.replace(".[", "[")
        found = error.get("input")
        shown = repr(found) if not isinstance(found, dict | list) else type(found).__name__
        if len(shown) > 60:
            shown = shown[:57] + "..."
        lines.append(f"{where or 'file'}: {error['msg']} (found {shown})")
    return "\n".join(lines)


def _author(author: str) -> str:
    return " ".join(printable(author).split())[:MAX_AUTHOR]


def fmt_value(value: object) -> str:
    """How a field value is written in the history and exports."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _item(row: ItemRow) -> Item:
    return Item(
        id=row.id,
        plan_id=row.plan_id,
        position=row.position,
        playbook_id=row.playbook_id,
        step_id=row.step_id,
        content_version=row.content_version,
        title_zh=row.title_zh,
        title_en=row.title_en,
        detail_zh=row.detail_zh,
        detail_en=row.detail_en,
        done_when_zh=row.done_when_zh,
        done_when_en=row.done_when_en,
        effort_days=row.effort_days,
        role=row.role,
        status=row.status,  # type: ignore[arg-type]
        owner=row.owner,
        due=row.due,
        notes=row.notes,
        version=row.version,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
        duration_days=row.duration_days,
        target_zh=row.target_zh,
        target_en=row.target_en,
        routine_id=row.routine_id,
        copied_from=row.copied_from,
        rule=row.rule,
        repeat_from=row.repeat_from,
    )


def _source(row: SourceRow) -> Source:
    return Source(
        playbook_id=row.playbook_id,
        content_version=row.content_version,
        title_zh=row.title_zh,
        title_en=row.title_en,
        position=row.position,
    )


def _plan_row(session: Session, workspace_id: str, plan_id: int) -> PlanRow:
    row = session.scalars(
        select(PlanRow).where(PlanRow.id == plan_id, PlanRow.workspace_id == workspace_id)
    ).first()
    if row is None:
        raise NotFound(f"plan {plan_id} is not in this workspace", zh="这个工作区里没有这个计划。")
    return row


def _item_row(session: Session, workspace_id: str, item_id: int, *, fresh: bool = False) -> ItemRow:
    query = select(ItemRow).where(ItemRow.id == item_id, ItemRow.workspace_id == workspace_id)
    if fresh:
        query = query.execution_options(populate_existing=True)
    row = session.scalars(query).first()
    if row is None:
        raise NotFound(f"item {item_id} is not in this workspace", zh="这个工作区里没有这一项。")
    return row


def record_change(
    session: Session,
    row: ItemRow,
    field: str,
    old: object,
    new: object,
    author: str,
    at: datetime,
) -> None:
    """Add one history entry for an item (used by every writer of items).

    A Core INSERT sent at once, not an ORM object left for the flush: the unit of work cost
    about 1.5 ms of CPU per save, and with twenty writers in one server that CPU is shared.
    """
    session.execute(
        insert(CHANGES),
        {
            "workspace_id": row.workspace_id,
            "plan_id": row.plan_id,
            "item_id": row.id,
            "item_title": (row.title_zh or row.title_en)[:300],
            "item_version": row.version,
            "at": at,
            "author": author,
            "field": field,
            "old": fmt_value(old),
            "new": fmt_value(new),
        },
    )


def _load_plan(session: Session, row: PlanRow) -> Plan:
    sources = session.scalars(
        select(SourceRow)
        .where(SourceRow.plan_id == row.id, SourceRow.workspace_id == row.workspace_id)
        .order_by(SourceRow.position, SourceRow.id)
    ).all()
    items = session.scalars(
        select(ItemRow)
        .where(ItemRow.plan_id == row.id, ItemRow.workspace_id == row.workspace_id)
        .order_by(ItemRow.position, ItemRow.id)
    ).all()
    return Plan(
        id=row.id,
        workspace_id=row.workspace_id,
        name=row.name,
        start_date=row.start_date,
        created_at=row.created_at,
        updated_at=row.updated_at,
        sources=tuple(_source(s) for s in sources),
        items=tuple(_item(i) for i in items),
    )


def check_plan_quota(session: Session, workspace_id: str) -> None:
    """InvalidValue when the workspace holds as many plans as it may (a new one would be too many).

    The workspace row is locked first (FOR UPDATE on PostgreSQL; SQLite has one writer at a
    time), so two plans created at once cannot both take the last place.
    """
    from qunce.config import settings

    found = session.execute(
        select(WorkspaceRow.id).where(WorkspaceRow.id == workspace_id).with_for_update()
    ).first()
    if found is None:
        raise NotFound("this workspace does not exist any more", zh="这个工作区已经不存在了。")
    limit = settings().quotas.plans_per_workspace
    count = session.scalar(
        select(func.count()).select_from(PlanRow).where(PlanRow.workspace_id == workspace_id)
    )
    if (count or 0) >= limit:
        raise InvalidValue(
            f"this workspace already holds {count} plans, the most it may hold "
            f"(QUNCE_MAX_PLANS_PER_WORKSPACE = {limit}); delete a plan you no longer need, "
            "or ask the server's admin to raise the limit",
            zh=f"这个工作区已有 {count} 个计划，达到上限（QUNCE_MAX_PLANS_PER_WORKSPACE = {limit}）："
            "请删除不再需要的计划，或请管理员调高上限。",
        )


def create_plan(
    store: Store,
    workspace_id: str,
    name: str,
    playbook_ids: Sequence[str],
    catalogue: PlaybookCatalogue,
    *,
    start_date: date,
    author: str = "",
    routines: bool = False,
) -> Plan:
    """Build a plan from playbooks: each step becomes an item pinned at the playbook's version.

    A step that points at another playbook's step (`see:`) is copied once: skipped when that
    playbook is in the plan too, else replaced by the owner's step. With `routines=True` each
    playbook's routines become recurring items (template as detail, metric as target), starting
    the day after the step they keep going is planned to end, or on the start date.
    """
    name = clean_name(name, what="plan name")
    check_date(start_date, "start date")
    chosen = list(dict.fromkeys(playbook_ids))
    books = []
    for playbook_id in chosen:
        found = playbook(catalogue, playbook_id)
        if found is None:
            raise InvalidValue(
                f"there is no playbook {playbook_id!r} in the catalogue",
                zh=f"方法手册里没有 {playbook_id!r}。",
            )
        books.append(found)
    in_plan = set(chosen)
    planned = [
        (
            book,
            [
                (step, copied)
                for step in book.steps
                if (copied := resolve_step(catalogue, step, in_plan))
            ],
        )
        for book in books
    ]
    count = sum(len(steps) + (len(book.routines) if routines else 0) for book, steps in planned)
    if count > MAX_ITEMS:
        raise InvalidValue(
            f"a plan holds at most {MAX_ITEMS} items; these playbooks have {count}",
            zh=f"一个计划最多 {MAX_ITEMS} 项，这些手册共有 {count} 项：少选几份。",
        )
    author = _author(author)
    now = utcnow()
    with store.session(write=True) as session:
        check_plan_quota(session, workspace_id)
        plan = PlanRow(
            workspace_id=workspace_id,
            name=name,
            start_date=start_date,
            created_at=now,
            updated_at=now,
            created_by=author,
        )
        session.add(plan)
        session.flush()
        position = 0
        for index, (book, steps) in enumerate(planned):
            version = catalogue.version(book.id)
            session.add(
                SourceRow(
                    plan_id=plan.id,
                    workspace_id=workspace_id,
                    playbook_id=book.id,
                    content_version=version,
                    title_zh=book.title.zh[:300],
                    title_en=book.title.en[:300],
                    position=index,
                )
            )
            lane_end: dict[str, date] = {}
            elapsed = 0.0
            base = dict(
                plan_id=plan.id,
                workspace_id=workspace_id,
                playbook_id=book.id,
                content_version=version,
                status="todo",
                owner="",
                notes="",
                version=1,
                updated_at=now,
                updated_by=author,
            )
            for step, (source, copied_from) in steps:
                session.add(
                    ItemRow(
                        **base,
                        position=position,
                        step_id=step.id,
                        **step_fields(source, copied_from),
                    )
                )
                elapsed += source.calendar_days
                lane_end[step.id] = start_date + timedelta(days=max(0, math.ceil(elapsed) - 1))
                position += 1
            for routine in book.routines if routines else ():
                kept = lane_end.get(routine.step) if routine.step else None
                first_day = kept + timedelta(days=1) if kept else start_date
                fields = routine_fields(routine)
                fields["rule"] = check_repeat(fields["rule"], first_day).rule
                session.add(
                    ItemRow(
                        **base,
                        position=position,
                        step_id=None,
                        routine_id=routine.id,
                        repeat_from=first_day,
                        **fields,
                    )
                )
                position += 1
        session.flush()
        return _load_plan(session, plan)


def list_plans(store: Store, workspace_id: str) -> list[PlanSummary]:
    """The workspace's plans, newest first, with their progress."""
    with store.session() as session:
        plans = session.scalars(
            select(PlanRow)
            .where(PlanRow.workspace_id == workspace_id)
            .order_by(PlanRow.created_at.desc(), PlanRow.id.desc())
        ).all()
        counts = session.execute(
            select(ItemRow.plan_id, ItemRow.status, func.count(), func.max(ItemRow.updated_at))
            .where(ItemRow.workspace_id == workspace_id)
            .group_by(ItemRow.plan_id, ItemRow.status)
        ).all()
    by_plan: dict[int, dict[str, int]] = {}
    latest: dict[int, datetime] = {}
    for plan_id, status, count, last in counts:
        by_plan.setdefault(plan_id, {})[status] = count
        if last is not None:
            latest[plan_id] = max(latest.get(plan_id, last), last)
    out = []
    for plan in plans:
        status_counts = by_plan.get(plan.id, {})
        out.append(
            PlanSummary(
                id=plan.id,
                name=plan.name,
                start_date=plan.start_date,
                created_at=plan.created_at,
                updated_at=max(plan.updated_at, latest.get(plan.id, plan.updated_at)),
                progress=Progress(
                    **{s: status_counts.get(s, 0) for s in ("todo", "doing", "done", "skipped")}
                ),
            )
        )
    return out


def get_plan(store: Store, workspace_id: str, plan_id: int) -> Plan:
    """A plan with its sources and items, in order."""
    with store.session() as session:
        return _load_plan(session, _plan_row(session, workspace_id, plan_id))


def update_plan(
    store: Store,
    workspace_id: str,
    plan_id: int,
    *,
    name: str | None = None,
    start_date: date | None = None,
) -> Plan:
    """Rename a plan or move its start date (the timeline follows)."""
    with store.session(write=True) as session:
        row = _plan_row(session, workspace_id, plan_id)
        if name is not None:
            row.name = clean_name(name, what="plan name")
        if start_date is not None:
            row.start_date = check_date(start_date, "start date")
        row.updated_at = utcnow()
        session.flush()
        return _load_plan(session, row)


def delete_plan(store: Store, workspace_id: str, plan_id: int) -> None:
    """Delete a plan with its items and history."""
    with store.session(write=True) as session:
        session.delete(_plan_row(session, workspace_id, plan_id))


def get_item(store: Store, workspace_id: str, item_id: int) -> Item:
    """One item as it is now."""
    with store.session() as session:
        return _item(_item_row(session, workspace_id, item_id))


def add_item(
    store: Store,
    workspace_id: str,
    plan_id: int,
    title: str,
    *,
    author: str = "",
    effort_days: float = 1.0,
    owner: str = "",
    due: date | None = None,
    notes: str = "",
    rule: str | None = None,
    repeat_from: date | None = None,
) -> Item:
    """Add a custom item (not from a playbook) at the end of a plan.

    With `rule` (an RRULE) it repeats from `repeat_from` (default: today in the plan's zone).
    """
    if rule and repeat_from is None:
        repeat_from = local_today()
    fields = _validate_edit(
        {
            "title": title,
            "effort_days": effort_days,
            "owner": owner,
            "due": due,
            "notes": notes,
            "rule": rule,
            "repeat_from": repeat_from if rule else None,
        }
    )
    author = _author(author)
    now = utcnow()
    with store.session(write=True) as session:
        _plan_row(session, workspace_id, plan_id)
        count, last = session.execute(
            select(func.count(), func.max(ItemRow.position)).where(
                ItemRow.plan_id == plan_id, ItemRow.workspace_id == workspace_id
            )
        ).one()
        if count >= MAX_ITEMS:
            raise InvalidValue(
                f"a plan holds at most {MAX_ITEMS} items", zh=f"一个计划最多 {MAX_ITEMS} 项。"
            )
        row = ItemRow(
            plan_id=plan_id,
            workspace_id=workspace_id,
            position=(last + 1) if last is not None else 0,
            playbook_id=None,
            step_id=None,
            content_version=None,
            title_zh=fields["title"],
            title_en=fields["title"],
            detail_zh="",
            detail_en="",
            done_when_zh="",
            done_when_en="",
            effort_days=fields["effort_days"],
            role=None,
            status="todo",
            owner=fields["owner"],
            due=fields["due"],
            notes=fields["notes"],
            rule=fields["rule"],
            repeat_from=fields["repeat_from"],
            version=1,
            updated_at=now,
            updated_by=author,
        )
        session.add(row)
        session.flush()
        record_change(session, row, "created", "", fields["title"], author, now)
        return _item(row)


def update_item(
    store: Store,
    workspace_id: str,
    item_id: int,
    changes: Mapping[str, Any],
    *,
    expected_version: int,
    author: str = "",
    check_version: bool = True,
) -> Item:
    """Save changes to an item made on top of `expected_version`; StaleEdit if it moved on.

    `changes` holds any of status, owner, due, notes (and title, effort_days for custom items).
    Returns the item as saved; a save that changes nothing returns the item unchanged.
    `check_version=False` exists only so a test can show what the check prevents: lost updates.
    """
    fields = _validate_edit(changes)
    author = _author(author)
    save = _save_statements(tuple(fields), check_version)
    params = {
        "p_item": item_id,
        "p_workspace": workspace_id,
        "expected": expected_version,
        "now": utcnow(),
        "author": author,
        "today": local_today(),
        **{f"new_{key}": value for key, value in fields.items()},
    }
    with store.session(write=True) as session:
        if store.dialect == "sqlite":
            # SQLite's RETURNING cannot name the FROM subquery. Writers of one process queue
            # for the file (see Store.session), so a read followed by the write sees the same row.
            before = session.execute(save.read_old, params).first()
            saved = None if before is None else session.execute(save.write, params).first()
        else:
            saved = before = session.execute(save.write_reading_old, params).first()
        if saved is None or before is None:
            return _unsaved(session, workspace_id, item_id, fields, expected_version, check_version)
        row = cast(ItemRow, saved)  # a Core row: the same attributes, no ORM bookkeeping
        for key, new in fields.items():
            old = before._mapping[f"old_{key}"]
            if old != new:
                record_change(session, row, key, old, new, author, params["now"])
        return _item(row)


@dataclass(frozen=True)
class _Save:
    """The statements of one kind of save, with bound parameters: built once, run many times.

    `write` is a single UPDATE that checks the version, refuses a save that changes nothing and
    returns the saved row. Its FROM subquery holds the row's old values as the statement starts;
    if the version still matches, nobody saved since the edit began, so those are the values
    the save replaced. `write_reading_old` also returns them (PostgreSQL); `read_old` reads them
    first (SQLite). Every failure matches no row and is told apart afterwards by `_unsaved`.
    """

    read_old: Select[Any]
    write: Update
    write_reading_old: Update


@lru_cache(maxsize=128)
def _save_statements(keys: tuple[str, ...], check_version: bool) -> _Save:
    items = ITEMS.c
    columns = {key: "title_zh" if key == "title" else key for key in keys}
    read_old = select(
        items.id, *(items[column].label(f"old_{key}") for key, column in columns.items())
    ).where(items.id == bindparam("p_item"), items.workspace_id == bindparam("p_workspace"))
    old = read_old.subquery("old")
    values: dict[str, Any] = {columns[key]: bindparam(f"new_{key}") for key in keys}
    if "title" in keys:
        values["title_en"] = bindparam("new_title")
    if "rule" in keys and "repeat_from" not in keys:
        # A rule set without a first day starts today, unless the item already has one.
        values["repeat_from"] = func.coalesce(items.repeat_from, bindparam("today"))
    write = (
        update(ITEMS)
        .where(
            items.id == old.c.id,
            or_(*(items[c].is_distinct_from(bindparam(f"new_{k}")) for k, c in columns.items())),
        )
        .values(
            **values,
            version=items.version + 1,
            updated_at=bindparam("now"),
            updated_by=bindparam("author"),
        )
    )
    if check_version:
        write = write.where(items.version == bindparam("expected"))
    if "title" in keys or "effort_days" in keys:
        write = write.where(items.step_id.is_(None), items.routine_id.is_(None))
    return _Save(
        read_old=read_old,
        write=write.returning(*items),
        write_reading_old=write.returning(*items, *(old.c[f"old_{key}"] for key in keys)),
    )


def _unsaved(
    session: Session,
    workspace_id: str,
    item_id: int,
    fields: Mapping[str, Any],
    expected_version: int,
    check_version: bool,
) -> Item:
    """Why `update_item`'s statement matched no row, as an error; or the item if nothing changed."""
    row = _item_row(session, workspace_id, item_id, fresh=True)
    if check_version and row.version != expected_version:
        raise StaleEdit(_item(row), expected_version)
    if ("title" in fields or "effort_days" in fields) and (
        row.step_id is not None or row.routine_id is not None
    ):
        raise InvalidValue(
            "the title and effort of a playbook step or routine come from the playbook; "
            "add a custom item or write in the notes instead",
            zh="手册步骤和日常节奏的标题、工作量来自手册：请添加自定义事项，或写在备注里。",
        )
    return _item(row)


def delete_item(
    store: Store, workspace_id: str, item_id: int, *, expected_version: int, author: str = ""
) -> None:
    """Delete a custom item (playbook steps are skipped instead, so the plan keeps track)."""
    author = _author(author)
    with store.session(write=True) as session:
        row = _item_row(session, workspace_id, item_id)
        if row.step_id is not None or row.routine_id is not None:
            raise InvalidValue(
                "a playbook step or routine cannot be deleted; set its status to skipped",
                zh="手册步骤和日常节奏不能删除：把状态设为“跳过”。",
            )
        if row.version != expected_version:
            raise StaleEdit(_item(row), expected_version)
        record_change(session, row, "deleted", row.title_zh, "", author, utcnow())
        session.delete(row)


def move_item(store: Store, workspace_id: str, item_id: int, offset: int) -> Plan:
    """Move an item `offset` places up (negative) or down (positive) in its plan.

    Order is not part of an item's version: moving never makes someone else's edit stale.
    """
    with store.session(write=True) as session:
        row = _item_row(session, workspace_id, item_id)
        plan = _plan_row(session, workspace_id, row.plan_id)
        rows = list(
            session.scalars(
                select(ItemRow)
                .where(ItemRow.plan_id == row.plan_id, ItemRow.workspace_id == workspace_id)
                .order_by(ItemRow.position, ItemRow.id)
            ).all()
        )
        index = next(i for i, r in enumerate(rows) if r.id == item_id)
        target = max(0, min(len(rows) - 1, index + offset))
        rows.insert(target, rows.pop(index))
        _renumber(rows)
        # Order is not in any item's version; the plan's own time moves, so a page watching
        # `plan_stamp` redraws the new order.
        plan.updated_at = utcnow()
        session.flush()
        return _load_plan(session, plan)


def _renumber(rows: Iterable[ItemRow]) -> None:
    for position, item in enumerate(rows):
        if item.position != position:
            item.position = position


def _change(row: ChangeRow) -> Change:
    return Change(
        id=row.id,
        plan_id=row.plan_id,
        item_id=row.item_id,
        item_title=row.item_title,
        at=row.at,
        author=row.author,
        field=row.field,
        old=row.old,
        new=row.new,
        occurs_at=row.occurs_at,
    )


def item_history(store: Store, workspace_id: str, item_id: int) -> list[Change]:
    """Every change of one item, newest first."""
    with store.session() as session:
        _item_row(session, workspace_id, item_id)
        rows = session.scalars(
            select(ChangeRow)
            .where(ChangeRow.item_id == item_id, ChangeRow.workspace_id == workspace_id)
            .order_by(ChangeRow.id.desc())
        ).all()
        return [_change(r) for r in rows]


def plan_history(
    store: Store, workspace_id: str, plan_id: int, *, limit: int = 200
) -> list[Change]:
    """The latest changes of a plan's items (deleted items included), newest first."""
    with store.session() as session:
        _plan_row(session, workspace_id, plan_id)
        rows = session.scalars(
            select(ChangeRow)
            .where(ChangeRow.plan_id == plan_id, ChangeRow.workspace_id == workspace_id)
            .order_by(ChangeRow.id.desc())
            .limit(limit)
        ).all()
        return [_change(r) for r in rows]
