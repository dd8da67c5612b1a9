"""What `layak facts --out` and `layak sweep` print: the facts table written, the threshold sweep."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from engine.facts.table import Built
from engine.present.i18n import LABELS, label
from engine.present.render import Report, Table
from engine.present.tools_view import diff_columns, diff_json, diff_rows
from engine.present.views import problems_json
from engine.tools.diff import VERDICTS, DiffReport
from engine.tools.sweep import CrossChecked, SweepReport

LABELS.update(
    {
        "facts_table": ("facts table", "tabel fakta"),
        "rows": ("rows", "baris"),
        "unreadable_rows": ("dossiers with problems", "berkas bermasalah"),
        "content_hash": ("content hash", "hash isi"),
        "value": ("value", "nilai"),
        "current": ("current", "berlaku"),
        "sweep": ("threshold sweep", "uji ambang batas"),
        "sweep_changes": ("verdict changes against the current value", "perubahan keputusan terhadap nilai berlaku"),
        "cross_checked": (
            "cross-check: {n} sampled decision(s) ({percent} %) re-decided on durable-rules, all identical "
            "(seed {seed}; repeat with --seed {seed})",
            "pemeriksaan silang: {n} keputusan sampel ({percent} %) diputus ulang dengan durable-rules, semua sama "
            "(seed {seed}; ulangi dengan --seed {seed})",
        ),
    }
)


def facts_table_report(out: Path, as_of: dt.date, built: Built, lang: str) -> Report:
    data: dict[str, Any] = {
        "out": str(out),
        "as_of": as_of.isoformat(),
        "rows": built.rows,
        "unreadable": len({p.file for p in built.problems}),
        "content_hash": built.content_hash,
        "problems": problems_json(built.problems),
    }
    header = [
        (label("facts_table", lang), str(out)),
        (label("as_of", lang), as_of.isoformat()),
        (label("rows", lang), str(built.rows)),
        (label("unreadable_rows", lang), str(data["unreadable"])),
        (label("content_hash", lang), built.content_hash),
    ]
    return Report(data=data, header=header)


def cross_check_line(check: CrossChecked, lang: str) -> str:
    return label("cross_checked", lang, n=check.checked, percent=f"{check.percent:g}", seed=check.seed)


def _written(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def sweep_json(report: SweepReport, lang: str) -> dict[str, Any]:
    return {
        "as_of": report.as_of.isoformat(),
        "position": report.position,
        "requirement": report.requirement,
        "fact": report.fact,
        "op": report.op,
        "current": report.current,
        "steps": [
            {
                "value": step.value,
                "current": step.current,
                "counts": step.counts,
                "candidates": step.summary.candidates,
                "changes": [{"from": a, "to": b, "count": n} for (a, b), n in sorted(step.summary.flips.items())],
                "flips": diff_json(DiffReport(as_of=report.as_of, summaries=[], flips=step.flips), lang, "", "")[
                    "flips"
                ],
            }
            for step in report.steps
        ],
        "problems": problems_json(report.problems),
    }


def sweep_report(report: SweepReport, lang: str) -> Report:
    """Per value its verdict counts and changes against the current value; then, per value, who changes."""
    rows = []
    for step in report.steps:
        row: dict[str, Any] = {
            label("value", lang): _written(step.value) + (f" ({label('current', lang)})" if step.current else ""),
        }
        for verdict in VERDICTS:
            row[label(verdict, lang)] = step.counts[verdict]
        row[label("flips", lang)] = (
            "; ".join(f"{label(a, lang)} → {label(b, lang)}: {n}" for (a, b), n in sorted(step.summary.flips.items()))
            or "0"
        )
        rows.append(row)
    tables = [Table(rows, title=label("sweep", lang))]
    for step in report.steps:
        if step.flips:
            changes = diff_rows(DiffReport(as_of=report.as_of, summaries=[], flips=step.flips), lang)
            title = f"{report.requirement} = {_written(step.value)}: {label('sweep_changes', lang)}"
            tables.append(Table(changes, title=title, headers=diff_columns(lang)))
    header = [
        (label("as_of", lang), report.as_of.isoformat()),
        (label("position", lang), report.position),
        (label("requirement", lang), f"{report.requirement} ({report.fact} {report.op} {_written(report.current)})"),
    ]
    return Report(data=sweep_json(report, lang), header=header, tables=tables)
