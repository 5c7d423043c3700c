"""Plain, immutable records the plans repository returns (never live ORM rows).

Returning frozen dataclasses keeps database sessions short and lets the UI, the exports and the
tests work with values that cannot change under them or lazily hit the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from qunce.plans.recurrence import Repeat

Status = Literal["todo", "doing", "done", "skipped"]
STATUSES: tuple[Status, ...] = ("todo", "doing", "done", "skipped")

# Labels live with the thing they label: (zh, en).
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "todo": ("待办", "To do"),
    "doing": ("进行中", "Doing"),
    "done": ("已完成", "Done"),
    "skipped": ("跳过", "Skipped"),
}
STATUS_MARKS: dict[Status, str] = {"todo": "☐", "doing": "◐", "done": "☑", "skipped": "⊘"}

FIELD_LABELS: dict[str, tuple[str, str]] = {
    "status": ("状态", "Status"),
    "owner": ("负责人", "Owner"),
    "due": ("截止日期", "Due"),
    "notes": ("备注", "Notes"),
    "title": ("标题", "Title"),
    "effort_days": ("工作量（天）", "Effort (days)"),
    "duration_days": ("工期（天）", "Duration (days)"),
    "target_zh": ("目标（中文）", "Target (Chinese)"),
    "target_en": ("目标（英文）", "Target (English)"),
    "rule": ("重复", "Repeats"),
    "repeat_from": ("重复起始日", "Repeats from"),
    "occurrence": ("单次", "Occurrence"),
    "detail": ("说明", "Detail"),
    "title_zh": ("标题（中文）", "Title (Chinese)"),
    "title_en": ("标题（英文）", "Title (English)"),
    "detail_zh": ("说明（中文）", "Detail (Chinese)"),
    "detail_en": ("说明（英文）", "Detail (English)"),
    "done_when_zh": ("完成标准（中文）", "Done when (Chinese)"),
    "done_when_en": ("完成标准（英文）", "Done when (English)"),
    "done_when": ("完成标准", "Done when"),
    "role": ("角色", "Role"),
    "created": ("新建", "Created"),
    "deleted": ("删除", "Deleted"),
    "detached": ("脱离手册", "Detached from playbook"),
}


_OWNER_SEPARATORS = re.compile(r"[,，、/;；]")


def owners_of(owner: str) -> tuple[str, ...]:
    """The names in an owner field: "Lin, Wang" and "林、王" name two people."""
    return tuple(name.strip() for name in _OWNER_SEPARATORS.split(owner) if name.strip())


def _person_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def status_label(status: str, lang: str) -> str:
    """The label of a status in `lang` ("zh" or "en")."""
    zh, en = STATUS_LABELS.get(status, (status, status))
    return en if lang == "en" else zh


def field_label(name: str, lang: str) -> str:
    """The label of an item field (as used in the history) in `lang`."""
    zh, en = FIELD_LABELS.get(name, (name, name))
    return en if lang == "en" else zh


@dataclass(frozen=True)
class Workspace:
    """A team: it owns plans and scenarios; people reach it with a join code."""

    id: str
    name: str
    created_at: datetime
    managed: bool = False  # a workshop team's: its code is the facilitator's to replace
    has_owner: bool = False  # an owner code was issued
    last_used_at: datetime | None = None


@dataclass(frozen=True)
class Item:
    """One checklist item of a plan: a playbook step, or a custom item (no playbook)."""

    id: int
    plan_id: int
    position: int
    playbook_id: str | None
    step_id: str | None
    content_version: str | None
    title_zh: str
    title_en: str
    detail_zh: str
    detail_en: str
    done_when_zh: str
    done_when_en: str
    effort_days: float
    role: str | None
    status: Status
    owner: str
    due: date | None
    notes: str
    version: int
    updated_at: datetime
    updated_by: str
    duration_days: float | None = None
    target_zh: str = ""
    target_en: str = ""
    routine_id: str | None = None
    copied_from: str | None = None
    rule: str | None = None
    repeat_from: date | None = None

    def title(self, lang: str) -> str:
        """The title in `lang`, falling back to the other language when empty."""
        first, second = (
            (self.title_en, self.title_zh) if lang == "en" else (self.title_zh, self.title_en)
        )
        return first or second

    def detail(self, lang: str) -> str:
        """The detail text in `lang` (may be empty for custom items)."""
        first, second = (
            (self.detail_en, self.detail_zh) if lang == "en" else (self.detail_zh, self.detail_en)
        )
        return first or second

    def done_when(self, lang: str) -> str:
        """The checkable result in `lang` (may be empty for custom items)."""
        first, second = (
            (self.done_when_en, self.done_when_zh)
            if lang == "en"
            else (self.done_when_zh, self.done_when_en)
        )
        return first or second

    def target(self, lang: str) -> str:
        """The outcome to measure afterwards in `lang` (may be empty)."""
        first, second = (
            (self.target_en, self.target_zh) if lang == "en" else (self.target_zh, self.target_en)
        )
        return first or second

    @property
    def calendar_days(self) -> float:
        """Calendar days from start to done: the duration, else the effort."""
        return self.duration_days if self.duration_days is not None else self.effort_days

    @property
    def repeat(self) -> Repeat | None:
        """How the item recurs, or None for a one-off item."""
        if not self.rule:
            return None
        from qunce.plans.recurrence import Repeat

        return Repeat(self.rule, self.repeat_from or self.updated_at.date())

    @property
    def recurring(self) -> bool:
        """True when the item repeats (it has a rule)."""
        return bool(self.rule)

    @property
    def owners(self) -> tuple[str, ...]:
        """The people in the owner field (split at commas, 、 and slashes), as typed."""
        return owners_of(self.owner)

    def is_owned_by(self, person: str) -> bool:
        """Whether `person` is one of the item's owners (case and spaces ignored)."""
        wanted = _person_key(person)
        return bool(wanted) and any(_person_key(o) == wanted for o in self.owners)

    @property
    def is_open(self) -> bool:
        """Still to be done: neither done nor skipped."""
        return self.status in ("todo", "doing")

    @property
    def is_custom(self) -> bool:
        """Added by the team rather than copied from a playbook step or routine."""
        return self.step_id is None and self.routine_id is None

    def edit_values(self) -> dict[str, Any]:
        """The fields a person may edit, as a dict (the base for computing what they changed)."""
        values: dict[str, Any] = {
            "status": self.status,
            "owner": self.owner,
            "due": self.due,
            "notes": self.notes,
            "rule": self.rule,
            "repeat_from": self.repeat_from,
        }
        if self.is_custom:
            values["title"] = self.title_zh or self.title_en
            values["effort_days"] = self.effort_days
        return values


@dataclass(frozen=True)
class Source:
    """A playbook a plan was built from, pinned at the catalogue version it was copied from."""

    playbook_id: str
    content_version: str
    title_zh: str
    title_en: str
    position: int

    def title(self, lang: str) -> str:
        """The playbook's title in `lang` as it was when copied."""
        return (self.title_en if lang == "en" else self.title_zh) or self.playbook_id


@dataclass(frozen=True)
class Progress:
    """Counts per status; `ratio` is done / (all − skipped), 0 when nothing counts."""

    todo: int = 0
    doing: int = 0
    done: int = 0
    skipped: int = 0

    @property
    def total(self) -> int:
        """All items, skipped included."""
        return self.todo + self.doing + self.done + self.skipped

    @property
    def counted(self) -> int:
        """Items that count towards progress (skipped ones do not)."""
        return self.todo + self.doing + self.done

    @property
    def ratio(self) -> float:
        """Share of counted items that are done, between 0 and 1."""
        return self.done / self.counted if self.counted else 0.0

    @staticmethod
    def of(items: list[Item] | tuple[Item, ...]) -> Progress:
        """Count the statuses of `items`."""
        counts = {status: 0 for status in ("todo", "doing", "done", "skipped")}
        for item in items:
            counts[item.status] += 1
        return Progress(**counts)


@dataclass(frozen=True)
class PlanSummary:
    """A plan in a list: name, start and progress, without its items."""

    id: int
    name: str
    start_date: date
    created_at: datetime
    updated_at: datetime
    progress: Progress


@dataclass(frozen=True)
class Plan:
    """A launch plan with its sources and items (in order)."""

    id: int
    workspace_id: str
    name: str
    start_date: date
    created_at: datetime
    updated_at: datetime
    sources: tuple[Source, ...]
    items: tuple[Item, ...]

    def progress(self) -> Progress:
        """Progress of the whole plan."""
        return Progress.of(self.items)

    def progress_by_playbook(self) -> dict[str | None, Progress]:
        """Progress per playbook id, in source order; custom items under the key None."""
        groups: dict[str | None, list[Item]] = {s.playbook_id: [] for s in self.sources}
        for item in self.items:
            groups.setdefault(item.playbook_id, []).append(item)
        return {key: Progress.of(items) for key, items in groups.items() if items}

    def source(self, playbook_id: str) -> Source | None:
        """The source entry of a playbook, if the plan was built from it."""
        return next((s for s in self.sources if s.playbook_id == playbook_id), None)

    def item(self, item_id: int) -> Item | None:
        """An item of this plan by id."""
        return next((i for i in self.items if i.id == item_id), None)


@dataclass(frozen=True)
class Change:
    """One field change in an item's history: who, when, which field, from what, to what."""

    id: int
    plan_id: int
    item_id: int | None
    item_title: str
    at: datetime
    author: str
    field: str
    old: str
    new: str
    occurs_at: datetime | None = None


@dataclass(frozen=True)
class Scenario:
    """Saved inputs of a calculator, owned by a workspace."""

    id: int
    workspace_id: str
    calculator: str
    name: str
    inputs: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None


OccurrenceStatus = Literal["todo", "done", "skipped"]
OCCURRENCE_STATUSES: tuple[OccurrenceStatus, ...] = ("todo", "done", "skipped")


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a recurring item: computed from its rule, stored once someone touches it.

    `occurs_at` is the wall-clock time in the plan's time zone (midnight for all-day rules).
    `version` is 0 for an occurrence nobody touched yet (it has no row); a save names the
    version it was based on, like an item's.
    """

    item_id: int
    occurs_at: datetime
    status: OccurrenceStatus = "todo"
    notes: str = ""
    version: int = 0
    updated_at: datetime | None = None
    updated_by: str = ""

    @property
    def key(self) -> tuple[int, datetime]:
        """(item id, occurs_at): what identifies an occurrence."""
        return (self.item_id, self.occurs_at)

    @property
    def is_open(self) -> bool:
        """Neither done nor skipped."""
        return self.status == "todo"

    @property
    def touched(self) -> bool:
        """Whether someone saved it (it has a row)."""
        return self.version > 0
