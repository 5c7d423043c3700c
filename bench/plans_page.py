"""How long the Launch plans page takes to draw a big plan: the 300-item plan with 30 daily
routines of bench/agenda.py, in each view, as a browser gets it.

    .venv/bin/python bench/plans_page.py [--runs 20] [--index DIR]

One app server (`qunce serve`) on a scratch SQLite file; one session of bench/load.py's websocket
client joins the team, tells its name, then opens each tab (Checklist, Today, This week, the
calendar's week and month) and reruns the page `--runs` times there. Each figure is the time from
sending the rerun to the end of the script run: the server's work and every element it sends.
The refresh is the fragment rerun the page's timer asks for every few seconds (the plan has not
changed: one stamp query, then the view is drawn again from the session's copy). Figures only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from agenda import ROUTINES, build_plan
from load import Session
from startup import Server, ensure_index
from streamlit.proto.WidgetStates_pb2 import WidgetState

TABS = {  # the English tab labels of views/plans.py
    "checklist": ":material/checklist: Checklist",
    "agenda": ":material/today: Today & this week",
    "calendar": ":material/calendar_month: Calendar",
}


def _figures(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{1000 * statistics.median(ordered):7.0f} ms {1000 * p95:7.0f} ms"


def main() -> None:
    """Build the plan, start a server, time each view."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--index", type=Path, default=None, help="search index folder")
    args = parser.parse_args()

    from qunce.config import load_settings
    from qunce.plans import create_workspace, local_today, open_store

    index_dir = args.index or load_settings().index_dir
    ensure_index(index_dir)
    folder = tempfile.mkdtemp(prefix="qunce-plans-page-")
    database_url = f"sqlite:///{folder}/bench.db"
    store = open_store(database_url)
    workspace, code = create_workspace(store, "Bench")
    plan = build_plan(store, workspace.id, local_today())
    store.dispose()
    server = Server({"QUNCE_INDEX_DIR": str(index_dir), "QUNCE_DATABASE_URL": database_url,
                     "QUNCE_CONTENT_PATH": ""}).start()  # fmt: skip
    try:
        session = Session(server.url)
        session.run("plans", f"lang=en&join={code}")
        name = session.widget("-plans.author")
        named = [WidgetState(id=name, string_value="person 1")] if name else []
        session.run("plans", "lang=en", named)
        tabs = session.widget("-plans.tab")
        print(f"plan: {len(plan.items)} items ({ROUTINES} daily routines, 300 touched "
              f"occurrences); {args.runs} runs per view; {datetime.now():%Y-%m-%d %H:%M}, "
              f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
        print(f"{'view (whole page run)':36} {'p50':>10} {'p95':>10}   widgets drawn")
        for label, tab, mode in (
            ("checklist (300 items, all folded)", "checklist", None),
            ("Today", "agenda", None),
            ("This week (231 entries)", "agenda", "This week"),
            ("calendar: week", "calendar", None),
            ("calendar: month", "calendar", "Month"),
        ):
            states = [WidgetState(id=tabs, string_value=TABS[tab])] if tabs else []
            session.run("plans", "lang=en", states)
            if mode:
                key = "-plans.agenda.mode" if tab == "agenda" else "-plans.cal.mode"
                control = session.widget(key)
                if control is None:
                    print(f"{label}: no {key} on the page")
                    continue
                choice = WidgetState(id=control)
                choice.string_array_value.data.append(mode)
                session.run("plans", "lang=en", [choice])
            samples = []
            elements = 0
            for _ in range(args.runs):
                run = session.run("plans", "lang=en")
                samples.append(run.seconds)
                elements = len(run.widgets)
            print(f"{label:36} {_figures(samples)}   {elements}")
            refreshes = [r.seconds for _ in range(args.runs) if (r := session.refresh())]
            if refreshes:
                print(f"{'  its refresh (timer, no change)':36} {_figures(refreshes)}")
        session.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
