"""The content catalogue for pages: loaded once, reloaded when a content file changes."""

from __future__ import annotations

import os
import threading

import streamlit as st

from qunce.config import settings
from qunce.content.catalogue import Catalogue, load_catalogue
from qunce.ui.i18n import tr

Fingerprint = tuple[tuple[str, int, int], ...]


def _scan(folder: str, out: list[tuple[str, int, int]]) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return
    for entry in entries:
        if entry.is_dir():
            _scan(entry.path, out)
        elif entry.name.endswith((".yaml", ".yml")):
            try:
                stat = entry.stat()
            except FileNotFoundError:
                continue
            out.append((entry.path, stat.st_size, stat.st_mtime_ns))


def _fingerprint() -> Fingerprint:
    """Names, sizes and mtimes of every content file: cheap enough to take on each run."""
    config = settings()
    out: list[tuple[str, int, int]] = []
    for folder in (config.playbooks_dir, config.cases_dir, *config.content_paths):
        _scan(str(folder), out)
    return tuple(out)


_lock = threading.Lock()
_loaded: tuple[Fingerprint, Catalogue] | None = None


def catalogue() -> Catalogue:
    """The catalogue of all valid items; a changed file is picked up on the next run.

    One per process, shared by every session; sessions arriving while it loads wait for it.
    (A module-level memo, not st.cache_resource: hashing the fingerprint for the cache key on
    every run cost more than comparing it.)"""
    global _loaded
    fingerprint = _fingerprint()
    loaded = _loaded
    if loaded is not None and loaded[0] == fingerprint:
        return loaded[1]
    with _lock:
        if _loaded is None or _loaded[0] != fingerprint:
            _loaded = (fingerprint, load_catalogue())
        return _loaded[1]


def show_content_errors(cat: Catalogue, expanded: bool = False) -> None:
    """Say that some content could not be loaded; only an unlocked admin sees which files and
    why (paths and messages are for whoever edits the content, not for visitors)."""
    if not cat.errors:
        return
    from qunce.ui.admin import unlocked

    if not unlocked():
        st.caption(
            tr(
                ":material/info: 有些内容暂时无法显示，管理员可以在管理页查看原因。",
                ":material/info: Some content cannot be shown right now; an admin can see why "
                "on the admin page.",
            )
        )
        return
    label = tr(
        f"{len(cat.errors)} 处内容错误：有问题的条目暂不显示，其余照常可用",
        f"{len(cat.errors)} content errors: the broken items are hidden, the rest work as usual",
    )
    with st.expander(f"⚠️ {label}", expanded=expanded):
        st.code(
            "\n".join(e.render(settings().playbooks_dir.parent) for e in cat.errors), language=None
        )
        st.caption(
            tr(
                "运行 `qunce validate` 可在命令行查看同样的列表。",
                "Run `qunce validate` for the same list.",
            )
        )
