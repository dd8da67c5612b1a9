"""The change dossier HR signs: rule changes, case tests of the proposed rules, whom it affects, and hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from engine.audit.canonical import digest
from engine.audit.snapshot import snapshot
from engine.errors import InputError
from engine.load.intake import LoadedCandidate
from engine.load.library import Library, content_hash
from engine.present.i18n import label
from engine.present.render import to_json
from engine.present.tools_view import diff_json
from engine.report.charts import verdict_bars
from engine.report.html import render
from engine.report.rulediff import position_changes, requirement_diff
from engine.report.words import word
from engine.tools.cases import coverage, coverage_percent, load_cases, run_case
from engine.tools.diff import VERDICTS, DiffReport

DOSSIER_VERSION = 1


def population_hash(candidates: Sequence[LoadedCandidate]) -> str:
    """SHA-256 over the sorted content digests of the candidates (file names and order do not matter)."""
    return digest(sorted(digest(snapshot(c.candidate)) for c in candidates))


class Population:
    """``population_hash`` and the count of candidates passing by, their digests sorted on disk (a temporary
    SQLite table), so a population of any size is hashed in bounded memory."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="layak-population-")
        self._db = sqlite3.connect(os.path.join(self._folder.name, "digests.db"), isolation_level=None)
        self._db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; CREATE TABLE d (digest TEXT);")
        self.count = 0

    def add(self, candidates: Iterable[LoadedCandidate]) -> None:
        rows = [(digest(snapshot(c.candidate)),) for c in candidates]
        self.count += len(rows)
        self._db.execute("BEGIN")
        self._db.executemany("INSERT INTO d VALUES (?)", rows)
        self._db.execute("COMMIT")

    def digest(self) -> str:
        # canonical(list of hex strings) is their compact JSON array: hashed as it is read back in order
        out = hashlib.sha256(b"[")
        for n, (found,) in enumerate(self._db.execute("SELECT digest FROM d ORDER BY digest")):
            out.update(b'"' + found.encode() + b'"' if n == 0 else b',"' + found.encode() + b'"')
        out.update(b"]")
        return out.hexdigest()

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path


def cases_part(proposed_dir: Path, library: Library) -> dict[str, Any]:
    """Every case file beside the proposed rules run against them, with requirement-side coverage."""
    try:
        loaded, problems = load_cases(proposed_dir), []
    except InputError as error:  # unreadable case files are part of the evidence, not a reason to stop
        loaded, problems = [], [str(p) for p in error.problems]
    # Failures first: they are what an approver must read.
    results = sorted((run_case(library, case) for case in loaded), key=lambda r: r.passed)
    table = coverage(library, results)
    return {
        "total": len(results),
        "passed": sum(1 for r in results if r.passed),
        "problems": problems,
        "coverage_percent": round(coverage_percent(table), 2),
        "cases": [
            {
                "file": _relative(r.case.file, proposed_dir),
                "index": r.case.index,
                "note": r.case.case.note,
                "position": r.case.position,
                "as_of": r.case.case.as_of.isoformat(),
                "passed": r.passed,
                "differences": r.differences,
            }
            for r in results
        ],
        "uncovered": [
            {
                "position": c.position,
                "ruleset": c.ruleset,
                "requirement": c.requirement,
                "pass_side": c.passed,
                "fail_side": c.failed,
            }
            for c in table
            if not c.covered
        ],
    }


def rules_part(
    base: Library, proposed: Library, positions: Sequence[str], as_of: dt.date, ruleset_id: str | None
) -> list[dict[str, Any]]:
    """Per position class: both rule sets' identities and every requirement added, removed or changed."""
    out = []
    for position_id in positions:
        old = base.for_position(position_id, ruleset_id, as_of)
        new = proposed.for_position(position_id, ruleset_id, as_of)
        out.append(
            {
                "position": position_id,
                "base": {"id": old.id, "version": old.version, "hash": content_hash(old), "layers": list(old.layers)},
                "proposed": {
                    "id": new.id,
                    "version": new.version,
                    "hash": content_hash(new),
                    "layers": list(new.layers),
                },
                "position_changes": [
                    asdict(c) for c in position_changes(old.position(position_id), new.position(position_id))
                ],
                "requirements": [
                    {**asdict(d), "fields": [asdict(f) for f in d.fields]}
                    for d in requirement_diff(position_id, old, new)
                ],
            }
        )
    return out


def causes(report: DiffReport) -> list[dict[str, Any]]:
    """Which requirement changes flipped verdicts, and for how many candidates, per position class."""
    counts: Counter[tuple[str, str, str, str, str, str]] = Counter()
    for flip in report.flips:
        for change in flip.changes:
            counts[
                (
                    flip.position,
                    change.id,
                    change.before.status if change.before else "absent",
                    change.after.status if change.after else "absent",
                    flip.before,
                    flip.after,
                )
            ] += 1
    return [
        {
            "position": p,
            "requirement": r,
            "status_before": sb,
            "status_after": sa,
            "verdict_before": vb,
            "verdict_after": va,
            "candidates": n,
        }
        for (p, r, sb, sa, vb, va), n in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1:]))
    ]


def build(
    base_dir: Path,
    proposed_dir: Path,
    base: Library,
    proposed: Library,
    report: DiffReport,
    candidates: Sequence[LoadedCandidate] | Population,
    ruleset_id: str | None,
    lang: str,
) -> dict[str, Any]:
    """The dossier as one JSON document; the HTML form is rendered from it. No clock is read."""
    positions = [s.position for s in report.summaries]
    population = diff_json(report, lang, str(base_dir), str(proposed_dir))
    rules = rules_part(base, proposed, positions, report.as_of, ruleset_id)
    return {
        "dossier_version": DOSSIER_VERSION,
        "lang": lang,
        "as_of": report.as_of.isoformat(),
        "base": str(base_dir),
        "proposed": str(proposed_dir),
        "ruleset": ruleset_id,
        "hashes": {
            "population": candidates.digest() if isinstance(candidates, Population) else population_hash(candidates),
            "candidates": candidates.count if isinstance(candidates, Population) else len(candidates),
            "rulesets": [
                {"position": r["position"], "base": r["base"]["hash"], "proposed": r["proposed"]["hash"]} for r in rules
            ],
        },
        "rules": rules,
        "cases": cases_part(proposed_dir, proposed),
        "population": {
            "summary": population["summary"],
            "flips": population["flips"],
            "causes": causes(report),
            "changed": population["changed"],
            "problems": population["problems"],
        },
    }


def to_bytes(document: dict[str, Any], fmt: str) -> bytes:
    """The dossier's bytes: the same document gives the same bytes (and so the same SHA-256)."""
    if fmt == "json":
        return (to_json(document) + "\n").encode()
    lang = document["lang"]
    charts = {
        s["position"]: verdict_bars(
            [label(v, lang) for v in VERDICTS],
            [s["before"][v] for v in VERDICTS],
            [s["after"][v] for v in VERDICTS],
            (word("before", lang), word("after", lang)),
        )
        for s in document["population"]["summary"]
    }
    return render("dossier.html.j2", lang, d=document, charts=charts).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
