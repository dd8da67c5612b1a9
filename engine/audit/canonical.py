"""RFC 8785 canonical JSON (via ``rfc8785``), with an orjson fast path proven byte-identical on its domain."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

import orjson
import rfc8785

# orjson's sorted compact output equals RFC 8785 except for: floats in exponent notation (ES6 and
# orjson switch to it at different magnitudes), floats with an integral value ("100.0" / "-0.0", which
# RFC 8785 writes "100" / "0"), integers beyond 2**53 (RFC 8785 refuses them; OPT_STRICT_INTEGER makes
# orjson refuse them too) and key order among characters beyond the BMP (RFC 8785 sorts by UTF-16
# unit, orjson by code point). Any of these sends the value through the reference implementation.
_FAST = orjson.OPT_SORT_KEYS | orjson.OPT_STRICT_INTEGER
SAFE_INTEGER = _SAFE = 2**53
_INTEGRAL = re.compile(rb"\.0(?![0-9])")
_BEYOND_BMP = re.compile(rb"[\xf0-\xf4]")
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_DIGITS = bytes.maketrans(b"123456789", b"000000000")
_LONG = b"0" * 16  # the shortest integer that can lie past 2**53, its digits all written 0


def canonical(value: Any) -> bytes:
    """The RFC 8785 canonical form of a JSON value (dicts with str keys, lists, str, int, float, bool, None).

    NaN and infinities are not JSON; layak never records them (decimals are checked finite on input).
    """
    if (
        value is None
        or isinstance(value, str | bool)
        or (isinstance(value, list) and all(isinstance(item, str) for item in value))
    ):
        return orjson.dumps(value)  # no numbers, no keys: the escaping rules are the same
    if isinstance(value, int) and -_SAFE < value < _SAFE:
        return str(value).encode()
    try:
        fast = orjson.dumps(value, option=_FAST)
    except orjson.JSONEncodeError:
        return bytes(rfc8785.dumps(value))
    return fast if fast_holds(fast) else bytes(rfc8785.dumps(value))


def fast_holds(fast: bytes, *, integers: bool = False) -> bool:
    """Whether orjson's sorted output ``fast`` is already RFC 8785 (see the cases above).

    ``integers``: also refuse an integer of 16 digits or more (orjson wrote ``fast`` without
    OPT_STRICT_INTEGER, so one past 2**53 may be there).
    """
    if not fast.isascii() and _BEYOND_BMP.search(fast):
        return False
    # Keep the numbers only: drop strings (splitting at quotes is exact when no string holds an escape),
    # then the literals true and false; any "e" left is an exponent.
    outside = _STRING.sub(b'""', fast) if b"\\" in fast else b"".join(fast.split(b'"')[::2])
    numbers = outside.replace(b"true", b"").replace(b"false", b"")
    if integers and _LONG in numbers.translate(_DIGITS):
        return False
    return not (b"e" in numbers or b"E" in numbers or (b".0" in numbers and _INTEGRAL.search(numbers)))


def sha256_hex(data: bytes) -> str:
    """Lower-case hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def digest(value: Any) -> str:
    """Content identity: SHA-256 of the canonical JSON of ``value``."""
    return sha256_hex(canonical(value))


# Per set of member names (in the order given): the names in canonical order, each with its JSON and colon.
_LAYOUTS: dict[tuple[str, ...], tuple[tuple[str, bytes], ...]] = {}


def compose(parts: Mapping[str, bytes]) -> bytes:
    """A canonical object from members that are already canonical; keys must be plain ASCII names."""
    names = tuple(parts)
    layout = _LAYOUTS.get(names)
    if layout is None:
        if not all(key.isascii() and key.isidentifier() for key in names):
            raise ValueError("compose() takes plain ASCII member names only")
        if len(_LAYOUTS) > 10_000:  # names are a model's fields: this only bounds what odd input could add
            _LAYOUTS.clear()
        layout = _LAYOUTS[names] = tuple((key, b'"%s":' % key.encode()) for key in sorted(names))
    return b"{" + b",".join([head + parts[key] for key, head in layout]) + b"}"
