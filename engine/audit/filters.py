"""Which records ``audit list`` and ``replay --all`` read: the filters and the query they make."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func

from engine.audit.schema import decisions


@dataclass(frozen=True)
class Filters:
    """Which records ``audit list`` (and ``replay --all``) read."""

    position: str | None = None
    since: str | None = None  # recorded on or after this date or time (UTC, ISO 8601)
    verdict: str | None = None
    board: str | None = None
    until: str | None = None  # recorded before this date or time (UTC, ISO 8601)
    nip: str | None = None
    name: str | None = None  # part of the name, any case
    limit: int | None = None  # at most this many records (after ``after``)

    @classmethod
    def of(cls, *, since: dt.date | None = None, until: dt.date | None = None, **columns: Any) -> Filters:
        """Filters from `audit list` options; ``since`` and ``until`` are UTC days, both included."""
        return cls(
            since=since.isoformat() if since else None,
            until=(until + dt.timedelta(days=1)).isoformat() if until else None,
            **columns,
        )

    def applied(self, query: Select[Any]) -> Select[Any]:
        """``query`` narrowed to the records these filters keep."""
        for column in ("position", "verdict", "board", "nip"):
            value = getattr(self, column)
            if value is not None:
                query = query.where(decisions.c[column] == value)
        if self.since is not None:
            query = query.where(decisions.c.recorded_at >= self.since)
        if self.until is not None:
            query = query.where(decisions.c.recorded_at < self.until)
        if self.name is not None:
            query = query.where(func.lower(decisions.c.name).contains(self.name.lower(), autoescape=True))
        if self.limit is not None:
            query = query.limit(self.limit)
        return query
