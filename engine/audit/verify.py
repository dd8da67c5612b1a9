"""Checking a log (stored or exported): sequence, chain, record contents, sealed values, stored rulesets."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from engine.audit.canonical import canonical, sha256_hex
from engine.audit.record import GENESIS, RECORD_VERSION, chain_hash, dossier_problem, sealed_problems
from engine.audit.versions import unknown_version
from engine.errors import InputError, Problem

MAX_LISTED = 50  # problems kept for the report; all are counted
SPILL_AFTER = 10_000  # decision ids an export's verification keeps in memory; past that they go to a file
# Query columns and where the record holds the same value.
COLUMNS: dict[str, tuple[str, ...]] = {
    "decision_id": ("decision_id",),
    "recorded_at": ("recorded_at",),
    "board": ("board",),
    "actor": ("actor",),
    "as_of": ("decision", "as_of"),
    "position": ("decision", "position"),
    "verdict": ("decision", "verdict"),
    "ruleset_hash": ("decision", "ruleset", "hash"),
}


@dataclass(frozen=True)
class Entry:
    """One record as read from a store or an export; ``disclosures`` is None when redacted."""

    seq: int
    record: str
    prev_hash: str
    chain_hash: str
    disclosures: Mapping[str, Any] | None
    columns: Mapping[str, Any]


@dataclass(frozen=True)
class Finding:
    """Something wrong at one sequence number, as a code with arguments (rendered per language)."""

    seq: int
    code: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class Report:
    """The outcome of a verification."""

    records: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    findings: list[Finding] = field(default_factory=list)
    found: int = 0

    @property
    def ok(self) -> bool:
        return self.found == 0

    @property
    def first_bad(self) -> int | None:
        return min((f.seq for f in self.findings), default=None)

    def add(self, seq: int, code: str, **args: Any) -> None:
        self.found += 1
        if len(self.findings) < MAX_LISTED:
            self.findings.append(Finding(seq, code, args))


def parse_head(text: str) -> tuple[int, str]:
    """``SEQ:HASH`` as written by ``audit head``; raises InputError otherwise."""
    seq, _, digest = text.partition(":")
    digest = digest.strip().lower()
    if not seq.strip().isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise InputError(
            [Problem(code="bad_head", message=f"expected SEQ:HASH as printed by `layak audit head`, got {text!r}")]
        )
    return int(seq), digest


class _Rulesets:
    def __init__(self, bodies: Mapping[str, str] | None) -> None:
        self.bodies = bodies
        self.actual: dict[str, str | None] = {}

    def check(self, report: Report, seq: int, digest: str) -> None:
        if self.bodies is None:  # an export without rulesets (CSV)
            return
        if digest not in self.actual:
            body = self.bodies.get(digest)
            try:
                self.actual[digest] = None if body is None else sha256_hex(canonical(orjson.loads(body)))
            except orjson.JSONDecodeError:
                self.actual[digest] = "unreadable"
        actual = self.actual[digest]
        if actual is None:
            report.add(seq, "ruleset_missing", hash=digest)
        elif actual != digest:
            report.add(seq, "ruleset_changed", hash=digest, actual=actual)


def verify(
    entries: Iterable[Entry],
    rulesets: Mapping[str, str] | None,
    expect_head: tuple[int, str] | None = None,
    duplicates: Mapping[int, tuple[str, int]] | None = None,
    spill_after: int | None = None,
) -> Report:
    """Walk the log in order; every finding is listed with the sequence number it is first seen at.

    Memory stays flat whatever the length of the log: a store finds the decision ids used twice itself
    (``duplicates``: seq → (id, seq of its first use)); for an export the ids seen are remembered, past
    ``spill_after`` of them (default ``SPILL_AFTER``) in a temporary file.
    """
    report = Report()
    stored = _Rulesets(rulesets)
    remembered = SeenIds(spill_after) if duplicates is None else None
    earlier = _found(duplicates) if duplicates is not None else remembered
    assert earlier is not None
    try:
        _walk(report, stored, entries, expect_head, earlier)
    finally:
        if remembered is not None:
            remembered.close()
    return report


def _walk(
    report: Report,
    stored: _Rulesets,
    entries: Iterable[Entry],
    expect_head: tuple[int, str] | None,
    earlier: Earlier,
) -> None:
    expected, prev = 1, GENESIS
    head_checked = False
    for entry in entries:
        seq = entry.seq
        report.records += 1
        if seq > expected:
            report.add(expected, "missing", before=expected - 1, after=seq)
        elif seq < expected:
            report.add(seq, "out_of_order", before=expected - 1)
        if entry.prev_hash != prev:
            report.add(seq, "chain_broken", before=seq - 1)
        _check_record(report, stored, entry, earlier)
        if expect_head is not None and seq == expect_head[0]:
            head_checked = True
            if entry.chain_hash != expect_head[1]:
                report.add(seq, "head_mismatch", expected=expect_head[1])
        prev, expected = entry.chain_hash, max(expected, seq + 1)
        report.head_seq, report.head_hash = seq, entry.chain_hash
    if expect_head is not None and not head_checked:
        report.add(report.head_seq + 1, "truncated", last=report.head_seq, expected=expect_head[0])


Earlier = Callable[[str, int], int | None]  # (decision id, seq) → the seq it was first used at, if before


class SeenIds:
    """Decision id → seq of its first use, for an export (a store finds its duplicates itself).

    The first ``limit`` ids sit in a dict; past that every id goes to an SQLite table in a temporary file, so
    an export of any length is verified in bounded memory (a million ids held in a dict cost over 100 MB).
    """

    def __init__(self, limit: int | None = None) -> None:
        self.limit = SPILL_AFTER if limit is None else limit
        self.held: dict[str, int] = {}
        self.spill: Any = None  # the temporary folder, once spilled
        self.db: sqlite3.Connection | None = None

    def __call__(self, decision_id: str, seq: int) -> int | None:
        found = self.held.get(decision_id)
        if found is None and self.db is not None:
            row = self.db.execute("SELECT seq FROM seen WHERE id = ?", (decision_id,)).fetchone()
            found = None if row is None else int(row[0])
        if found is not None:
            return found
        self.held[decision_id] = seq
        if len(self.held) >= self.limit:
            self._flush()
        return None

    def _flush(self) -> None:
        if self.db is None:
            self.spill = tempfile.TemporaryDirectory(prefix="layak-verify-")
            self.db = sqlite3.connect(os.path.join(self.spill.name, "ids.db"), isolation_level=None)
            self.db.executescript(
                "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-4096;"
                "CREATE TABLE seen (id TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;"
            )
        self.db.execute("BEGIN")
        self.db.executemany("INSERT INTO seen VALUES (?, ?)", self.held.items())
        self.db.execute("COMMIT")
        self.held.clear()

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
        if self.spill is not None:
            self.spill.cleanup()
            self.spill = None


def _found(duplicates: Mapping[int, tuple[str, int]]) -> Earlier:
    def earlier(decision_id: str, seq: int) -> int | None:
        found = duplicates.get(seq)
        return found[1] if found is not None and found[0] == decision_id else None

    return earlier


def _check_record(report: Report, stored: _Rulesets, entry: Entry, earlier: Earlier) -> None:
    seq = entry.seq
    try:
        record = orjson.loads(entry.record)
    except orjson.JSONDecodeError:
        report.add(seq, "unreadable")
        return
    if not isinstance(record, dict):
        report.add(seq, "unreadable")
        return
    if chain_hash(entry.prev_hash, canonical(record)) != entry.chain_hash:
        report.add(seq, "content_changed")
    version = unknown_version(record)
    if version is not None:  # its contents may mean something else: the chain is checked, nothing more
        report.add(seq, "too_new", version=version, known=RECORD_VERSION)
        return
    if record.get("seq") != seq:
        report.add(seq, "moved", claimed=record.get("seq"))
    decision_id = str(record.get("decision_id"))
    other = earlier(decision_id, seq)
    if other is not None:
        report.add(seq, "duplicate_id", id=decision_id, other=other)
    for column, value in entry.columns.items():
        path = COLUMNS.get(column)
        held = _at(record, path) if path else _disclosed(entry.disclosures, column)
        if (path or entry.disclosures is not None) and value != held:
            report.add(seq, "column_changed", column=column, found=value, expected=held)
    if entry.disclosures is not None:
        bad = sealed_problems(record, entry.disclosures)
        if bad:
            report.add(seq, "personal_changed", fields="; ".join(bad))
        changed = dossier_problem(record, entry.disclosures)
        if changed is not None:  # the dossier disclosed is not the one whose hash the record holds
            report.add(seq, "dossier_changed", hash=changed[0], actual=changed[1])
    digest = _at(record, COLUMNS["ruleset_hash"])
    stored.check(report, seq, str(digest))


def _disclosed(disclosures: Mapping[str, Any] | None, column: str) -> Any:
    value = (disclosures or {}).get(column)
    return value[1] if isinstance(value, list) and len(value) == 2 else None


def _at(tree: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        tree = tree.get(key) if isinstance(tree, dict) else None
    return tree


def entry_of_row(row: Mapping[str, Any]) -> Entry:
    """A stored row as an entry: every query column is checked against the record."""
    try:
        disclosures = orjson.loads(row["personal"])
    except orjson.JSONDecodeError:
        disclosures = {}
    columns = {name: row[name] for name in (*COLUMNS, "nip", "name")}
    return Entry(
        seq=int(row["seq"]),
        record=row["record"],
        prev_hash=row["prev_hash"],
        chain_hash=row["chain_hash"],
        disclosures=disclosures if isinstance(disclosures, dict) else {},
        columns=columns,
    )
