"""What every part of the workshop page shares: session keys, refresh intervals, the deck cache,
the base URL links use, messages, and the page's fixed CSS.

Everything a person typed (titles, team names, notes, poll questions and answers) is shown as
escaped Markdown, in data frames or in Plotly figures with escaped labels, never as HTML. The
only HTML written by the workshop page is fixed CSS and fixed scripts, into which only numbers
are formatted.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from typing import TypeVar, cast

import streamlit as st

from qunce.content.catalogue import Catalogue
from qunce.db.errors import PlanError, StoreUnavailable
from qunce.ui.content import catalogue
from qunce.ui.i18n import lang, tr
from qunce.ui.workspace import show_unavailable
from qunce.workshop.agenda import Agenda
from qunce.workshop.deck import Deck, build_deck
from qunce.workshop.handout import md_escape
from qunce.workshop.reach import Reach, reach

HOST_KEY = "workshop.host_code"
CREATED_KEY = "workshop.created_code"
FLASH_KEY = "workshop.flash"
VIEW_KEY = "workshop.desk.view"  # the desk's view, kept apart from its widget (see desk.py)
BASE_KEY = "workshop.base"  # {workshop id: the LAN base URL the trainer switched links to}
PLANS_PAGE = "views/plans.py"
WORKSHOP_PAGE = "views/workshop.py"
# How often the live parts look for changes. Each look is one or two small queries; a view
# redraws only what changed (stamps), so phones follow within ~2 s at a small cost.
BOARD_STAMP_S = 1.0  # the board asks `board_stamp` every second
SCREEN_REFRESH_S = 1.0  # the audience screen: slide, timer, poll results
PHONE_REFRESH_S = 1.5  # a team's phone: slide, poll, and whether its checklist changed
PRESENTER_REFRESH_S = 2.0  # the presenter's poll panel and the phone remote
LANG_LABELS = {"zh": "中文", "en": "English", "both": "中文 + English"}

# The catalogue is kept in the value, so its id cannot be reused while the entry exists.
_DECKS: dict[tuple[int, Agenda], tuple[Catalogue, Deck]] = {}
_DECKS_LOCK = threading.Lock()
T = TypeVar("T")


def deck_for(agenda: Agenda, cat: Catalogue | None = None) -> Deck:
    """The deck of an agenda, built once per process, agenda and catalogue.

    Fifty phones and a screen that look every second or two share it: building a deck is the
    most expensive part of a refresh otherwise.
    """
    used = cat or catalogue()
    key = (id(used), agenda)
    with _DECKS_LOCK:
        found = _DECKS.get(key)
    if found is not None:
        return found[1]
    deck = build_deck(agenda, used)
    with _DECKS_LOCK:
        if len(_DECKS) > 32:
            _DECKS.clear()
        _DECKS[key] = (used, deck)
    return deck


# What fifty phones ask every 1.5 s is mostly the same: the stage of one workshop, its open poll,
# and four phones per team the same plan stamp. A look younger than LOOK_TTL_S is shared between
# the server's sessions (one query instead of fifty); a change shows at most that much later.
LOOK_TTL_S = 0.3
_LOOKS: dict[tuple[str, ...], tuple[float, object]] = {}
_LOOKS_LOCK = threading.Lock()


def shared_look(key: tuple[str, ...], read: Callable[[], T], *, fresh: bool = False) -> T:
    """`read()`, or what it returned less than LOOK_TTL_S ago for `key` (unless `fresh`).

    A fresh read replaces the shared one, so a view that just changed something (a tick) and the
    views that compare with it agree at once.
    """
    now = time.monotonic()
    if not fresh:
        with _LOOKS_LOCK:
            found = _LOOKS.get(key)
        if found is not None and now - found[0] < LOOK_TTL_S:
            return cast(T, found[1])
    value = read()
    with _LOOKS_LOCK:
        if len(_LOOKS) > 4096:
            _LOOKS.clear()
        _LOOKS[key] = (now, value)
    return value


def server_port() -> int | None:
    """The port this Streamlit server listens on (LAN links need it)."""
    try:
        value = st.get_option("server.port")
    except Exception:  # pragma: no cover - outside a server
        return None
    return int(value) if value else None


def _browser_on_this_machine() -> bool:
    """True when this browser runs on the server's machine (it opened the app as localhost)."""
    host = ""
    try:
        host = str(st.context.headers.get("Host") or "")
    except Exception:  # AppTest has no request
        host = ""
    name = host.rsplit(":", 1)[0].strip("[]").lower()
    return name in ("", "localhost", "127.0.0.1", "::1") or name.startswith("127.")


def link_reach() -> Reach:
    """Which base URL this server's links use, and the LAN addresses phones could use instead."""
    return reach(server_port())


def link_base(workshop_id: str) -> str | None:
    """The base URL of this workshop's links: the LAN address the trainer switched to, if any."""
    chosen: dict[str, str] = st.session_state.get(BASE_KEY) or {}
    return chosen.get(workshop_id)


def set_link_base(workshop_id: str, base: str | None) -> None:
    """Switch this workshop's links and QR codes to `base` (None: back to the configured URL)."""
    chosen: dict[str, str] = st.session_state.setdefault(BASE_KEY, {})
    if base:
        chosen[workshop_id] = base
    else:
        chosen.pop(workshop_id, None)


def links_say_localhost(workshop_id: str) -> tuple[bool, Reach]:
    """Whether this workshop's links would say localhost, and the reach they were judged by.

    They do when no LAN address was chosen, the configured base URL is local, and the browser
    itself runs on this machine (from elsewhere, the browser's own address is reachable and
    `QUNCE_BASE_URL` is the admin's business).
    """
    found = link_reach()
    if link_base(workshop_id):
        return False, found
    return found.local_only and _browser_on_this_machine(), found


def client_key() -> str:
    """Who is typing a short code: the client's IP address, else this session's token."""
    try:
        address = st.context.ip_address
    except Exception:
        address = None
    if isinstance(address, str) and address:
        return address
    # Streamlit gives no address to a browser on this machine: count per session then.
    token: str = st.session_state.setdefault("workshop.client", secrets.token_hex(16))
    return f"session:{token}"


def flash(message: str) -> None:
    """Keep a message for the next run (callbacks cannot draw)."""
    st.session_state[FLASH_KEY] = message


def show_flash() -> None:
    """Show the message a callback left, once."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.warning(md_escape(message))


def error_text(exc: PlanError) -> str:
    """An error's message in the page's language."""
    return exc.text(lang())


def fail(exc: PlanError) -> None:
    """Show an error: the database's generic message, or the error's own in the page language."""
    if isinstance(exc, StoreUnavailable):
        show_unavailable(exc)
    else:
        st.error(md_escape(error_text(exc)))


def style(bare: bool = False, wide: bool = True) -> None:
    """Add the workshop CSS; `bare` also hides the sidebar and header (screen, focus, remote).

    `wide` asks for the full window width: slides and the board need it, whatever the app's
    own page config said.
    """
    from qunce.ui.workshop.slides import SLIDE_CSS

    if wide:
        st.set_page_config(layout="wide")
    st.html(_CSS + SLIDE_CSS + (_CSS_BARE if bare else ""))


def lang_label(value: str) -> str:
    """中文, English or 中文 + English."""
    return LANG_LABELS.get(value, value)


def back_link() -> None:
    """A link back to the workshop's start page."""
    st.page_link(
        WORKSHOP_PAGE,
        label=tr("返回工作坊首页", "Back to the workshop page"),
        query_params={"lang": lang()},
    )


# Fixed CSS: a compact desk (Next stays on the first screen), a phone-friendly checklist, big
# short codes, a bare projector screen.
_CSS = """
<style>
.block-container { padding-top: 3.2rem; padding-bottom: 1rem; }
.st-key-workshop-desk-head h3 { padding: 0; }
.st-key-workshop-notes p, .st-key-workshop-notes li { font-size: 1.02rem; }
.st-key-workshop-qr-big h2 { font-size: 2.6rem; text-align: center; }
.qunce-timer { font-size: 1.9rem; font-variant-numeric: tabular-nums; font-weight: 600;
  line-height: 1.1; }
.qunce-timer.over { color: #b91c1c; }
.st-key-workshop-team h4 { font-size: 1.15rem; }
[class*="st-key-workshop-short-"] code { font-size: 2.4rem; letter-spacing: .12em;
  font-weight: 700; }
.st-key-workshop-short-big code { font-size: 4.2rem; }
@media (max-width: 640px) {
  .st-key-workshop-team [data-testid="stCheckbox"] label p { font-size: 1.05rem; }
  .st-key-workshop-remote button { min-height: 4.5rem; font-size: 1.4rem; }
}
</style>
"""
_CSS_BARE = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] {
  display: none !important; }
.block-container { padding-top: 1rem; }
</style>
"""
