"""What the plans need from the content catalogue, and how a playbook step becomes item fields.

The plans only read playbooks by id and their content version, so they depend on this small
protocol rather than on the whole catalogue (tests can pass any object that has these two).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from qunce.content.schema import Case, Playbook, Step

# The item fields copied from a step; a playbook update compares and refreshes exactly these.
CONTENT_FIELDS: tuple[str, ...] = (
    "title_zh",
    "title_en",
    "detail_zh",
    "detail_en",
    "done_when_zh",
    "done_when_en",
    "effort_days",
    "role",
)


class PlaybookCatalogue(Protocol):
    """The part of `qunce.content.catalogue.Catalogue` the plans use."""

    @property
    def items(self) -> Mapping[str, Playbook | Case]: ...

    def version(self, item_id: str) -> str: ...


def playbook(catalogue: PlaybookCatalogue, playbook_id: str) -> Playbook | None:
    """The playbook with this id, or None (unknown id, or the id of a case)."""
    item = catalogue.items.get(playbook_id)
    return item if isinstance(item, Playbook) else None


def step_fields(step: Step) -> dict[str, Any]:
    """The item fields a step provides (see CONTENT_FIELDS)."""
    return {
        "title_zh": step.title.zh,
        "title_en": step.title.en,
        "detail_zh": step.detail.zh,
        "detail_en": step.detail.en,
        "done_when_zh": step.done_when.zh,
        "done_when_en": step.done_when.en,
        "effort_days": float(step.effort_days),
        "role": step.role,
    }
