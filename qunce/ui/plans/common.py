"""What every part of the Launch plans page shares: state keys, escaping, messages, guards.

Everything a person typed (names, notes, owners, imported titles) goes through `md()` before it
reaches a label or Markdown, and never through unsafe HTML. Saves run in widget callbacks, so the
run that follows already shows the saved state; a callback never raises: database trouble and
refused values become messages in session state, shown where the person is looking. Callbacks
that change a workspace are `guarded`: the session's access is checked first.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import wraps
from typing import Any, ParamSpec

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from qunce.db.errors import AccessRevoked, NotFound, PlanError, StoreUnavailable
from qunce.plans.records import STATUS_MARKS, STATUSES, Item, Plan, Progress, status_label
from qunce.plans.recurrence import local_now, local_today
from qunce.plans.timeline import overdue_ids
from qunce.ui.i18n import lang, tr
from qunce.ui.keyring import keyring
from qunce.ui.workspace import guard

P = ParamSpec("P")
log = logging.getLogger("qunce.plans")

AUTHOR_KEY = "plans.author"
PLAN_KEY = "plans.plan"  # the plan chooser (a selectbox of plan ids)
CONFLICTS_KEY = "plans.conflicts"
NOTICES_KEY = "plans.notices"
OPEN_PREFIX = "plans.open."
OPENED_KEY = "plans.opened"
PINNED_KEY = "plans.pinned"  # item id → the item as its open form was built from
FLASH_KEY = "plans.flash"
NEW_CODE_KEY = "plans.new_code"
FILTER_KEY = "plans.filter"
NEW_PLAN_OPEN_KEY = "plans.new.open"
MADE_KEY = "plans.made_workspaces"  # when this session created workspaces (rate limit)
CREATES_PER_WINDOW = 3
# How long a message about a click stays in a view that refreshes itself.
LINGER_SECONDS = 10.0
CREATE_WINDOW = timedelta(hours=1)

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(value: str) -> str:
    """Text shown literally in a Streamlit label or Markdown (no links, emphasis, LaTeX, emoji)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(value.split()))


@dataclass(frozen=True)
class Conflict:
    """A refused save: the person's changes and the item as someone else left it."""

    mine: dict[str, Any]
    theirs: Item


def init_state() -> None:
    """Initialise this page's session state, once per key."""
    defaults: dict[str, Any] = {
        AUTHOR_KEY: keyring().name,
        CONFLICTS_KEY: {},
        NOTICES_KEY: {},
        OPENED_KEY: set(),
        PINNED_KEY: {},
        FLASH_KEY: [],
        NEW_CODE_KEY: None,
    }
    for key, value in defaults.items():
        if key not in st.session_state:
            st.session_state[key] = value


def author() -> str:
    """The name this person gave (used as the author of their changes); kept per browser."""
    typed = str(st.session_state.get(AUTHOR_KEY) or "").strip()
    return typed or keyring().name


def name_first() -> str:
    """What a save without a name says."""
    return tr(
        "先在页面上方写下你的名字，再保存：修改历史会记下是谁改的。你填的内容还在。",
        "Type your name at the top of the page first, then save: the history records who "
        "changed what. What you typed is still here.",
    )


def flash(kind: str, message: str) -> None:
    """Queue a page-level message for the next run ("success", "error", "info")."""
    st.session_state[FLASH_KEY].append((kind, message, time.monotonic(), False))


def show_flashes(*, fragment: bool = False) -> None:
    """Show the queued messages; each stays for `LINGER_SECONDS`, then is forgotten.

    A message must be readable even when another run follows the click at once (the page's
    self-refreshing views, a second click). A full run shows every message at the top of the
    page; a refreshing view's own run (`fragment`) shows only those no full run has shown yet,
    since the page's top stays on screen during such a run.
    """
    kept = []
    for kind, message, at, on_page in st.session_state[FLASH_KEY]:
        if not (fragment and on_page):
            {"success": st.success, "error": st.error}.get(kind, st.info)(message)
        if time.monotonic() - at < LINGER_SECONDS:
            kept.append((kind, message, at, on_page or not fragment))
    st.session_state[FLASH_KEY] = kept


def safely(callback: Callable[P, None]) -> Callable[P, None]:
    """A widget callback whose PlanErrors become a flash message instead of a traceback."""

    @wraps(callback)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            callback(*args, **kwargs)
        except PlanError as exc:
            flash("error", message(exc))

    return run


def guarded(callback: Callable[P, None]) -> Callable[P, None]:
    """A callback that changes a workspace (its first argument): the session's access to it is
    checked first, so a click after the join code was replaced is refused, never saved."""

    @wraps(callback)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            guard(str(args[0]))
            callback(*args, **kwargs)
        except AccessRevoked:
            pass  # the page says so once, above everything (pop_access_ended)
        except PlanError as exc:
            flash("error", message(exc))

    return run


def message(exc: PlanError) -> str:
    """The error in the page's language; details of an unreachable database go to the log."""
    if isinstance(exc, StoreUnavailable):
        log.warning("plans database unavailable: %s", exc)
        return tr(
            "计划数据库暂时无法连接，刚才的操作没有保存。请稍后再试。",
            "The plans database cannot be reached, so this was not saved. Try again in a while.",
        )
    if isinstance(exc, NotFound) and not exc.zh:
        return tr(
            "找不到这一项：它可能已被删除。", "This could not be found: it may have been deleted."
        )
    text_ = exc.text(lang())
    if lang() == "zh" and not exc.zh:
        return "没有完成：" + md(text_)
    return md(text_)


def today() -> date:
    """Today in the plans' time zone (QUNCE_TIMEZONE), which "due" and "overdue" mean."""
    return local_today()


def now() -> datetime:
    """The wall-clock time now in the plans' time zone (on `today()`'s date)."""
    return datetime.combine(today(), local_now().time())


def when(moment: datetime) -> str:
    """A moment as the page shows it (UTC, to the minute)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def progress_text(progress: Progress) -> str:
    """ "3/10 done (30%)" in the page's language."""
    return tr(
        f"{progress.done}/{progress.counted} 完成（{progress.ratio:.0%}）",
        f"{progress.done}/{progress.counted} done ({progress.ratio:.0%})",
    )


def plan_summary(plan: Plan) -> None:
    """The plan's overall progress and its counts per status, in two elements.

    One line of counts rather than five metrics: every element is a message to the browser on
    every run and every refresh of every person's page (bench/load.py).
    """
    progress = plan.progress()
    late = len(overdue_ids(plan, today()))
    st.progress(progress.ratio, text=progress_text(progress))
    counts = [
        f"{STATUS_MARKS[status]} {status_label(status, lang())} **{getattr(progress, status)}**"
        for status in STATUSES
    ]
    overdue = f"{tr('逾期', 'Overdue')} **{late}**"
    counts.append(
        f":red[:material/warning: {overdue}]" if late else f":material/warning: {overdue}"
    )
    st.markdown(" · ".join(counts), help=tr(
        "逾期＝未完成、且截止日期已过的事项；没有截止日期的事项永远不算逾期。",
        "Overdue: open items whose due date has passed. An item without a due date is never overdue.",
    ))  # fmt: skip


def partial_rerun() -> bool:
    """Whether this run reruns only a fragment (not the whole page)."""
    ctx = get_script_run_ctx()
    return bool(ctx and ctx.fragment_ids_this_run)


def keep_choice(key: str, options: Sequence[Any], default: Any) -> None:
    """Before drawing the select widget `key`, whose labels may change from run to run.

    A selectbox keeps its choice as the label it showed, so after a label changed (a plan
    renamed, a name typed, another language) its value is text that is no option, and the
    browser falls back to the first option. The choice the last run drew (`remember_choice`)
    stands instead; `default` when there is none.
    """
    state = st.session_state
    if state.get(key) not in options:
        kept = state.get(f"{key}.kept")
        state[key] = kept if kept in options else default


def remember_choice(key: str, value: Any) -> None:
    """What the select widget `key` showed in this run (for `keep_choice`)."""
    st.session_state[f"{key}.kept"] = value
