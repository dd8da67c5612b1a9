"""A record's sealed decision body made from the decision's JSON line, without decoding and encoding it again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import orjson

from engine.audit.canonical import fast_holds
from engine.decide.decision import Decision
from engine.decide.proof import proven

_FIELDS = ("file", "name", "nip")
# Where a record line is cut to check it piece by piece: at the start of each requirement and around the facts'
# values (the one large part that differs for every candidate). Each marker begins with a structural character
# followed by a quote that can only open a string (a closing quote is never followed by a letter), so every cut
# lies outside strings and splits no number: the line is RFC 8785 exactly when each piece passes ``fast_holds``.
_REQUIREMENT = b'{"id":'
_VALUES = b',"values":'
_AFTER_VALUES = b'},"jpm":'
# Verdicts of ``fast_holds`` on the pieces that recur (requirement parts, missing-fact maps, the ruleset tail):
# the line's writer shares them among candidates, so few are distinct (about 800 in 3,000 lines); bounded so
# that a worker's memory stays flat over millions (a piece is up to a few KB).
_HELD: dict[tuple[bytes, ...], dict[bytes, bool]] = {}  # by the strings looked for, then by piece
_HELD_LIMIT = 5_000
_starts: dict[dt.date, bytes] = {}  # a line's first bytes, up to its candidate member, by decision date
_NAMES: dict[tuple[bytes, ...], frozenset[str] | None] = {}  # argument names by the JSON keys that stand for them
_DIGITS = bytes.maketrans(b"123456789E", b"000000000e")
_LONG = b"0" * 16


def spliced(line: bytes, decision: Decision, markers: Mapping[str, Mapping[str, str]]) -> bytes | None:
    """The canonical JSON of the decision with its candidate replaced by ``markers``, from ``line``; None when
    the line cannot be proven to give exactly those bytes (the caller then decodes it and encodes the result).

    ``line`` is ``record_line(decision)``: ``DecisionRecord.of(decision)`` written by orjson with sorted keys,
    compact. Its first members are ``as_of`` and ``candidate`` (the keys sort so), and the candidate's JSON is
    rebuilt here from the same strings and checked byte for byte: the sealed body is that line with the
    candidate member swapped. It is RFC 8785 when orjson's output is (``fast_holds``: no float in exponent form
    or with an integral value, no key beyond the BMP); integers past 2**53, which canonical JSON refuses, are
    sent back too (orjson writes them; the reference path then reports them as before).
    """
    cut = splice_point(line, decision)
    if cut is None:
        return None
    start, rest = cut
    return start + sealed_candidate(*(markers[key]["sealed"] for key in _FIELDS)) + rest


# The decision's candidate member, of the digests sealing its file, name and NIP (hex, as ASCII bytes).
SEALED_CANDIDATE = b'{"file":{"sealed":"%s"},"name":{"sealed":"%s"},"nip":{"sealed":"%s"}}'


def sealed_candidate(file: str | bytes, name: str | bytes, nip: str | bytes) -> bytes:
    """The decision's candidate member: the digests sealing its file, name and NIP (hex, as text or ASCII bytes)."""
    return SEALED_CANDIDATE % tuple(item if isinstance(item, bytes) else item.encode() for item in (file, name, nip))


def splice_point(line: bytes, decision: Decision, notes: tuple[bytes, ...] = ()) -> tuple[bytes, bytes] | None:
    """``line`` cut around its candidate member (what comes before it, what comes after), when the sealed body
    made by joining them around the sealed candidate is provably RFC 8785 (see ``spliced``) and holds none of
    ``notes`` (byte strings looked for after the candidate member); else None.

    A line its writer proved RFC 8785 as written (``engine.decide.proof``: every part it wrote is) needs no
    other check: its writer also names the arguments of the notes it holds, looked up among ``notes`` (each the
    JSON of an argument's name and a colon). Any other line is checked piece by piece (``pieces_hold``)."""
    ref = decision.candidate
    start = _starts.get(decision.as_of)
    if start is None:  # a run has one date; bounded for replays of many
        if len(_starts) > 1000:
            _starts.clear()
        start = _starts[decision.as_of] = b'{"as_of":%s,"candidate":' % orjson.dumps(decision.as_of.isoformat())
    head = start + orjson.dumps({"file": ref.file, "name": ref.name, "nip": ref.nip})
    if not line.startswith(head):
        return None
    held = proven(line)
    names = None if held is None else _names(notes)
    if held is not None and names is not None:
        if not held.isdisjoint(names):
            return None
    elif not pieces_hold(line, len(head), notes):
        return None
    return start, line[len(head) :]


def _names(notes: tuple[bytes, ...]) -> frozenset[str] | None:
    """The names in ``notes`` (each written ``"name":``), kept per tuple (a run passes one); None if one of them
    is written otherwise (then it is looked for as bytes, piece by piece)."""
    if notes not in _NAMES:
        names = [orjson.loads(note[:-1]) if note.startswith(b'"') and note.endswith(b'":') else None for note in notes]
        if len(_NAMES) > 100:
            _NAMES.clear()
        _NAMES[notes] = frozenset(map(str, names)) if all(isinstance(name, str) for name in names) else None
    return _NAMES[notes]


def pieces_hold(line: bytes, at: int = 0, notes: tuple[bytes, ...] = ()) -> bool:
    """``fast_holds(line[at:], integers=True)``, and none of ``notes`` in it, for JSON written by orjson (``at``
    outside strings and numbers), checked piece by piece (see the markers above): recurring pieces by their
    memo, the facts' values by a quick look that may only send them on to the full check."""
    pieces = line.split(_REQUIREMENT)
    first = pieces[0]
    if len(first) < at:
        return False
    begin = first.find(_VALUES, at)
    end = first.find(_AFTER_VALUES, begin)
    if begin >= 0 and end >= 0:  # the values differ for every candidate: not kept in the memo
        values = first[begin:end]
        # a note is an object: with no "{" but the values' own, none can be there (nor any argument of one)
        if values.count(b"{") > 1 and any(note in values for note in notes):
            return False
        if not _plainly_holds(values) and not fast_holds(values, integers=True):
            return False
        pieces[0] = first[at:begin] + first[end:]
    else:
        pieces[0] = first[at:]
    held = _HELD.setdefault(notes, {})
    known = list(map(held.get, pieces))  # the verdicts met before, looked up in one pass in C
    if all(known):
        return True
    if False in known:
        return False
    for piece, verdict in zip(pieces, known, strict=True):
        if verdict is None and not _held(held, piece, notes):
            return False
    return True


def _held(held: dict[bytes, bool], piece: bytes, notes: tuple[bytes, ...]) -> bool:
    """``fast_holds(piece, integers=True)`` and none of ``notes`` in it, kept in ``held`` for pieces met again."""
    known = fast_holds(piece, integers=True) and not any(note in piece for note in notes)
    if len(held) >= _HELD_LIMIT:
        held.clear()
    held[piece] = known
    return known


def _plainly_holds(piece: bytes) -> bool:
    """True only if ``piece`` has, even inside its strings, no character beyond ASCII, no digit followed by an
    exponent, no ".0" and no run of 16 digits: then no number in it can break RFC 8785 (False: look closer)."""
    if not piece.isascii() or b".0" in piece:
        return False
    shape = piece.translate(_DIGITS)
    return b"0e" not in shape and _LONG not in shape
