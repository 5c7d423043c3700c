"""Calendar figures: a 300-item plan with 30 daily routines — its week and month view models,
the Today view, the .ics export and the reminder digest.

    .venv/bin/python bench/agenda.py [--runs N]

The plan (in a SQLite file in a temporary folder) has 270 one-off items with due dates spread
over three months and 30 daily routines at different times, started 60 days ago, with 300
touched occurrences. Each figure is the median and p95 of N runs of what a page or command
does: read the touched occurrences of the window (one query) and build the view from the
loaded plan; `get_plan` is timed on its own. Figures only: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qunce.plans import (  # noqa: E402
    Plan,
    Store,
    get_occurrences,
    get_plan,
    import_plan,
    local_today,
    month_range,
    month_view,
    open_store,
    today_range,
    today_view,
    update_occurrence,
    week_range,
    week_view,
)
from qunce.plans.ics import to_ics  # noqa: E402
from qunce.plans.notify import build_digest  # noqa: E402
from qunce.plans.occurrences import all_occurrences  # noqa: E402
from qunce.plans.workspaces import create_workspace  # noqa: E402

ONE_OFF = 270
ROUTINES = 30


def plan_file(today: date) -> bytes:
    """The 300-item plan file: 270 dated one-off items and 30 daily routines from 60 days ago."""
    start = today - timedelta(days=60)
    items = [
        {
            "title_zh": f"事项 {n}",
            "title_en": f"Item {n}",
            "detail_en": "Some detail. " * 10,
            "effort_days": 1 + n % 3,
            "owner": f"person {n % 7}",
            "due": (start + timedelta(days=n % 90)).isoformat(),
            "status": "done" if n % 5 == 0 else "todo",
        }
        for n in range(ONE_OFF)
    ]
    items += [
        {
            "title_zh": f"例行 {n}",
            "title_en": f"Routine {n}",
            "detail_en": "Post the message. " * 5,
            "owner": f"person {n % 7}",
            "rule": f"FREQ=DAILY;BYHOUR={8 + n % 12};BYMINUTE={(n * 5) % 60}",
            "repeat_from": start.isoformat(),
        }
        for n in range(ROUTINES)
    ]
    document = {
        "format": "qunce-plan",
        "version": 2,
        "plan": {"name": "300-item plan", "start_date": start.isoformat(), "items": items},
    }
    return json.dumps(document).encode()


def build_plan(store: Store, workspace_id: str, today: date) -> Plan:
    """Import the 300-item plan into the workspace and tick ten days of every routine."""
    plan = import_plan(store, workspace_id, plan_file(today))
    routines = [i for i in plan.items if i.recurring]
    for n in range(300):  # ten days of ticks on every routine
        item = routines[n % ROUTINES]
        assert item.repeat is not None
        day = today - timedelta(days=1 + n // ROUTINES)
        when = item.repeat.on(day)[0]
        update_occurrence(store, workspace_id, item.id, when, {"status": "done"},
                          expected_version=0)  # fmt: skip
    return plan


def _time(work: Callable[[], object], runs: int) -> tuple[float, float]:
    work()  # warm: caches of parsed rules, prepared statements
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        samples.append(time.perf_counter() - began)
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def main() -> None:
    """Build the plan, then print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    today = local_today()
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{folder}/bench.db")
        workspace, _ = create_workspace(store, "Bench")
        plan = build_plan(store, workspace.id, today)
        ws, plan_id = workspace.id, plan.id
        loaded = get_plan(store, ws, plan_id)

        def week() -> object:
            start, end = week_range(today)
            touched = get_occurrences(store, ws, plan_id, start=start, end=end)
            return week_view(loaded, touched, day=today, today=today)

        def month() -> object:
            start, end = month_range(today.year, today.month)
            touched = get_occurrences(store, ws, plan_id, start=start, end=end)
            return month_view(loaded, touched, year=today.year, month=today.month, today=today)

        def today_list() -> object:
            start, end = today_range(today)
            touched = get_occurrences(store, ws, plan_id, start=start, end=end)
            return today_view(loaded, touched, today=today)

        def ics() -> object:
            return to_ics(loaded, all_occurrences(store, ws, plan_id), tz="Asia/Shanghai")

        def digest() -> object:
            return build_digest(store, ws, plan_id, today=today).markdown()

        entries_week = sum(len(d.entries) for d in week_view(loaded, [], day=today, today=today).days)  # type: ignore[union-attr]
        entries_month = sum(len(d.entries) for d in month().days)  # type: ignore[attr-defined]
        size = len(ics())  # type: ignore[arg-type]
        print(f"plan: {len(loaded.items)} items ({ROUTINES} daily routines), 300 touched "
              f"occurrences; week {entries_week} entries, month grid {entries_month} entries, "
              f".ics {size / 1024:.0f} kB; {args.runs} runs, {datetime.now():%Y-%m-%d}")  # fmt: skip
        print(f"{'':34} {'p50':>9} {'p95':>9}")
        for label, work in (
            ("get_plan (300 items)", lambda: get_plan(store, ws, plan_id)),
            ("week view (query + model)", week),
            ("month view (query + model)", month),
            ("today view (query + model)", today_list),
            ("ics export (query + file)", ics),
            ("notify digest (2 queries + text)", digest),
        ):
            p50, p95 = _time(work, args.runs)
            print(f"{label:34} {p50:7.1f} ms {p95:7.1f} ms")
        store.dispose()


if __name__ == "__main__":
    main()
