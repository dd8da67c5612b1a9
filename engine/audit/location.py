"""Where the audit store is: ``--db``, else ``$LAYAK_DB``, else ``$XDG_DATA_HOME/layak/audit.db``."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from engine.errors import InputError, Problem

ENV = "LAYAK_DB"
_DRIVERS = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg"}


def default_path() -> Path:
    """``$XDG_DATA_HOME/layak/audit.db``, by default ``~/.local/share/layak/audit.db``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "layak" / "audit.db"


def target(given: str | None) -> str:
    """The store named by ``--db``, ``$LAYAK_DB`` or the default path, as given (a path or a URL)."""
    return given or os.environ.get(ENV) or str(default_path())


def to_url(where: str) -> str:
    """A SQLAlchemy URL: file paths become SQLite URLs, ``postgresql://`` uses psycopg 3."""
    if "://" not in where:
        return f"sqlite:///{Path(where).expanduser().resolve()}"
    scheme, rest = where.split("://", 1)
    try:
        make_url(where)
    except ArgumentError as error:
        raise unreadable(where, f"not a database URL: {error}") from None
    return f"{_DRIVERS.get(scheme, scheme)}://{rest}"


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL (None for other databases and in-memory SQLite)."""
    parsed = make_url(url)
    return Path(parsed.database) if parsed.get_backend_name() == "sqlite" and parsed.database else None


def shown(where: str) -> str:
    """The store's name for messages, without a password."""
    if "://" not in where:
        return where
    try:
        return make_url(where).render_as_string(hide_password=True)
    except ArgumentError:
        return where.split("://", 1)[0] + "://…"


def unreadable(where: str, message: str, hint: str = "") -> InputError:
    """The error for a store that cannot be opened or read (exit 3), naming the store."""
    return InputError([Problem(code="audit_unreadable", file=shown(where), message=message, hint=hint)])
