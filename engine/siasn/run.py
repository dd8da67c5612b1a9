"""`layak import siasn`: read the input, build every dossier, write the valid ones, collect the report."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson

from engine.siasn import csv_export, dossier
from engine.siasn.inputs import read_bundle, read_folder
from engine.siasn.values import Finding

BUNDLE_SUFFIXES = (".jsonl", ".ndjson")


@dataclass
class ImportResult:
    written: list[str] = field(default_factory=list)  # NIPs whose dossier was written
    failed: list[str] = field(default_factory=list)  # NIPs (or entries) that could not be imported
    findings: list[Finding] = field(default_factory=list)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dossier_bytes(doc: dict[str, Any]) -> bytes:
    """A dossier as `layak check` reads it: JSON, dates as yyyy-mm-dd, exact decimals."""
    return orjson.dumps(doc, default=_default, option=orjson.OPT_INDENT_2) + b"\n"


def _dossiers(path: Path) -> Iterator[tuple[str, dict[str, Any] | None, list[Finding]]]:
    if path.is_dir():
        for person in read_folder(path):
            if person.failed:
                yield person.nip, None, person.findings
            else:
                yield (person.nip, *dossier.build(person))
    elif path.suffix.lower() == ".csv":
        yield from csv_export.read_export(path)
    else:
        for person in read_bundle(path):
            yield (person.nip, None, person.findings) if person.failed else (person.nip, *dossier.build(person))


def input_kind(path: Path) -> str | None:
    """folder, csv or bundle; None when PATH is none of them."""
    if path.is_dir():
        return "folder"
    if path.is_file() and path.suffix.lower() == ".csv":
        return "csv"
    if path.is_file() and path.suffix.lower() in BUNDLE_SUFFIXES:
        return "bundle"
    return None


def import_siasn(path: Path, out: Path | None) -> ImportResult:
    """Import every NIP of PATH; write <NIP>.json into OUT (None: build and check only)."""
    result = ImportResult()
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    for nip, doc, findings in _dossiers(path):
        result.findings.extend(findings)
        if doc is None:
            result.failed.append(nip)
            stale = out / f"{nip}.json" if out is not None and nip.isdigit() else None
            if stale is not None and stale.exists():
                # A dossier from an earlier run would be checked as if it were current.
                stale.unlink()
                result.findings.append(Finding(nip, "review", "stale_removed", str(stale)))
            continue
        if out is not None:
            target = out / f"{nip}.json"
            temporary = target.with_suffix(".json.tmp")
            temporary.write_bytes(dossier_bytes(doc))
            os.replace(temporary, target)
        result.written.append(nip)
    return result
