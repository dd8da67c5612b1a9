"""Rule changes over a facts table: two layouts compared row by row, and a threshold swept over several values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML

from engine.compiler.layout import Layout, LayoutCache
from engine.decide.decision import Verdict
from engine.errors import InputError, Problem, ProblemCode
from engine.facts.table import FactTable
from engine.load.rulefile import Check, PositionClass, RuleNode, Ruleset
from engine.load.thresholds import checked_threshold, frozen_value, spec_of
from engine.tools import facttable as ft
from engine.tools.diff import VERDICTS, DiffReport, Flip, PositionSummary, requirement_changes


@dataclass
class CrossChecked:
    """How many sampled candidates were re-decided on durable-rules (all identical, or the run stopped)."""

    seed: int
    percent: float
    checked: int = 0


def _shape(layout: Layout) -> tuple[tuple[str, bool], ...]:
    return tuple((node.req.id, node.req.mandatory) for node in layout.nodes)


def _moved(before: ft.Decided, after: ft.Decided, row: int) -> bool:
    """Whether a requirement's status or bindingness differs (``requirement_changes``), the trees differing."""

    def sides(decided: ft.Decided) -> dict[str, tuple[str, bool]]:
        nodes = decided.layout.nodes
        return {n.req.id: (decided.statuses[row][i], n.req.mandatory) for i, n in enumerate(nodes)}

    old, new = sides(before), sides(after)
    return any(old.get(k) != new.get(k) for k in {*old, *new})


def compare(pop: ft.Population, before: ft.Decided, after: ft.Decided) -> tuple[PositionSummary, list[Flip]]:
    """Verdict counts and flips of the rows both layouts decided; a flip lists the requirements that made it."""
    both = [r for r, (b, a) in enumerate(zip(before.verdicts, after.verdicts, strict=True)) if b and a]
    flipped = [r for r in both if before.verdicts[r] != after.verdicts[r]]
    same_shape = _shape(before.layout) == _shape(after.layout)
    quiet = 0
    for r in both:
        if before.verdicts[r] == after.verdicts[r] and before.statuses[r] != after.statuses[r]:
            quiet += same_shape or _moved(before, after, r)
    counts: dict[tuple[Verdict, Verdict], int] = {}
    flips = []
    position = after.layout.position.id
    for b, a in zip(ft.decisions(pop, before, flipped), ft.decisions(pop, after, flipped), strict=True):
        counts[(b.verdict, a.verdict)] = counts.get((b.verdict, a.verdict), 0) + 1
        flips.append(Flip(a.candidate, position, b.verdict, a.verdict, requirement_changes(b, a)))
    flips.sort(key=lambda f: (f.candidate.name, f.candidate.nip))
    summary = PositionSummary(
        position=position,
        base=before.layout.ref,
        proposed=after.layout.ref,
        candidates=len(both),
        before=ft.counts([before.verdicts[r] for r in both]),
        after=ft.counts([after.verdicts[r] for r in both]),
        flips=counts,
        changed_without_flip=quiet,
    )
    return summary, flips


def decided(
    pop: ft.Population,
    layouts: Sequence[Layout],
    pairs: Sequence[tuple[int, int]],
    check: CrossChecked,
    advance: Callable[[int], None] | None = None,
) -> list[ft.Decided]:
    """Each layout over the population, then the stored facts of the cross-check sample and of every row whose
    verdict differs within ``pairs`` (indices into ``layouts``) read in one pass, and the sample re-decided on
    durable-rules under each layout."""
    out = []
    for layout in layouts:
        out.append(ft.decide_population(pop, layout))
        if advance is not None:
            advance(1)
    sample = ft.sample(pop.frame.height, check.percent, check.seed)
    flipped = {
        r for a, b in pairs for r, (x, y) in enumerate(zip(out[a].verdicts, out[b].verdicts, strict=True)) if x != y
    }
    pop.stored([*sample, *flipped])
    for one in out:
        check.checked += ft.cross_check(pop, one, sample)
    return out


def diff_table(
    base: Sequence[Ruleset],
    proposed: Sequence[Ruleset],
    positions: Sequence[str],
    table: FactTable,
    check: CrossChecked,
    advance: Callable[[int], None] | None = None,
) -> DiffReport:
    """``layak diff --facts``: each position decided under both rulesets over the table (columnar backend)."""
    every: list[Flip] = []
    report = DiffReport(as_of=table.as_of, summaries=[], flips=every)
    layouts = LayoutCache()
    for position_id, old, new in zip(positions, base, proposed, strict=True):
        pair = [ft.compile_for(old, position_id, layouts), ft.compile_for(new, position_id, layouts)]
        pop = ft.population(table, pair)
        first, second = decided(pop, pair, [(0, 1)], check, advance)
        summary, flips = compare(pop, first, second)
        report.summaries.append(summary)
        every.extend(flips)
        for problem in [*pop.problems, *first.problems, *second.problems]:
            if problem not in report.problems:
                report.problems.append(problem)
    return report


# ---------------------------------------------------------------- sweep


@dataclass
class Step:
    """One value of the swept threshold: verdict counts and who changes against the current value."""

    value: Any
    current: bool
    counts: dict[Verdict, int]
    flips: list[Flip]
    summary: PositionSummary


@dataclass
class SweepReport:
    as_of: dt.date
    position: str
    requirement: str
    fact: str
    op: str
    current: Any
    steps: list[Step]
    problems: list[Problem]


def parse_value(text: str) -> Any:
    """A value as a rule file would hold it (``3y``, ``80``, ``true``, ``IV/a``): the YAML scalar it reads as."""
    return YAML(typ="safe", pure=True).load(text) if text.strip() else text


def _swap(nodes: tuple[Any, ...], requirement: str, value: Any) -> tuple[Any, ...]:
    out = []
    for node in nodes:
        if node.id == requirement:
            node = node.model_copy(update={"value": value})
        elif node.kind != "check":
            node = node.model_copy(update={node.kind: _swap(node.children, requirement, value)})
        out.append(node)
    return tuple(out)


def _find(position: PositionClass, requirement: str) -> Check:
    found = [n for n in position.checks() if n.id == requirement]
    if not found:
        known = ", ".join(n.id for n in position.checks())
        raise InputError(
            [
                Problem(
                    code=ProblemCode.UNKNOWN_REQUIREMENT,
                    path="--requirement",
                    message=f"position '{position.id}' has no check '{requirement}'",
                    hint=f"checks (a threshold is swept on one of them): {known}",
                )
            ]
        )
    return found[0]


def variant(ruleset: Ruleset, position: PositionClass, requirement: str, value: Any) -> Ruleset:
    """The ruleset with one check's threshold replaced; the value is checked as the loader checks a rule file."""
    check = _find(position, requirement)
    parsed = checked_threshold(spec_of(check.fact), check.op, frozen_value(value))
    if isinstance(parsed, str):
        raise InputError([Problem(code=ProblemCode.BAD_THRESHOLD, path="--values", message=f"{value!r}: {parsed}")])
    changed = position.model_copy(update={"requirements": _swap(position.requirements, requirement, value)})
    positions = tuple(changed if p.id == position.id else p for p in ruleset.positions)
    return ruleset.model_copy(update={"positions": positions})


def sweep(
    ruleset: Ruleset,
    position_id: str,
    requirement: str,
    values: Sequence[Any],
    table: FactTable,
    check: CrossChecked,
    advance: Callable[[int], None] | None = None,
) -> SweepReport:
    """Every value of ``requirement``'s threshold decided over the table, each compared with the current one."""
    layouts = LayoutCache()
    current = ft.compile_for(ruleset, position_id, layouts)
    found: RuleNode = _find(current.position, requirement)
    assert isinstance(found, Check)
    variants = [
        ft.compile_for(variant(ruleset, current.position, requirement, v), position_id, layouts) for v in values
    ]
    pop = ft.population(table, [current, *variants])
    same = [frozen_value(value) == frozen_value(found.value) for value in values]
    swept = [layout for layout, current_value in zip(variants, same, strict=True) if not current_value]
    base, *others = decided(pop, [current, *swept], [(0, i + 1) for i in range(len(swept))], check, advance)
    steps = []
    for value, current_value in zip(values, same, strict=True):
        other = base if current_value else others.pop(0)
        summary, flips = compare(pop, base, other)
        steps.append(Step(value=value, current=current_value, counts=summary.after, flips=flips, summary=summary))
    problems = [*pop.problems, *(p for p in base.problems if p not in pop.problems)]
    return SweepReport(
        as_of=table.as_of,
        position=position_id,
        requirement=requirement,
        fact=found.reads,
        op=found.op,
        current=found.value,
        steps=steps,
        problems=problems,
    )


__all__ = ["VERDICTS", "CrossChecked", "SweepReport", "compare", "diff_table", "sweep", "variant"]
