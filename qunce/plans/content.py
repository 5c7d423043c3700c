"""What the plans need from the content catalogue, and how a playbook step becomes item fields.

The plans only read playbooks by id and their content version, so they depend on this small
protocol rather than on the whole catalogue (tests can pass any object that has these two).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Protocol

from qunce.content.schema import Case, Playbook, Routine, Step

# The item fields copied from a step; a playbook update compares and refreshes exactly these.
CONTENT_FIELDS: tuple[str, ...] = (
    "title_zh",
    "title_en",
    "detail_zh",
    "detail_en",
    "done_when_zh",
    "done_when_en",
    "effort_days",
    "duration_days",
    "target_zh",
    "target_en",
    "role",
    "copied_from",
)
# Content gives routines no effort; a recurring item's effort is a placeholder the timeline and
# the workload leave out (exports show it blank).
ROUTINE_EFFORT_DAYS = 0.1


class PlaybookCatalogue(Protocol):
    """The part of `qunce.content.catalogue.Catalogue` the plans use."""

    @property
    def items(self) -> Mapping[str, Playbook | Case]: ...

    def version(self, item_id: str) -> str: ...


def playbook(catalogue: PlaybookCatalogue, playbook_id: str) -> Playbook | None:
    """The playbook with this id, or None (unknown id, or the id of a case)."""
    item = catalogue.items.get(playbook_id)
    return item if isinstance(item, Playbook) else None


def step_fields(step: Step, copied_from: str | None = None) -> dict[str, Any]:
    """The item fields a step provides (see CONTENT_FIELDS).

    `copied_from` is "owner/step" when `step` is the owner's step copied in place of a pointer.
    """
    return {
        "title_zh": step.title.zh,
        "title_en": step.title.en,
        "detail_zh": step.detail.zh,
        "detail_en": step.detail.en,
        "done_when_zh": step.done_when.zh,
        "done_when_en": step.done_when.en,
        "effort_days": float(step.effort_days),
        "duration_days": float(step.duration_days) if step.duration_days is not None else None,
        "target_zh": step.target.zh if step.target else "",
        "target_en": step.target.en if step.target else "",
        "role": step.role,
        "copied_from": copied_from,
    }


def routine_fields(routine: Routine) -> dict[str, Any]:
    """The item fields a routine provides: its template as the detail, its metric as the target."""
    return {
        "title_zh": routine.title.zh,
        "title_en": routine.title.en,
        "detail_zh": routine.template.zh,
        "detail_en": routine.template.en,
        "done_when_zh": "",
        "done_when_en": "",
        "effort_days": ROUTINE_EFFORT_DAYS,
        "duration_days": None,
        "target_zh": routine.metric.zh,
        "target_en": routine.metric.en,
        "role": routine.role,
        "copied_from": None,
        "rule": routine.rule,
    }


def resolve_step(
    catalogue: PlaybookCatalogue, step: Step, in_plan: Collection[str]
) -> tuple[Step, str | None] | None:
    """What a plan copies for `step`: (the step to copy, "owner/step" or None), or None to skip.

    A step with `see: owner/step` names the step that owns its task, so a plan copies the task
    once: when the owner playbook is in the plan (`in_plan`), the pointer is skipped; otherwise
    the owner's step is copied in its place. A pointer whose owner is missing from the
    catalogue is copied as it is.
    """
    if step.see is None:
        return step, None
    owner_id, _, owner_step = step.see.partition("/")
    if owner_id in in_plan:
        return None
    owner = playbook(catalogue, owner_id)
    found = next((s for s in owner.steps if s.id == owner_step), None) if owner else None
    if found is None:
        return step, None
    return found, step.see
