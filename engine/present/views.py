"""What `check` and `explain` print: the typed reports of engine/present/decisions.py as a Report (render.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from engine.compiler.layout import Outcome
from engine.decide.decision import Decision
from engine.decide.pipeline import CheckRun
from engine.decide.record import DecisionRecord
from engine.errors import Problem
from engine.facts.derive import Facts
from engine.facts.vocabulary import lookup
from engine.present.decisions import check_report, explain_report, report_json
from engine.present.i18n import OPS, label, note_text
from engine.present.render import Report, Table
from engine.present.values import gap_text, shown

if TYPE_CHECKING:
    from engine.decide.decision import Decision
    from engine.tools.whatif import WhatIf


def facts_json(f: Facts, lang: str) -> dict[str, Any]:
    values = {name: _fact_display(name, v) for name, v in sorted(f.values.items())}
    return {
        "as_of": f.as_of.isoformat(),
        "values": values,
        "missing": {k: note_text(v, lang) for k, v in sorted(f.missing.items())},
        "invalid": {k: note_text(v, lang) for k, v in sorted(f.invalid.items())},
    }


def _fact_display(name: str, value: Any) -> Any:
    from engine.facts.vocabulary import display

    spec = lookup(name)
    return display(spec, value) if spec else value


def problems_json(problems: list[Problem]) -> list[dict[str, Any]]:
    return [p.model_dump() for p in problems]


def check_output(run: CheckRun, lang: str, recorded: Sequence[tuple[int, str]] = ()) -> Report:
    """The ranked shortlist; the requirements not met are a list (a table shows the first few)."""
    rows = [check_row(d, i, lang) for i, d in enumerate(run.decisions, 1)]
    return Report(
        data=report_json(check_report(run, lang, recorded)), tables=[Table(rows, headers=check_columns(lang))]
    )


def check_row(d: Decision, rank: int, lang: str) -> dict[str, Any]:
    """One shortlist row (a streamed check builds them batch by batch).

    Read from the decision's top-level statuses and the layout's ids rather than its outcomes (building those
    cost more than the rest of the row); a test checks the row equals the one read from ``d.requirements``.
    """
    layout = d.layout
    statuses = d.statuses
    if len(statuses) != len(layout.nodes):
        return _row_of_outcomes(d, rank, lang)
    ids, top = layout.ids, layout.top
    shown = {status: label(status, lang) for status in {statuses[i] for i in top}}
    failing = [f"{ids[i]} ({shown[statuses[i]]})" for i in top if statuses[i] != "pass" and statuses[i] != "waived"]
    return _row(d, rank, lang, len(top), failing)


def _row_of_outcomes(d: Decision, rank: int, lang: str) -> dict[str, Any]:
    """``check_row`` through the decision's outcomes (which refuse a decision that does not fit its layout)."""
    return _row(d, rank, lang, len(d.requirements), [f"{o.id} ({label(o.status, lang)})" for o in d.failing()])


def _row(d: Decision, rank: int, lang: str, total: int, failing: list[str]) -> dict[str, Any]:
    values = d.facts.values
    jpm = values.get("jpm")
    return {
        label("rank", lang): rank,
        label("nip", lang): d.candidate.nip,
        label("name", lang): d.candidate.name,
        label("verdict", lang): label(d.verdict, lang),
        label("passed", lang): f"{d.passed_count()}/{total}",
        label("jpm", lang): f"{jpm:.2f}" if jpm is not None else "",
        label("golongan", lang): values.get("golongan", ""),
        label("failing", lang): failing,
    }


def check_columns(lang: str) -> list[str]:
    return [label(k, lang) for k in ("rank", "nip", "name", "verdict", "passed", "jpm", "golongan", "failing")]


def decision_header(record: DecisionRecord, lang: str) -> list[tuple[str, str]]:
    """Who, the position, the verdict, the as-of date and the ruleset: the first lines of explain and audit show."""
    ruleset = record.ruleset
    return [
        (label("candidate", lang), f"{record.candidate.name} ({record.candidate.nip})"),
        (label("position", lang), record.position),
        (label("verdict", lang), label(record.verdict, lang)),
        (label("as_of", lang), record.as_of.isoformat()),
        (label("ruleset", lang), f"{ruleset.id} {ruleset.version} ({ruleset.hash[:12]})"),
        (label("passed", lang), f"{record.passed()}/{len(record.requirements)}"),
    ]


def requirement_table(
    outcomes: Sequence[Outcome], lang: str, anchors: dict[str, dt.date] | None = None, as_of: dt.date | None = None
) -> Table:
    """Per requirement (children nested): status, has, needs, gap or reason, basis, description. With the days
    running service facts count from (``Facts.anchors``), a shortfall is exact to the day."""
    rows: list[dict[str, Any]] = []
    anchors = anchors or {}

    def add(o: Outcome, depth: int, path: str) -> None:
        spec = lookup(o.fact) if o.fact else None
        expected = f"{OPS[o.expected.op]} {shown(spec, o.expected.value, lang)}" if o.expected else ""
        detail = note_text(o.note, lang)
        if o.status == "fail" and o.expected and o.observed is not None:
            detail = gap_text(
                spec, o.expected.op, o.observed, o.expected.value, lang, anchor=anchors.get(o.fact or ""), as_of=as_of
            )
        rows.append(
            {
                "_depth": depth,
                "_path": path,
                label("requirement", lang): o.id,
                label("status", lang): label(o.status, lang),
                label("observed", lang): shown(spec, o.observed, lang),
                label("expected", lang): expected,
                label("gap", lang): detail,
                label("basis", lang): o.basis if not depth else "",
                label("description", lang): o.text.get(lang),
            }
        )
        for child in o.children:
            add(child, depth + 1, f"{path}/{child.id}")

    for outcome in outcomes:
        add(outcome, 0, outcome.id)
    return Table(rows)


def explain_output(decision: Decision, whatif: WhatIf, lang: str) -> Report:
    from engine.present.whatif_view import whatif_json, whatif_lines, whatif_table

    record = DecisionRecord.of(decision)
    changes = whatif_table(whatif, lang)
    return Report(
        data={**report_json(explain_report(record, decision.layout, lang)), "what_if": whatif_json(whatif, lang)},
        header=decision_header(record, lang),
        tables=[
            requirement_table(decision.requirements, lang, decision.facts.anchors, decision.as_of),
            *([changes] if changes.rows else []),
        ],
        lines=whatif_lines(whatif, lang),
    )


def summary_line(run: CheckRun, lang: str) -> str:
    """'20 candidates for administrator on 2026-12-01: 9 eligible, 4 needs review, 7 not eligible'."""
    counts = {v: sum(1 for d in run.decisions if d.verdict == v) for v in ("eligible", "needs_review", "not_eligible")}
    return summary_text(counts, run.position.id, run.as_of, lang)


def summary_text(counts: Mapping[str, int], position: str, as_of: dt.date, lang: str) -> str:
    """The summary line from verdict counts (a streamed check keeps only those)."""
    verdicts = ("eligible", "needs_review", "not_eligible")
    parts = ", ".join(f"{counts.get(v, 0)} {label(v, lang)}" for v in verdicts)
    return label("check_summary", lang, n=sum(counts.values()), position=position, as_of=as_of, parts=parts)
