"""A workshop in a room on one app server: a presenter, a board tab, the audience screen, N phones.

One `qunce serve` (a fresh SQLite file, the built search index, warmed up as `make run` does) and,
speaking Streamlit's websocket protocol as a browser does (the same protobuf messages, see
bench/load.py):

- the **presenter**: the facilitator's desk on *Present*, pressing *Next* every --next seconds
  (not while a poll is open: the trainer waits on the poll's slide, then closes it);
- a **board tab**: the facilitator's desk on *Board* (its fragment refreshes as the page asks);
- the **audience screen**: `?screen=`, following the presenter (fragment refresh);
- **N phones** (default 48) in --teams teams (default 12, four people to a team): `?join=`
  with their team's code, refreshing as the page asks (its `live` fragment every 1.5 s; a
  teammate's tick reruns the page) and ticking one unticked item every --tick seconds on average;
- **polls**: every --poll-every seconds the trainer opens a poll (through the library: one
  action every 20 s is no load) and one phone of each team answers it on the page, 2-8 s after
  its phone shows it (`poll_choice_key`; with an empty key the teams answer through the library).

Every refresh re-runs what the server asks (`auto_rerun` messages name the fragment and its
interval); nothing is refreshed more often than a browser would. Printed (never pass/fail):
p50/p95 per interaction (time from sending the message to the end of the script run it caused),
**propagation** delays (a tick until the board tab shows it; *Next* until the screen shows the
new slide; a poll opened until phones show its question; an answer until the screen shows the
new count, each measured only when the page shows that thing at all), errors (exceptions,
time-outs, broken connections) and the server's peak RSS.

Usage: python bench/workshop_load.py [--phones 48] [--teams 12] [--seconds 60] [--tick 20]
       [--next 8] [--poll-every 20] [--index DIR] [--database-url URL] [--views FILE.json]
Bounded: at most 60 phones, 40 teams and 600 s, loopback only. Targets (2 cores): p95 <= 300 ms,
propagation p95 <= 2 s, 0 errors, RSS <= 450 MB.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import percentile
from startup import Server, ensure_index
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websocket import WebSocket, WebSocketTimeoutException, create_connection

MAX_PHONES = 60
MAX_TEAMS = 40
MAX_SECONDS = 600.0
PLAYBOOKS = ("launch-rules", "qr-code-scenarios")
CASE = "xiaomi-fans"
ANSWER_DELAY = (2.0, 8.0)  # seconds after a poll opens until a team answers
CLOSE_AFTER = 12.0  # seconds a poll stays open when the phones answer on the page


@dataclass(frozen=True)
class Views:
    """Where the page's parts are: page name, query parameters and widget keys.

    Today's values; a JSON file given with --views overrides any of them (e.g. when the desk is
    split into several pages, or when polls get their own widgets).
    """

    page: str = "workshop"
    host_param: str = "host"
    screen_param: str = "screen"
    join_param: str = "join"
    view_key: str = "workshop.host.view"
    present_view: int = 0  # index of *Present* among the view control's options
    board_view: int = 2  # index of *Board*
    next_key: str = "workshop.present.next"
    item_key: str = "workshop.team.item."  # a phone's checkbox keys start with this
    # A phone's radio for a choice poll: its key contains this ("" = answer through the library).
    poll_choice_key: str = "workshop.answer."

    @staticmethod
    def load(path: Path | None) -> Views:
        """The defaults, overridden by a JSON object in `path`."""
        if path is None:
            return Views()
        data = json.loads(path.read_text(encoding="utf-8"))
        return dataclasses.replace(Views(), **data)


@dataclass
class Run:
    """What one script run sent back."""

    seconds: float
    finished_at: float
    texts: list[str]
    frames: list[bytes]
    exceptions: list[str]


class Client:
    """One browser-like session: sends reruns, follows `auto_rerun`, keeps widget protos."""

    def __init__(self, base_url: str, views: Views, timeout: float = 60.0) -> None:
        assert base_url.startswith("http://127.0.0.1:"), "loopback only"
        self.views = views
        self.ws: WebSocket = create_connection(
            base_url.replace("http://", "ws://") + "/_stcore/stream",
            subprotocols=["streamlit"],
            timeout=timeout,
        )
        self.pages: dict[str, str] = {}
        self.widgets: dict[str, Any] = {}  # widget id -> element proto (the widget part)
        self.fragments: dict[str, str] = {}  # widget id -> fragment that drew it
        self.auto: dict[str, tuple[float, float]] = {}  # fragment -> (interval, next due)
        self.query = ""

    def close(self) -> None:
        """Close the websocket."""
        self.ws.close()

    def run(
        self, query: str | None = None, widgets: list[WidgetState] | None = None,
        fragment: str = "", auto: bool = False,
    ) -> Run:  # fmt: skip
        """Rerun the page (or one fragment) and wait for the end of the script run."""
        if query is not None:
            self.query = query
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query
        state.page_name = self.views.page
        state.page_script_hash = self.pages.get(self.views.page, "")
        state.widget_states.widgets.extend(widgets or [])
        if not fragment and widgets:
            owners = {self.fragments[w.id] for w in widgets if w.id in self.fragments}
            fragment = owners.pop() if len(owners) == 1 else ""
        state.fragment_id = fragment
        state.is_auto_rerun = auto
        started = time.perf_counter()
        self.ws.send_binary(message.SerializeToString())
        texts: list[str] = []
        frames: list[bytes] = []
        exceptions: list[str] = []
        widgets_seen: dict[str, Any] = {}
        owners_seen: dict[str, str] = {}
        if not fragment:
            self.auto.clear()
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(self.ws.recv())
            kind = forward.WhichOneof("type")
            if kind == "navigation":
                for app_page in forward.navigation.app_pages:
                    self.pages[app_page.url_pathname] = app_page.page_script_hash
            elif kind == "auto_rerun":
                interval = forward.auto_rerun.interval
                self.auto[forward.auto_rerun.fragment_id] = (
                    interval,
                    time.perf_counter() + interval,
                )
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                element_type = element.WhichOneof("type") or ""
                inner = getattr(element, element_type, None)
                widget_id = getattr(inner, "id", "")
                if widget_id:
                    widgets_seen[widget_id] = inner
                    if forward.delta.fragment_id:
                        owners_seen[widget_id] = forward.delta.fragment_id
                if element_type in ("markdown", "heading", "text", "alert"):
                    texts.append(inner.body)  # type: ignore[union-attr]
                elif element_type == "progress":
                    texts.append(element.progress.text)
                elif element_type == "metric":
                    texts.append(f"{element.metric.label}: {element.metric.body}")
                elif element_type == "dataframe":
                    frames.append(element.dataframe.arrow_data.data)
                elif element_type == "exception":
                    exceptions.append(element.exception.message)
            elif kind == "script_finished":
                if forward.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    # The run asked for a full rerun (a view saw its stamp change): wait for it.
                    fragment = ""
                    widgets_seen, owners_seen = {}, {}
                    self.auto.clear()
                    continue
                break
        finished = time.perf_counter()
        if fragment:
            self.widgets = {
                w: p for w, p in self.widgets.items() if self.fragments.get(w) != fragment
            }
            self.fragments = {w: f for w, f in self.fragments.items() if f != fragment}
            self.widgets.update(widgets_seen)
            self.fragments.update(owners_seen)
        else:
            self.widgets, self.fragments = widgets_seen, owners_seen
        return Run(finished - started, finished, texts, frames, exceptions)

    def due(self) -> tuple[str, float] | None:
        """The fragment whose auto-rerun is due next, and when (perf_counter time)."""
        if not self.auto:
            return None
        fragment, (_interval, at) = min(self.auto.items(), key=lambda kv: kv[1][1])
        return fragment, at

    def auto_rerun(self, fragment: str) -> Run:
        """Run a fragment as its timer does, and schedule the next one."""
        interval, _at = self.auto[fragment]
        self.auto[fragment] = (interval, time.perf_counter() + interval)
        return self.run(fragment=fragment, auto=True)

    def widget(self, suffix: str) -> tuple[str, Any] | None:
        """The widget whose key ends with `suffix` (id, proto)."""
        return next(((w, p) for w, p in self.widgets.items() if w.endswith(suffix)), None)


@dataclass
class Tally:
    """Everything measured, shared by all threads."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    delays: dict[str, list[float]] = field(default_factory=dict)
    missing: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float) -> None:
        """Record one interaction's latency."""
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)

    def delay(self, kind: str, seconds: float) -> None:
        """Record one propagation delay."""
        with self.lock:
            self.delays.setdefault(kind, []).append(seconds)

    def error(self, text: str) -> None:
        """Record an error."""
        with self.lock:
            self.errors.append(text)


@dataclass
class Events:
    """What happened when, for matching propagation afterwards."""

    ticks: list[tuple[float, str, int]] = field(default_factory=list)  # (time, team, done count)
    board: list[tuple[float, dict[str, int]]] = field(default_factory=list)
    slides: list[tuple[float, str]] = field(default_factory=list)  # (time, title) after Next
    screen: list[tuple[float, list[str]]] = field(default_factory=list)
    phones: list[tuple[float, str, list[str]]] = field(default_factory=list)  # (time, team, texts)
    polls: list[tuple[float, str]] = field(default_factory=list)  # (opened, question)
    answers: list[tuple[float, str, int]] = field(default_factory=list)  # (time, poll, count)
    answered: dict[str, int] = field(default_factory=dict)  # poll -> answers so far (page)
    poll_open: threading.Event = field(default_factory=threading.Event)
    questions: dict[str, str] = field(default_factory=dict)  # poll id -> question
    lock: threading.Lock = field(default_factory=threading.Lock)


def board_done(frames: list[bytes]) -> dict[str, int]:
    """Done items per team from the board table (its first column names the team, and one
    column holds "done/counted")."""
    import pyarrow as pa

    for data in frames:
        try:
            table = pa.ipc.open_stream(data).read_all().to_pydict()
        except Exception:
            continue
        names = next(iter(table.values()), [])
        for values in table.values():
            if values and all(isinstance(v, str) and "/" in v for v in values):
                return {
                    str(name): int(str(v).split("/")[0])
                    for name, v in zip(names, values, strict=False)
                }
    return {}


def _check(run: Run, tally: Tally, who: str) -> None:
    for text in run.exceptions:
        tally.error(f"{who}: exception: {text}")


def _follow(
    client: Client, until: float, tally: Tally, who: str, kind: str, seen: Callable[[Run], None],
    act: Callable[[], float] | None = None, stop: threading.Event | None = None,
) -> None:  # fmt: skip
    """Run the page's auto-reruns until `until`; call `act` when it is due (returns next due)."""
    next_act = act() if act else float("inf")
    while time.perf_counter() < until and not (stop and stop.is_set()):
        due = client.due()
        at = min(due[1] if due else float("inf"), next_act, until)
        pause = at - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        if time.perf_counter() >= until:
            break
        if act and time.perf_counter() >= next_act:
            next_act = act()
            continue
        if due is not None and time.perf_counter() >= due[1]:
            run = client.auto_rerun(due[0])
            tally.add(kind, run.seconds)
            _check(run, tally, who)
            seen(run)


def _team_done(texts: list[str]) -> int | None:
    """The team's done count as its phone shows it ("Team progress 3/15")."""
    for text in texts:
        if text.startswith("Team progress "):
            return int(text.split()[-1].split("/")[0])
    return None


def phone(
    number: int, url: str, code: str, team: str, views: Views, until: float, tick: float,
    tally: Tally, events: Events, rng: random.Random, answers: bool = False,
) -> None:  # fmt: skip
    """A phone of `team`: join, refresh as the page asks, tick an item now and then; with
    `answers` (one phone per team) answer each poll on the page a few seconds after it shows."""
    time.sleep(rng.uniform(0, 3))  # the room scans its QR codes over a few seconds
    try:
        client = Client(url, views)
        first = client.run(f"lang=en&{views.join_param}={code}")
    except Exception as exc:
        tally.error(f"phone {number}: connect: {type(exc).__name__}: {exc}")
        return
    tally.add("phone join", first.seconds)
    _check(first, tally, f"phone {number}")
    pending: dict[str, float] = {}  # poll widget id -> when this phone answers it
    answered: set[str] = set()

    def seen(run: Run) -> None:
        with events.lock:
            events.phones.append((run.finished_at, team, run.texts))
        if not (answers and views.poll_choice_key):
            return
        for wid, proto in client.widgets.items():
            poll = _poll_of(wid, views.poll_choice_key)
            if poll and poll not in answered and wid not in pending and proto.options:
                pending[wid] = time.perf_counter() + rng.uniform(*ANSWER_DELAY)

    seen(first)
    next_tick = [time.perf_counter() + rng.expovariate(1 / tick)]

    def answer(wid: str) -> None:
        proto = client.widgets.get(wid)
        poll = _poll_of(wid, views.poll_choice_key)
        answered.add(poll)
        if proto is None:
            return
        run = client.run(widgets=[WidgetState(id=wid, int_value=rng.randrange(len(proto.options)))])
        tally.add("phone answer", run.seconds)
        _check(run, tally, f"phone {number}")
        with events.lock:
            count = events.answered.get(poll, 0) + 1
            events.answered[poll] = count
            events.answers.append((run.finished_at, poll, count))
        seen(run)

    def act() -> float:
        now = time.perf_counter()
        due = [w for w, at in pending.items() if at <= now]
        for wid in due:
            del pending[wid]
            answer(wid)
        if now >= next_tick[0]:
            boxes = [w for w, p in client.widgets.items() if views.item_key in w and not p.default]
            if boxes:
                run = client.run(widgets=[WidgetState(id=rng.choice(boxes), bool_value=True)])
                tally.add("phone tick", run.seconds)
                _check(run, tally, f"phone {number}")
                done = _team_done(run.texts)
                if done is not None:
                    with events.lock:
                        events.ticks.append((run.finished_at, team, done))
                seen(run)
            next_tick[0] = time.perf_counter() + rng.expovariate(1 / tick)
        return min([next_tick[0], *pending.values()])

    try:
        _follow(client, until, tally, f"phone {number}", "phone refresh", seen, act)
    except WebSocketTimeoutException:
        tally.error(f"phone {number}: time-out")
    except Exception as exc:
        tally.error(f"phone {number}: {type(exc).__name__}: {exc}")
    finally:
        client.close()


def _poll_of(widget_id: str, key: str) -> str:
    """The poll a phone's answer widget belongs to ("workshop.answer.<poll>.<version>")."""
    if not key or key not in widget_id:
        return ""
    return widget_id.split(key, 1)[1].split(".", 1)[0]


def screen(url: str, code: str, views: Views, until: float, tally: Tally, events: Events) -> None:
    """The audience screen: follows the presenter."""
    try:
        client = Client(url, views)
        first = client.run(f"lang=en&{views.screen_param}={code}")
        tally.add("screen open", first.seconds)

        def seen(run: Run) -> None:
            with events.lock:
                events.screen.append((run.finished_at, run.texts))

        seen(first)
        _follow(client, until, tally, "screen", "screen refresh", seen)
        client.close()
    except Exception as exc:
        tally.error(f"screen: {type(exc).__name__}: {exc}")


def _desk(url: str, host: str, views: Views, view: int, tally: Tally) -> Client:
    client = Client(url, views)
    first = client.run(f"lang=en&{views.host_param}={host}")
    tally.add("desk open", first.seconds)
    control = client.widget(views.view_key)
    if control is None:
        raise RuntimeError(f"no {views.view_key} on the desk")
    wid, proto = control
    label = proto.options[view].content
    switched = client.run("lang=en", [WidgetState(id=wid, string_array_value=_array(label))])
    tally.add("desk switch", switched.seconds)
    return client


def _array(label: str) -> Any:
    from streamlit.proto.Common_pb2 import StringArray

    return StringArray(data=[label])


def board(url: str, host: str, views: Views, until: float, tally: Tally, events: Events) -> None:
    """The desk on *Board*: refreshes as the page asks; each refresh's done counts are kept."""
    try:
        client = _desk(url, host, views, views.board_view, tally)

        def seen(run: Run) -> None:
            counts = board_done(run.frames)
            if counts:
                with events.lock:
                    events.board.append((run.finished_at, counts))

        _follow(client, until, tally, "board", "board refresh", seen)
        client.close()
    except Exception as exc:
        tally.error(f"board: {type(exc).__name__}: {exc}")


def presenter(
    url: str, host: str, views: Views, titles: list[str], until: float, every: float,
    tally: Tally, events: Events,
) -> None:  # fmt: skip
    """The desk on *Present*: presses Next every `every` seconds, except while a poll is open
    (a trainer stays on the slide while the room answers)."""
    try:
        client = _desk(url, host, views, views.present_view, tally)
        slide = [0]

        def act() -> float:
            if events.poll_open.is_set():
                return time.perf_counter() + 1.0
            button = client.widget(views.next_key)
            if button is not None and not getattr(button[1], "disabled", False):
                run = client.run("lang=en", [WidgetState(id=button[0], trigger_value=True)])
                tally.add("presenter next", run.seconds)
                _check(run, tally, "presenter")
                slide[0] = min(slide[0] + 1, len(titles) - 1)
                with events.lock:
                    events.slides.append((run.finished_at, titles[slide[0]]))
            return time.perf_counter() + every

        _follow(client, until, tally, "presenter", "presenter refresh", lambda _r: None, act)
        client.close()
    except Exception as exc:
        tally.error(f"presenter: {type(exc).__name__}: {exc}")


def polls(
    database_url: str, host: str, codes: list[str], until: float, every: float,
    events: Events, rng: random.Random, through_page: bool,
) -> None:  # fmt: skip
    """The trainer opens a poll every `every` seconds; unless the phones answer on the page
    (`through_page`), each team answers a few seconds later through the library."""
    from qunce.db.store import open_store
    from qunce.workshop.polls import answer_poll, close_poll, live_poll, open_poll

    store = open_store(database_url)
    try:
        number = 0
        next_open = time.perf_counter() + every
        while next_open < until:
            time.sleep(max(0.0, next_open - time.perf_counter()))
            next_open += every
            number += 1
            question = f"Poll {number}: which step first?"
            # Asked from the slide the presenter is on, as the presenter's panel does (who
            # waits from now on: no Next between reading the slide and opening the poll).
            if through_page:
                events.poll_open.set()
                time.sleep(1.0)  # a Next already on its way lands first
            poll = open_poll(
                store, host, "choice", question, ["Rules", "Seeds", "Calendar"],
                slide_key=_current_slide_key(store, host),
            )  # fmt: skip
            with events.lock:
                events.polls.append((time.perf_counter(), question))
                events.questions[str(poll.id)] = question
            if through_page:
                # The teams answer on their phones; the trainer waits on the poll's slide, then
                # closes it and moves on.
                time.sleep(min(CLOSE_AFTER, every * 0.8))
                close_poll(store, host, poll.id)
                events.poll_open.clear()
                continue
            plan = sorted((rng.uniform(*ANSWER_DELAY), code) for code in codes)
            started = time.perf_counter()
            for delay, code in plan:
                pause = started + delay - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                answer_poll(store, code, poll.id, choice=rng.randrange(3))
                results = live_poll(store, poll.workshop_id)
                with events.lock:
                    events.answers.append(
                        (time.perf_counter(), question, results.answered if results else 0)
                    )
    finally:
        store.dispose()


def _current_slide_key(store: Any, host: str) -> str:
    from qunce.content.catalogue import load_catalogue
    from qunce.workshop.deck import build_deck
    from qunce.workshop.repository import open_workshop

    workshop = open_workshop(store, host)
    deck = build_deck(workshop.agenda, load_catalogue(extra=[]))
    return deck.slides[deck.clamp(workshop.stage.slide)].key


def _first(
    observations: list[tuple[float, Any]], after: float, match: Callable[[Any], bool]
) -> float | None:
    for at, value in observations:
        if at >= after and match(value):
            return at - after
    return None


def _answered(text: str) -> int | None:
    """How many teams the screen says answered ("7 of 12 teams answered", "12 个小组中 7 个已回答")."""
    import re

    found = re.search(r"(\d+) of \d+ teams answered", text) or re.search(r"中 (\d+) 个已回答", text)
    return int(found.group(1)) if found else None


def propagation(events: Events, tally: Tally, until: float) -> None:
    """Match each event with the first observation that shows it."""
    horizon = until - 6.0  # events in the last seconds may not have had their refresh yet
    board = sorted(events.board, key=lambda b: b[0])
    for at, team, count in events.ticks:
        if at > horizon:
            continue
        found = _first(board, at, lambda counts, t=team, c=count: counts.get(t, -1) >= c)
        if found is None:
            tally.missing["tick → board"] = tally.missing.get("tick → board", 0) + 1
        else:
            tally.delay("tick → board", found)
    screens = sorted(events.screen, key=lambda s: s[0])
    for at, title in events.slides:
        if at > horizon:
            continue
        found = _first(
            screens, at, lambda texts, t=title: any(t in x.replace("\\", "") for x in texts)
        )
        if found is None:
            tally.missing["next → screen"] = tally.missing.get("next → screen", 0) + 1
        else:
            tally.delay("next → screen", found)
    phones: dict[str, list[tuple[float, list[str]]]] = {}
    for at, team, texts in events.phones:
        phones.setdefault(team, []).append((at, texts))
    for opened, question in events.polls:
        if opened > horizon:
            continue
        for seen in phones.values():
            found = _first(
                seen, opened, lambda texts, q=question: any(q in x.replace("\\", "") for x in texts)
            )
            if found is None:
                tally.missing["poll → phones"] = tally.missing.get("poll → phones", 0) + 1
            else:
                tally.delay("poll → phones", found)
    for at, poll, count in events.answers:
        if at > horizon:
            continue
        question = events.questions.get(poll, poll)  # answers through the page name the poll id
        found = _first(
            screens, at,
            lambda texts, c=count, q=question: any(q in x.replace("\\", "") for x in texts)
            and any(n >= c for n in map(_answered, texts) if n is not None),
        )  # fmt: skip
        if found is None:
            tally.missing["answer → screen"] = tally.missing.get("answer → screen", 0) + 1
        else:
            tally.delay("answer → screen", found)


def prepare(database_url: str, teams: int) -> tuple[str, list[str], list[str], list[str]]:
    """A workshop with `teams` teams; (facilitator code, team codes, team names, slide titles)."""
    from qunce.content.catalogue import load_catalogue
    from qunce.db.store import open_store
    from qunce.workshop import repository as repo
    from qunce.workshop.agenda import Agenda, Block
    from qunce.workshop.deck import build_deck

    os.environ["QUNCE_MAX_TEAMS_PER_WORKSHOP"] = str(teams)
    catalogue = load_catalogue(extra=[])
    agenda = Agenda(
        title="Load test workshop",
        blocks=(
            Block(item=PLAYBOOKS[0], minutes=40),
            Block(item=CASE, minutes=15),
            Block(item=PLAYBOOKS[1], minutes=30),
        ),
    )
    store = open_store(database_url)
    try:
        names = repo.default_team_names(teams, "en")
        workshop, host = repo.create_workshop(
            store, agenda, catalogue, names, start_date=date.today()
        )
        codes = [repo.team_join_code(host, t) for t in workshop.teams]
    finally:
        store.dispose()
    # The screen shows the workshop's presenting language (zh unless the trainer switches).
    titles = [
        s.title.get(workshop.stage.display_lang) for s in build_deck(agenda, catalogue).slides
    ]
    return host, codes, names, titles


def main() -> None:
    """Prepare a workshop, start one server, run the room, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=48, help=f"phones (<= {MAX_PHONES})")
    parser.add_argument("--teams", type=int, default=12, help=f"teams (<= {MAX_TEAMS})")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the run")
    parser.add_argument("--tick", type=float, default=20.0, help="mean seconds between ticks")
    parser.add_argument("--next", type=float, default=8.0, help="seconds between Next presses")
    parser.add_argument("--poll-every", type=float, default=20.0, help="seconds between polls")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--index", type=Path, default=None, help="search index folder")
    parser.add_argument("--views", type=Path, default=None, help="JSON overriding Views fields")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    phones = min(MAX_PHONES, max(1, args.phones))
    teams = min(MAX_TEAMS, phones, max(1, args.teams))
    seconds = min(MAX_SECONDS, max(10.0, args.seconds))
    views = Views.load(args.views)

    from qunce.config import load_settings

    index_dir = args.index or load_settings().index_dir
    ensure_index(index_dir)
    scratch = Path(os.environ.get("TMPDIR", "/tmp")) / f"qunce-workshop-load-{os.getpid()}"
    database_url = args.database_url or f"sqlite:///{scratch / 'qunce.db'}"
    host, codes, names, titles = prepare(database_url, teams)
    env = {"QUNCE_INDEX_DIR": str(index_dir), "QUNCE_DATABASE_URL": database_url,
           "QUNCE_CONTENT_PATH": ""}  # fmt: skip
    server = Server(env).start()
    tally, events = Tally(), Events()
    try:
        warm = Client(server.url, views)  # the first visit migrates and caches the page's objects
        warm.run(f"lang=en&{views.join_param}={codes[0]}")
        warm.close()
        from qunce.db.store import open_store
        from qunce.workshop.repository import open_workshop, screen_join_code

        store = open_store(database_url)
        screen_code = screen_join_code(host, open_workshop(store, host))
        store.dispose()
        peak = [server.rss_mb()]
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], server.rss_mb())
                stop.wait(0.25)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        until = started + seconds
        rng = random.Random(args.seed)
        threads = [
            threading.Thread(target=presenter, args=(server.url, host, views, titles, until,
                                                      args.next, tally, events)),
            threading.Thread(target=board, args=(server.url, host, views, until, tally, events)),
            threading.Thread(target=screen, args=(server.url, screen_code, views, until, tally,
                                                   events)),
            threading.Thread(target=polls, args=(database_url, host, codes, until,
                                                 args.poll_every, events,
                                                 random.Random(args.seed + 1),
                                                 bool(views.poll_choice_key))),
        ] + [
            threading.Thread(target=phone, args=(n, server.url, codes[n % teams],
                                                 names[n % teams], views, until, args.tick,
                                                 tally, events, random.Random(rng.random()),
                                                 n < teams))
            for n in range(phones)
        ]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 120)
            if thread.is_alive():
                tally.error("a client did not finish in time")
        stop.set()
        sampler.join()
        propagation(events, tally, until)
        report(tally, phones, teams, seconds, peak[0], server.url)
    finally:
        server.stop()


def _ms(values: list[float], q: float) -> str:
    return f"{1000 * percentile(values, q):.0f}" if values else "-"


def _s(values: list[float], q: float) -> str:
    return f"{percentile(values, q):.2f}" if values else "-"


def report(tally: Tally, phones: int, teams: int, seconds: float, peak: float, url: str) -> None:
    """Print the figures."""
    every = [v for vs in tally.latencies.values() for v in vs]
    print(f"one server ({url}): {phones} phones in {teams} teams + presenter + board tab + "
          f"screen, {seconds:g} s, {os.cpu_count()} CPUs")  # fmt: skip
    print(f"{'interaction':<18} {'n':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for kind in sorted(tally.latencies):
        values = tally.latencies[kind]
        print(f"{kind:<18} {len(values):>6} {_ms(values, 0.5):>7} {_ms(values, 0.95):>7} "
              f"{_ms(values, 1.0):>7}")  # fmt: skip
    print(f"{'all':<18} {len(every):>6} {_ms(every, 0.5):>7} {_ms(every, 0.95):>7} "
          f"{_ms(every, 1.0):>7}   ({len(every) / seconds:.1f} runs/s)")  # fmt: skip
    print(f"{'propagation':<18} {'n':>6} {'p50 s':>7} {'p95 s':>7} {'max s':>7}  not seen")
    for kind in ("tick → board", "next → screen", "poll → phones", "answer → screen"):
        values = tally.delays.get(kind, [])
        missing = tally.missing.get(kind, 0)
        note = "  (the page does not show it)" if missing and not values else ""
        print(f"{kind:<18} {len(values):>6} {_s(values, 0.5):>7} {_s(values, 0.95):>7} "
              f"{_s(values, 1.0):>7}  {missing:>8}{note}")  # fmt: skip
    print(f"errors: {len(tally.errors)}; server peak RSS {peak:.0f} MB; load average "
          f"{os.getloadavg()[0]:.1f} at the end")  # fmt: skip
    for text in sorted(set(tally.errors))[:8]:
        print(f"  error: {text[:400]}")


if __name__ == "__main__":
    main()
