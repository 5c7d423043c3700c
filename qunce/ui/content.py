"""The content catalogue for pages: loaded once, reloaded when a content file changes."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from qunce.config import settings
from qunce.content.catalogue import Catalogue, load_catalogue
from qunce.ui.i18n import tr


def _fingerprint() -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and mtimes of every content file: cheap to take on each run."""
    config = settings()
    folders = [config.playbooks_dir, config.cases_dir, *config.content_paths]
    out = []
    for folder in folders:
        if not Path(folder).is_dir():
            continue
        for path in sorted(Path(folder).rglob("*.y*ml")):
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            out.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(out)


@st.cache_resource(show_spinner=False, max_entries=2)
def _load(fingerprint: tuple[tuple[str, int, int], ...]) -> Catalogue:
    return load_catalogue()


def catalogue() -> Catalogue:
    """The catalogue of all valid items; a changed file is picked up on the next run."""
    return _load(_fingerprint())


def show_content_errors(cat: Catalogue, expanded: bool = False) -> None:
    """Tell whoever edits content which files are broken; the valid items are still served."""
    if not cat.errors:
        return
    label = tr(
        f"{len(cat.errors)} 处内容错误：有问题的条目暂不显示，其余照常可用",
        f"{len(cat.errors)} content errors: the broken items are hidden, the rest work as usual",
    )
    with st.expander(f"⚠️ {label}", expanded=expanded):
        st.code("\n".join(e.render(settings().playbooks_dir.parent) for e in cat.errors), language=None)
        st.caption(tr("运行 `qunce validate` 可在命令行查看同样的列表。", "Run `qunce validate` for the same list."))
