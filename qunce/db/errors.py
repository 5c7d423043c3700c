"""The errors of Qunce's records (plans, workshops): one base type, turned into a message only at the edge.

The CLI turns a `PlanError` into a message and exit code 1; the page turns it into `st.error`.
Messages say what was wrong and how to fix it; none of them reveals whether a row exists in
another workspace (a plan of another team is simply "not found").
"""

from __future__ import annotations


class PlanError(Exception):
    """Base of every error the plans package raises on purpose."""


class StoreUnavailable(PlanError):
    """The database cannot be reached, or its schema is newer than this code."""


class InvalidCode(PlanError):
    """A join code that matches no workspace."""


class NotFound(PlanError):
    """A workspace, plan, item or scenario that does not exist in the given workspace."""


class InvalidValue(PlanError):
    """A value a person typed that the plans cannot accept (too long, wrong kind, ...)."""


class TooManyAttempts(InvalidCode):
    """Too many wrong codes from one device, or from everyone: wait, or use the printed QR code."""
