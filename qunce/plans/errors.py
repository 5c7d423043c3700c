"""Errors only the plans package raises; the shared ones live in `qunce.db.errors`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qunce.db.errors import PlanError

if TYPE_CHECKING:
    from qunce.plans.records import Item, Occurrence


class StaleEdit(PlanError):
    """A save based on an old version of an item; `current` is the row as it is now.

    The caller shows `current` to the person and lets them re-apply their change on top of it.
    """

    def __init__(self, current: Item, expected_version: int) -> None:
        super().__init__(
            f"item {current.id} was changed by {current.updated_by or 'someone'} "
            f"(version {current.version}, your edit was based on version {expected_version})"
        )
        self.current = current
        self.expected_version = expected_version


class ImportRejected(PlanError):
    """A plan file that cannot be imported; `problems` lists what is wrong, one per line."""

    def __init__(self, problems: list[str]) -> None:
        shown = problems[:10]
        more = len(problems) - len(shown)
        lines = "\n".join(f"- {p}" for p in shown)
        if more > 0:
            lines += f"\n- ... and {more} more"
        super().__init__(f"the plan file was not imported, nothing was changed:\n{lines}")
        self.problems = problems


class StaleOccurrence(PlanError):
    """A save of an occurrence based on an old version; `current` is the occurrence as it is now.

    Like `StaleEdit` for items: the caller shows `current` and lets the person decide.
    """

    def __init__(self, current: Occurrence, expected_version: int) -> None:
        when = current.occurs_at.strftime("%Y-%m-%d %H:%M")
        super().__init__(
            f"the {when} occurrence of item {current.item_id} was changed by "
            f"{current.updated_by or 'someone'} (version {current.version}, your edit was "
            f"based on version {expected_version}); it is now {current.status!r}"
        )
        self.current = current
        self.expected_version = expected_version
