"""A version-3 record's candidate, decision and personal members composed straight from bytes (a streamed
check's records): the dossier's text, the decision's JSON line and one draw of four salts, no value rebuilt."""

from __future__ import annotations

import hashlib
from binascii import hexlify
from collections.abc import Callable

import orjson

from engine.audit.body import splice_point
from engine.audit.canonical import canonical
from engine.audit.dossier import PLACE, Dossier
from engine.audit.snapshot import QUASI_NOTE_ARGS
from engine.decide.decision import CandidateRef, Decision

# A note argument that holds a quasi-identifier shows in a record's canonical JSON as one of these keys.
NOTE_KEYS = tuple(b'"%s":' % key.encode() for key in sorted(QUASI_NOTE_ARGS))
# The sealed values in the order their salts are drawn (the file's, the name's, the NIP's, the dossier's), as
# canonical JSON strings; their disclosures sort as "candidate/dossier", "file", "name", "nip".
SEALS = ("file", "name", "nip", PLACE)
# ``members`` writes their names and the candidate member's template (``SEALED_CANDIDATE``) inline: a test holds
# them to these.
Members = tuple[bytes, bytes, bytes]  # the record's candidate and decision members, its personal column


def sealed_members(decision: Decision, dossier: Dossier, line: bytes, random: Callable[[int], bytes]) -> Members | None:
    """The record's ``candidate`` and ``decision`` members and its personal column, or None where this cannot
    prove them the general path's bytes (a note that may hold a quasi-identifier, a line that is not RFC 8785
    as it stands): nothing is drawn from ``random`` then.

    The four salts are drawn in one call: ``random(64)`` gives the bytes of four calls of ``random(16)``
    (os.urandom, and ``random.Random.randbytes``, whose words are taken in order). A seal is sha256 of the
    canonical list [salt, name, value] and its disclosure "name":[salt, value]; canonical JSON of a string is
    orjson's (the same escapes), so the dossier's text is written once and hashed once.
    """
    cut = splice_point(line, decision, NOTE_KEYS)
    if cut is None:
        return None
    return members(decision.candidate, dossier, cut, hexlify(random(64)))


def members(ref: CandidateRef, dossier: Dossier, cut: tuple[bytes, bytes], salts: bytes, at: int = 0) -> Members:
    """``sealed_members``' three, of the decision's candidate ``ref``, ``cut`` (``splice_point``'s) and the four
    salts ``salts[at:at + 128]`` (hex, in the order they are drawn: a batch draws its salts in one call)."""
    dumps = orjson.dumps
    text = dossier.text
    file, name, nip, value = dumps(ref.file), dumps(ref.name), dumps(ref.nip), dumps(text.decode("utf-8"))
    one, two, three = salts[at : at + 32], salts[at + 32 : at + 64], salts[at + 64 : at + 96]
    four = salts[at + 96 : at + 128]
    sha256 = hashlib.sha256
    sealed = sha256(b'["%s","candidate/dossier",' % four)  # the dossier's: its text not copied once more
    sealed.update(value)
    sealed.update(b"]")
    candidate = b'{"clear":%s,"dossier":{"sealed":"%s"},"hash":"%s"}' % (
        dossier.clear_json or canonical(dict(dossier.clear)),
        hexlify(sealed.digest()),
        hexlify(sha256(text).digest()),
    )
    start, rest = cut
    body = b'%s{"file":{"sealed":"%s"},"name":{"sealed":"%s"},"nip":{"sealed":"%s"}}%s' % (
        start,
        hexlify(sha256(b'["%s","file",%s]' % (one, file)).digest()),
        hexlify(sha256(b'["%s","name",%s]' % (two, name)).digest()),
        hexlify(sha256(b'["%s","nip",%s]' % (three, nip)).digest()),
        rest,
    )
    personal = b'{"candidate/dossier":["%s",%s],"file":["%s",%s],"name":["%s",%s],"nip":["%s",%s]}' % (
        four, value, one, file, two, name, three, nip
    )  # fmt: skip
    return candidate, body, personal
