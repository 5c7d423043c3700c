"""Qunce's settings in one place: environment variables, then `.streamlit/secrets.toml`, then defaults.

| variable | meaning | default |
|---|---|---|
| QUNCE_DATA_DIR | folder for the SQLite database and other local state | `data/` next to the app |
| QUNCE_DATABASE_URL | SQLAlchemy URL of the plans database | SQLite file in the data folder |
| QUNCE_INDEX_DIR | folder of the embedded search index | `index/` next to the app |
| QUNCE_CHROMA_URL | Chroma server (`chroma run`) to use instead of the embedded index | unset |
| QUNCE_EMBED_MODEL | embedder: `use-v3`, or a sentence-transformers model name or folder | `use-v3` |
| QUNCE_CONTENT_PATH | extra content folders, separated by `:` | unset |
| QUNCE_BASE_URL | public address of the app, used in join links and QR codes | `http://localhost:8501` |
| QUNCE_ADMIN_CODE | code that unlocks the admin page (content errors, usage, quotas, delete) | unset |
| QUNCE_MAX_WORKSPACES | workspaces the server accepts in all (workshop teams count) | 500 |
| QUNCE_MAX_WORKSHOPS | workshops the server accepts in all | 100 |
| QUNCE_MAX_PLANS_PER_WORKSPACE | plans one workspace may hold | 20 |
| QUNCE_MAX_TEAMS_PER_WORKSHOP | teams one workshop may have (at most 40) | 12 |
| QUNCE_TIMEZONE | IANA time zone of plans' dates and times (calendar, reminders, "today") | `Asia/Shanghai` |
| QUNCE_CODE_PEPPER | server-side secret for short join codes (same on every app server) | a file in the data folder |
| QUNCE_SHORT_CODE_HOURS | how long a team's short join code works (1-168) | 12 |
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ROOT = Path(__file__).resolve().parent.parent


def _secrets() -> dict[str, str]:
    path = ROOT / ".streamlit" / "secrets.toml"
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return {str(k).upper(): str(v) for k, v in data.items() if not isinstance(v, dict)}


def source_of(name: str) -> str | None:
    """Where setting `name` comes from: "env", "secrets", or None (the default applies)."""
    if os.environ.get(name):
        return "env"
    return "secrets" if _secrets().get(name) else None


def _get(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is not None and value != "":
        return value
    return _secrets().get(name, default)


@dataclass(frozen=True)
class Quotas:
    """How much one server accepts, so nobody can fill its database by clicking."""

    workspaces: int = 500
    workshops: int = 100
    plans_per_workspace: int = 20
    teams_per_workshop: int = 12


# variable → (Quotas field, smallest, largest)
QUOTA_VARIABLES = {
    "QUNCE_MAX_WORKSPACES": ("workspaces", 1, 1_000_000),
    "QUNCE_MAX_WORKSHOPS": ("workshops", 1, 100_000),
    "QUNCE_MAX_PLANS_PER_WORKSPACE": ("plans_per_workspace", 1, 1_000),
    "QUNCE_MAX_TEAMS_PER_WORKSHOP": ("teams_per_workshop", 1, 40),
}


class SettingsError(ValueError):
    """A setting with a value Qunce cannot use; the message names it and its bounds."""


def _bounded(name: str, default: int, low: int, high: int) -> int:
    raw = _get(name)
    if raw is None:
        return default
    text = raw.strip()
    if not text.isdigit() or len(text) > 9 or not low <= int(text) <= high:
        raise SettingsError(f"{name} is {raw!r}; expected a whole number from {low} to {high}")
    return int(text)


def _quotas() -> Quotas:
    values: dict[str, int] = {}
    for name, (attr, low, high) in QUOTA_VARIABLES.items():
        if _get(name) is not None:
            values[attr] = _bounded(name, 0, low, high)
    return Quotas(**values)


DEFAULT_TIMEZONE = "Asia/Shanghai"


def _timezone() -> str:
    name = (_get("QUNCE_TIMEZONE") or DEFAULT_TIMEZONE).strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SettingsError(
            f"QUNCE_TIMEZONE is {name!r}, which is not an IANA time zone; "
            f"expected a name like {DEFAULT_TIMEZONE!r} or 'Europe/Berlin'"
        ) from exc
    return name


@dataclass(frozen=True)
class Settings:
    """Resolved settings; build with `settings()`."""

    data_dir: Path
    database_url: str
    index_dir: Path
    chroma_url: str | None
    embed_model: str
    content_paths: tuple[Path, ...] = field(default_factory=tuple)
    base_url: str = "http://localhost:8501"
    admin_code: str | None = None
    quotas: Quotas = field(default_factory=lambda: Quotas())
    timezone: str = DEFAULT_TIMEZONE
    code_pepper: str | None = None
    short_code_hours: int = 12
    playbooks_dir: Path = ROOT / "playbooks"
    cases_dir: Path = ROOT / "cases"


def load_settings() -> Settings:
    """Read the settings afresh from the environment and secrets."""
    data_dir = Path(_get("QUNCE_DATA_DIR") or ROOT / "data")
    database_url = _get("QUNCE_DATABASE_URL") or f"sqlite:///{data_dir / 'qunce.db'}"
    extra = _get("QUNCE_CONTENT_PATH") or ""
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        index_dir=Path(_get("QUNCE_INDEX_DIR") or ROOT / "index"),
        chroma_url=_get("QUNCE_CHROMA_URL"),
        embed_model=_get("QUNCE_EMBED_MODEL") or "use-v3",
        content_paths=tuple(Path(p) for p in extra.split(os.pathsep) if p.strip()),
        base_url=(_get("QUNCE_BASE_URL") or "http://localhost:8501").rstrip("/"),
        admin_code=_get("QUNCE_ADMIN_CODE"),
        quotas=_quotas(),
        timezone=_timezone(),
        code_pepper=_get("QUNCE_CODE_PEPPER"),
        short_code_hours=_bounded("QUNCE_SHORT_CODE_HOURS", 12, 1, 168),
    )


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The process-wide settings (read once; tests call `settings.cache_clear()`)."""
    return load_settings()
