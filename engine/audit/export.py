"""Exports for external auditors (JSON Lines or CSV), optionally pseudonymised, and reading them back to verify."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from engine.audit.dossier import PLACE as DOSSIER
from engine.audit.record import PERSONAL_FIELDS
from engine.audit.verify import COLUMNS, Entry
from engine.audit.versions import check_version
from engine.errors import InputError, Problem

FORMAT = "layak-audit-export"
CSV_COLUMNS = (
    "seq",
    "decision_id",
    "recorded_at",
    "as_of",
    "position",
    "verdict",
    "board",
    "actor",
    "nip",
    "name",
    "ruleset_hash",
    "prev_hash",
    "chain_hash",
    "record",
    "disclosures",
)


def pseudonym(salt: str, field: str, value: str) -> str:
    """A salted hash standing for one personal value: the same value gives the same pseudonym in one export."""
    return hmac.new(salt.encode(), f"{field}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def _whole_months(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def generalised(record: Mapping[str, Any], disclosures: Mapping[str, Any]) -> dict[str, int | None]:
    """What an auditor still needs of the sealed birth date and TMT CPNS: age in years, service in months (from
    the disclosed dossier of a version-3 record, the disclosed snapshot fields of older ones)."""
    out: dict[str, int | None] = {"age_years": None, "service_months": None}
    try:
        as_of = dt.date.fromisoformat(record["decision"]["as_of"])
    except (KeyError, TypeError, ValueError):
        return out
    dossier = _dossier(disclosures)
    for name, key, per in (("age_years", "birth_date", 12), ("service_months", "tmt_cpns", 1)):
        disclosure = disclosures.get(f"candidate/snapshot/{key}") or [None, None]  # versions 1 and 2
        value = dossier.get(key) if dossier is not None else disclosure[1]
        try:
            out[name] = _whole_months(dt.date.fromisoformat(str(value)), as_of) // per
        except (TypeError, ValueError):
            continue
    return out


def _dossier(disclosures: Mapping[str, Any]) -> dict[str, Any] | None:
    """The disclosed dossier of a version-3 record, parsed (None for older records, or one that does not read)."""
    disclosure = disclosures.get(DOSSIER)
    if not (isinstance(disclosure, list) and len(disclosure) == 2 and isinstance(disclosure[1], str)):
        return None
    try:
        parsed = orjson.loads(disclosure[1])
    except orjson.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _dumps(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def jsonl_lines(rows: Iterable[Mapping[str, Any]], rulesets: Mapping[str, str], salt: str | None) -> Iterator[str]:
    """A header line, one line per stored ruleset, then one line per record; ``salt`` set means redacted."""
    yield _dumps({"kind": "header", "format": FORMAT, "version": 1, "redacted": salt is not None})
    for digest, body in sorted(rulesets.items()):
        yield _dumps({"kind": "ruleset", "hash": digest, "body": orjson.loads(body)})
    for row in rows:
        line: dict[str, Any] = {
            "kind": "decision",
            "seq": int(row["seq"]),
            "decision_id": row["decision_id"],
            "prev_hash": row["prev_hash"],
            "chain_hash": row["chain_hash"],
            "record": orjson.loads(row["record"]),
        }
        check_version(line["record"], line["seq"])
        disclosures = orjson.loads(row["personal"])
        if salt is None:
            line["disclosures"] = disclosures
        else:
            line["pseudonyms"] = {f: pseudonym(salt, f, disclosures[f][1]) for f in PERSONAL_FIELDS}
            line["generalised"] = generalised(line["record"], disclosures)
        yield _dumps(line)


def csv_lines(rows: Iterable[Mapping[str, Any]], salt: str | None) -> Iterator[str]:
    """The query columns, the chain hashes and the sealed record of each record, one CSV row each."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        check_version(orjson.loads(row["record"]), int(row["seq"]))
        values = {column: row[column] for column in CSV_COLUMNS if column in row}
        if salt is None:
            values["disclosures"] = row["personal"]
        else:
            values.update(
                nip=pseudonym(salt, "nip", row["nip"]), name=pseudonym(salt, "name", row["name"]), disclosures=""
            )
        writer.writerow(["" if values.get(c) is None else values[c] for c in CSV_COLUMNS])
        yield out.getvalue().rstrip("\n")
        out.seek(0)
        out.truncate()


def read_export(path: Path) -> tuple[Iterator[Entry], dict[str, str] | None]:
    """The entries of an export file (read as they are used: memory stays flat) and, for JSON Lines, its
    rulesets (CSV exports carry none). A line that does not read stops the iteration with an InputError."""
    try:
        with path.open("rb") as probe:
            start = probe.read(4096).lstrip()
    except OSError as error:
        raise InputError([Problem(code="export_unreadable", file=str(path), message=str(error))]) from None
    if start.startswith(b"{"):
        return _jsonl_entries(path), _jsonl_rulesets(path)
    return _csv_entries(path), None


def _bad(path: Path, line: int, message: str) -> InputError:
    return InputError([Problem(code="export_unreadable", file=str(path), line=line, message=message)])


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        with path.open(encoding="utf-8") as source:
            for number, text in enumerate(source, 1):
                if text.strip():
                    yield number, text
    except (OSError, UnicodeDecodeError) as error:
        raise InputError([Problem(code="export_unreadable", file=str(path), message=str(error))]) from None


def _jsonl_rulesets(path: Path) -> dict[str, str]:
    # A first pass parses only the lines that can be rulesets (wherever they are), so that the records,
    # read next, can be checked against every stored ruleset as they stream by.
    rulesets: dict[str, str] = {}
    for number, text in _lines(path):
        if '"ruleset"' not in text:
            continue
        line = _line(path, number, text)
        if line.get("kind") == "ruleset":
            try:
                rulesets[line["hash"]] = orjson.dumps(line["body"]).decode()
            except (KeyError, TypeError, orjson.JSONEncodeError) as error:
                raise _bad(path, number, f"not an export line: {error}") from None
    return rulesets


def _line(path: Path, number: int, text: str) -> dict[str, Any]:
    try:
        line = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise _bad(path, number, f"not an export line: {error}") from None
    if not isinstance(line, dict):
        raise _bad(path, number, "not an export line: expected a JSON object")
    return line


def _jsonl_entries(path: Path) -> Iterator[Entry]:
    for number, text in _lines(path):
        line = _line(path, number, text)
        try:
            kind = line["kind"]
            if kind == "decision":
                yield Entry(
                    seq=int(line["seq"]),
                    record=orjson.dumps(line["record"]).decode(),
                    prev_hash=line["prev_hash"],
                    chain_hash=line["chain_hash"],
                    disclosures=line.get("disclosures"),
                    columns={"decision_id": line["decision_id"]},
                )
            elif kind not in ("header", "ruleset"):
                raise ValueError(f"unknown kind {kind!r}")
        except (KeyError, TypeError, ValueError) as error:
            raise _bad(path, number, f"not an export line: {error}") from None


def _csv_entries(path: Path) -> Iterator[Entry]:
    try:
        source = path.open(encoding="utf-8", newline="")
    except OSError as error:
        raise InputError([Problem(code="export_unreadable", file=str(path), message=str(error))]) from None
    with source:
        reader = csv.DictReader(source)
        try:
            names = reader.fieldnames
        except UnicodeDecodeError as error:
            raise InputError([Problem(code="export_unreadable", file=str(path), message=str(error))]) from None
        if names is None or not set(CSV_COLUMNS) <= set(names):
            raise _bad(path, 1, f"expected the columns {', '.join(CSV_COLUMNS)}")
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except (UnicodeDecodeError, csv.Error) as error:
                raise _bad(path, reader.line_num, f"not an export row: {error}") from None
            yield _csv_entry(path, reader.line_num, row)


def _csv_entry(path: Path, line: int, row: dict[str, str]) -> Entry:
    try:
        disclosures = orjson.loads(row["disclosures"]) if row["disclosures"] else None
        columns: dict[str, Any] = {c: row[c] or None if c == "board" else row[c] for c in COLUMNS}
        if disclosures is not None:
            columns.update(nip=row["nip"], name=row["name"])
        return Entry(
            seq=int(row["seq"]),
            record=row["record"],
            prev_hash=row["prev_hash"],
            chain_hash=row["chain_hash"],
            disclosures=disclosures,
            columns=columns,
        )
    except (orjson.JSONDecodeError, ValueError, TypeError) as error:
        raise _bad(path, line, f"not an export row: {error}") from None
