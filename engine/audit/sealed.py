"""A version-3 record's candidate, decision and personal members composed straight from bytes (a streamed
check's records): the dossier's text, the decision's JSON line and one draw of four salts, no value rebuilt."""

from __future__ import annotations

import hashlib
from binascii import hexlify
from collections.abc import Callable

import orjson

from engine.audit.body import sealed_candidate, splice_point
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
    values = (dumps(ref.file), dumps(ref.name), dumps(ref.nip), dumps(text.decode("utf-8")))
    hexed = hexlify(random(64))
    salts = [hexed[at : at + _SALT] for at in range(0, 4 * _SALT, _SALT)]
    sha256 = hashlib.sha256
    digests = [sha256(b'["%s",%s,%s]' % item).hexdigest().encode() for item in zip(salts, _NAMES, values, strict=True)]
    candidate = b'{"clear":%s,"dossier":{"sealed":"%s"},"hash":"%s"}' % (
        dossier.clear_json or canonical(dict(dossier.clear)),
        digests[3],
        sha256(text).hexdigest().encode(),
    )
    start, rest = cut
    body = start + sealed_candidate(*digests[:3]) + rest
    personal = b'{"candidate/dossier":["%s",%s],"file":["%s",%s],"name":["%s",%s],"nip":["%s",%s]}' % (
        salts[3], values[3], salts[0], values[0], salts[1], values[1], salts[2], values[2]
    )  # fmt: skip
    return candidate, body, personal
