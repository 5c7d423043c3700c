"""The workshop's codes: one facilitator code, and the team and screen codes derived from it.

Only sha256 digests of codes are stored (like workspace join codes, see `qunce.plans.workspaces`).
Team and screen codes are HMAC-SHA256 of the facilitator code with a public label, cut to 128
bits: whoever holds the facilitator code can print every team's link again at any time, while
the database and the teams, who know only their own code, can derive nothing from what they have.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from qunce.plans.workspaces import hash_code, new_code

__all__ = ["hash_code", "new_host_code", "new_salt", "screen_code", "team_code"]


def new_host_code() -> str:
    """A fresh facilitator code (128 random bits, URL-safe)."""
    return new_code()


def new_salt() -> str:
    """A per-team label; a new one gives the team a new code (the old link stops working)."""
    return secrets.token_hex(8)


def _derive(host_code: str, label: str) -> str:
    digest = hmac.new(host_code.encode("utf-8"), label.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode("ascii")


def team_code(host_code: str, salt: str) -> str:
    """The join code of the team with this salt."""
    return _derive(host_code, f"qunce-workshop-team:{salt}")


def screen_code(host_code: str, workshop_id: str, salt: str = "") -> str:
    """The code of the audience screen (shows the current slide, never notes or controls).

    `salt` is the workshop's screen salt: a new one gives the screen a new code. The empty salt
    derives the codes of workshops made before screen codes could be rotated.
    """
    label = f"qunce-workshop-screen:{workshop_id}" + (f":{salt}" if salt else "")
    return _derive(host_code, label)
