"""The codes a browser holds, and the name its person goes by, kept in cookies.

A Streamlit session ends with the tab: a reload, a new tab or a typed URL starts a new one. So
the codes a person joined with (workspace join and owner codes, a workshop's facilitator, team
and screen codes) live in a cookie, which the browser sends when a session opens
(`st.context.cookies`); the session reads it once and writes it back through a tiny component
whenever it changes. Entries are ordered most recent first: the first workspace code is the
workspace the person was last in, so a typed URL opens it again.

The cookie holds codes, as a bookmarked join link would; every page run still checks each code
against the database (`qunce.plans.workspaces.check_access`), so a code replaced by its owner
stops working in every browser at once, and a tampered cookie is only an unknown code.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote, unquote

import streamlit as st

Kind = Literal["workspace", "host", "team", "screen"]
KINDS: tuple[Kind, ...] = ("workspace", "host", "team", "screen")
COOKIE = "qunce_keys"
NAME_COOKIE = "qunce_name"
MAX_KEYS = 24
MAX_NAME = 80
MAX_AGE_S = 180 * 24 * 3600
_STATE = "app.keyring"
_CODE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")

# Writes the cookies it is given. Keys other sessions (tabs) added since this one read the
# cookie are kept: the browser's cookie is merged with this session's list, minus what this
# session removed, so two tabs joining two workspaces keep both.
_JS = """
export default function(component) {
  const { data } = component;
  if (!data) { return; }
  const secure = window.location.protocol === "https:" ? "; secure" : "";
  const tail = "; path=/; max-age=" + data.max_age + "; samesite=lax" + secure;
  const read = (name) => {
    const row = document.cookie.split("; ").find((c) => c.startsWith(name + "="));
    return row ? row.slice(name.length + 1) : "";
  };
  let theirs = [];
  try {
    const raw = read(data.cookie);
    if (raw) {
      const text = atob(raw.replace(/-/g, "+").replace(/_/g, "/"));
      const parsed = JSON.parse(text);
      if (Array.isArray(parsed.k)) { theirs = parsed.k; }
    }
  } catch (e) { theirs = []; }
  const seen = new Set(data.keys.map((k) => k[0] + ":" + k[1]));
  const gone = new Set(data.removed.map((k) => k[0] + ":" + k[1]));
  const merged = data.keys.slice();
  for (const k of theirs) {
    if (!Array.isArray(k) || k.length !== 2) { continue; }
    const id = k[0] + ":" + k[1];
    if (!seen.has(id) && !gone.has(id)) { merged.push(k); seen.add(id); }
  }
  const json = JSON.stringify({ v: 1, k: merged.slice(0, data.max_keys) });
  const value = btoa(json).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  document.cookie = data.cookie + "=" + value + tail;
  document.cookie = data.name_cookie + "=" + data.name + tail;
}
"""


@dataclass(frozen=True)
class Key:
    """One code the browser holds."""

    kind: Kind
    code: str


@dataclass
class Keyring:
    """This session's copy of the browser's codes and name, and whether it must be written."""

    keys: list[Key] = field(default_factory=list)
    name: str = ""
    removed: list[Key] = field(default_factory=list)
    dirty: bool = False

    def first(self, kind: Kind) -> str | None:
        """The most recently used code of a kind."""
        return next((k.code for k in self.keys if k.kind == kind), None)

    def all(self, kind: Kind) -> list[str]:
        """Every code of a kind, most recent first."""
        return [k.code for k in self.keys if k.kind == kind]

    def put(self, kind: Kind, code: str) -> None:
        """Remember a code as the most recently used of its kind."""
        key = Key(kind, code)
        if self.keys and self.keys[0] == key:
            return
        self.keys = [key, *(k for k in self.keys if k != key)][:MAX_KEYS]
        self.removed = [k for k in self.removed if k != key]
        self.dirty = True

    def drop(self, kind: Kind, code: str) -> None:
        """Forget a code (left, or replaced by its owner)."""
        key = Key(kind, code)
        if key in self.keys:
            self.keys = [k for k in self.keys if k != key]
            self.removed.append(key)
            self.dirty = True

    def set_name(self, name: str) -> None:
        """Remember the person's name for the history of their edits."""
        clean = " ".join("".join(ch for ch in name if ch.isprintable()).split())[:MAX_NAME]
        if clean != self.name:
            self.name = clean
            self.dirty = True


def parse_cookie(raw: str | None) -> list[Key]:
    """The keys in a cookie value; anything malformed is simply no key."""
    if not raw or len(raw) > 4096:
        return []
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("utf-8")
        data: Any = json.loads(text)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return []
    entries = data.get("k") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return []
    keys: list[Key] = []
    for entry in entries[:MAX_KEYS]:
        if (
            isinstance(entry, list)
            and len(entry) == 2
            and entry[0] in KINDS
            and isinstance(entry[1], str)
            and _CODE.match(entry[1])
        ):
            key = Key(entry[0], entry[1])
            if key not in keys:
                keys.append(key)
    return keys


def format_cookie(keys: list[Key]) -> str:
    """The cookie value for these keys (what `parse_cookie` reads back)."""
    text = json.dumps({"v": 1, "k": [[k.kind, k.code] for k in keys[:MAX_KEYS]]})
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def _cookies() -> dict[str, str]:
    """The cookies the browser sent when this session opened (tests replace this)."""
    return dict(st.context.cookies)


def keyring() -> Keyring:
    """This session's keyring, read from the browser's cookies on first use."""
    ring: Keyring | None = st.session_state.get(_STATE)
    if ring is None:
        cookies = _cookies()
        name = unquote(cookies.get(NAME_COOKIE, ""))[:MAX_NAME]
        ring = Keyring(keys=parse_cookie(cookies.get(COOKIE)), name=name.strip())
        st.session_state[_STATE] = ring
    return ring


_writer: Any = None


def write_back() -> None:
    """Write the keyring into the browser's cookies, once anything in it changed this session.

    Called by app.py on every run; draws nothing visible, and nothing at all until a change.
    """
    global _writer
    ring = keyring()
    if not ring.dirty:
        return
    if _writer is None:
        _writer = st.components.v2.component("qunce_keyring", js=_JS)
    _writer(
        data={
            "cookie": COOKIE,
            "name_cookie": NAME_COOKIE,
            "keys": [[k.kind, k.code] for k in ring.keys],
            "removed": [[k.kind, k.code] for k in ring.removed],
            "name": quote(ring.name, safe=""),
            "max_age": MAX_AGE_S,
            "max_keys": MAX_KEYS,
        },
        key="app.keyring.writer",
    )
