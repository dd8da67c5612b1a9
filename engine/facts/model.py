"""The derived facts of a candidate on a date (values, and notes saying why others are unknown), and their notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Note(BaseModel):
    """Why something is unknown or special, as a code with arguments (rendered per language)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    args: dict[str, str] = {}


_NOTES: dict[tuple[Any, ...], Note] = {}


def note(code: str, **args: object) -> Note:
    """The note of ``code`` with these arguments; the same frozen note is shared by every candidate that has it."""
    key = (code, *((k, str(v)) for k, v in args.items()))
    found = _NOTES.get(key)
    if found is None:
        if len(_NOTES) >= 10_000:  # arguments such as dates vary: bounded
            _NOTES.clear()
        found = _NOTES[key] = Note(code=code, args={k: str(v) for k, v in args.items()})
    return found


_DATED: dict[tuple[str, dt.date], Note] = {}


def dated(code: str, date: dt.date) -> Note:
    """``note(code, date=date)``, looked up by the date itself (the notes every candidate of a run shares)."""
    found = _DATED.get((code, date))
    if found is None:
        if len(_DATED) >= 1_000:
            _DATED.clear()
        found = _DATED[code, date] = note(code, date=date)
    return found


class Facts(BaseModel):
    """What is known of a candidate on one date: values, and why others are unknown."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    as_of: dt.date
    values: dict[str, Any]
    missing: dict[str, Note] = {}
    invalid: dict[str, Note] = {}
    # For a service-time fact that runs on the date: the day its months count from (unpaid leave taken out), so a
    # shortfall can be said to the day. Not recorded: it follows from the file and the date.
    anchors: dict[str, dt.date] = Field(default_factory=dict, exclude=True)


_FIELDS = frozenset(Facts.model_fields)
_set = object.__setattr__


def built(
    as_of: dt.date,
    values: dict[str, Any],
    missing: dict[str, Note],
    invalid: dict[str, Note],
    anchors: dict[str, dt.date],
) -> Facts:
    """``Facts.model_construct`` with every field given, without its per-field loop (measured: about 7 µs a
    candidate, as much as two fact families): built from values just derived, so not validated again.
    tests/test_derive_reference.py checks it gives exactly what model_construct gives, slot by slot."""
    facts = object.__new__(Facts)
    fields = {"as_of": as_of, "values": values, "missing": missing, "invalid": invalid, "anchors": anchors}
    _set(facts, "__dict__", fields)
    _set(facts, "__pydantic_fields_set__", set(_FIELDS))
    _set(facts, "__pydantic_extra__", None)
    _set(facts, "__pydantic_private__", None)
    return facts


class Draft:
    """The facts of one candidate while they are derived: each family's module adds its own, in vocabulary order
    (the order the dicts keep is the order a facts listing shows)."""

    __slots__ = ("as_of", "values", "missing", "invalid", "anchors", "leaves")

    def __init__(self, as_of: dt.date, leaves: list[tuple[dt.date, dt.date | None]]) -> None:
        self.as_of = as_of
        self.values: dict[str, Any] = {}
        self.missing: dict[str, Note] = {}
        self.invalid: dict[str, Note] = {}
        self.anchors: dict[str, dt.date] = {}
        self.leaves = leaves  # unpaid leave (CLTN), taken out of every service-time fact

    def facts(self) -> Facts:
        return built(self.as_of, self.values, self.missing, self.invalid, self.anchors)
