"""Whom a rule change affects: a population decided under two rule directories, verdict by verdict."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from engine.compiler.layout import Expected, RulesetRef, Status
from engine.decide.decision import CandidateRef, Decision, Verdict
from engine.decide.pipeline import Backend, CheckRun, check_with
from engine.errors import InputError, Problem
from engine.facts.derive import Note
from engine.facts.vocabulary import display
from engine.load.intake import LoadedCandidate
from engine.load.library import Library
from engine.load.rulefile import Ruleset, Text

VERDICTS: tuple[Verdict, ...] = ("eligible", "needs_review", "not_eligible")


@dataclass(frozen=True)
class Side:
    """One requirement as one rule set decided it for one candidate."""

    status: Status
    observed: Any  # as JSON shows it: durations in ISO 8601, decimals as numbers
    expected: Expected | None
    mandatory: bool
    note: Note | None


@dataclass(frozen=True)
class RequirementChange:
    """A requirement whose status (or whether it binds) differs; ``None`` = absent from that rule set."""

    id: str
    fact: str | None
    text: Text
    before: Side | None
    after: Side | None


@dataclass(frozen=True)
class Flip:
    """A candidate whose verdict differs between the two rule sets, and the requirements that made it."""

    candidate: CandidateRef
    position: str
    before: Verdict
    after: Verdict
    changes: tuple[RequirementChange, ...]


@dataclass(frozen=True)
class PositionSummary:
    """Counts per verdict before and after, and flips per direction, for one position class."""

    position: str
    base: RulesetRef
    proposed: RulesetRef
    candidates: int
    before: dict[Verdict, int]
    after: dict[Verdict, int]
    flips: dict[tuple[Verdict, Verdict], int]
    changed_without_flip: int  # a requirement's status changed, the verdict did not


@dataclass
class DiffReport:
    as_of: dt.date
    summaries: list[PositionSummary]
    flips: list[Flip]
    problems: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.flips)


def _sides(decision: Decision) -> dict[str, tuple[Side, str | None, Text]]:
    """Every requirement of a decision (children too) by id: its side, fact and text."""
    layout = decision.layout
    out = {}
    for index, node in enumerate(layout.nodes):
        value = decision.observed[index]
        shown = None if value is None or node.spec is None else display(node.spec, value)
        side = Side(
            status=decision.statuses[index],
            observed=shown,
            expected=node.expected,
            mandatory=node.req.mandatory,
            note=decision.notes[index],
        )
        out[node.req.id] = (side, node.fact or None, node.req.text)
    return out


def requirement_changes(before: Decision, after: Decision) -> tuple[RequirementChange, ...]:
    """Requirements whose status or bindingness differs, in the proposed rules' order, then removed ones."""
    old, new = _sides(before), _sides(after)
    changes = []
    for rid in [*new, *(r for r in old if r not in new)]:
        a, b = old.get(rid), new.get(rid)
        if a and b and (a[0].status, a[0].mandatory) == (b[0].status, b[0].mandatory):
            continue
        source = b or a
        assert source is not None
        _side, fact, text = source
        changes.append(
            RequirementChange(id=rid, fact=fact, text=text, before=a[0] if a else None, after=b[0] if b else None)
        )
    return tuple(changes)


def _by_nip(run: CheckRun) -> dict[str, Decision]:
    return {d.candidate.nip: d for d in run.decisions}


def diff_position(
    base: Library,
    proposed: Library,
    position_id: str,
    candidates: Sequence[LoadedCandidate],
    as_of: dt.date,
    ruleset_id: str | None = None,
    backend: Backend = "durable",
) -> tuple[PositionSummary, list[Flip], list[Problem]]:
    """Decide ``candidates`` for one position under both libraries and compare verdicts."""
    runs = [
        check_with(_ruleset(lib, side, position_id, ruleset_id, as_of), position_id, candidates, as_of, backend)
        for lib, side in ((base, "BASE"), (proposed, "PROPOSED"))
    ]
    old, new = (_by_nip(run) for run in runs)
    both = [nip for nip in old if nip in new]
    flips, quiet = [], 0
    counts: dict[tuple[Verdict, Verdict], int] = {}
    same_shape = all(run.decisions for run in runs) and _shape(runs[0]) == _shape(runs[1])
    for nip in both:
        b, a = old[nip], new[nip]
        if b.verdict == a.verdict:
            moved = b.statuses != a.statuses if same_shape else bool(requirement_changes(b, a))
            quiet += moved
            continue
        counts[(b.verdict, a.verdict)] = counts.get((b.verdict, a.verdict), 0) + 1
        flips.append(
            Flip(
                candidate=a.candidate,
                position=position_id,
                before=b.verdict,
                after=a.verdict,
                changes=requirement_changes(b, a),
            )
        )
    problems = [*runs[0].problems, *(p for p in runs[1].problems if p not in runs[0].problems)]
    summary = PositionSummary(
        position=position_id,
        base=_ref(runs[0]),
        proposed=_ref(runs[1]),
        candidates=len(both),
        before={v: sum(1 for n in both if old[n].verdict == v) for v in VERDICTS},
        after={v: sum(1 for n in both if new[n].verdict == v) for v in VERDICTS},
        flips=counts,
        changed_without_flip=quiet,
    )
    flips.sort(key=lambda f: (f.candidate.name, f.candidate.nip))
    return summary, flips, problems


def _ruleset(lib: Library, side: str, position_id: str, ruleset_id: str | None, as_of: dt.date) -> Ruleset:
    """The ruleset deciding ``position_id`` in one of the two directories; errors say which one."""
    try:
        return lib.for_position(position_id, ruleset_id, as_of)
    except InputError as error:
        raise InputError([p.model_copy(update={"message": f"{side}: {p.message}"}) for p in error.problems]) from None


def _shape(run: CheckRun) -> tuple[tuple[str, bool], ...]:
    return tuple((node.req.id, node.req.mandatory) for node in run.decisions[0].layout.nodes)


def _ref(run: CheckRun) -> RulesetRef:
    return RulesetRef(id=run.ruleset.id, version=run.ruleset.version, hash=run.ruleset_hash, layers=run.ruleset.layers)


def common_positions(
    base: Library, proposed: Library, as_of: dt.date, ruleset_id: str | None = None
) -> tuple[list[str], list[str]]:
    """Position classes in force on ``as_of`` in both libraries, and those found in only one of them."""

    def ids(lib: Library) -> list[str]:
        rulesets = [lib.resolve(ruleset_id, as_of)] if ruleset_id else lib.in_force_bases(as_of)
        return [p.id for r in rulesets for p in r.positions]

    old, new = ids(base), ids(proposed)
    return [p for p in new if p in old], [p for p in [*old, *new] if (p in old) != (p in new)]


def diff(
    base: Library,
    proposed: Library,
    positions: Sequence[str],
    candidates: Sequence[LoadedCandidate],
    as_of: dt.date,
    ruleset_id: str | None = None,
    backend: Backend = "durable",
) -> DiffReport:
    """Every candidate whose verdict differs between ``base`` and ``proposed``, per position class."""
    if not positions:
        raise InputError(
            [
                Problem(
                    code="no_positions",
                    message="the two rule directories share no position class",
                    hint="name one with --position",
                )
            ]
        )
    report = DiffReport(as_of=as_of, summaries=[], flips=[])
    for position_id in positions:
        summary, flips, problems = diff_position(base, proposed, position_id, candidates, as_of, ruleset_id, backend)
        report.summaries.append(summary)
        report.flips.extend(flips)
        report.problems.extend(p for p in problems if p not in report.problems)
    return report
