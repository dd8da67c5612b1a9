"""Deciding a whole facts table at once: the columnar backend's passing checks, verdicts, and the cross-check.

Requirement statuses and verdicts are computed column-wise by the rules of ``decide()`` (engine/evaluate/
columnar.py); rows with waivers, every verdict change shown, and a seeded sample are decided by ``decide()``
itself from their stored facts, the sample on durable-rules, and must agree exactly.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import polars as pl

from engine.compiler.layout import Layout, LayoutCache
from engine.compiler.plan import encode_row
from engine.decide.decision import Decision, Verdict, decide, waiver_problems
from engine.decide.pipeline import select_position
from engine.errors import CrossCheckMismatch, Problem
from engine.evaluate.columnar import (
    STATUS_CODES,
    mask_exprs,
    passed_sets,
    status_frame,
    statuses_of,
    with_unknown_list,
)
from engine.facts.derive import Facts, note
from engine.facts.table import FACT_COLUMNS, FactTable, candidate_of, facts_from_json, problems_of
from engine.load.candidate import Candidate
from engine.load.library import content_hash
from engine.load.rulefile import Ruleset

DEFAULT_CROSS_CHECK = 1.0  # percent of the decided rows re-decided on durable-rules
_NOT_RECORDED = note("not_recorded")
_INVALID = note("invalid")


def compile_for(ruleset: Ruleset, position_id: str, layouts: LayoutCache | None = None) -> Layout:
    position = select_position(ruleset, position_id)
    return (layouts or LayoutCache()).get(ruleset, content_hash(ruleset), position)


def _reads(layout: Layout) -> list[str]:
    return sorted({*layout.plan.facts, *(f for f in layout.node_facts if f)})


@dataclass
class Population:
    """The readable rows of a facts table with the fact columns some layouts read; the other rows' problems."""

    table: FactTable
    frame: pl.DataFrame
    problems: list[Problem]
    cache: dict[int, tuple[Candidate, Facts]] = field(default_factory=dict)  # by frame row, read once

    def stored(self, rows: Sequence[int]) -> list[tuple[Candidate, Facts]]:
        """The candidate (NIP, name, waivers) and stored facts of some rows; those not read yet are read in one
        pass over the table."""
        need = sorted({r for r in rows if r not in self.cache})
        if need:
            index = self.frame["_row"]
            wanted = pl.DataFrame({"_row": [index[r] for r in need]}, schema={"_row": pl.UInt32})
            read = self.table.scan().select("nip", "name", "waivers", "facts").with_row_index("_row")
            found = {row[0]: row[1:] for row in read.join(wanted.lazy(), on="_row").collect().iter_rows()}
            as_of = self.table.as_of
            for r in need:
                nip, name, waivers, text = found[index[r]]
                self.cache[r] = (candidate_of(nip, name, waivers), facts_from_json(text, as_of))
        return [self.cache[r] for r in rows]

    def with_waivers(self) -> list[int]:
        return [r for r, w in enumerate(self.frame["waivers"]) if w]


def population(table: FactTable, layouts: Sequence[Layout]) -> Population:
    wanted = sorted({name for layout in layouts for name in _reads(layout)})
    stored = [n for n in wanted if n in FACT_COLUMNS]
    scan = table.scan().select(["nip", "name", "file", "unknown", "waivers", "problems", "extra", *stored])
    frame = scan.collect()
    problems = [p for text in frame.filter(pl.col("problems") != "")["problems"] for p in problems_of(text)]
    frame = frame.filter(pl.col("problems") == "")
    extras = [n for n in wanted if n not in FACT_COLUMNS]
    if extras:  # facts outside the enumerated vocabulary (technical competencies) are kept as JSON
        frame = frame.with_columns(
            pl.col("extra").str.json_path_match(f"$['{n}']").cast(pl.Int64).alias(n) for n in extras
        )
    frame = with_unknown_list(frame.drop("problems", "extra").with_row_index("_row"))
    return Population(table=table, frame=frame, problems=problems)


@dataclass
class Decided:
    """One layout over a population: per row its verdict (None: excluded by a waiver problem) and its
    requirement statuses (one letter per node, ``columnar.STATUS_CODES``)."""

    layout: Layout
    verdicts: list[Verdict | None]
    statuses: list[str]
    masks: pl.DataFrame
    problems: list[Problem] = field(default_factory=list)
    _rows: list[tuple[int, ...]] | None = None  # the masks as Python tuples, made on first use

    def passed(self, row: int) -> frozenset[int]:
        if self._rows is None:
            self._rows = self.masks.rows()
        return passed_sets([[m] for m in self._rows[row]], len(self.layout.plan.checks))[0]


def _shared(pop: Population, layout: Layout) -> Callable[[Sequence[int]], list[tuple[Candidate, Facts]]]:
    """Rows as ``decide()`` needs them for statuses alone: the facts the layout reads (encoded: a status depends
    only on whether one is there), which absent ones are invalid or not held by the source, and the waivers."""
    reads = _reads(layout)

    def rows(wanted: Sequence[int]) -> list[tuple[Candidate, Facts]]:
        out = []
        for data in pop.frame[list(wanted)].iter_rows(named=True):
            listed = data["unknown"].split(",") if data["unknown"] else []
            facts = Facts(
                as_of=pop.table.as_of,
                values={n: data[n] for n in reads if data[n] is not None},
                missing={k[2:]: _NOT_RECORDED for k in listed if k.startswith("n:")},
                invalid={k[2:]: _INVALID for k in listed if k.startswith("i:")},
            )
            out.append((candidate_of(data["nip"], data["name"], data["waivers"]), facts))
        return out

    return rows


def decide_population(pop: Population, layout: Layout) -> Decided:
    """Every row's verdict and statuses under ``layout``: column-wise by the rules of ``decide()``, except rows
    with waivers, which ``decide()`` itself decides (from what the statuses depend on, see ``_shared``)."""
    plan = layout.plan
    masks = pop.frame.select(mask_exprs(plan, lambda i: plan.facts[i]))
    found = status_frame(layout, pop.frame)
    decided = Decided(
        layout=layout, verdicts=found["verdict"].to_list(), statuses=found["statuses"].to_list(), masks=masks
    )
    waived = pop.with_waivers()
    for row, (made, problems) in zip(waived, _decide_rows(pop, decided, waived, _shared(pop, layout)), strict=True):
        decided.problems.extend(problems)
        decided.verdicts[row] = made.verdict if made else None
        decided.statuses[row] = "".join(STATUS_CODES[s] for s in made.statuses) if made else ""
    return decided


def _decide_rows(
    pop: Population,
    decided: Decided,
    rows: Sequence[int],
    read: Callable[[Sequence[int]], list[tuple[Candidate, Facts]]] | None = None,
) -> list[tuple[Decision | None, list[Problem]]]:
    layout = decided.layout
    out: list[tuple[Decision | None, list[Problem]]] = []
    files = pop.frame["file"]
    for row, (candidate, facts) in zip(rows, (read or pop.stored)(rows), strict=True):
        file = files[row]
        found = waiver_problems(candidate, layout.position, file) if candidate.waivers else []
        if found:
            out.append((None, found))
            continue
        out.append((decide(layout, candidate, facts, decided.passed(row), file), []))
    return out


def decisions(pop: Population, decided: Decided, rows: Sequence[int]) -> list[Decision]:
    """The full decisions of rows that have a verdict (their own facts and notes), as ``check`` gives them."""
    made = [d for d, _problems in _decide_rows(pop, decided, rows)]
    assert all(d is not None for d in made)  # rows excluded by their waivers are never asked for
    return [d for d in made if d is not None]


def sample(rows: int, percent: float, seed: int) -> list[int]:
    """A seeded sample of about ``percent`` % of ``rows`` (at least one row when there are any and percent > 0)."""
    if rows == 0 or percent <= 0:
        return []
    size = min(rows, max(1, round(rows * percent / 100)))
    return sorted(random.Random(seed).sample(range(rows), size))


def cross_check(pop: Population, decided: Decided, rows: Sequence[int]) -> int:
    """Re-decide ``rows`` from their stored facts on durable-rules; raise on the first difference."""
    from engine.evaluate.durable import DurableEvaluator

    rows = [r for r in rows if decided.verdicts[r] is not None]
    full = decisions(pop, decided, rows)
    plan = decided.layout.plan
    with DurableEvaluator(plan) as evaluator:
        engine = evaluator.evaluate([encode_row(plan, d.facts) for d in full])
    for row, made, passed in zip(rows, full, engine, strict=True):
        columnar = decided.passed(row)
        statuses = statuses_of(decided.statuses[row])
        if passed != columnar or made.verdict != decided.verdicts[row] or made.statuses != statuses:
            keys = sorted(plan.checks[i].key for i in passed ^ columnar)
            raise CrossCheckMismatch(
                f"{pop.frame['file'][row]}: NIP {made.candidate.nip} under {plan.name}: durable-rules "
                f"decided {made.verdict}, the columnar backend {decided.verdicts[row]}"
                + (f"; checks that differ: {', '.join(keys)}" if keys else "; the passing checks agree")
            )
    return len(rows)


def counts(verdicts: Sequence[Verdict | None]) -> dict[Verdict, int]:
    out: dict[Verdict, int] = {"eligible": 0, "needs_review": 0, "not_eligible": 0}
    for verdict in verdicts:
        if verdict is not None:
            out[verdict] += 1
    return out
