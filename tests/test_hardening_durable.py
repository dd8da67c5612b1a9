"""The intermittent duplicate-message engine fault (result code 2), reproduced deterministically."""

from __future__ import annotations

from collections.abc import Iterator

import durable_rules_engine as dre
import orjson
import pytest

import engine.evaluate.durable as adapter
from engine.compiler.plan import Plan, PlanCheck
from engine.errors import EngineFault
from engine.evaluate import reference
from engine.evaluate.durable import GUARD, INDEX, DurableEvaluator, ruleset_json

# One check (x0 >= 5) and 500 rows f0 = n % 7. Under the state id below, two of these rows get default
# message ids whose 32-bit FNV-1a hashes are equal, and durable refuses the second as already seen.
# Found by asserting this exact batch under the state ids collide-0, collide-1, ... (the 5,846th).
PLAN = Plan(name="t", ruleset_hash="test", facts=("x0",), checks=(PlanCheck(key="k0", fact=0, op="gte", value=5),))
ROWS = [{"f0": n % 7} for n in range(500)]
COLLIDING_SID = "collide-5845"


def fnv1a32(text: str) -> int:
    value = 2166136261
    for byte in text.encode():
        value = ((value ^ byte) * 16777619) & 0xFFFFFFFF
    return value


def test_durable_takes_two_facts_with_equal_id_hashes_for_one_message() -> None:
    """The root cause: messages are told apart by a 32-bit hash of their id, not the id itself."""
    seen: dict[int, str] = {}
    number = 0
    while True:
        text = f"r{number}"
        if fnv1a32(text) in seen:
            break
        seen[fnv1a32(text)] = text
        number += 1
    first, second = seen[fnv1a32(text)], text
    assert first != second
    handle = dre.create_ruleset("hash-probe", orjson.dumps({"r": {"all": [{"m": {"$ex": {"_c": 1}}}]}}).decode())
    try:
        code, _ = dre.assert_facts(
            handle,
            orjson.dumps(
                [{"_c": 1, "id": first, "sid": "p", "v": 1}, {"_c": 1, "id": second, "sid": "p", "v": 2}]
            ).decode(),
        )
        assert code == adapter.OBSERVED
        code, _ = dre.assert_facts(
            handle,
            orjson.dumps([{"_c": 1, "id": "a", "sid": "q", "v": 1}, {"_c": 1, "id": "b", "sid": "q", "v": 2}]).decode(),
        )
        assert code == 0
    finally:
        dre.delete_ruleset(handle)


def _sids(*first: str) -> Iterator[str]:
    yield from first
    number = 0
    while True:
        number += 1
        yield f"fresh-{number}"


def test_the_colliding_batch_is_refused_by_raw_durable() -> None:
    handle = dre.create_ruleset("collide-probe", orjson.dumps(ruleset_json(PLAN, [0])).decode())
    try:
        payload = orjson.dumps([{GUARD: 1, INDEX: n, "sid": COLLIDING_SID, **row} for n, row in enumerate(ROWS)])
        code, state = dre.assert_facts(handle, payload.decode())
        assert code == adapter.OBSERVED
        assert dre.start_action_for_state(handle, state) is not None
        adapter._drain(handle, state)
        dre.delete_state(handle, COLLIDING_SID)
    finally:
        dre.delete_ruleset(handle)


def test_a_colliding_batch_is_evaluated_again_under_a_fresh_state(monkeypatch: pytest.MonkeyPatch) -> None:
    sids = _sids(COLLIDING_SID)
    used: list[str] = []

    def next_sid() -> str:
        used.append(next(sids))
        return used[-1]

    monkeypatch.setattr(adapter, "_next_sid", next_sid)
    with DurableEvaluator(PLAN) as evaluator:
        assert evaluator.evaluate(ROWS) == reference.evaluate(PLAN, ROWS)
    assert used == [COLLIDING_SID, "fresh-1"]


def test_a_collision_in_every_attempt_is_an_engine_fault(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(adapter, "_next_sid", lambda: COLLIDING_SID)
    with DurableEvaluator(PLAN) as evaluator, pytest.raises(EngineFault, match="duplicate message"):
        evaluator.evaluate(ROWS)
