"""Showing decisions: the requirement rows of `explain` and `audit show`, and the typed check/explain JSON.

Every decision is printed as its ``DecisionRecord`` (what the audit log holds); what is static per
position (texts, thresholds, citations) is printed once beside it as ``RequirementInfo``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from engine.compiler.layout import Expected, Layout, Outcome, RulesetRef
from engine.decide.pipeline import CheckRun
from engine.decide.record import DecisionRecord
from engine.errors import Problem
from engine.facts.vocabulary import lookup
from engine.present.i18n import OPS, gap_text, label, note_text, shown


class _Shown(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RequirementInfo(_Shown):
    """What the ruleset says about one requirement of a position: the same for every candidate."""

    id: str
    kind: Literal["check", "any_of", "all_of"]
    mandatory: bool
    fact: str | None = None
    expected: Expected | None = None
    basis: str
    text: str
    children: tuple[RequirementInfo, ...] = ()


class RankedDecision(_Shown):
    """One decision of a shortlist: its place, where it is recorded, and the record itself."""

    rank: int
    seq: int | None = None  # None with --no-record
    decision_id: str | None = None
    passed: int
    total: int
    decision: DecisionRecord


class CheckReport(_Shown):
    """`layak check --format json`."""

    as_of: dt.date
    position: str
    ruleset: RulesetRef
    requirements: tuple[RequirementInfo, ...]
    decisions: tuple[RankedDecision, ...]
    problems: tuple[Problem, ...] = ()


class ExplainReport(_Shown):
    """`layak explain --format json`, before the what-if section is added."""

    as_of: dt.date
    position: str
    ruleset: RulesetRef
    requirements: tuple[RequirementInfo, ...]
    passed: int
    total: int
    decision: DecisionRecord


def requirement_info(layout: Layout, lang: str) -> tuple[RequirementInfo, ...]:
    """The static half of every requirement of ``layout``'s position, children nested."""

    def build(index: int) -> RequirementInfo:
        node = layout.nodes[index]
        return RequirementInfo(id=node.req.id, kind=node.kind, mandatory=node.req.mandatory, fact=node.fact or None,
                               expected=node.expected, basis=node.basis, text=node.req.text.get(lang),
                               children=tuple(build(c) for c in node.children))

    return tuple(build(i) for i in layout.top)


def check_report(run: CheckRun, lang: str, recorded: Sequence[tuple[int, str]] = ()) -> CheckReport:
    """The shortlist as JSON; ``recorded`` gives (seq, decision id) per decision, in ranking order."""
    if recorded and len(recorded) != len(run.decisions):
        recorded = ()
    entries = []
    for rank, decision in enumerate(run.decisions, 1):
        seq, ident = recorded[rank - 1] if recorded else (None, None)
        entries.append(RankedDecision(rank=rank, seq=seq, decision_id=ident, passed=decision.passed_count(),
                                      total=decision.total(), decision=DecisionRecord.of(decision)))
    layout = run.layout or (run.decisions[0].layout if run.decisions else None)
    return CheckReport(as_of=run.as_of, position=run.position.id,
                       ruleset=RulesetRef(id=run.ruleset.id, version=run.ruleset.version, hash=run.ruleset_hash,
                                          layers=run.ruleset.layers),
                       requirements=requirement_info(layout, lang) if layout else (), decisions=tuple(entries),
                       problems=tuple(run.problems))


def explain_report(record: DecisionRecord, layout: Layout, lang: str) -> ExplainReport:
    return ExplainReport(as_of=record.as_of, position=record.position, ruleset=record.ruleset,
                         requirements=requirement_info(layout, lang), passed=record.passed(),
                         total=len(record.requirements), decision=record)


def report_json(report: BaseModel) -> dict[str, Any]:
    data: dict[str, Any] = report.model_dump(mode="json")
    return data


def requirement_rows(outcomes: Sequence[Outcome], lang: str, anchors: dict[str, dt.date] | None = None,
                     as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """Per requirement (children indented): status, has, needs, gap or reason, basis, description. With the days
    running service facts count from (``Facts.anchors``), a shortfall is exact to the day."""
    rows: list[dict[str, Any]] = []
    anchors = anchors or {}

    def add(o: Outcome, depth: int) -> None:
        spec = lookup(o.fact) if o.fact else None
        expected = (f"{OPS[o.expected.op]} {shown(spec, o.expected.value, lang)}" if o.expected else "")
        detail = note_text(o.note, lang)
        if o.status == "fail" and o.expected and o.observed is not None:
            detail = gap_text(spec, o.expected.op, o.observed, o.expected.value, lang,
                              anchor=anchors.get(o.fact or ""), as_of=as_of)
        marker = ("  " * depth + "└ ") if depth else ""
        rows.append({
            label("requirement", lang): marker + o.id, label("status", lang): label(o.status, lang),
            label("observed", lang): shown(spec, o.observed, lang), label("expected", lang): expected,
            label("gap", lang): detail, label("basis", lang): o.basis if not depth else "",
            label("description", lang): o.text.get(lang)})
        for child in o.children:
            add(child, depth + 1)

    for outcome in outcomes:
        add(outcome, 0)
    return rows


def decision_header(record: DecisionRecord, lang: str, recorded: str = "") -> str:
    """'Siti Rahma (1982…) → administrator: ELIGIBLE', ``recorded`` (where it is logged), then date and rules."""
    ruleset = record.ruleset
    lines = [f"{record.candidate.name} ({record.candidate.nip}) → {record.position}: "
             f"{label(record.verdict, lang).upper()}"]
    if recorded:
        lines.append(recorded)
    lines.append(f"{label('as_of', lang)} {record.as_of}; {label('ruleset', lang)} {ruleset.id} {ruleset.version} "
                 f"({ruleset.hash[:12]}); {label('passed', lang)} {record.passed()}/{len(record.requirements)}")
    return "\n".join(lines)


SHOWN_FAILING = 3  # the table stays readable; JSON and explain list them all


def check_rows(run: CheckRun, lang: str) -> list[dict[str, Any]]:
    rows = []
    for i, d in enumerate(run.decisions, 1):
        open_items = [f"{o.id} ({label(o.status, lang)})" for o in d.failing()]
        failing = ", ".join(open_items[:SHOWN_FAILING])
        if len(open_items) > SHOWN_FAILING:
            failing += f" +{len(open_items) - SHOWN_FAILING} " + ("more" if lang == "en" else "lainnya")
        jpm = d.facts.values.get("jpm")
        rows.append({
            label("rank", lang): i, label("nip", lang): d.candidate.nip, label("name", lang): d.candidate.name,
            label("verdict", lang): label(d.verdict, lang),
            label("passed", lang): f"{d.passed_count()}/{len(d.requirements)}",
            label("jpm", lang): f"{jpm:.2f}" if jpm is not None else "",
            label("golongan", lang): d.facts.values.get("golongan", ""),
            label("failing", lang): failing})
    return rows


def summary_line(run: CheckRun, lang: str) -> str:
    """'20 candidates for administrator on 2026-12-01: 9 eligible, 4 needs review, 7 not eligible'."""
    counts = {v: sum(1 for d in run.decisions if d.verdict == v) for v in ("eligible", "needs_review", "not_eligible")}
    parts = ", ".join(f"{n} {label(v, lang)}" for v, n in counts.items())
    if lang == "id":
        return f"{len(run.decisions)} kandidat untuk {run.position.id} per {run.as_of}: {parts}"
    return f"{len(run.decisions)} candidates for {run.position.id} on {run.as_of}: {parts}"


def shortfall_anchors(record: dict[str, Any], as_of: dt.date) -> dict[str, dt.date]:
    """For a recorded decision, the days its running service facts count from, re-derived from the candidate
    snapshot it was decided on (display only: a shortfall to the day, as `explain` showed it)."""
    from pydantic import ValidationError

    from engine.audit.snapshot import revive
    from engine.facts.derive import derive

    try:
        return derive(revive(record["candidate"]["snapshot"]), as_of).anchors
    except (KeyError, TypeError, ValidationError):
        return {}
