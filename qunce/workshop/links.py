"""Links into the workshop page: a team's join link, the audience screen, the facilitator desk.

Every link starts with `base` when given (a LAN address the trainer picked, see
`qunce.workshop.reach`), else with the configured base URL.
"""

from __future__ import annotations

from urllib.parse import urlencode

from qunce.config import settings

PAGE = "workshop"


def _link(param: str, code: str, lang: str | None, base: str | None) -> str:
    params = {"lang": lang, param: code} if lang else {param: code}
    return f"{(base or settings().base_url).rstrip('/')}/{PAGE}?{urlencode(params)}"


def team_link(code: str, lang: str | None = None, *, base: str | None = None) -> str:
    """The link (and QR code) that puts a team straight into its checklist."""
    return _link("join", code, lang, base)


def screen_link(code: str, lang: str | None = None, *, base: str | None = None) -> str:
    """The link for the projector: the current slide, following the presenter."""
    return _link("screen", code, lang, base)


def host_link(code: str, lang: str | None = None, *, base: str | None = None) -> str:
    """The link that opens the facilitator's controls (keep it private)."""
    return _link("host", code, lang, base)


def page_url(base: str | None = None) -> str:
    """The workshop page itself, where a person types a short join code."""
    return f"{(base or settings().base_url).rstrip('/')}/{PAGE}"
