"""File names for the workshop's downloads: the workshop's title, made safe for every system.

A title is typed by a trainer. In a file name it must not carry path separators (`/`, `\\`),
characters Windows refuses (`<>:"|?*`), control characters, or a trailing dot or space; nor be a
name Windows reserves (CON, NUL, COM1, ...). Chinese stays as it is. Names are kept short
enough (in UTF-8 bytes) for every file system and for ZIP archives.
"""

from __future__ import annotations

import re
import unicodedata

MAX_STEM_BYTES = 120
FALLBACK = "qunce-workshop"
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_RESERVED = {
    "CON", "PRN", "AUX", "NUL", "CLOCK$",
    *(f"COM{n}" for n in range(10)), *(f"LPT{n}" for n in range(10)),
}  # fmt: skip


def safe_stem(text: str, fallback: str = FALLBACK) -> str:
    """`text` as the stem of a file name any system accepts (Chinese kept), or `fallback`."""
    cleaned = "".join(
        " " if unicodedata.category(ch).startswith(("C", "Z")) else ch
        for ch in unicodedata.normalize("NFC", text)
    )
    cleaned = _FORBIDDEN.sub("-", cleaned)
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" .-")
    cleaned = re.sub(r"-{2,}", "-", cleaned)
    while len(cleaned.encode("utf-8")) > MAX_STEM_BYTES:
        cleaned = cleaned[:-1]
    cleaned = cleaned.rstrip(" .-")
    if not cleaned or cleaned.split(".")[0].upper() in _RESERVED:
        return fallback if not cleaned else f"{cleaned}-{fallback}"
    return cleaned


def export_name(title: str, kind: str, lang: str, extension: str) -> str:
    """E.g. "社群启动半日工作坊 - 幻灯片 (zh).pptx": the title, what the file is, its language."""
    return f"{safe_stem(title)} - {kind} ({lang}).{extension}"


def deck_filename(title: str, lang: str) -> str:
    """The PPTX deck's file name."""
    return export_name(title, "slides", lang, "pptx")


def report_filename(title: str, lang: str, extension: str) -> str:
    """The workshop report's file name ("md" or "xlsx")."""
    return export_name(title, "report", lang, extension)
