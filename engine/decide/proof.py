"""Which record lines are RFC 8785 as written: the proof the line writer makes from the types of what it writes.

The audit log hashes a decision's record line in its RFC 8785 (canonical JSON) form. orjson's compact output with
sorted keys is that form except for: a float that RFC 8785 writes otherwise ("100.0" for 100, "1e+16" for
10000000000000000, "-0.0" for 0), an integer of 2**53 or more in size (RFC 8785 refuses it) and keys beyond the
Basic Multilingual Plane (RFC 8785 sorts keys by UTF-16 unit, orjson by code point; the two orders agree on the
BMP). Strings are written alike (the same escapes, everything else as UTF-8), and so are true, false and null.
So a line is canonical when each value it writes is a string, a literal, an integer of |n| < 2**53, a float whose
orjson text is RFC 8785's, or a list or object of these with BMP keys. The writer proves each part once where it
keeps it, the facts' values once a line, and ``proven`` then tells the audit path which lines need no other check.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import orjson
import rfc8785

SAFE_INTEGER = 2**53  # RFC 8785 writes the integers of |n| < 2**53 (IEEE 754 doubles hold them exactly)
# Fact values the line writes as JSON strings or literals whatever they hold: orjson writes dates (and
# datetimes) as ISO 8601 strings, and the writer's default writes a Decimal as its text.
_AS_STRINGS = frozenset({str, bool, type(None), Decimal, dt.date, dt.datetime})
# The lines proven lately, by identity: kept so that a line is recognised only while it is this very object
# (held here, so its id is not reused), whatever its bytes. A record is drafted right after its line is written;
# a few are kept for callers that write some lines before drafting.
_PROVEN: dict[int, bytes] = {}
_PROVEN_KEPT = 8


def provable(value: Any) -> bool:
    """Whether orjson writes ``value`` (JSON-native: what ``to_jsonable_python`` gives) as RFC 8785 writes it."""
    if value is None or isinstance(value, str):  # bool is an int: written true/false
        return True
    if isinstance(value, int):
        return -SAFE_INTEGER < value < SAFE_INTEGER
    if isinstance(value, float):
        return _float_agrees(value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and in_bmp(key) and provable(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return all(map(provable, value))
    return False


def _float_agrees(value: float) -> bool:
    """Whether orjson's text of ``value`` is RFC 8785's (they differ on integral values and on exponents)."""
    try:
        return orjson.dumps(value) == bytes(rfc8785.dumps(value))
    except (rfc8785.CanonicalizationError, orjson.JSONEncodeError):  # NaN, infinities: not JSON numbers
        return False


def in_bmp(key: str) -> bool:
    """Whether every character of ``key`` lies in the Basic Multilingual Plane (where both key orders agree)."""
    return key.isascii() or max(key) <= "\uffff"


def values_provable(values: dict[str, Any], keys: set[str]) -> bool:
    """Whether the facts' values (written by orjson with the line's default: a Decimal as its text) are RFC 8785;
    ``keys``: names already found to lie in the BMP (the caller's, grown here)."""
    for value in values.values():
        kind = type(value)
        if kind is int:
            if not -SAFE_INTEGER < value < SAFE_INTEGER:
                return False
        elif kind not in _AS_STRINGS and not provable(value):  # a Decimal inside a list: not proven (rare)
            return False
    if values.keys() <= keys:
        return True
    if not all(map(in_bmp, values)):
        return False
    if len(keys) > 10_000:  # a layout's facts are a few dozen names; this only bounds what odd input could add
        keys.clear()
    keys.update(values)
    return True


def remember(line: bytes) -> bytes:
    """Mark ``line`` (just written, every part proven) as RFC 8785; ``line`` is returned."""
    _PROVEN[id(line)] = line
    if len(_PROVEN) > _PROVEN_KEPT:
        del _PROVEN[next(iter(_PROVEN))]
    return line


def proven(line: bytes) -> bool:
    """Whether ``line`` is one of the record lines written lately whose writer proved it RFC 8785 as it stands
    (the same object: equal bytes from elsewhere are not taken on trust). False says nothing: check it."""
    return _PROVEN.get(id(line)) is line
