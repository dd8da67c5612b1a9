"""Which record versions this layak reads: a record written by a newer layak is refused, never misread."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import __version__
from engine.audit.record import RECORD_VERSION
from engine.errors import InputError, Problem

UPGRADE_HINT = "written by a newer layak? upgrade layak to read it; nothing was read from this record"


def unknown_version(record: Mapping[str, Any]) -> object | None:
    """The record's ``schema_version`` when this layak does not know it (above RECORD_VERSION, or not 1, 2...)."""
    version = record.get("schema_version")
    known = isinstance(version, int) and not isinstance(version, bool) and 1 <= version <= RECORD_VERSION
    return None if known else version


def refused(seq: int, version: object, where: str = "") -> InputError:
    """The error a reader raises for a record of an unknown version (exit 3), naming the record and its version."""
    return InputError(
        [
            Problem(
                code="record_too_new",
                file=where,
                path=f"record #{seq}: schema_version",
                message=f"version {version!r}; this layak ({__version__}) reads versions 1 to {RECORD_VERSION}",
                hint=UPGRADE_HINT,
            )
        ]
    )


def check_version(record: Mapping[str, Any], seq: int, where: str = "") -> None:
    """Raise ``refused`` unless this layak knows the record's version."""
    version = unknown_version(record)
    if version is not None:
        raise refused(seq, version, where)
