"""The durable adapter against the pure-Python reference.

Random plans and rows must give exactly the same passing checks in both evaluators, row by row and
check by check; and the whole check pipeline must reach identical decisions with either backend.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine
from engine.compiler.plan import Plan, PlanCheck
from engine.decide.pipeline import check
from engine.errors import InputError
from engine.evaluate import reference
from engine.evaluate.durable import BATCH_SIZE, DurableEvaluator
from engine.load.intake import load_candidates
from engine.load.library import load_library

ROOT = Path(engine.__file__).resolve().parents[1]
OPS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in")
# Big values come from a small shared pool, so equality and boundary hits happen there too.
BIG = (2**40, 2**40 - 1, -(2**40), 2**32, 2**31, -(2**31) - 1, 2**53 + 1)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

values = st.one_of(st.integers(-4, 4), st.sampled_from(BIG), st.integers(-(2**40), 2**40))


@st.composite
def plans(draw: st.DrawFn, max_checks: int = 120) -> Plan:
    n_facts = draw(st.integers(1, 16))
    n_checks = draw(st.integers(1, max_checks))
    checks = []
    for index in range(n_checks):
        op = draw(st.sampled_from(OPS))
        value: int | tuple[int, ...] = (
            tuple(draw(st.lists(values, min_size=1, max_size=25))) if op in ("in", "not_in") else draw(values)
        )
        checks.append(PlanCheck(key=f"k{index}", fact=draw(st.integers(0, n_facts - 1)), op=op, value=value))
    return Plan(name="random", ruleset_hash="test", facts=tuple(f"x{i}" for i in range(n_facts)), checks=tuple(checks))


@st.composite
def rows(draw: st.DrawFn, n_facts: int, max_rows: int = 30) -> list[dict[str, int]]:
    """Rows in which each field is present with probability ~0.85."""
    out = []
    for _ in range(draw(st.integers(1, max_rows))):
        row = {}
        for index in range(n_facts):
            if draw(st.integers(0, 19)) < 17:
                row[f"f{index}"] = draw(values)
        out.append(row)
    return out


def explain(
    plan: Plan, rows_: list[dict[str, int]], got: list[frozenset[int]], want: list[frozenset[int]]
) -> Iterator[str]:
    for n, (row, a, b) in enumerate(zip(rows_, got, want, strict=True)):
        for index in sorted(a ^ b):
            c = plan.checks[index]
            yield (
                f"row {n} check {index}: f{c.fact}={row.get(f'f{c.fact}', 'MISSING')} {c.op} {c.value}: "
                f"durable {'pass' if index in a else 'fail'}, reference {'pass' if index in b else 'fail'}"
            )


def assert_agree(plan: Plan, rows_: list[dict[str, int]], got: list[frozenset[int]]) -> None:
    want = reference.evaluate(plan, rows_)
    assert len(got) == len(want)
    assert got == want, "\n".join(list(explain(plan, rows_, got, want))[:20])


@SETTINGS
@given(plan=plans(), data=st.data())
def test_random_plans_agree_with_the_reference(plan: Plan, data: st.DataObject) -> None:
    batch = data.draw(st.sampled_from([BATCH_SIZE, 1, 7]), label="batch_size")
    rows_ = data.draw(rows(len(plan.facts)), label="rows")
    with DurableEvaluator(plan, batch_size=batch) as evaluator:
        assert_agree(plan, rows_, evaluator.evaluate(rows_))


# One 120-check plan over every op, compiled once, then hammered with random rows.
FIXED_PLAN = Plan(
    name="fixed",
    ruleset_hash="test",
    facts=tuple(f"x{i}" for i in range(12)),
    checks=tuple(
        PlanCheck(
            key=f"k{i}",
            fact=(i * 5) % 12,
            op=OPS[i % 8],
            value=(
                tuple(range(-2, (i % 5) + 1)) + BIG[: i % 3]
                if OPS[i % 8] in ("in", "not_in")
                else (i % 9) - 4
                if i % 10
                else BIG[i % 7]
            ),
        )
        for i in range(120)
    ),
)


@pytest.fixture(scope="module")
def fixed_evaluator() -> Iterator[DurableEvaluator]:
    with DurableEvaluator(FIXED_PLAN, batch_size=16) as evaluator:
        yield evaluator


@SETTINGS
@given(rows_=rows(len(FIXED_PLAN.facts), max_rows=60))
def test_a_reused_evaluator_agrees_with_the_reference(
    fixed_evaluator: DurableEvaluator, rows_: list[dict[str, int]]
) -> None:
    assert len(fixed_evaluator.chunks) == 3
    assert_agree(FIXED_PLAN, rows_, fixed_evaluator.evaluate(rows_))


# ---------------------------------------------------------------- decisions


AS_OF = (dt.date(2021, 3, 1), dt.date(2023, 6, 1), dt.date(2025, 1, 1), dt.date(2026, 6, 1))


def test_both_backends_reach_identical_decisions() -> None:
    library = load_library(ROOT / "rules")
    candidates, _problems = load_candidates([ROOT / "fixtures" / "candidates"])  # invalid files are not ours here
    assert candidates
    statuses: set[str] = set()
    compared = 0
    for as_of in AS_OF:
        for ruleset_id in library.ids():
            try:
                ruleset = library.resolve(ruleset_id, as_of)
            except InputError:  # not in force on that date
                continue
            for position in ruleset.positions:
                durable = check(library, position.id, candidates, as_of, ruleset_id, backend="durable")
                python = check(library, position.id, candidates, as_of, ruleset_id, backend="reference")
                assert [d.model_dump() for d in durable.decisions] == [d.model_dump() for d in python.decisions], (
                    as_of,
                    ruleset_id,
                    position.id,
                )
                assert durable.problems == python.problems
                compared += len(durable.decisions)
                statuses |= {o.status for d in durable.decisions for o in d.requirements}
    assert compared >= len(AS_OF) * 2
    assert {"pass", "fail", "missing"} <= statuses  # the comparison was not vacuous
