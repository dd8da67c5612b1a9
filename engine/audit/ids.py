"""Decision ids: ULIDs (time-ordered, 26 Crockford base-32 characters) from an injected clock."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

Clock = Callable[[], dt.datetime]
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def utc_now() -> dt.datetime:
    """The real clock (tests pass their own)."""
    return dt.datetime.now(dt.UTC)


def timestamp(moment: dt.datetime) -> str:
    """UTC ISO 8601 with microseconds and a Z, e.g. 2026-12-01T08:30:00.000000Z."""
    if moment.tzinfo is None:
        raise ValueError("recorded-at times must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def encode(number: int) -> str:
    """128 bits as 26 Crockford base-32 characters, most significant first."""
    return "".join(_ALPHABET[(number >> shift) & 31] for shift in range(125, -1, -5))


class UlidFactory:
    """ULIDs that sort by time, and strictly increase within one process even within one millisecond."""

    def __init__(self, random: Callable[[int], bytes] = os.urandom) -> None:
        self._random = random
        self._last = -1

    def __call__(self, moment: dt.datetime) -> str:
        millis = int(moment.timestamp() * 1000) & ((1 << 48) - 1)
        value = (millis << 80) | int.from_bytes(self._random(10), "big")
        if value <= self._last:
            value = self._last + 1
        self._last = value
        return encode(value)
