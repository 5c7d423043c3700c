"""A workshop agenda: playbooks and cases in the order the trainer presents them, with minutes.

The agenda is a plain value (pydantic, frozen). The database stores it as rows, the CLI reads it
from a YAML file, the deck and the handout are built from it; all of them validate through here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from qunce.content.schema import KEBAB, Case, Playbook
from qunce.db.errors import InvalidValue
from qunce.plans.repository import describe_validation

MAX_BLOCKS = 40
MAX_MINUTES = 240
MAX_NOTE = 2000
MAX_TITLE = 200

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_NOTE)]


class Block(BaseModel):
    """One agenda entry: a playbook or a case, the minutes it gets, and the trainer's own note."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item: str = Field(pattern=KEBAB, max_length=100, description="id of a playbook or a case")
    minutes: int = Field(ge=1, le=MAX_MINUTES, description="minutes planned for the block")
    note: Note = Field(default="", description="speaker note typed by the trainer (plain text)")


class Agenda(BaseModel):
    """The workshop's title and its blocks, in presenting order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Title
    blocks: tuple[Block, ...] = Field(min_length=1, max_length=MAX_BLOCKS)

    @property
    def minutes(self) -> int:
        """Minutes of all blocks together."""
        return sum(b.minutes for b in self.blocks)

    def starts(self) -> list[int]:
        """The minute (from the start of the workshop) at which each block begins."""
        out, at = [], 0
        for block in self.blocks:
            out.append(at)
            at += block.minutes
        return out


def parse_agenda(data: Any) -> Agenda:
    """An agenda from plain data (a dict from YAML, JSON or a form); InvalidValue if malformed."""
    try:
        return Agenda.model_validate(data)
    except ValidationError as exc:
        raise InvalidValue(describe_validation(exc)) from exc


def check_agenda(agenda: Agenda, items: Mapping[str, Playbook | Case]) -> None:
    """Refuse an agenda that names an item the catalogue does not have, or one item twice."""
    problems = []
    seen: set[str] = set()
    for index, block in enumerate(agenda.blocks):
        if block.item not in items:
            problems.append(
                f"blocks[{index}].item: there is no playbook or case {block.item!r}; "
                "`qunce validate` lists the ids"
            )
        if block.item in seen:
            problems.append(f"blocks[{index}].item: {block.item!r} is already on the agenda")
        seen.add(block.item)
    if problems:
        raise InvalidValue("\n".join(problems))


def playbook_ids(agenda: Agenda, items: Mapping[str, Playbook | Case]) -> list[str]:
    """The agenda's playbooks in order: the plans of the teams are built from these."""
    return [b.item for b in agenda.blocks if isinstance(items.get(b.item), Playbook)]


def suggested_minutes(item: Playbook | Case) -> int:
    """A starting point for a block's length: a few minutes per step, a quarter hour per case."""
    if isinstance(item, Playbook):
        return min(MAX_MINUTES, 5 + 4 * len(item.steps))
    return 15
