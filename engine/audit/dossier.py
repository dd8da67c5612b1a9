"""The dossier a record seals (record version 3): its JSON text as read, or written from the candidate."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import orjson
from pydantic import ValidationError

from engine.audit.canonical import canonical
from engine.audit.snapshot import CLEAR, revive
from engine.load.candidate import Candidate
from engine.load.intake import LoadedCandidate, json_candidate

PLACE = "candidate/dossier"  # the dossier's disclosure name (its place in the record)


@dataclass(frozen=True)
class Dossier:
    """What a version-3 record holds of a candidate: the dossier's JSON text (UTF-8 bytes), sealed whole, and
    the categories it shows in clear (``CLEAR``: they identify no one), as the snapshot's JSON form has them."""

    text: bytes
    clear: Mapping[str, Any]
    clear_json: bytes = field(default=b"", compare=False)  # canonical(clear), when the caller has it

    @property
    def hash(self) -> str:
        """sha256 of the text's bytes: the candidate's identity in the record, checkable without the salt."""
        return hashlib.sha256(self.text).hexdigest()


_CLEAR = set(CLEAR)
_CLEAR_NAMES = tuple(sorted(CLEAR))
_clear_values = operator.attrgetter(*_CLEAR_NAMES)
# A candidate's clear values (its ``CLEAR`` attributes, in name order) → its clear members (read-only: shared by
# the dossiers of candidates alike) and their canonical JSON. A run has a handful of distinct ones.
_CLEARS: dict[tuple[Any, ...], tuple[Mapping[str, Any], bytes]] = {}


def clear_of(candidate: Candidate) -> dict[str, Any]:
    """The snapshot's clear members: the ``CLEAR`` fields not at their defaults, in their JSON form."""
    fields = Candidate.model_fields
    plain = {}
    for name, value in zip(_CLEAR_NAMES, _clear_values(candidate), strict=True):
        if value is None or isinstance(value, str):  # the common case, without a model_dump
            if value != fields[name].default:
                plain[name] = value
        else:
            return candidate.model_dump(mode="json", include=_CLEAR, exclude_defaults=True)
    return plain


def dossier_of(loaded: LoadedCandidate) -> Dossier:
    """The dossier of a validated candidate: the JSON bytes it was validated from, else ``dossier_json``."""
    candidate = loaded.candidate
    values = _clear_values(candidate)
    try:
        found = _CLEARS.get(values)
    except TypeError:  # an imported dossier's provenance (a mapping): not kept
        clear = clear_of(candidate)
        found = (clear, canonical(clear))
    if found is None:
        if len(_CLEARS) > 1000:
            _CLEARS.clear()
        clear = clear_of(candidate)
        found = _CLEARS[values] = (MappingProxyType(clear), canonical(clear))
    text = loaded.text if loaded.text is not None else dossier_json(candidate)
    return Dossier(text=text, clear=found[0], clear_json=found[1])


def recorded_candidate(record: Mapping[str, Any]) -> Candidate | None:
    """The candidate an opened record (personal values put back) was decided on, or None when it does not read:
    version 3 from the dossier's text through the JSON loader, versions 1 and 2 from the snapshot."""
    part = record.get("candidate")
    if not isinstance(part, dict):
        return None
    text = part.get("dossier")
    version = record.get("schema_version")
    if isinstance(version, int) and version >= 3:
        if not isinstance(text, str):
            return None
        found = json_candidate("dossier", text.encode())
        return None if isinstance(found, list) else found.candidate
    try:
        return revive(part["snapshot"])
    except (KeyError, TypeError, ValidationError):
        return None


def dossier_json(candidate: Candidate) -> bytes:
    """JSON text that validates through the JSON loader to the identical ``candidate``, for a candidate read from
    YAML or built in memory (one read from JSON keeps its own bytes): keys sorted, no spaces, fields at their
    defaults left out, dates as ISO strings, and every decimal as a JSON number written exactly as it is held
    ("3.50" stays 3.50), which the loader reads back without rounding (a JSON string would not validate)."""
    out: list[bytes] = []
    _write(candidate.model_dump(mode="python", exclude_defaults=True), out)
    return b"".join(out)


def _write(value: Any, out: list[bytes]) -> None:
    if isinstance(value, dict):
        out.append(b"{")
        for i, key in enumerate(sorted(value)):
            out.append(b',"%s":' % key.encode() if i else b'"%s":' % key.encode())
            _write(value[key], out)
        out.append(b"}")
    elif isinstance(value, list | tuple):
        out.append(b"[")
        for i, item in enumerate(value):
            if i:
                out.append(b",")
            _write(item, out)
        out.append(b"]")
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"a dossier holds no {value}")
        out.append(str(value).encode())
    elif isinstance(value, enum.Enum):
        _write(value.value, out)
    elif isinstance(value, dt.date):  # a datetime too
        out.append(orjson.dumps(value.isoformat()))
    else:  # str, bool, None, int
        out.append(orjson.dumps(value))
