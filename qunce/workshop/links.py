"""Links into the workshop page: a team's join link, the audience screen, the facilitator desk."""

from __future__ import annotations

from urllib.parse import urlencode

from qunce.config import settings

PAGE = "workshop"


def _link(param: str, code: str, lang: str | None) -> str:
    params = {"lang": lang, param: code} if lang else {param: code}
    return f"{settings().base_url}/{PAGE}?{urlencode(params)}"


def team_link(code: str, lang: str | None = None) -> str:
    """The link (and QR code) that puts a team straight into its checklist."""
    return _link("join", code, lang)


def screen_link(code: str, lang: str | None = None) -> str:
    """The link for the projector: the current slide, following the presenter."""
    return _link("screen", code, lang)


def host_link(code: str, lang: str | None = None) -> str:
    """The link that opens the facilitator's controls (keep it private)."""
    return _link("host", code, lang)
