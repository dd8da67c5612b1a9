"""The check pipeline: candidates → facts → plan → engine → decisions, for one position."""

from __future__ import annotations

import datetime as dt
import difflib
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from engine.compiler.layout import Layout, LayoutCache
from engine.compiler.plan import Plan, encode_row
from engine.decide.decision import Decision, decide, derivation_for, ranked, waiver_problems
from engine.errors import InputError, Problem
from engine.evaluate import reference
from engine.facts.derive import Facts, derive
from engine.load.intake import LoadedCandidate
from engine.load.library import Library, content_hash
from engine.load.rulefile import PositionClass, Ruleset


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused inside, and left as it was found after. Batch work (a batch of
    `check`, a group of replayed records, a batch of a diff) holds ~10^5 objects alive at once, and every full
    collection rescanned them all; the caller runs a young-generation pass (``gc.collect(0)``) once a batch is let
    go, which also frees any cycle the batch made."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


Backend = Literal["durable", "reference", "columnar"]


@dataclass
class CheckRun:
    """Decisions for every valid candidate, and the problems that kept others out."""

    as_of: dt.date
    ruleset: Ruleset
    ruleset_hash: str
    position: PositionClass
    decisions: list[Decision]
    problems: list[Problem] = field(default_factory=list)
    layout: Layout | None = None  # the position's compiled layout (what every decision's ``layout`` is)


def select_position(ruleset: Ruleset, position_id: str) -> PositionClass:
    position = ruleset.position(position_id)
    if position is None:
        known = [p.id for p in ruleset.positions]
        close = difflib.get_close_matches(position_id, known, n=1)
        raise InputError(
            [
                Problem(
                    code="unknown_position",
                    message=(f"ruleset '{ruleset.id}' {ruleset.version} has no position class '{position_id}'"),
                    hint=(f"did you mean '{close[0]}'? " if close else "") + f"known: {', '.join(known)}",
                )
            ]
        )
    return position


def run_engine(
    plan: Plan, rows: Sequence[dict[str, int]], backend: Backend, evaluator: Any = None
) -> list[frozenset[int]]:
    """For each row, the checks that pass; ``evaluator``: a ``DurableEvaluator`` kept open across batches."""
    if backend == "reference":
        return reference.evaluate(plan, rows)
    if backend == "columnar":
        from engine.evaluate import columnar

        return columnar.evaluate(plan, rows)
    if evaluator is not None:
        passed: list[frozenset[int]] = evaluator.evaluate(rows)
        return passed
    from engine.evaluate.durable import DurableEvaluator

    with DurableEvaluator(plan) as opened:
        return opened.evaluate(rows)


def check(
    library: Library,
    position_id: str,
    candidates: Sequence[LoadedCandidate],
    as_of: dt.date,
    ruleset_id: str | None = None,
    backend: Backend = "durable",
) -> CheckRun:
    """Decide every candidate for one position under the ruleset in force on ``as_of``."""
    ruleset = library.for_position(position_id, ruleset_id, as_of)
    return check_with(ruleset, position_id, candidates, as_of, backend)


def check_with(
    ruleset: Ruleset,
    position_id: str,
    candidates: Sequence[LoadedCandidate],
    as_of: dt.date,
    backend: Backend = "durable",
    layouts: LayoutCache | None = None,
    selected: bool = False,
) -> CheckRun:
    """Decide candidates under a given resolved ruleset (today's files, or one stored in the audit log).

    ``layouts`` keeps compiled layouts across calls (a replay re-deciding many batches under one ruleset).
    ``selected``: derive only the facts decide() and the ranking read (``decision.facts_read``), for a caller
    that neither shows nor records the decisions' facts.
    """
    digest = content_hash(ruleset)
    position = select_position(ruleset, position_id)
    layout = (layouts if layouts is not None else LayoutCache()).get(ruleset, digest, position)
    plan = layout.plan
    only = derivation_for(layout) if selected else None
    problems: list[Problem] = []
    accepted: list[tuple[LoadedCandidate, Facts]] = []
    for loaded in candidates:
        found = waiver_problems(loaded.candidate, position, loaded.file)
        if found:
            problems.extend(found)
            continue
        accepted.append((loaded, derive(loaded.candidate, as_of, only)))
    passed = run_engine(plan, [encode_row(plan, facts) for _l, facts in accepted], backend)
    decisions = [
        decide(layout, loaded.candidate, facts, ok, loaded.file)
        for (loaded, facts), ok in zip(accepted, passed, strict=True)
    ]
    return CheckRun(
        as_of=as_of,
        ruleset=ruleset,
        ruleset_hash=digest,
        position=position,
        decisions=ranked(decisions),
        problems=problems,
        layout=layout,
    )
