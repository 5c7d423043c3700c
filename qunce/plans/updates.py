"""Playbook updates: what changed in a playbook since a plan copied it, and pulling that in.

A plan never follows its playbooks silently: each source remembers the catalogue version it was
copied at. When the catalogue moves on, `pending_updates` lists per playbook the steps added,
removed and changed; `apply_update` brings them in on the team's request. Pulling refreshes only
the content fields (title, detail, done-when, effort, role): status, owner, due date and notes
are the team's and stay. A removed step is detached (kept as a custom item), never deleted, so
no one's work disappears.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from qunce.content.schema import Step
from qunce.db.base import utcnow
from qunce.db.errors import InvalidValue, NotFound
from qunce.db.store import Store
from qunce.plans.content import (
    CONTENT_FIELDS,
    PlaybookCatalogue,
    playbook,
    resolve_step,
    step_fields,
)
from qunce.plans.models import ItemRow, SourceRow
from qunce.plans.records import Item, Plan
from qunce.plans.repository import (
    _author,
    _load_plan,
    _plan_row,
    _renumber,
    fmt_value,
    record_change,
)


@dataclass(frozen=True)
class FieldDiff:
    """One content field of a step that differs between the plan and the playbook."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class StepChange:
    """A step whose content changed: the plan's item, the playbook's step, and the fields."""

    item: Item
    step: Step
    fields: tuple[FieldDiff, ...]


@dataclass(frozen=True)
class PlaybookUpdate:
    """What pulling a playbook's newer version would change in a plan."""

    playbook_id: str
    title_zh: str
    title_en: str
    from_version: str
    to_version: str
    added: tuple[Step, ...]
    removed: tuple[Item, ...]
    changed: tuple[StepChange, ...]

    def title(self, lang: str) -> str:
        """The playbook's (new) title in `lang`."""
        return self.title_en if lang == "en" else self.title_zh

    @property
    def touches_steps(self) -> bool:
        """False when only the playbook's other texts changed (pulling just records the version)."""
        return bool(self.added or self.removed or self.changed)


def _diff_fields(item: Item, new: dict[str, object]) -> tuple[FieldDiff, ...]:
    out = []
    for name in CONTENT_FIELDS:
        old_value = getattr(item, name)
        if old_value != new[name]:
            out.append(FieldDiff(name, fmt_value(old_value), fmt_value(new[name])))
    return tuple(out)


def pending_updates(plan: Plan, catalogue: PlaybookCatalogue) -> list[PlaybookUpdate]:
    """The plan's playbooks whose catalogue version differs from the one copied, with the diff.

    A playbook that left the catalogue has no update (its items simply stay as they are).
    """
    updates = []
    for source in plan.sources:
        book = playbook(catalogue, source.playbook_id)
        if book is None:
            continue
        version = catalogue.version(book.id)
        if version == source.content_version:
            continue
        linked = {
            i.step_id: i for i in plan.items if i.playbook_id == book.id and i.step_id is not None
        }
        steps = {s.id: s for s in book.steps}
        in_plan = {s.playbook_id for s in plan.sources}
        copied = _copied(catalogue, book.steps, in_plan)
        changed = []
        for step in book.steps:
            item = linked.get(step.id)
            if item is not None and step.id in copied:
                fields = _diff_fields(item, copied[step.id])
                if fields:
                    changed.append(StepChange(item=item, step=step, fields=fields))
        updates.append(
            PlaybookUpdate(
                playbook_id=book.id,
                title_zh=book.title.zh,
                title_en=book.title.en,
                from_version=source.content_version,
                to_version=version,
                added=tuple(s for s in book.steps if s.id not in linked and s.id in copied),
                removed=tuple(i for sid, i in linked.items() if sid not in steps),
                changed=tuple(changed),
            )
        )
    return updates


def _copied(
    catalogue: PlaybookCatalogue, steps: list[Step], in_plan: set[str]
) -> dict[str, dict[str, object]]:
    """The item fields each step gives a plan holding `in_plan`; pointer steps whose owner is
    in the plan are left out, other pointers give their owner's step (see `resolve_step`)."""
    out = {}
    for step in steps:
        resolved = resolve_step(catalogue, step, in_plan)
        if resolved is not None:
            out[step.id] = step_fields(*resolved)
    return out


def apply_update(
    store: Store,
    workspace_id: str,
    plan_id: int,
    playbook_id: str,
    catalogue: PlaybookCatalogue,
    *,
    author: str = "",
) -> Plan:
    """Pull the catalogue's current version of one playbook into a plan; returns the new plan.

    Pulling twice is harmless: when the plan already has the current version nothing changes.
    Changed items get a new version, so an edit based on the old text is refused as stale.
    """
    author = _author(author)
    book = playbook(catalogue, playbook_id)
    if book is None:
        raise InvalidValue(
            f"the playbook {playbook_id!r} is no longer in the catalogue",
            zh=f"方法手册里已经没有 {playbook_id!r}。",
        )
    version = catalogue.version(playbook_id)
    now = utcnow()
    with store.session(write=True) as session:
        plan = _plan_row(session, workspace_id, plan_id)
        source = session.scalars(
            select(SourceRow).where(
                SourceRow.plan_id == plan_id,
                SourceRow.workspace_id == workspace_id,
                SourceRow.playbook_id == playbook_id,
            )
        ).first()
        if source is None:
            raise NotFound(
                f"plan {plan_id} was not built from the playbook {playbook_id!r}",
                zh="这个计划不是用这份手册建的。",
            )
        if source.content_version == version:
            return _load_plan(session, plan)
        rows = list(
            session.scalars(
                select(ItemRow)
                .where(ItemRow.plan_id == plan_id, ItemRow.workspace_id == workspace_id)
                .order_by(ItemRow.position, ItemRow.id)
            ).all()
        )
        linked = {
            r.step_id: r for r in rows if r.playbook_id == playbook_id and r.step_id is not None
        }
        step_ids = {s.id for s in book.steps}
        in_plan = set(
            session.scalars(
                select(SourceRow.playbook_id).where(
                    SourceRow.plan_id == plan_id, SourceRow.workspace_id == workspace_id
                )
            ).all()
        )
        copied = _copied(catalogue, book.steps, in_plan)
        for step_id, row in linked.items():
            if step_id not in step_ids:
                row.step_id = None
                row.content_version = None
                row.version = ItemRow.version + 1
                row.updated_at, row.updated_by = now, author
                session.flush()
                record_change(session, row, "detached", playbook_id, "", author, now)
        anchor: ItemRow | None = None
        for step in book.steps:
            found = linked.get(step.id)
            if step.id not in copied:
                continue  # a pointer whose owner's step is in the plan already
            if found is None:
                row = _new_row(plan_id, workspace_id, playbook_id, version, step, author, now)
                for name, value in copied[step.id].items():
                    setattr(row, name, value)
                rows.insert(_insert_at(rows, anchor, playbook_id), row)
                session.add(row)
                session.flush()
                record_change(session, row, "created", "", row.title_zh, author, now)
            else:
                row = found
                new = copied[step.id]
                diffs = [
                    (f, getattr(row, f), new[f])
                    for f in CONTENT_FIELDS
                    if getattr(row, f) != new[f]
                ]
                row.content_version = version
                if diffs:
                    for name, _old, value in diffs:
                        setattr(row, name, value)
                    # An SQL expression, not a Python sum: concurrent saves must not share a version.
                    row.version = ItemRow.version + 1
                    row.updated_at, row.updated_by = now, author
                    session.flush()
                    for name, old, value in diffs:
                        record_change(session, row, name, old, value, author, now)
            anchor = row
        _renumber(rows)
        source.content_version = version
        source.title_zh, source.title_en = book.title.zh[:300], book.title.en[:300]
        plan.updated_at = now
        session.flush()
        session.expire_all()
        return _load_plan(session, plan)


def _insert_at(rows: list[ItemRow], anchor: ItemRow | None, playbook_id: str) -> int:
    if anchor is not None:
        return rows.index(anchor) + 1
    group = [i for i, r in enumerate(rows) if r.playbook_id == playbook_id]
    return group[0] if group else len(rows)


def _new_row(
    plan_id: int,
    workspace_id: str,
    playbook_id: str,
    version: str,
    step: Step,
    author: str,
    now: datetime,
) -> ItemRow:
    return ItemRow(
        plan_id=plan_id,
        workspace_id=workspace_id,
        position=0,
        playbook_id=playbook_id,
        step_id=step.id,
        content_version=version,
        status="todo",
        owner="",
        due=None,
        notes="",
        version=1,
        updated_at=now,
        updated_by=author,
        **step_fields(step),
    )
