"""A record's candidate, decision and personal members composed straight from canonical bytes (a streamed check's
records): the snapshot's members, the decision's JSON line and one draw of salts, with no JSON value rebuilt."""

from __future__ import annotations

import hashlib
from binascii import hexlify
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from engine.audit.body import sealed_candidate, splice_point
from engine.audit.canonical import canonical
from engine.audit.snapshot import CLEAR, PERSONAL, QUASI_NOTE_ARGS, place_name
from engine.decide.decision import Decision

# A note argument that holds a quasi-identifier shows in a record's canonical JSON as one of these keys.
NOTE_KEYS = tuple(b'"%s":' % key.encode() for key in sorted(QUASI_NOTE_ARGS))
_SALT = 32  # hex characters of one salt (16 random bytes)


@dataclass(frozen=True)
class _Plan:
    """How the members of a snapshot with these keys (in this order) are sealed and composed."""

    sealed: tuple[str, ...]  # the keys sealed (quasi-identifiers), in the snapshot's order: the salts' order
    names: tuple[bytes, ...]  # canonical JSON of each disclosure name: the file, name, NIP, then the sealed keys
    disclosed: tuple[int, ...]  # disclosures in name order (indexes into ``names``)
    whole: tuple[tuple[bytes, str], ...]  # every key in canonical order: what comes before its JSON, the key
    shown: tuple[tuple[bytes, str, int], ...]  # the sealed snapshot: (what comes before, key, -1 or its digest)


_PLANS: dict[tuple[str, ...], _Plan | None] = {}


def _plan(keys: tuple[str, ...]) -> _Plan | None:
    found = _PLANS.get(keys, False)
    if found is not False:
        return found  # type: ignore[return-value]
    plan = None
    if all(key.isascii() and key.isidentifier() for key in keys):  # then code-point order is RFC 8785's
        sealed = tuple(key for key in keys if key not in CLEAR and key not in PERSONAL)
        every = ["file", "name", "nip", *(place_name(("candidate", "snapshot", key)) for key in sealed)]
        digest_at = {"name": 1, "nip": 2} | {key: 3 + i for i, key in enumerate(sealed)}
        whole = sorted(keys)
        shown = sorted({*keys, *PERSONAL})
        plan = _Plan(
            sealed=sealed,
            names=tuple(canonical(name) for name in every),
            disclosed=tuple(sorted(range(len(every)), key=every.__getitem__)),
            whole=tuple((b'%s"%s":' % (b"," if i else b"{", key.encode()), key) for i, key in enumerate(whole)),
            shown=tuple(
                (b'%s"%s":' % (b"," if i else b"", key.encode()), key, digest_at.get(key, -1))
                for i, key in enumerate(shown)
            ),
        )
    if len(_PLANS) > 1000:  # snapshots replayed from a store may bring other key sets
        _PLANS.clear()
    _PLANS[keys] = plan
    return plan


def sealed_members(
    decision: Decision,
    snap: Mapping[str, Any],
    members: Mapping[str, bytes],
    line: bytes,
    random: Callable[[int], bytes],
) -> tuple[bytes, bytes, bytes] | None:
    """The record's ``candidate`` and ``decision`` members and its personal column, or None where this cannot
    prove them the general path's bytes: a key that is no plain ASCII name, a note that may hold a
    quasi-identifier, a line that is not RFC 8785 as it stands. Nothing is drawn from ``random`` then.

    The salts are drawn as the general path draws them (the file's, the name's, the NIP's, then each sealed
    snapshot member's in the snapshot's order), in one call: ``random(16 * n)`` gives the bytes of n calls of
    ``random(16)`` (os.urandom, and ``random.Random.randbytes``, whose words are taken in order).
    """
    plan = _plan(tuple(snap))
    if plan is None or len(members) != len(snap):
        return None
    cut = splice_point(line, decision, NOTE_KEYS)
    if cut is None:
        return None
    ref = decision.candidate
    dumps = orjson.dumps  # = canonical() of a string
    values = [dumps(ref.file), dumps(ref.name), dumps(ref.nip), *map(members.__getitem__, plan.sealed)]
    hexed = hexlify(random(16 * len(values)))
    salts = [hexed[at : at + _SALT] for at in range(0, len(hexed), _SALT)]
    # a seal is sha256 of the canonical list [salt, name, value]; its disclosure is "name":[salt, value]
    sha256 = hashlib.sha256
    names = plan.names
    digests = [sha256(b'["%s",%s,%s]' % item).hexdigest().encode() for item in zip(salts, names, values, strict=True)]
    whole = b"".join([part for head, key in plan.whole for part in (head, members[key])]) + b"}"
    shown = b"".join(
        [part for head, key, at in plan.shown for part in (head, members[key] if at < 0 else _sealed(digests[at]))]
    )
    candidate = b'{"hash":"%s","snapshot":{%s}}' % (sha256(whole).hexdigest().encode(), shown)
    start, rest = cut
    body = start + sealed_candidate(*digests[:3]) + rest
    personal = b"{" + b",".join([b'%s:["%s",%s]' % (names[i], salts[i], values[i]) for i in plan.disclosed]) + b"}"
    return candidate, body, personal


def _sealed(digest: bytes) -> bytes:
    return b'{"sealed":"%s"}' % digest


_SNAPSHOT_PLACES: dict[str, tuple[str, bytes]] = {}


def _snapshot_place(key: str) -> tuple[str, bytes]:
    """The disclosure name of a snapshot field and its canonical JSON, kept per field (the model's names)."""
    found = _SNAPSHOT_PLACES.get(key)
    if found is None:
        if len(_SNAPSHOT_PLACES) > 1000:  # snapshots replayed from a store may bring other names
            _SNAPSHOT_PLACES.clear()
        name = place_name(("candidate", "snapshot", key))
        found = _SNAPSHOT_PLACES[key] = (name, canonical(name))
    return found


class Sealer:
    """The salted disclosures of one record, kept with the canonical bytes of each value (the general path)."""

    def __init__(self, random: Callable[[int], bytes]) -> None:
        self.random = random
        self.disclosures: dict[str, tuple[bytes, Any]] = {}
        self.encoded: dict[str, bytes] = {}  # name → canonical [salt, value]

    def seal(self, name: str, value: Any, encoded: bytes) -> str:
        """Disclose ``value`` (whose canonical form is ``encoded``) under ``name``; the digest the record holds."""
        salt = self.random(16).hex().encode()
        self.disclosures[name] = (salt, value)
        self.encoded[name] = b'["%s",%s]' % (salt, encoded)
        # = seal_digest(salt, name, value): the canonical list [salt, name, value], composed
        return hashlib.sha256(b'["%s",%s,%s]' % (salt, _name_json(name), encoded)).hexdigest()

    def snapshot(self, snap: Mapping[str, Any], members: Mapping[str, bytes]) -> dict[str, str]:
        """Seal the snapshot's quasi-identifiers (``snapshot_places``, in their order): field → digest."""
        out = {}
        for key, value in snap.items():
            if key in CLEAR or key in PERSONAL:
                continue
            name, name_json = _snapshot_place(key)
            encoded = members[key]
            salt = self.random(16).hex().encode()
            self.disclosures[name] = (salt, value)
            self.encoded[name] = b'["%s",%s]' % (salt, encoded)
            out[key] = hashlib.sha256(b'["%s",%s,%s]' % (salt, name_json, encoded)).hexdigest()
        return out

    def disclosed(self) -> bytes:
        """``canonical(disclosures)``; composed when every name is ASCII (then sorting by code point is RFC 8785's)."""
        names = sorted(self.encoded)
        if not all(name.isascii() for name in names):
            return canonical({name: [salt.decode(), value] for name, (salt, value) in self.disclosures.items()})
        return b"{" + b",".join(_name_json(name) + b":" + self.encoded[name] for name in names) + b"}"


_NAMES_JSON: dict[str, bytes] = {}


def _name_json(name: str) -> bytes:
    """``canonical(name)`` of a disclosure's name (a personal field or a place: few distinct ones)."""
    found = _NAMES_JSON.get(name)
    if found is None:
        if len(_NAMES_JSON) > 10_000:
            _NAMES_JSON.clear()
        found = _NAMES_JSON[name] = canonical(name)
    return found
