"""Warm a server up before its first visitor: the catalogue, the libraries pages import, and
the search index with its embedder, so neither the first page nor the first search pays for them.

`qunce serve` (what `make run` starts) calls `prepare()` once, in the server process, before the
Streamlit server begins to listen. The caches are the pages' own (`st.cache_resource`), so a
session that arrives while a background build still runs waits for it instead of loading the
index a second time.
"""

from __future__ import annotations

import gc
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


def _search_in_background() -> None:
    try:
        log.info("search index warmed up (built first) in %.2f s", warm_search())
    except Exception:  # the Search page will show the real problem to whoever opens it
        log.exception("search warm-up failed; the Search page will load what it needs")


def prepare() -> threading.Thread | None:
    """Warm up before the server listens, so a load balancer or a person never meets a cold
    server; once per process. A search index that must first be built (a fresh checkout, a
    content change, a damaged folder) is built in a background thread instead, so the app opens
    at once and its Search page shows the build's progress."""
    if _started.is_set():
        return None
    _started.set()
    # Before the server starts, Streamlit warns that st.cache_data has no runtime yet; it then
    # uses the in-memory store, which is what the server uses too.
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(logging.ERROR)
    try:
        pages = warm_pages()
        from qunce.ui.search import index_is_fresh

        if index_is_fresh():
            log.info("warmed up: pages %.2f s, search %.2f s", pages, warm_search())
            # What start-up loaded lives as long as the server: keep the collector off it.
            gc.freeze()
            return None
        log.info("warmed up: pages %.2f s; building the search index in the background", pages)
    except Exception:
        log.exception("warm-up failed; pages will load what they need on first use")
        return None
    thread = threading.Thread(target=_search_in_background, name="qunce-warm-up", daemon=True)
    thread.start()
    return thread
