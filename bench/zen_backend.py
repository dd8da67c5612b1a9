"""The peer engine: the same plan checks as a zen-engine (GoRules JDM) decision in loop mode.

The graph is input → one expression node → output. The expression node runs in ``loop`` mode over
the ``items`` array of the context, so one ``evaluate`` call checks a whole chunk of candidates
(``zen_loop``); per-candidate calls pay a thread hand-off each and are 5× slower.

Every expression is compiled from a ``PlanCheck``, so the thresholds are the plan's own integers.
Missing facts: rows carry only present fields, and an absent key reads as ``null`` in zen. An
ordered comparison with ``null`` is a VM error ("Opcode Compare: Unsupported type"), and ``!=`` /
``not in`` with ``null`` are true, so every expression starts with ``f<i> != null and``. An absent
field therefore never passes, which is exactly the reference evaluator's rule: the booleans are
compared with the reference for every row, present or not.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import zen

from engine.compiler.plan import Plan, PlanCheck

CHUNK = 2_000
_INFIX = {"eq": "==", "ne": "!=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def expression(check: PlanCheck) -> str:
    """The zen expression that is true when the check passes on a present field."""
    field = f"f{check.fact}"
    if check.op in _INFIX:
        test = f"{field} {_INFIX[check.op]} {check.value}"
    else:
        values = check.value if isinstance(check.value, tuple) else (check.value,)
        listed = ", ".join(str(v) for v in values)
        test = f"{field} in [{listed}]" if check.op == "in" else f"not ({field} in [{listed}])"
    return f"{field} != null and ({test})"


def graph(plan: Plan) -> dict[str, Any]:
    """The JDM document: one loop-mode expression node with one ``c<index>`` key per plan check."""
    expressions = [{"id": f"e{i}", "key": f"c{i}", "value": expression(c)} for i, c in enumerate(plan.checks)]
    return {
        "nodes": [
            {"id": "input", "name": "input", "type": "inputNode", "content": {}},
            {
                "id": "checks",
                "name": "checks",
                "type": "expressionNode",
                "content": {
                    "expressions": expressions,
                    "inputField": "items",
                    "executionMode": "loop",
                    "outputPath": "results",
                },
            },
            {"id": "output", "name": "output", "type": "outputNode", "content": {}},
        ],
        "edges": [
            {"id": "in-checks", "sourceId": "input", "targetId": "checks", "type": "edge"},
            {"id": "checks-out", "sourceId": "checks", "targetId": "output", "type": "edge"},
        ],
    }


class ZenEvaluator:
    """A plan compiled once into a zen decision; evaluates rows in chunks of ``chunk``."""

    def __init__(self, plan: Plan, *, chunk: int = CHUNK) -> None:
        self.keys = [f"c{i}" for i in range(len(plan.checks))]
        self.chunk = chunk
        self.decision = zen.ZenEngine().create_decision(json.dumps(graph(plan)))

    def evaluate(self, rows: Sequence[dict[str, int]]) -> list[dict[str, bool]]:
        """Per row, ``c<index>`` → whether that plan check passed (zen's natural output form)."""
        out: list[dict[str, bool]] = []
        for start in range(0, len(rows), self.chunk):
            result = self.decision.evaluate({"items": rows[start : start + self.chunk]})
            out.extend(result["result"]["results"])
        return out

    def passed(self, result: dict[str, bool]) -> frozenset[int]:
        """One zen result in the engines' common form (indices of passing checks), for verification."""
        return frozenset(i for i, key in enumerate(self.keys) if result[key] is True)
