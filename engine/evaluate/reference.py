"""The pure-Python reference evaluator of a plan: the differential oracle for the durable adapter."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

from engine.compiler.plan import Plan

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "in": lambda a, b: a in b,
    "not_in": lambda a, b: a not in b,
}


def evaluate(plan: Plan, rows: Sequence[dict[str, int]]) -> list[frozenset[int]]:
    """For each row, the indices of the checks that pass (an absent field never passes)."""
    compiled = [(f"f{c.fact}", _OPS[c.op], c.value) for c in plan.checks]
    out = []
    for row in rows:
        passed = set()
        for index, (field, compare, value) in enumerate(compiled):
            observed = row.get(field)
            if observed is not None and compare(observed, value):
                passed.add(index)
        out.append(frozenset(passed))
    return out
