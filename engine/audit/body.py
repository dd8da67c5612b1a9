"""A record's sealed decision body made from the decision's JSON line, without decoding and encoding it again."""

from __future__ import annotations

from collections.abc import Mapping

import orjson

from engine.audit.canonical import fast_holds
from engine.decide.decision import Decision

_FIELDS = ("file", "name", "nip")


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
    ref = decision.candidate
    start = b'{"as_of":%s,"candidate":' % orjson.dumps(decision.as_of.isoformat())
    head = start + orjson.dumps({"file": ref.file, "name": ref.name, "nip": ref.nip})
    if not line.startswith(head):
        return None
    rest = line[len(head) :]
    if not fast_holds(rest, integers=True):
        return None
    sealed = b",".join(b'"%s":{"sealed":"%s"}' % (key.encode(), markers[key]["sealed"].encode()) for key in _FIELDS)
    return start + b"{" + sealed + b"}" + rest
