"""This session's copy of the chosen plan, read again only when the plan changed; who is editing.

The plan's views refresh themselves every few seconds (`qunce.ui.plans.live`). Each refresh asks
the database for the plan's stamp (`plan_stamp`: one query of a few aggregates) and reads the
plan, and the occurrences a view needs, only when the stamp moved since this session last read
them. The stamp is read before the plan, so a change that lands in between is read again on the
next refresh rather than missed.

Presence ("Lin is editing"): while an item's form is open, the page renews a short-lived note in
the database (`qunce.plans.presence`) every `RENEW_SECONDS`; folding the item removes it.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass, field
from datetime import date

import streamlit as st

from qunce.db.errors import PlanError
from qunce.plans.occurrences import get_occurrences, plan_stamp
from qunce.plans.presence import PRESENCE_SECONDS, clear_presence, editing, editors_by_item
from qunce.plans.presence import touch_presence as _touch
from qunce.plans.records import Occurrence, Plan
from qunce.plans.repository import get_plan
from qunce.ui.workspace import access, store

log = logging.getLogger("qunce.plans")

SNAPSHOT_KEY = "plans.snapshot"
SESSION_TOKEN_KEY = "plans.presence.session"
TOUCHED_KEY = "plans.presence.touched"  # (item id, monotonic time of the last renewal)
# An open form renews its note this often (the page refreshes every few seconds): well inside
# the note's lifetime, so a slow refresh does not let it run out while the form is open.
RENEW_SECONDS = PRESENCE_SECONDS / 2.5
WINDOWS = 6  # occurrence windows kept per stamp (today, this week, a month, a day...)


@dataclass
class Snapshot:
    """The plan as this session last read it, the stamp it had, and occurrences per window."""

    workspace_id: str
    plan: Plan
    stamp: tuple[object, ...]
    windows: dict[tuple[date, date], list[Occurrence]] = field(default_factory=dict)


def _snapshot() -> Snapshot | None:
    snap: Snapshot | None = st.session_state.get(SNAPSHOT_KEY)
    return snap


def current_plan(workspace_id: str, plan_id: int) -> Plan:
    """The plan as it is now; read from the database only when its stamp moved.

    Raises NotFound (deleted, or not this workspace's) and StoreUnavailable.
    """
    stamp = plan_stamp(store(), workspace_id, plan_id)
    snap = _snapshot()
    if (
        snap is not None
        and snap.workspace_id == workspace_id
        and snap.plan.id == plan_id
        and snap.stamp == stamp
    ):
        return snap.plan
    plan = get_plan(store(), workspace_id, plan_id)
    st.session_state[SNAPSHOT_KEY] = Snapshot(workspace_id, plan, stamp)
    return plan


def occurrences_between(workspace_id: str, plan: Plan, start: date, end: date) -> list[Occurrence]:
    """The plan's touched occurrences from `start` to `end`, read once per plan stamp."""
    snap = _snapshot()
    fresh = snap is not None and snap.workspace_id == workspace_id and snap.plan is plan
    if fresh and snap is not None and (start, end) in snap.windows:
        return snap.windows[(start, end)]
    found = get_occurrences(store(), workspace_id, plan.id, start=start, end=end)
    if fresh and snap is not None:
        if len(snap.windows) >= WINDOWS:
            snap.windows.pop(next(iter(snap.windows)))
        snap.windows[(start, end)] = found
    return found


def session_token() -> str:
    """A random token for this browser session (tells its presence notes from others')."""
    token: str | None = st.session_state.get(SESSION_TOKEN_KEY)
    if token is None:
        token = secrets.token_urlsafe(12)
        st.session_state[SESSION_TOKEN_KEY] = token
    return token


def editors(workspace_id: str, plan_id: int) -> dict[int, list[str]]:
    """Who else has each item's form open right now (names; "" for someone without a name)."""
    return editors_by_item(editing(store(), workspace_id, plan_id), except_session=session_token())


def present(workspace_id: str, item_id: int, person: str) -> None:
    """This session has the item's form open: renew its note when it is due (never raises)."""
    held = access()
    if held is None or held.workspace_id != workspace_id:
        return  # not (or no longer) in this workspace: leave no note
    last = st.session_state.get(TOUCHED_KEY)
    now = time.monotonic()
    if last is not None and last[0] == item_id and now - last[1] < RENEW_SECONDS:
        return
    try:
        _touch(store(), workspace_id, item_id, session=session_token(), person=person)
    except PlanError as exc:  # a note is a courtesy: the form works without it
        log.info("presence note not written: %s", exc)
        return
    st.session_state[TOUCHED_KEY] = (item_id, now)


def absent(workspace_id: str) -> None:
    """This session folded its open form: remove its note at once (never raises)."""
    if st.session_state.pop(TOUCHED_KEY, None) is None:
        return
    try:
        clear_presence(store(), workspace_id, session=session_token())
    except PlanError as exc:
        log.info("presence note not removed (it runs out by itself): %s", exc)
