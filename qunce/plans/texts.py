"""What every stored text and date must satisfy, on both databases and on the page.

PostgreSQL refuses NUL characters in text, and neither driver can encode a lone UTF-16 surrogate
(which `json.loads` happily produces from "\\ud800"); dates far from today overflow the timeline's
arithmetic. Values like these are refused with a message (`InvalidValue`, or a line of
`ImportRejected`), never left to fail inside the database driver.
"""

from __future__ import annotations

from datetime import date

from pydantic import AfterValidator

from qunce.db.errors import InvalidValue

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def storable(value: str) -> str:
    """`value` if both databases can store it exactly; ValueError otherwise."""
    if "\x00" in value:
        raise ValueError("contains a NUL character (\\x00), which cannot be stored")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(
            "contains a broken character (a lone UTF-16 surrogate); retype the text"
        ) from exc
    return value


def sane_date(value: date | None) -> date | None:
    """`value` if it lies between 2000-01-01 and 2100-12-31 (or is None); ValueError otherwise."""
    if value is not None and not EARLIEST <= value <= LATEST:
        raise ValueError(f"must lie between {EARLIEST.isoformat()} and {LATEST.isoformat()}")
    return value


def check_date(value: date, what: str) -> date:
    """`value`, or InvalidValue naming `what` when it is out of range."""
    try:
        sane_date(value)
    except ValueError as exc:
        raise InvalidValue(
            f"the {what} {exc}",
            zh=f"日期须在 {EARLIEST.isoformat()} 到 {LATEST.isoformat()} 之间。",
        ) from exc
    return value


def printable(value: str) -> str:
    """`value` without control characters, NULs or broken characters (for labels like authors)."""
    return "".join(ch for ch in value if ch.isprintable() or ch == " ")


StorableText = AfterValidator(storable)
SaneDate = AfterValidator(sane_date)
