"""The typed check/explain reports (their JSON); engine/present/views.py turns them into what people read.

Every decision is printed as its ``DecisionRecord`` (what the audit log holds); what is static per
position (texts, thresholds, citations) is printed once beside it as ``RequirementInfo``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from engine.compiler.layout import Expected, Layout, RulesetRef
from engine.decide.pipeline import CheckRun
from engine.decide.record import DecisionRecord
from engine.errors import Problem


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
        return RequirementInfo(
            id=node.req.id,
            kind=node.kind,
            mandatory=node.req.mandatory,
            fact=node.fact or None,
            expected=node.expected,
            basis=node.basis,
            text=node.req.text.get(lang),
            children=tuple(build(c) for c in node.children),
        )

    return tuple(build(i) for i in layout.top)


def check_report(run: CheckRun, lang: str, recorded: Sequence[tuple[int, str]] = ()) -> CheckReport:
    """The shortlist as JSON; ``recorded`` gives (seq, decision id) per decision, in ranking order."""
    if recorded and len(recorded) != len(run.decisions):
        recorded = ()
    entries = []
    for rank, decision in enumerate(run.decisions, 1):
        seq, ident = recorded[rank - 1] if recorded else (None, None)
        entries.append(
            RankedDecision(
                rank=rank,
                seq=seq,
                decision_id=ident,
                passed=decision.passed_count(),
                total=decision.total(),
                decision=DecisionRecord.of(decision),
            )
        )
    layout = run.layout or (run.decisions[0].layout if run.decisions else None)
    return CheckReport(
        as_of=run.as_of,
        position=run.position.id,
        ruleset=RulesetRef(
            id=run.ruleset.id, version=run.ruleset.version, hash=run.ruleset_hash, layers=run.ruleset.layers
        ),
        requirements=requirement_info(layout, lang) if layout else (),
        decisions=tuple(entries),
        problems=tuple(run.problems),
    )


def explain_report(record: DecisionRecord, layout: Layout, lang: str) -> ExplainReport:
    return ExplainReport(
        as_of=record.as_of,
        position=record.position,
        ruleset=record.ruleset,
        requirements=requirement_info(layout, lang),
        passed=record.passed(),
        total=len(record.requirements),
        decision=record,
    )


def report_json(report: BaseModel) -> dict[str, Any]:
    data: dict[str, Any] = report.model_dump(mode="json")
    return data
