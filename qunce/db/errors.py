"""The errors of Qunce's records (plans, workshops): one base type, turned into a message only at the edge.

The CLI turns a `PlanError` into a message and exit code 1; the page turns it into `st.error`
in the page's language: an error raised for something a person did carries its Chinese text
too (`zh=`), and `PlanError.text(lang)` picks one. Messages say what was wrong and how to fix
it; none of them reveals whether a row exists in another workspace (a plan of another team is
simply "not found"), and none carries a password, host or user of the database.
"""

from __future__ import annotations


class PlanError(Exception):
    """Base of every error the plans package raises on purpose."""

    def __init__(self, message: str = "", *, zh: str | None = None) -> None:
        super().__init__(message)
        self.zh = zh

    def text(self, lang: str) -> str:
        """The message in `lang` ("zh" or "en"); English when no Chinese text was given."""
        if lang == "zh" and self.zh:
            return self.zh
        return str(self)


class StoreUnavailable(PlanError):
    """The database cannot be reached, or its schema is newer than this code."""


class InvalidCode(PlanError):
    """A join code that matches no workspace."""


class AccessRevoked(InvalidCode):
    """A code this session joined with was replaced: the session's access has ended."""


class NotAllowed(PlanError):
    """Something this kind of access may not do (a member deleting a plan, say)."""


class NotFound(PlanError):
    """A workspace, plan, item or scenario that does not exist in the given workspace."""


class InvalidValue(PlanError):
    """A value a person typed that the plans cannot accept (too long, wrong kind, ...)."""


class TooManyAttempts(InvalidCode):
    """Too many wrong codes from one device, or from everyone: wait, or use the printed QR code."""
