"""The one error type for bad content, turned into CLI output or a page message only at the edge."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ContentError(Exception):
    """A problem in a content file: where it is (file, line, field path), what, and how to fix it."""

    file: Path
    line: int | None
    path: str
    message: str
    hint: str | None = None

    def location(self, root: Path | None = None) -> str:
        """`file:line` with the file relative to `root` where possible."""
        name = str(self.file)
        if root is not None:
            with contextlib.suppress(ValueError):
                name = str(self.file.resolve().relative_to(root.resolve()))
        return f"{name}:{self.line}" if self.line else name

    def render(self, root: Path | None = None) -> str:
        """One line per error, plus an indented hint line when there is one."""
        field = f" {self.path}:" if self.path else ""
        text = f"{self.location(root)}:{field} {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def __str__(self) -> str:
        return self.render()
