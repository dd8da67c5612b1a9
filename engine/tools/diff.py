"""Whom a rule change affects: a population decided under two rule directories, verdict by verdict."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from engine.compiler.layout import Expected, LayoutCache, RulesetRef, Status
from engine.decide.decision import CandidateRef, Decision, Verdict
from engine.decide.pipeline import Backend, CheckRun, check_with, collector_paused
from engine.errors import InputError, Problem
from engine.facts.derive import Note
from engine.facts.vocabulary import display
from engine.load.intake import LoadedCandidate
from engine.load.library import Library
from engine.load.rulefile import Ruleset, Text
from engine.present.ranking import ExternalSort

VERDICTS: tuple[Verdict, ...] = ("eligible", "needs_review", "not_eligible")
FLIPS_HELD = 1_000  # flips held per position class (a few KB each); past it they wait in sorted runs on disk


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


class Flips:
    """A diff's flips, position class by position class, each one's by (name, NIP): held in memory up to a limit,
    past it in sorted runs on disk (``ExternalSort``), so a change that flips much of a million candidates keeps
    memory flat. Read as often as needed (the JSON, the rows, the change dossier), one reading at a time."""

    def __init__(self, parts: Sequence[ExternalSort]) -> None:
        self.parts = list(parts)

    def __iter__(self) -> Iterator[Flip]:
        for part in self.parts:
            yield from part.sorted()

    def __len__(self) -> int:
        return sum(part.count for part in self.parts)

    def __contains__(self, item: object) -> bool:
        return any(flip == item for flip in self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Collection) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # equal by content, as a list is

    def close(self) -> None:
        for part in self.parts:
            part.close()


@dataclass
class DiffReport:
    as_of: dt.date
    summaries: list[PositionSummary]
    flips: Collection[Flip]  # a list, or ``Flips`` (spilled to disk past a limit) from ``diff_batches``
    problems: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.flips)


def _side(decision: Decision, index: int) -> tuple[Side, str | None, Text]:
    """One requirement of a decision: its side, fact and text."""
    node = decision.layout.nodes[index]
    value = decision.observed[index]
    shown = None if value is None or node.spec is None else display(node.spec, value)
    side = Side(
        status=decision.statuses[index],
        observed=shown,
        expected=node.expected,
        mandatory=node.req.mandatory,
        note=decision.notes[index],
    )
    return side, node.fact or None, node.req.text


def _keys(decision: Decision) -> dict[str, tuple[int, Status, bool]]:
    nodes, statuses = decision.layout.nodes, decision.statuses
    return {node.req.id: (i, statuses[i], node.req.mandatory) for i, node in enumerate(nodes)}


def requirement_changes(before: Decision, after: Decision) -> tuple[RequirementChange, ...]:
    """Requirements whose status or bindingness differs, in the proposed rules' order, then removed ones."""
    old, new = _keys(before), _keys(after)
    changes = []
    for rid in [*new, *(r for r in old if r not in new)]:
        a, b = old.get(rid), new.get(rid)
        if a and b and a[1:] == b[1:]:
            continue
        was = _side(before, a[0]) if a else None
        now = _side(after, b[0]) if b else None
        source = now or was
        assert source is not None
        _shown, fact, text = source
        changes.append(
            RequirementChange(
                id=rid, fact=fact, text=text, before=was[0] if was else None, after=now[0] if now else None
            )
        )
    return tuple(changes)


def _by_nip(run: CheckRun) -> dict[str, Decision]:
    return {d.candidate.nip: d for d in run.decisions}


@dataclass
class _Tally:
    """One position's comparison, batch by batch: counts and flips kept, decisions let go with their batch."""

    position: str
    base: RulesetRef | None = None
    proposed: RulesetRef | None = None
    candidates: int = 0
    before: dict[Verdict, int] = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))
    after: dict[Verdict, int] = field(default_factory=lambda: dict.fromkeys(VERDICTS, 0))
    counts: dict[tuple[Verdict, Verdict], int] = field(default_factory=dict)
    quiet: int = 0
    flips: ExternalSort = field(default_factory=lambda: ExternalSort(FLIPS_HELD))  # by (name, NIP), as listed
    problems: list[Problem] = field(default_factory=list)

    def add(self, runs: list[CheckRun]) -> None:
        old, new = (_by_nip(run) for run in runs)
        both = [nip for nip in old if nip in new]
        same_shape = all(run.decisions for run in runs) and _shape(runs[0]) == _shape(runs[1])
        self.base, self.proposed = self.base or _ref(runs[0]), self.proposed or _ref(runs[1])
        self.candidates += len(both)
        for nip in both:
            b, a = old[nip], new[nip]
            self.before[b.verdict] += 1
            self.after[a.verdict] += 1
            if b.verdict == a.verdict:
                self.quiet += b.statuses != a.statuses if same_shape else bool(requirement_changes(b, a))
                continue
            self.counts[(b.verdict, a.verdict)] = self.counts.get((b.verdict, a.verdict), 0) + 1
            flip = Flip(a.candidate, self.position, b.verdict, a.verdict, requirement_changes(b, a))
            self.flips.add((a.candidate.name, a.candidate.nip), flip)
        for problem in [*runs[0].problems, *runs[1].problems]:
            if problem not in self.problems:
                self.problems.append(problem)

    def summary(self) -> PositionSummary:
        assert self.base is not None and self.proposed is not None
        return PositionSummary(
            position=self.position,
            base=self.base,
            proposed=self.proposed,
            candidates=self.candidates,
            before=self.before,
            after=self.after,
            flips=self.counts,
            changed_without_flip=self.quiet,
        )


def ruleset_for(lib: Library, side: str, position_id: str, ruleset_id: str | None, as_of: dt.date) -> Ruleset:
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


def diff_batches(
    base: Library,
    proposed: Library,
    positions: Sequence[str],
    batches: Iterable[Sequence[LoadedCandidate]],
    as_of: dt.date,
    ruleset_id: str | None = None,
    backend: Backend = "durable",
) -> DiffReport:
    """``diff`` over candidates arriving in batches: memory holds one batch, the counts and the flips."""
    if not positions:
        raise no_positions()
    rulesets = {
        p: [ruleset_for(lib, side, p, ruleset_id, as_of) for lib, side in ((base, "BASE"), (proposed, "PROPOSED"))]
        for p in positions
    }
    tallies = {p: _Tally(p) for p in positions}
    layouts = LayoutCache()
    # the batch being read and its decisions under both rule sets: a quarter of a diff's time went to rescanning them
    with collector_paused():
        for batch in batches:
            for p in positions:
                # a diff shows statuses and the values requirements observed, never the whole facts
                tallies[p].add([check_with(r, p, batch, as_of, backend, layouts, selected=True) for r in rulesets[p]])
            gc.collect(0)
    report = DiffReport(as_of=as_of, summaries=[], flips=Flips([t.flips for t in tallies.values()]))
    for tally in tallies.values():
        if tally.base is None:  # no batch at all: nothing was decided
            tally.add([check_with(r, tally.position, [], as_of, backend, layouts) for r in rulesets[tally.position]])
        report.summaries.append(tally.summary())
        report.problems.extend(p for p in tally.problems if p not in report.problems)
    return report


def no_positions() -> InputError:
    return InputError(
        [
            Problem(
                code="no_positions",
                message="the two rule directories share no position class",
                hint="name one with --position",
            )
        ]
    )


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
    return diff_batches(base, proposed, positions, [candidates], as_of, ruleset_id, backend)
