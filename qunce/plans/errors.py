"""The errors of the plans package: one base type, translated into a message only at the edge.

The CLI turns a `PlanError` into a message and exit code 1; the page turns it into `st.error`.
Messages say what was wrong and how to fix it; none of them reveals whether a row exists in
another workspace (a plan of another team is simply "not found").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qunce.plans.records import Item


class PlanError(Exception):
    """Base of every error the plans package raises on purpose."""


class StoreUnavailable(PlanError):
    """The database cannot be reached, or its schema is newer than this code."""


class InvalidCode(PlanError):
    """A join code that matches no workspace."""


class NotFound(PlanError):
    """A workspace, plan, item or scenario that does not exist in the given workspace."""


class InvalidValue(PlanError):
    """A value a person typed that the plans cannot accept (too long, wrong kind, ...)."""


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
