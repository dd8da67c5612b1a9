"""Which record lines are RFC 8785 as written: the proof the line writer makes from the types of what it writes.

The audit log hashes a decision's record line in its RFC 8785 (canonical JSON) form. orjson's compact output with
sorted keys is that form except for: a float that RFC 8785 writes otherwise ("100.0" for 100, "1e+16" for
10000000000000000, "-0.0" for 0), an integer of 2**53 or more in size (RFC 8785 refuses it) and keys beyond the
Basic Multilingual Plane (RFC 8785 sorts keys by UTF-16 unit, orjson by code point; the two orders agree on the
BMP). Strings are written alike (the same escapes, everything else as UTF-8), and so are true, false and null.
So a line is canonical when each value it writes is a string, a literal, an integer of |n| < 2**53, a float whose
orjson text is RFC 8785's, or a list or object of these with BMP keys. The writer proves each part once where it
keeps it, the facts' values once a line, and ``proven`` then tells the audit path which lines need no other check
(and which note arguments they hold: a record seals those that may identify a person).
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
# With integers proven in range where they are written, these are the fact values whose JSON is RFC 8785.
_WRITTEN_PLAIN = frozenset({str, bool, type(None), Decimal, dt.date, dt.datetime, int})
# The lines proven lately, by identity: kept so that a line is recognised only while it is this very object
# (held here, so its id is not reused), whatever its bytes. A record is drafted right after its line is written;
# a few are kept for callers that write some lines before drafting.
_PROVEN: dict[int, tuple[bytes, frozenset[str]]] = {}
_PROVEN_KEPT = 8
_NONE: frozenset[str] = frozenset()
Proof = tuple[bool, frozenset[str]]  # whether a piece is proven RFC 8785, and the argument names of its notes
NO_PROOF: Proof = (True, _NONE)  # a piece of strings and literals only, with no note


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


def note_arguments(value: Any) -> frozenset[str]:
    """The argument names of every note in ``value`` (JSON-native): an object with a "code" and an object "args",
    found anywhere but inside another note's arguments, as a record's note places are found."""
    if isinstance(value, dict):
        args = value.get("args")
        found = frozenset(args) if "code" in value and isinstance(args, dict) else _NONE
        inner = [note_arguments(item) for key, item in value.items() if key != "args" and isinstance(item, dict | list)]
        return found.union(*inner) if inner else found
    if isinstance(value, list | tuple):
        return _NONE.union(*[note_arguments(item) for item in value if isinstance(item, dict | list | tuple)])
    return _NONE


def values_provable(values: dict[str, Any], written: bytes, keys: set[str]) -> bool:
    """Whether the facts' values, ``written`` by orjson with the line's default (a Decimal as its text) and
    OPT_STRICT_INTEGER (so every integer in them is of |n| < 2**53), are RFC 8785 and hold no note; ``keys``:
    names found to lie in the BMP before (the caller's, grown here)."""
    if not set(map(type, values.values())) <= _WRITTEN_PLAIN:
        return False  # a float, a list or an object (not proven: a list's Decimal is written by the default)
    if written.isascii() or values.keys() <= keys:
        return True
    if not all(map(in_bmp, values)):
        return False
    if len(keys) > 10_000:  # a layout's facts are a few dozen names; this only bounds what odd input could add
        keys.clear()
    keys.update(values)
    return True


def remember(line: bytes, notes: frozenset[str]) -> bytes:
    """Mark ``line`` (just written, every part proven) as RFC 8785, with the argument names of the notes it holds
    (``note_arguments`` of what it writes); ``line`` is returned."""
    _PROVEN[id(line)] = (line, notes)
    if len(_PROVEN) > _PROVEN_KEPT:
        del _PROVEN[next(iter(_PROVEN))]
    return line


def proven(line: bytes) -> frozenset[str] | None:
    """The argument names of the notes ``line`` holds, when it is one of the record lines written lately whose
    writer proved it RFC 8785 as it stands (the same object: equal bytes from elsewhere are not taken on trust);
    None says nothing: check it."""
    found = _PROVEN.get(id(line))
    return found[1] if found is not None and found[0] is line else None
