"""Load on one app server: N concurrent sessions searching and ticking off checklist items.

Each session is a light client of Streamlit's own protocol (the websocket a browser uses, with the
same protobuf messages), so 20 sessions cost the client almost nothing and the figures are the
server's. A session joins one shared team workspace by its join link, then repeats, with a
random think time between interactions: a search on the Search page, an edit of a random
checklist item's notes on the Launch plans page (unfold the item, a rerun of its own, then
submit its form), or a one-tap tick of a random item's box. Each interaction is timed from
sending the message to the end of the script run it caused. A save or tick refused because
another session saved first is resolved as a person would: "Drop my change" / "Keep theirs".

While a session is on the Launch plans page it also does what the browser's timer does: the
checklist is a fragment that asks to be rerun every few seconds (`auto_rerun`), so the session
sends those reruns during its think time, as a browser would, and they load the server like
everyone's clicks do. They are timed separately ("refresh"), not counted as interactions.

Printed per N: interactions per second, p50/p95 latency over every interaction (searches,
unfolds, edits, ticks and page switches) and per kind, the refreshes' p50/p95, the
server's peak RSS, errors (exceptions, time-outs, broken connections), refused stale saves
(another session saved first: shown to the person, not an error) and lost updates (saves and
ticks the page confirmed that are missing from the item's history in the database).

Sessions arrive spread over the first --ramp seconds (default 2 s, the mean think time), as
people opening a join link do; --ramp 0 makes them all join in the same instant.

Usage: python bench/load.py [--sessions 1,5,20] [--seconds 20] [--think 2.0] [--ramp 2.0]
       [--database-url URL] [--servers 1]
Bounded: at most 50 sessions and 120 s per level, loopback only. A benchmark: prints, asserts
nothing. Targets (2-core machine, N = 20): p95 <= 300 ms, zero errors, zero lost updates.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from startup import Server, ensure_index
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websocket import WebSocket, create_connection

PLAYBOOKS = ["launch-rules", "operating-core", "wechat-community"]
QUERIES = [
    "付费会员怎么招募", "reward crowdfunding tiers", "群里冷清没人说话怎么办", "QR code campaign",
    "how to keep a WeChat group lively", "贴吧 亚文化", "paid membership pricing", "口碑传播",
]  # fmt: skip
NOTES = re.compile(r"plans\.item\.(\d+)\.v(\d+)\.notes$")
OPEN = re.compile(r"plans\.open\.(\d+)$")
TICK = re.compile(r"plans\.check\.tick\.(\d+)\.v(\d+)$")
MAX_SESSIONS = 50
MAX_SECONDS = 120.0


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by nearest rank; nan for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


@dataclass
class Run:
    """What one script run sent back."""

    seconds: float
    widgets: dict[str, str]  # widget id -> element type
    alerts: list[str]
    exceptions: list[str]
    page_hash: str
    pages: dict[str, str]  # url path -> page script hash
    timer: tuple[str, float] | None = None  # (fragment id, seconds) the page asked to rerun


class Session:
    """One browser-like session over Streamlit's websocket protocol."""

    def __init__(self, base_url: str, timeout: float = 60.0) -> None:
        assert base_url.startswith("http://127.0.0.1:"), "loopback only"
        self.ws: WebSocket = create_connection(
            base_url.replace("http://", "ws://") + "/_stcore/stream",
            subprotocols=["streamlit"],
            timeout=timeout,
        )
        self.pages: dict[str, str] = {}
        self.page = ""
        self.widgets: dict[str, str] = {}
        self.fragments: dict[str, str] = {}  # widget id -> the fragment that drew it
        self.checked: dict[str, bool] = {}  # checkbox id -> the value it was drawn with
        self.timer: tuple[str, float] | None = None  # the fragment the browser would rerun
        self.timer_started = 0.0  # when the browser's timer last (re)started

    def close(self) -> None:
        """Close the websocket."""
        self.ws.close()

    def run(
        self,
        page: str,
        query: str = "lang=en",
        widgets: list[WidgetState] | None = None,
        *,
        auto_fragment: str = "",
    ) -> Run:
        """Rerun `page` with these widget states; wait for the end of the script run.

        As the browser does, a change to widgets that a fragment drew reruns only that
        fragment (on the same page); the widgets drawn outside it stay as they were.
        """
        message = BackMsg()
        state = message.rerun_script
        state.query_string = query
        state.page_name = page
        state.page_script_hash = self.pages.get(page, "")
        state.widget_states.widgets.extend(widgets or [])
        # (the author's name rides along unchanged, as in every browser message)
        owners = {self.fragments[w.id] for w in widgets or [] if w.id in self.fragments}
        fragment = owners.pop() if len(owners) == 1 and page == self.page else ""
        if auto_fragment:  # the browser's timer: a rerun of that fragment alone
            fragment = auto_fragment
            message.rerun_script.is_auto_rerun = True
        state.fragment_id = fragment
        started = time.perf_counter()
        self.ws.send_binary(message.SerializeToString())
        widget_types: dict[str, str] = {}
        fragments: dict[str, str] = {}
        alerts: list[str] = []
        exceptions: list[str] = []
        page_hash = ""
        timer: tuple[str, float] | None = None
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(self.ws.recv())
            kind = forward.WhichOneof("type")
            if kind == "navigation":
                page_hash = forward.navigation.page_script_hash
                for app_page in forward.navigation.app_pages:
                    self.pages[app_page.url_pathname] = app_page.page_script_hash
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                element_type = element.WhichOneof("type") or ""
                inner = getattr(element, element_type, None)
                widget_id = getattr(inner, "id", "")
                if widget_id:
                    widget_types[widget_id] = element_type
                    if element_type == "checkbox":
                        self.checked[widget_id] = bool(element.checkbox.default)
                    if forward.delta.fragment_id:
                        fragments[widget_id] = forward.delta.fragment_id
                if element_type == "alert":
                    alerts.append(element.alert.body)
                elif element_type == "exception":
                    where = [line for line in element.exception.stack_trace if "File" in line]
                    exceptions.append(
                        element.exception.message + (f" (at {where[-1].strip()})" if where else "")
                    )
            elif kind == "delta" and forward.delta.WhichOneof("type") == "add_block":
                block = forward.delta.add_block
                if block.WhichOneof("type") == "expandable" and block.expandable.id:
                    widget_types[block.expandable.id] = "expandable"  # a stateful expander
                    if forward.delta.fragment_id:
                        fragments[block.expandable.id] = forward.delta.fragment_id
                elif block.WhichOneof("type") == "tab_container" and block.tab_container.id:
                    widget_types[block.tab_container.id] = "tab_container"  # stateful tabs
            elif kind == "auto_rerun":
                timer = (forward.auto_rerun.fragment_id, forward.auto_rerun.interval)
            elif kind == "script_finished":
                break
        self.page = page
        if fragment:
            kept = {w: t for w, t in self.widgets.items() if self.fragments.get(w) != fragment}
            self.widgets = {**kept, **widget_types}
            self.fragments = {w: f for w, f in self.fragments.items() if f != fragment}
            self.fragments.update(fragments)
        else:
            self.widgets, self.fragments = widget_types, fragments
            self.timer = timer  # a full run re-registers the timers it still wants
            self.timer_started = time.perf_counter()
        return Run(time.perf_counter() - started, widget_types, alerts, exceptions, page_hash,
                   dict(self.pages), timer)  # fmt: skip

    def refresh(self) -> Run | None:
        """What the browser's timer sends: a rerun of the self-refreshing fragment, if any."""
        if self.timer is None or self.page != "plans":
            return None
        run = self.run("plans", "lang=en", auto_fragment=self.timer[0])
        self.timer_started = time.perf_counter()
        return run

    def pause(self, seconds: float, until: float, tally: Tally) -> None:
        """Think for `seconds`; meanwhile the page's timer fires as in a browser."""
        end = min(time.perf_counter() + seconds, until)
        while True:
            if self.timer is not None and self.page == "plans":
                due = self.timer_started + self.timer[1]
                if due <= end:
                    time.sleep(max(0.0, due - time.perf_counter()))
                    run = self.refresh()
                    if run is not None:
                        tally.add("refresh", run.seconds)
                        for text in run.exceptions:
                            tally.error(f"exception in a refresh: {text}")
                    continue
            time.sleep(max(0.0, end - time.perf_counter()))
            return

    def widget(self, suffix: str, ending: str = "") -> str | None:
        """The id of the widget whose key ends with `suffix` (or holds `suffix` and ends with
        `ending`) in the last run."""
        if ending:
            return next((w for w in self.widgets if suffix in w and w.endswith(ending)), None)
        return next((w for w in self.widgets if w.endswith(suffix)), None)


@dataclass
class Tally:
    """Everything the sessions of one level measured."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    stale: int = 0
    acked: list[tuple[int, str]] = field(default_factory=list)
    ticks: list[tuple[int, str]] = field(default_factory=list)  # (item id, author) confirmed
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float) -> None:
        """Record one interaction's latency."""
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)

    def error(self, text: str) -> None:
        """Record an error."""
        with self.lock:
            self.errors.append(text)


def session_loop(
    number: int,
    url: str,
    code: str,
    until: float,
    think: float,
    tally: Tally,
    seed: int,
    ramp: float = 0.0,
    mix: tuple[str, ...] = ("search", "edit", "tick"),
) -> None:
    """One person: arrive within the ramp-up, join, then search, edit and tick until the
    deadline, letting the plans page refresh itself in between."""
    rng = random.Random(seed)
    time.sleep(rng.uniform(0, ramp))
    try:
        session = Session(url)
    except Exception as exc:
        tally.error(f"connect: {type(exc).__name__}: {exc}")
        return
    author = f"load-{number}"
    edits = 0
    try:
        first = session.run("plans", f"lang=en&join={code}")
        tally.add("navigate", first.seconds)
        while time.perf_counter() < until:
            session.pause(rng.expovariate(1 / think) if think > 0 else 0, until, tally)
            if time.perf_counter() >= until:
                break
            action = rng.choice(mix)
            if session.page != ("search" if action == "search" else "plans"):
                moved = session.run("search" if action == "search" else "plans")
                tally.add("navigate", moved.seconds)
                for text in moved.exceptions:
                    tally.error(f"exception: {text}")
            name_box = session.widget("-plans.author")
            named = [WidgetState(id=name_box, string_value=author)] if name_box else []
            if action == "search":
                box = session.widget("-search.query")
                if box is None:
                    tally.error("search box missing")
                    continue
                query = rng.choice(QUERIES)
                run = session.run("search", f"lang=en&q={query}",
                                  [WidgetState(id=box, string_value=query)])  # fmt: skip
                tally.add("search", run.seconds)
            elif action == "tick":
                # One tap on a random item's box: done, or back to do when it was done.
                boxes = [(w, m) for w in session.widgets if (m := TICK.search(w))]
                if not boxes:
                    tally.error("no tick box on the plans page")
                    continue
                box_id, found = rng.choice(boxes)
                item_id, version = int(found.group(1)), int(found.group(2))
                value = not session.checked.get(box_id, False)
                run = session.run("plans", "lang=en", [WidgetState(id=box_id, bool_value=value), *named])
                tally.add("tick", run.seconds)
                newer = [
                    int(m.group(2)) for w in session.widgets
                    if (m := TICK.search(w)) and int(m.group(1)) == item_id
                ]  # fmt: skip
                if any("changed “" in a and "was not saved" in a for a in run.alerts):
                    with tally.lock:
                        tally.stale += 1
                    # as a person does: read who changed it, keep theirs
                    keep = session.widget(f"plans.tap.keep.{item_id}")
                    if keep is not None:
                        run = session.run("plans", "lang=en", [WidgetState(id=keep, trigger_value=True)])
                        tally.add("resolve", run.seconds)
                elif newer and max(newer) > version:
                    with tally.lock:
                        tally.ticks.append((item_id, author))
                else:
                    tally.error(f"tick of item {item_id} neither saved nor refused: {run.alerts}")
            else:
                # Unfold a random item (its form is drawn only while it is open), then edit it.
                rows = [(w, m) for w in session.widgets if (m := OPEN.search(w))]
                if not rows:
                    tally.error("no checklist item on the plans page")
                    continue
                row_id, row = rng.choice(rows)
                opened = session.run("plans", "lang=en", [WidgetState(id=row_id, bool_value=True)])
                tally.add("open", opened.seconds)
                notes_id = session.widget(f"plans.item.{row.group(1)}.v", ending=".notes")
                match = NOTES.search(notes_id or "")
                if notes_id is None or match is None:
                    tally.error(f"item {row.group(1)} opened without its form")
                    continue
                item_id, version = int(match.group(1)), int(match.group(2))
                submit = session.widget(f"FormSubmitter:plans.item.{item_id}.v{version}-Save")
                if submit is None:
                    tally.error(f"no Save button for item {item_id}")
                    continue
                edits += 1
                token = f"{author} edit {edits}"
                states = [WidgetState(id=notes_id, string_value=token),
                          WidgetState(id=submit, trigger_value=True),
                          WidgetState(id=row_id, bool_value=True), *named]  # fmt: skip
                run = session.run("plans", "lang=en", states)
                tally.add("edit", run.seconds)
                # (a refusal first: a "Saved" of an earlier edit may still be on show)
                refused = any("saved this item first" in a for a in run.alerts)
                if not refused and any(a.startswith("Saved (version") for a in run.alerts):
                    with tally.lock:
                        tally.acked.append((item_id, token))
                elif refused:
                    with tally.lock:
                        tally.stale += 1
                    # as a person does: look at their value, drop mine
                    drop = session.widget(f"plans.discard.{item_id}")
                    if drop is not None:
                        run = session.run("plans", "lang=en", [WidgetState(id=drop, trigger_value=True)])
                        tally.add("resolve", run.seconds)
                else:
                    tally.error(f"edit of item {item_id} neither saved nor refused: {run.alerts}")
            for text in run.exceptions:
                tally.error(f"exception: {text}")
    except Exception as exc:
        tally.error(f"session {number}: {type(exc).__name__}: {exc}")
    finally:
        session.close()


def rss_sampler(server: Server, stop: threading.Event, peak: list[float]) -> None:
    """Keep the highest RSS seen until stopped."""
    while not stop.is_set():
        peak[0] = max(peak[0], server.rss_mb())
        stop.wait(0.25)


def lost_updates(
    database_url: str,
    workspace_id: str,
    acked: list[tuple[int, str]],
    ticks: list[tuple[int, str]] | None = None,
) -> int:
    """Confirmed saves whose value is not in the item's history, and confirmed ticks without a
    status change by their author in it."""
    from collections import Counter

    from qunce.plans import item_history, open_store

    store = open_store(database_url)
    try:
        history = {
            item_id: item_history(store, workspace_id, item_id)
            for item_id in {i for i, _ in [*acked, *(ticks or [])]}
        }
        written = {i: {c.new for c in changes if c.field == "notes"} for i, changes in history.items()}
        missing = [(item_id, token) for item_id, token in acked if token not in written[item_id]]
        tapped = Counter(ticks or [])
        for (item_id, author), count in tapped.items():
            found = sum(1 for c in history[item_id] if c.field == "status" and c.author == author)
            missing += [(item_id, f"a tick by {author}")] * max(0, count - found)
        for item_id, what in missing[:5]:
            print(f"      lost: item {item_id}, {what}")
        return len(missing)
    finally:
        store.dispose()


def prepare(database_url: str) -> tuple[str, str]:
    """A workspace with one plan built from a few playbooks; (workspace id, join code)."""
    from qunce.content.catalogue import load_catalogue
    from qunce.plans import create_plan, create_workspace, open_store

    store = open_store(database_url)
    try:
        workspace, code = create_workspace(store, "Load test team")
        create_plan(store, workspace.id, "Load", PLAYBOOKS, load_catalogue(extra=[]),
                    start_date=date.today())  # fmt: skip
    finally:
        store.dispose()
    return workspace.id, code


def level(
    servers: list[Server], code: str, sessions: int, seconds: float, think: float, ramp: float,
    mix: tuple[str, ...] = ("search", "edit", "tick"),
) -> tuple[Tally, float, float]:
    """Run `sessions` sessions for `seconds`, spread over the servers as a load balancer with
    sticky sessions would; (tally, elapsed seconds, highest peak RSS of one server in MB)."""
    tally = Tally()
    stop = threading.Event()
    peaks = [[server.rss_mb()] for server in servers]
    samplers = [
        threading.Thread(target=rss_sampler, args=(server, stop, peak), daemon=True)
        for server, peak in zip(servers, peaks, strict=True)
    ]
    for sampler in samplers:
        sampler.start()
    started = time.perf_counter()
    until = started + seconds
    threads = [
        threading.Thread(
            target=session_loop,
            args=(n, servers[n % len(servers)].url, code, until, think, tally,
                  1000 * sessions + n, ramp, mix),
        )
        for n in range(sessions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
        if thread.is_alive():
            tally.error("a session did not finish in time")
    elapsed = time.perf_counter() - started
    stop.set()
    for sampler in samplers:
        sampler.join()
    return tally, elapsed, max(peak[0] for peak in peaks)


def _ms(values: list[float], q: float) -> str:
    return f"{1000 * percentile(values, q):.0f}"


def main() -> None:
    """Run each level and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,5,20", help="comma-separated N (each <= 50)")
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds per level (<= 120)")
    parser.add_argument("--think", type=float, default=2.0, help="mean think time (s)")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--index", type=Path, default=None, help="search index folder")
    parser.add_argument("--ramp", type=float, default=2.0,
                        help="sessions arrive spread over this many seconds (0: all at once)")  # fmt: skip
    parser.add_argument("--servers", type=int, default=1,
                        help="app servers sharing the database and index, sessions spread over "
                             "them (1-4; one per core is the team set-up of docs/team.md)")  # fmt: skip
    parser.add_argument("--mix", default="search,edit,tick",
                        help="what sessions do, picked at random each time (search, edit, tick); "
                             "search,edit is the mix of the figures before one-tap ticks")  # fmt: skip
    args = parser.parse_args()
    mix = tuple(a for a in args.mix.split(",") if a in ("search", "edit", "tick")) or ("search",)
    n_servers = min(4, max(1, args.servers))
    levels = [min(MAX_SESSIONS, max(1, int(n))) for n in args.sessions.split(",")]
    seconds = min(MAX_SECONDS, max(1.0, args.seconds))

    from qunce.config import load_settings

    index_dir = args.index or load_settings().index_dir
    ensure_index(index_dir)
    scratch = Path(os.environ.get("TMPDIR", "/tmp")) / f"qunce-load-{os.getpid()}"
    database_url = args.database_url or f"sqlite:///{scratch / 'qunce.db'}"
    workspace_id, code = prepare(database_url)
    env = {"QUNCE_INDEX_DIR": str(index_dir), "QUNCE_DATABASE_URL": database_url,
           "QUNCE_CONTENT_PATH": ""}  # fmt: skip
    servers: list[Server] = []
    try:
        for _ in range(n_servers):
            servers.append(Server(env).start())
        for server in servers:
            warm = Session(server.url)  # the first join migrates and opens the plan once
            warm.run("plans", f"lang=en&join={code}")
            warm.run("search", "lang=en")
            box = warm.widget("-search.query")
            if box:
                warm.run("search", "lang=en", [WidgetState(id=box, string_value=QUERIES[0])])
            warm.close()
        print(f"{n_servers} server(s): {', '.join(s.url for s in servers)}, database {database_url.split('://')[0]}, "
              f"think time {args.think:g} s (exponential), arrivals over {args.ramp:g} s, "
              f"{seconds:g} s per level, mix {'/'.join(mix)}")  # fmt: skip
        print(
            f"{'N':>3} {'ops/s':>6} {'p50':>5} {'p95':>5} | {'search p50/p95':>14} | "
            f"{'open p50/p95':>12} | {'edit p50/p95':>12} | {'tick p50/p95':>12} | {'switch p95':>10} | "
            f"{'refresh p50/p95':>15} | {'RSS MB':>6} | errors | stale | lost"
        )
        for n in levels:
            tally, elapsed, peak = level(servers, code, n, seconds, args.think, args.ramp, mix)
            # every interaction counts, page switches included; the timer's refreshes are no
            # interaction (nobody waits for them) and are shown on their own
            timed = [v for k, vs in tally.latencies.items() if k != "refresh" for v in vs]
            tick = tally.latencies.get("tick", [])
            refresh = tally.latencies.get("refresh", [])
            search = tally.latencies.get("search", [])
            edit = tally.latencies.get("edit", [])
            unfold = tally.latencies.get("open", [])
            switch = tally.latencies.get("navigate", [])
            lost = lost_updates(database_url, workspace_id, tally.acked, tally.ticks)
            print(
                f"{n:>3} {len(timed) / elapsed:>6.1f} {_ms(timed, 0.5):>5} {_ms(timed, 0.95):>5} | "
                f"{_ms(search, 0.5):>6}/{_ms(search, 0.95):<7} | {_ms(unfold, 0.5):>5}/{_ms(unfold, 0.95):<6} | {_ms(edit, 0.5):>5}/{_ms(edit, 0.95):<6} | "
                f"{_ms(tick, 0.5):>5}/{_ms(tick, 0.95):<6} | {_ms(switch, 0.95):>10} | "
                f"{_ms(refresh, 0.5):>7}/{_ms(refresh, 0.95):<7} | {peak:>6.0f} | {len(tally.errors):>6} | "
                f"{tally.stale:>5} | {lost:>4}   ({len(search)} searches, {len(edit)} edits, "
                f"{len(tick)} ticks, {len(refresh)} refreshes; {len(tally.acked)} saves and "
                f"{len(tally.ticks)} ticks confirmed)"
            )
            for text in sorted(set(tally.errors))[:5]:
                print(f"      error: {text[:600]}")
        print(f"latencies in ms; machine: {os.cpu_count()} CPUs, load average "
              f"{os.getloadavg()[0]:.1f} at the end")  # fmt: skip
    finally:
        for server in servers:
            server.stop()


if __name__ == "__main__":
    main()
