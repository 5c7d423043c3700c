"""Plans database figures: save latency under concurrent writers, and loading a 300-item plan.

    .venv/bin/python bench/plans.py                      # SQLite, plus a private PostgreSQL cluster
    .venv/bin/python bench/plans.py --postgres URL       # SQLite, plus the PostgreSQL at URL
    .venv/bin/python bench/plans.py --no-postgres        # SQLite only

For 1, 5 and 20 concurrent writers (threads, each with its own sessions) it prints the p50 and
p95 latency of `update_item`: first with each writer on its own item (a team ticking different
items), then with every writer on one item (the worst case: stale saves are refused and retried;
latency counts from the first try to the saved one). Then the time to load a 300-item plan
(`get_plan`) and to build its timeline figure. Figures only: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qunce.plans import (  # noqa: E402
    Plan,
    StaleEdit,
    Store,
    get_item,
    get_plan,
    import_plan,
    open_store,
    timeline_figure,
    update_item,
)
from qunce.plans.workspaces import create_workspace  # noqa: E402

WRITERS = (1, 5, 20)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _plan_file(items: int) -> bytes:
    return json.dumps(
        {
            "format": "qunce-plan",
            "version": 1,
            "plan": {
                "name": f"{items}-item plan",
                "start_date": date.today().isoformat(),
                "sources": [],
                "items": [
                    {
                        "title_zh": f"事项 {n}",
                        "title_en": f"Item {n}",
                        "detail_en": "Some detail. " * 10,
                        "done_when_en": "It is done.",
                        "effort_days": 1 + n % 3,
                        "owner": f"person {n % 7}",
                        "notes": "a note " * 5,
                    }
                    for n in range(items)
                ],
            },
        }
    ).encode()


def _run_writers(writers: int, work: Callable[[int], list[float]]) -> list[float]:
    start = threading.Barrier(writers)

    def run(number: int) -> list[float]:
        start.wait()
        return work(number)

    with ThreadPoolExecutor(max_workers=writers) as pool:
        return [s for samples in pool.map(run, range(writers)) for s in samples]


def _own_item(
    store: Store, workspace_id: str, item_id: int, updates: int, number: int
) -> list[float]:
    item = get_item(store, workspace_id, item_id)
    samples = []
    for n in range(updates):
        began = time.perf_counter()
        item = update_item(store, workspace_id, item.id, {"notes": f"{number}:{n}"},
                           expected_version=item.version, author=f"w{number}")  # fmt: skip
        samples.append(time.perf_counter() - began)
    return samples


class _SharedItem:
    """Every writer saves one item; stale saves are retried on top of the current row."""

    def __init__(self, store: Store, workspace_id: str, item_id: int, updates: int) -> None:
        self.store, self.workspace_id, self.item_id, self.updates = (
            store,
            workspace_id,
            item_id,
            updates,
        )
        self.refused = 0
        self.lock = threading.Lock()

    def __call__(self, number: int) -> list[float]:
        item = get_item(self.store, self.workspace_id, self.item_id)
        samples = []
        for n in range(self.updates):
            began = time.perf_counter()
            while True:
                try:
                    item = update_item(self.store, self.workspace_id, item.id,
                                       {"notes": f"{number}:{n}"}, expected_version=item.version)  # fmt: skip
                    break
                except StaleEdit as stale:
                    with self.lock:
                        self.refused += 1
                    item = stale.current
            samples.append(time.perf_counter() - began)
        return samples


def bench_saves(store: Store, updates: int) -> list[str]:
    """Save latency lines for 1, 5 and 20 writers, on separate items and on one item."""
    workspace, _code = create_workspace(store, "bench")
    plan = import_plan(store, workspace.id, _plan_file(max(WRITERS) + 1))
    lines = []
    for writers in WRITERS:
        work = partial(_own_item_of, store, workspace.id, plan, updates)
        p50, p95 = _percentiles(_run_writers(writers, work))
        lines.append(f"  {writers:>2} writers, own items : p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    for writers in WRITERS:
        shared = _SharedItem(store, workspace.id, plan.items[-1].id, updates)
        p50, p95 = _percentiles(_run_writers(writers, shared))
        per_save = shared.refused / (writers * updates)
        lines.append(
            f"  {writers:>2} writers, one item  : p50 {p50:7.1f} ms   p95 {p95:7.1f} ms"
            f"   ({per_save:.1f} stale retries per save)"
        )
    return lines


def _own_item_of(
    store: Store, workspace_id: str, plan: Plan, updates: int, number: int
) -> list[float]:
    return _own_item(store, workspace_id, plan.items[number].id, updates, number)


def bench_load(store: Store, items: int, repeats: int) -> list[str]:
    """Load time of a plan with `items` items, and of its timeline figure."""
    workspace, _code = create_workspace(store, "bench-load")
    plan = import_plan(store, workspace.id, _plan_file(items))
    loads, figures = [], []
    for _ in range(repeats):
        began = time.perf_counter()
        loaded = get_plan(store, workspace.id, plan.id)
        loads.append(time.perf_counter() - began)
        began = time.perf_counter()
        timeline_figure(loaded, lang="en", today=date.today())
        figures.append(time.perf_counter() - began)
    load50, load95 = _percentiles(loads)
    fig50, fig95 = _percentiles(figures)
    return [
        f"  load a {items}-item plan    : p50 {load50:7.1f} ms   p95 {load95:7.1f} ms",
        f"  its timeline figure     : p50 {fig50:7.1f} ms   p95 {fig95:7.1f} ms",
    ]


def run(label: str, url: str, updates: int, items: int, repeats: int) -> None:
    """Print every figure for one database."""
    store = open_store(url)
    try:
        print(f"{label}")
        for line in bench_saves(store, updates):
            print(line)
        for line in bench_load(store, items, repeats):
            print(line)
    finally:
        store.dispose()


def main() -> None:
    """Parse arguments and print the figures for SQLite and PostgreSQL."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--postgres", metavar="URL", help="a PostgreSQL URL (postgresql+psycopg://...)"
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--updates", type=int, default=50, help="saves per writer (default 50)")
    parser.add_argument("--items", type=int, default=300, help="items of the plan to load")
    parser.add_argument("--repeats", type=int, default=20, help="loads to time")
    args = parser.parse_args()

    import os
    import platform

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(f"{args.updates} saves per writer; latencies per save\n")
    with tempfile.TemporaryDirectory() as scratch:
        run(
            "SQLite (WAL, file)",
            f"sqlite:///{scratch}/bench.db",
            args.updates,
            args.items,
            args.repeats,
        )
    if args.no_postgres:
        return
    print()
    if args.postgres:
        run("PostgreSQL", args.postgres, args.updates, args.items, args.repeats)
        return
    from tests.fixtures_db import _Cluster, _pg_bindir, fresh_postgres_database

    bindir = _pg_bindir()
    if bindir is None:
        print("PostgreSQL: no server binaries found; pass --postgres URL")
        return
    cluster = _Cluster(bindir)
    try:
        cluster.start()
        version = bindir.parent.name
        run(f"PostgreSQL {version} (private cluster, fsync off)", fresh_postgres_database(cluster.url),
            args.updates, args.items, args.repeats)  # fmt: skip
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
