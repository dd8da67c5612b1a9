"""Decision ids: ULIDs (time-ordered, 26 Crockford base-32 characters) from an injected clock, the
references people type for a decision (the id, a unique prefix of it, or the sequence number, #12), and the
random bytes of the salts that seal personal values."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

from engine.errors import LayakError, ProblemCode

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


# Two characters for each 10 bits: the 26 characters of 130 bits (the top 2 always 0) in 13 look-ups.
_PAIRS = tuple(a + b for a in _ALPHABET for b in _ALPHABET)
_SHIFTS = tuple(range(120, -1, -10))


def encode(number: int) -> str:
    """128 bits as 26 Crockford base-32 characters, most significant first."""
    pairs = _PAIRS
    return "".join([pairs[(number >> shift) & 1023] for shift in _SHIFTS])


class UlidFactory:
    """ULIDs that sort by time, and strictly increase within one process even within one millisecond."""

    def __init__(self, random: Callable[[int], bytes] | None = None) -> None:
        self._random = random or salt_bytes  # os.urandom, read a page at a time
        self._last = -1
        self._moment: dt.datetime | None = None
        self._millis = 0

    def __call__(self, moment: dt.datetime) -> str:
        return self.many(moment, 1)[0]

    def many(self, moment: dt.datetime, count: int) -> list[str]:
        """``count`` ids of ``moment`` (the ids ``count`` calls would give), their random parts drawn at once."""
        if moment is not self._moment:  # an append gives every record of a batch the same moment
            self._moment, self._millis = moment, (int(moment.timestamp() * 1000) & ((1 << 48) - 1)) << 80
        millis, last, drawn, pairs, out = self._millis, self._last, self._random(10 * count), _PAIRS, []
        for at in range(0, 10 * count, 10):
            value = millis | int.from_bytes(drawn[at : at + 10], "big")
            if value <= last:  # within one millisecond the ids still increase (mostly: the last one plus 1)
                value = last + 1
            last = value
            out.append("".join([pairs[(value >> shift) & 1023] for shift in _SHIFTS]))  # = encode(value)
        self._last = last
        return out


SHORTEST_PREFIX = 6


class UnknownDecision(LayakError):
    """A decision reference that names no recorded decision, or several (exit 3)."""

    code = ProblemCode.UNKNOWN_DECISION

    def __init__(self, message: str, code: ProblemCode = ProblemCode.UNKNOWN_DECISION) -> None:
        super().__init__(message)
        self.code = code


def sequence_number(reference: str) -> int | None:
    """The sequence number a reference gives (``#12`` or ``12``), else None (an id or a prefix of one).

    Unambiguous: a ULID of any time before the year 10889 starts with "0", a sequence number never does.
    """
    text = reference.strip().removeprefix("#")
    if text.isascii() and text.isdigit() and not text.startswith("0"):
        return int(text)
    if reference.strip().startswith("#"):
        raise UnknownDecision(f"'{reference}' is not a sequence number: give #1, #2, … as `layak audit list` shows")
    return None


def ambiguous(reference: str, matches: list[tuple[int, str]], where: str) -> UnknownDecision:
    """The error for a prefix that starts several decision ids: it names them, and the way out."""
    shown = ", ".join(f"#{seq} {ident}" for seq, ident in matches[:3]) + (", …" if len(matches) > 3 else "")
    more = "at least" if len(matches) > 3 else ""
    return UnknownDecision(
        f"'{reference}' is the start of {more + ' ' if more else ''}{len(matches)} decision ids in {where} ({shown}); "
        f"give more of the id, or the sequence number, e.g. #{matches[0][0]}",
        ProblemCode.AMBIGUOUS_DECISION,
    )


def not_found(reference: str, where: str) -> UnknownDecision:
    if len(reference.strip()) < SHORTEST_PREFIX and sequence_number(reference) is None:
        return UnknownDecision(
            f"'{reference}' is too short for a decision id prefix ({SHORTEST_PREFIX} characters "
            "or more); give the id, or the sequence number #N from `layak audit list`"
        )
    return UnknownDecision(
        f"no decision '{reference}' in {where}; give a decision id, a prefix of one, or the "
        "sequence number #N from `layak audit list`"
    )


class _Salts:
    """Random bytes read from ``os.urandom`` a page at a time (one system call per page, not one per salt).

    A forked child starts with an empty page: parent and child never hand out the same bytes.
    """

    PAGE = 4096

    def __init__(self) -> None:
        self.page = b""
        self.at = 0
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self.forget)

    def forget(self) -> None:
        self.page, self.at = b"", 0

    def __call__(self, n: int) -> bytes:
        if self.at + n > len(self.page):
            self.page, self.at = os.urandom(max(n, self.PAGE)), 0
        out = self.page[self.at : self.at + n]
        self.at += n
        return out


salt_bytes = _Salts()  # the salts of sealed values and the random part of decision ids
