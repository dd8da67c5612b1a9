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

from engine.audit.record import PERSONAL_FIELDS
from engine.audit.verify import COLUMNS, Entry
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
    """What an auditor still needs of the sealed birth date and TMT CPNS: age in years, service in months."""
    out: dict[str, int | None] = {"age_years": None, "service_months": None}
    try:
        as_of = dt.date.fromisoformat(record["decision"]["as_of"])
    except (KeyError, TypeError, ValueError):
        return out
    for name, key, per in (("age_years", "birth_date", 12), ("service_months", "tmt_cpns", 1)):
        disclosure = disclosures.get(f"candidate/snapshot/{key}") or [None, None]
        try:
            out[name] = _whole_months(dt.date.fromisoformat(disclosure[1]), as_of) // per
        except (TypeError, ValueError):
            continue
    return out


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


def read_export(path: Path) -> tuple[list[Entry], dict[str, str] | None]:
    """The entries of an export file and, for JSON Lines, its rulesets (CSV exports carry none)."""
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError([Problem(code="export_unreadable", file=str(path), message=str(error))]) from None
    if content.lstrip().startswith("{"):
        return _read_jsonl(path, content)
    return _read_csv(path, content), None


def _bad(path: Path, line: int, message: str) -> InputError:
    return InputError([Problem(code="export_unreadable", file=str(path), line=line, message=message)])


def _read_jsonl(path: Path, content: str) -> tuple[list[Entry], dict[str, str]]:
    entries: list[Entry] = []
    rulesets: dict[str, str] = {}
    for number, text in enumerate(content.splitlines(), 1):
        if not text.strip():
            continue
        try:
            line = orjson.loads(text)
            kind = line["kind"]
            if kind == "ruleset":
                rulesets[line["hash"]] = orjson.dumps(line["body"]).decode()
            elif kind == "decision":
                disclosures = line.get("disclosures")
                entries.append(
                    Entry(
                        seq=int(line["seq"]),
                        record=orjson.dumps(line["record"]).decode(),
                        prev_hash=line["prev_hash"],
                        chain_hash=line["chain_hash"],
                        disclosures=disclosures,
                        columns={"decision_id": line["decision_id"]},
                    )
                )
            elif kind != "header":
                raise ValueError(f"unknown kind {kind!r}")
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise _bad(path, number, f"not an export line: {error}") from None
    return entries, rulesets


def _read_csv(path: Path, content: str) -> list[Entry]:
    reader = csv.DictReader(io.StringIO(content))
    if reader.fieldnames is None or not set(CSV_COLUMNS) <= set(reader.fieldnames):
        raise _bad(path, 1, f"expected the columns {', '.join(CSV_COLUMNS)}")
    entries = []
    for row in reader:
        try:
            disclosures = orjson.loads(row["disclosures"]) if row["disclosures"] else None
            columns: dict[str, Any] = {c: row[c] or None if c == "board" else row[c] for c in COLUMNS}
            if disclosures is not None:
                columns.update(nip=row["nip"], name=row["name"])
            entries.append(
                Entry(
                    seq=int(row["seq"]),
                    record=row["record"],
                    prev_hash=row["prev_hash"],
                    chain_hash=row["chain_hash"],
                    disclosures=disclosures,
                    columns=columns,
                )
            )
        except (orjson.JSONDecodeError, ValueError) as error:
            raise _bad(path, reader.line_num, f"not an export row: {error}") from None
    return entries
