"""A version-3 record's candidate, decision and personal members composed straight from bytes (a streamed
check's records): the dossier's text, the decision's JSON line and one draw of four salts, no value rebuilt."""

from __future__ import annotations

import hashlib
from binascii import hexlify
from collections.abc import Callable

import orjson

from engine.audit.body import SEALED_CANDIDATE, splice_point
from engine.audit.canonical import canonical
from engine.audit.dossier import PLACE, Dossier
from engine.audit.snapshot import QUASI_NOTE_ARGS
from engine.decide.decision import Decision

# A note argument that holds a quasi-identifier shows in a record's canonical JSON as one of these keys.
NOTE_KEYS = tuple(b'"%s":' % key.encode() for key in sorted(QUASI_NOTE_ARGS))
# The sealed values in the order their salts are drawn (the file's, the name's, the NIP's, the dossier's), as
# canonical JSON strings; their disclosures sort as "candidate/dossier", "file", "name", "nip".
SEALS = ("file", "name", "nip", PLACE)
_NAMES = tuple(orjson.dumps(name) for name in SEALS)
_SALT = 32  # hex characters of one salt (16 random bytes)


def sealed_members(
    decision: Decision, dossier: Dossier, line: bytes, random: Callable[[int], bytes]
) -> tuple[bytes, bytes, bytes] | None:
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
    ref = decision.candidate
    dumps = orjson.dumps
    text = dossier.text
    file, name, nip, value = dumps(ref.file), dumps(ref.name), dumps(ref.nip), dumps(text.decode("utf-8"))
    hexed = hexlify(random(64))
    salts = hexed[:_SALT], hexed[_SALT : 2 * _SALT], hexed[2 * _SALT : 3 * _SALT], hexed[3 * _SALT :]
    sha256 = hashlib.sha256
    people = zip(salts[:3], _NAMES[:3], (file, name, nip), strict=True)
    digests = tuple(hexlify(sha256(b'["%s",%s,%s]' % item).digest()) for item in people)
    sealed = sha256(b'["%s",%s,' % (salts[3], _NAMES[3]))  # the dossier's: its text not copied once more
    sealed.update(value)
    sealed.update(b"]")
    candidate = b'{"clear":%s,"dossier":{"sealed":"%s"},"hash":"%s"}' % (
        dossier.clear_json or canonical(dict(dossier.clear)),
        hexlify(sealed.digest()),
        hexlify(sha256(text).digest()),
    )
    start, rest = cut
    body = b"".join((start, SEALED_CANDIDATE % digests, rest))
    personal = b'{"candidate/dossier":["%s",%s],"file":["%s",%s],"name":["%s",%s],"nip":["%s",%s]}' % (
        salts[3], value, salts[0], file, salts[1], name, salts[2], nip
    )  # fmt: skip
    return candidate, body, personal
