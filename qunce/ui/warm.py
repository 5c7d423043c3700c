"""Warm a server up before its first visitor: the catalogue, the libraries pages import, and
the search index with its embedder, so neither the first page nor the first search pays for them.

`qunce serve` (what `make run` starts) calls `start()` once, in the server process, before the
Streamlit server begins to listen. The caches are the pages' own (`st.cache_resource`), so a
session that arrives while the warm-up still runs waits for the value being loaded instead of
loading it a second time.
"""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger("qunce.warm")
_started = threading.Event()


def warm_pages() -> float:
    """Import what every page imports and load the catalogue; seconds taken."""
    started = time.perf_counter()
    import pandas  # noqa: F401
    import plotly.graph_objects
    import plotly.io  # noqa: F401

    from qunce.ui.content import catalogue

    catalogue()
    return time.perf_counter() - started


def warm_search() -> float:
    """Open (or build) the search index and load the embedder; seconds taken."""
    started = time.perf_counter()
    from qunce.ui.search import warm_searcher

    warm_searcher()
    return time.perf_counter() - started


def _run() -> None:
    try:
        pages = warm_pages()
        search = warm_search()
        log.info("warmed up: pages %.2f s, search %.2f s", pages, search)
    except Exception:  # a page will show the real problem to whoever opens it
        log.exception("warm-up failed; pages will load what they need on first use")


def start() -> threading.Thread | None:
    """Warm up in a background thread, once per process."""
    if _started.is_set():
        return None
    _started.set()
    thread = threading.Thread(target=_run, name="qunce-warm-up", daemon=True)
    thread.start()
    return thread
