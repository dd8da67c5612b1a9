"""Candidate snapshots: the validated dossier as JSON that rebuilds the identical ``Candidate``."""

from __future__ import annotations

import types
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from engine.load.candidate import Candidate

PERSONAL = ("nip", "name")  # the snapshot fields an export redacts (with the candidate's file path)
# Snapshot fields a record keeps in clear: categories that identify no one. Everything else (birth
# date and TMT CPNS, which form the NIP; units, institutions, free texts, decree and document numbers,
# and every other date) is a quasi-identifier, sealed in the record like the NIP and the name; an
# auditor still sees the facts derived from them (age in years, months of service and in post).
# An imported dossier's provenance (endpoint names and SHA-256 of the bytes read, never the NIP) and its
# legal-position code stay in clear too: they tie a decision to its sources without naming anyone.
CLEAR = frozenset({"employee_status", "hukuman_pidana", "legal_position", "provenance"})
# Requirement and fact notes whose arguments carry such values (a birth date, a TMT, an assessment number).
QUASI_NOTE_ARGS = frozenset({"birth", "tmt", "assessment"})

Path = tuple[str | int, ...]
_TREES = (dict, list)  # made once: ``dict | list`` in a call makes a new union each time


def note_places(decided: dict[str, Any]) -> list[tuple[Path, Any]]:
    """The note arguments of a decision (its JSON form) that hold quasi-identifiers."""
    places: list[tuple[Path, Any]] = []
    _notes(decided, ("decision",), places)
    return places


def _notes(tree: Any, path: Path, places: list[tuple[Path, Any]]) -> None:
    # Depth first, the last child first: the order of the disclosures (and of their random salts) is the
    # one records were always made in. Scalars hold no note, so no path is built for them.
    if isinstance(tree, dict):
        args = tree.get("args")
        if "code" in tree and isinstance(args, dict):
            places += [((*path, "args", k), v) for k, v in sorted(args.items()) if k in QUASI_NOTE_ARGS]
        for key, value in reversed(tree.items()):
            if key != "args" and isinstance(value, _TREES):
                _notes(value, (*path, key), places)
    elif isinstance(tree, list):
        for index in range(len(tree) - 1, -1, -1):
            value = tree[index]
            if isinstance(value, _TREES):
                _notes(value, (*path, index), places)


def place_name(path: Path) -> str:
    """The disclosure key of a sealed place: its path joined by '/'."""
    return "/".join(str(part) for part in path)


def place_path(name: str) -> Path:
    return tuple(int(part) if part.isdigit() else part for part in name.split("/"))


def snapshot(candidate: Candidate) -> dict[str, Any]:
    """JSON form of a candidate; decimals are kept as exact strings ("3.50" stays "3.50").

    Fields at their defaults are left out, so a field added later (with a default) changes neither old
    snapshots nor the content hash of a candidate that does not use it.
    """
    return candidate.model_dump(mode="json", exclude_defaults=True)


def revive(data: dict[str, Any]) -> Candidate:
    """The candidate a snapshot was taken of: exact decimals restored before strict validation."""
    return Candidate.model_validate(_model(Candidate, data))


def _model(model: type[BaseModel], data: Any) -> Any:
    if not isinstance(data, dict):
        return data
    fields = model.model_fields
    return {key: _value(fields[key].annotation, value) if key in fields else value for key, value in data.items()}


def _value(annotation: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        return _value(args[0], value)
    if annotation is Decimal:
        return Decimal(value) if isinstance(value, str) else value
    if origin in (Union, types.UnionType):
        for arg in args:
            if arg is not type(None):
                revived = _value(arg, value)
                if revived is not value:
                    return revived
        return value
    if origin in (list, tuple) and isinstance(value, list):
        return [_value(args[0], item) for item in value] if args else value
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _model(annotation, value)
    return value
