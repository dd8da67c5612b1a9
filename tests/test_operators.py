"""Every operator at hand-picked boundaries, with the expected outcome written by hand, in both evaluators.

Each case is one check on fact ``x<n>``; the row also carries a decoy fact next to it, which holds a
passing value when ``x<n>`` is missing, so a missing field cannot pass by reading its neighbour.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.compiler.plan import Plan, PlanCheck
from engine.evaluate import reference
from engine.evaluate.durable import DurableEvaluator

MISSING = object()
BIG = 2**40
# For the missing cases (threshold 10 or (3, 5, 8)): a value that would pass, put in the decoy fact.
PASSING_DECOY = {"eq": 10, "ne": 9, "gt": 11, "gte": 10, "lt": 9, "lte": 10, "in": 5, "not_in": 4}

# (op, threshold, observed, passes)
CASES: list[tuple[str, int | tuple[int, ...], object, bool]] = [
    # eq
    ("eq", 10, 9, False),
    ("eq", 10, 10, True),
    ("eq", 10, 11, False),
    ("eq", 10, -10, False),
    ("eq", 0, 0, True),
    ("eq", -3, -3, True),
    ("eq", 10, MISSING, False),
    # ne
    ("ne", 10, 9, True),
    ("ne", 10, 10, False),
    ("ne", 10, 11, True),
    ("ne", 0, 0, False),
    ("ne", 10, MISSING, False),
    # gt
    ("gt", 10, 9, False),
    ("gt", 10, 10, False),
    ("gt", 10, 11, True),
    ("gt", -1, -2, False),
    ("gt", -1, 0, True),
    ("gt", 10, MISSING, False),
    # gte
    ("gte", 10, 9, False),
    ("gte", 10, 10, True),
    ("gte", 10, 11, True),
    ("gte", 0, -1, False),
    ("gte", 10, MISSING, False),
    # lt
    ("lt", 10, 9, True),
    ("lt", 10, 10, False),
    ("lt", 10, 11, False),
    ("lt", 0, -1, True),
    ("lt", 10, MISSING, False),
    # lte
    ("lte", 10, 9, True),
    ("lte", 10, 10, True),
    ("lte", 10, 11, False),
    ("lte", -5, -4, False),
    ("lte", 10, MISSING, False),
    # in
    ("in", (3, 5, 8), 3, True),
    ("in", (3, 5, 8), 5, True),
    ("in", (3, 5, 8), 8, True),
    ("in", (3, 5, 8), 4, False),
    ("in", (3, 5, 8), 2, False),
    ("in", (3, 5, 8), 9, False),
    ("in", (7,), 7, True),
    ("in", (7,), 6, False),
    ("in", (-1, 0), 0, True),
    ("in", (-1, 0), 1, False),
    ("in", (3, 5, 8), MISSING, False),
    # not_in
    ("not_in", (3, 5, 8), 3, False),
    ("not_in", (3, 5, 8), 5, False),
    ("not_in", (3, 5, 8), 8, False),
    ("not_in", (3, 5, 8), 4, True),
    ("not_in", (3, 5, 8), 2, True),
    ("not_in", (3, 5, 8), 9, True),
    ("not_in", (7,), 7, False),
    ("not_in", (7,), 6, True),
    ("not_in", (3, 5, 8), MISSING, False),
    # large values: no float rounding, no 32-bit truncation
    ("gte", BIG, BIG - 1, False),
    ("gte", BIG, BIG, True),
    ("gt", BIG, BIG + 1, True),
    ("eq", 2**32, 0, False),
    ("eq", 2**32, 2**32, True),
    ("lt", -BIG, -BIG - 1, True),
    ("lt", 2**31, -(2**31), True),
    ("ne", 2**53 + 1, 2**53, True),
    ("eq", 2**53 + 1, 2**53, False),
    ("in", (BIG, -BIG), -BIG, True),
    ("not_in", (BIG, -BIG), BIG + 1, True),
]


def case_id(case: tuple[str, int | tuple[int, ...], object, bool]) -> str:
    op, threshold, observed, passes = case
    shown = "missing" if observed is MISSING else observed
    return f"{shown}-{op}-{threshold}-{'pass' if passes else 'fail'}".replace(" ", "")


def plan_for(cases: list[tuple[str, int | tuple[int, ...], object, bool]]) -> Plan:
    """One fact per case (f1, f3, ...), each next to a decoy fact (f0, f2, ...)."""
    facts = tuple(name for n in range(len(cases)) for name in (f"decoy{n}", f"x{n}"))
    return Plan(
        name="ops",
        ruleset_hash="test",
        facts=facts,
        checks=tuple(
            PlanCheck(key=f"k{n}", fact=2 * n + 1, op=op, value=threshold)
            for n, (op, threshold, _o, _p) in enumerate(cases)
        ),
    )


def row_for(cases: list[tuple[str, int | tuple[int, ...], object, bool]]) -> dict[str, int]:
    row: dict[str, int] = {}
    for n, (op, _t, observed, _p) in enumerate(cases):
        row[f"f{2 * n}"] = observed if isinstance(observed, int) else PASSING_DECOY[op]
        if isinstance(observed, int):
            row[f"f{2 * n + 1}"] = observed
    return row


def evaluators() -> Iterator[str]:
    yield from ("durable", "reference")


def run(backend: str, plan: Plan, rows: list[dict[str, int]]) -> list[frozenset[int]]:
    if backend == "reference":
        return reference.evaluate(plan, rows)
    with DurableEvaluator(plan) as evaluator:
        return evaluator.evaluate(rows)


@pytest.mark.parametrize("backend", list(evaluators()))
@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_operator(case: tuple[str, int | tuple[int, ...], object, bool], backend: str) -> None:
    plan = plan_for([case])
    (passed,) = run(backend, plan, [row_for([case])])
    assert (0 in passed) is case[3]


@pytest.mark.parametrize("backend", list(evaluators()))
def test_every_case_in_one_plan(backend: str) -> None:
    """All cases as one plan (more than one durable chunk) and one row: the same table holds."""
    plan = plan_for(CASES)
    assert len(plan.checks) > 50
    (passed,) = run(backend, plan, [row_for(CASES)])
    assert passed == frozenset(n for n, case in enumerate(CASES) if case[3])


def test_every_operator_is_in_the_table() -> None:
    ops = {op for op, _t, _o, _p in CASES}
    assert ops == {"eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in"}
    for op in ops:
        outcomes = {(o is MISSING, p) for o2, _t, o, p in CASES if o2 == op}
        assert {(False, True), (False, False), (True, False)} <= outcomes, op
