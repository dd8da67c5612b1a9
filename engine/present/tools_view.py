"""What `validate`, `test` and `diff` show: lint findings, case results and coverage, a population diff."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engine.facts.vocabulary import lookup
from engine.present.i18n import OPS, label, note_text
from engine.present.render import Report, Table
from engine.present.values import shown

if TYPE_CHECKING:  # each command imports the tool it reports on; `validate` needs neither cases nor diff
    from engine.tools.cases import CaseResult, Coverage
    from engine.tools.diff import DiffReport, Side
    from engine.tools.lint import Finding


def validate_report(findings: list[Finding], lang: str) -> Report:
    rows = [
        {
            label("severity", lang): label(f.severity, lang),
            label("where", lang): " ".join(
                filter(None, (f"{f.problem.file}:{f.problem.line or ''}".rstrip(":"), f.problem.path))
            ),
            label("code", lang): str(f.problem.code),
            label("message", lang): f.problem.message,
            label("hint", lang): f.problem.hint,
        }
        for f in findings
    ]
    data = [
        {
            "severity": f.severity,
            "where": f"{f.problem.file}:{f.problem.line or ''}".rstrip(":"),
            "field": f.problem.path,
            "code": str(f.problem.code),
            "message": f.problem.message,
            "hint": f.problem.hint,
        }
        for f in findings
    ]
    return Report(data=data, tables=[Table(rows)] if rows else [])


def test_report(
    results: list[CaseResult], table: list[Coverage], percent: float, lang: str, show_coverage: bool
) -> Report:
    rows = [
        {
            label("result", lang): "PASS" if r.passed else "FAIL",
            label("case", lang): r.case.name,
            label("position", lang): r.case.position,
            label("as_of", lang): r.case.case.as_of.isoformat(),
            label("differences", lang): r.differences,
        }
        for r in results
    ]
    tables = [Table(rows)]
    if show_coverage:
        yes, no = label("yes", lang), label("no", lang).upper()
        tables.append(
            Table(
                [
                    {
                        label("position", lang): c.position,
                        label("ruleset", lang): c.ruleset,
                        label("requirement", lang): c.requirement,
                        label("pass_side", lang): yes if c.passed else no,
                        label("fail_side", lang): yes if c.failed else no if c.can_fail else "n/a",
                    }
                    for c in table
                ],
                title=label("coverage", lang),
            )
        )
    return Report(data=test_json(results, table, percent), tables=tables)


def test_json(results: list[CaseResult], table: list[Coverage], percent: float) -> dict[str, Any]:
    return {
        "passed": sum(1 for r in results if r.passed),
        "failed": sum(1 for r in results if not r.passed),
        "coverage_percent": round(percent, 2),
        "cases": [
            {
                "file": r.case.file,
                "index": r.case.index,
                "line": r.case.line,
                "note": r.case.case.note,
                "position": r.case.position,
                "as_of": r.case.case.as_of.isoformat(),
                "passed": r.passed,
                "differences": r.differences,
                "verdict": r.verdict,
            }
            for r in results
        ],
        "coverage": [
            {
                "position": c.position,
                "ruleset": c.ruleset,
                "requirement": c.requirement,
                "pass_side": c.passed,
                "fail_side": c.failed,
            }
            for c in table
        ],
    }


def _side_json(side: Side | None, lang: str) -> dict[str, Any] | None:
    if side is None:
        return None
    out: dict[str, Any] = {
        "status": side.status,
        "observed": side.observed,
        "mandatory": side.mandatory,
        "expected": side.expected.model_dump() if side.expected else None,
    }
    if side.note:
        out["note"] = note_text(side.note, lang)
        out["note_code"] = side.note.code
    return out


def diff_json(report: DiffReport, lang: str, base: str, proposed: str) -> dict[str, Any]:
    from engine.present.views import problems_json

    return {
        "as_of": report.as_of.isoformat(),
        "base": base,
        "proposed": proposed,
        "changed": report.changed,
        "summary": [
            {
                "position": s.position,
                "candidates": s.candidates,
                "base_ruleset": s.base.model_dump(),
                "proposed_ruleset": s.proposed.model_dump(),
                "before": s.before,
                "after": s.after,
                "flips": [{"from": a, "to": b, "count": n} for (a, b), n in sorted(s.flips.items())],
                "other_changes": s.changed_without_flip,
            }
            for s in report.summaries
        ],
        "flips": [
            {
                "candidate": {"nip": f.candidate.nip, "name": f.candidate.name, "file": f.candidate.file},
                "position": f.position,
                "before": f.before,
                "after": f.after,
                "requirements": [
                    {
                        "id": c.id,
                        "fact": c.fact,
                        "text": c.text.get(lang),
                        "before": _side_json(c.before, lang),
                        "after": _side_json(c.after, lang),
                    }
                    for c in f.changes
                ],
            }
            for f in report.flips
        ],
        "problems": problems_json(report.problems),
    }


def _needs(side: Side | None, fact: str | None, lang: str) -> str:
    if side is None:
        return label("absent", lang)
    if side.expected is None:
        return ""
    return f"{OPS[side.expected.op]} {shown(lookup(fact) if fact else None, side.expected.value, lang)}"


def diff_columns(lang: str) -> list[str]:
    return [
        label(k, lang)
        for k in (
            "position",
            "nip",
            "name",
            "verdict_before",
            "verdict_after",
            "requirement",
            "status",
            "observed",
            "needs_before",
            "needs_after",
        )
    ]


def diff_rows(report: DiffReport, lang: str) -> list[dict[str, Any]]:
    """One row per requirement that changed for a candidate whose verdict changed."""
    rows = []
    for f in report.flips:
        for n, c in enumerate(f.changes or [None]):
            first = n == 0
            row = {
                label("position", lang): f.position if first else "",
                label("nip", lang): f.candidate.nip if first else "",
                label("name", lang): f.candidate.name if first else "",
                label("verdict_before", lang): label(f.before, lang) if first else "",
                label("verdict_after", lang): label(f.after, lang) if first else "",
                label("requirement", lang): "",
                label("status", lang): "",
                label("observed", lang): "",
                label("needs_before", lang): "",
                label("needs_after", lang): "",
            }
            if c is not None:
                spec = lookup(c.fact) if c.fact else None
                seen = [shown(spec, s.observed, lang) for s in (c.before, c.after) if s is not None]
                row.update(
                    {
                        label("requirement", lang): c.id,
                        label("status", lang): " → ".join(
                            label(s.status, lang) if s else label("absent", lang) for s in (c.before, c.after)
                        ),
                        label("observed", lang): seen[0] if len(set(seen)) == 1 else " → ".join(seen),
                        label("needs_before", lang): _needs(c.before, c.fact, lang),
                        label("needs_after", lang): _needs(c.after, c.fact, lang),
                    }
                )
            rows.append(row)
    return rows


def diff_summary_rows(report: DiffReport, lang: str) -> list[dict[str, Any]]:
    """Per position class: candidates, each verdict before → after, verdict changes by direction."""
    from engine.tools.diff import VERDICTS

    rows = []
    for s in report.summaries:
        row: dict[str, Any] = {label("position", lang): s.position, label("candidates", lang): s.candidates}
        for verdict in VERDICTS:
            row[label(verdict, lang)] = f"{s.before[verdict]} → {s.after[verdict]}"
        row[label("flips", lang)] = (
            "; ".join(f"{label(a, lang)} → {label(b, lang)}: {n}" for (a, b), n in sorted(s.flips.items())) or "0"
        )
        row[label("other_changes", lang)] = s.changed_without_flip
        rows.append(row)
    return rows


def diff_summary_line(report: DiffReport, lang: str) -> str:
    """'2000 candidates, 1 position class on 2026-12-01: 37 verdicts change'."""
    people = label("n_candidates", lang, n=max((s.candidates for s in report.summaries), default=0))
    classes = label("n_classes", lang, n=len(report.summaries))
    return f"{people}, {classes} {label('on_date', lang, date=report.as_of)}: " + label(
        "n_flips", lang, n=len(report.flips)
    )


def diff_report(report: DiffReport, lang: str, base: str, proposed: str) -> Report:
    """The candidates whose verdict changes (omitted when none do), then the summary per position class."""
    changes = Table(diff_rows(report, lang), title=label("flips", lang), headers=diff_columns(lang))
    summary = Table(diff_summary_rows(report, lang), title=label("diff_summary", lang))
    return Report(data=diff_json(report, lang, base, proposed), tables=[*([changes] if report.flips else []), summary])
