"""The one module that imports durable-rules: plans become C rulesets; candidates are asserted as facts.

Invariants, each under a test in tests/test_durable_invariants.py:
facts are asserted, never posted; every rule is guarded by ``$ex _c`` so nothing matches the engine's
state fact; a catch-all rule fires once per candidate (it prevents the delete_state crash and proves
the candidate was evaluated); no arithmetic, so no ``$div``; a ``$ex`` presence check on every field
compared; only integers reach the engine; at most 50 rules per compiled chunk; one fresh state id per
batch, drained and deleted in ``finally``; the C module is driven directly, so no Host timer threads.

Duplicate-message retries: durable gives every fact without an ``id`` a 64-bit content hash as id, but
stores and looks messages up by a 32-bit FNV-1a hash of that id string (``storeMessage`` in
src/rules/state.c), comparing hashes only. Two different rows of one batch therefore collide with
probability about n²/2³³ (500 rows: 1 batch in ~34,000), and the engine refuses the second as already
seen (result code 2). The ids depend on the state id, so the chunk is run again under a fresh one.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import durable_rules_engine as dre
import orjson

from engine.compiler.plan import Plan, PlanCheck
from engine.errors import EngineFault

MAX_RULES_PER_CHUNK = 50
BATCH_SIZE = 500
# With a cap at least the batch size, each rule fires once per batch with the list of every fact it
# matched: one Python round trip per rule instead of one per firing.
CAP = 1000
CATCH_ALL = "__evaluated__"
GUARD = "_c"
INDEX = "_n"

# Each rule fires when its requirement is violated: far fewer firings (and JSON sent back) than
# rules firing on pass. Presence is a separate guard, so absent fields
# fire nothing and are classified as missing outside the engine.
_VIOLATION: dict[str, str] = {"eq": "$neq", "gt": "$lte", "gte": "$lt", "lt": "$gte", "lte": "$gt"}

_sids = itertools.count()
# durable's ERR_EVENT_OBSERVED: a message whose id hash is already stored in this state.
OBSERVED = 2
# A collision repeats with probability ~3e-5 per fresh state, so three in a row means something else.
ATTEMPTS = 3


def _next_sid() -> str:
    return f"{os.getpid()}-{next(_sids)}"


_INT = {int}
_ROW = re.compile(r'"_n":\s*(\d+)')


def violation(check: PlanCheck) -> dict[str, Any]:
    """The durable condition that holds when the check fails on a present integer field."""
    field = f"f{check.fact}"
    if check.op in _VIOLATION:
        return {_VIOLATION[check.op]: {field: check.value}}
    if check.op == "ne":
        return {field: check.value}
    values = check.value if isinstance(check.value, tuple) else (check.value,)
    if check.op == "in":
        unequal: list[dict[str, Any]] = [{"$neq": {field: v}} for v in values]
        return unequal[0] if len(unequal) == 1 else {"$and": unequal}
    equal: list[dict[str, Any]] = [{field: v} for v in values]
    return equal[0] if len(equal) == 1 else {"$or": equal}


def ruleset_json(plan: Plan, indices: Sequence[int]) -> dict[str, Any]:
    """The durable ruleset of one chunk of checks, named by check index."""
    rules: dict[str, Any] = {}
    for index in indices:
        check = plan.checks[index]
        rules[f"c{index}"] = {
            "all": [{"m": {"$and": [{"$ex": {GUARD: 1}}, {"$ex": {f"f{check.fact}": 1}}, violation(check)]}}],
            "cap": CAP,
        }
    rules[CATCH_ALL] = {"all": [{"m": {"$ex": {GUARD: 1}}}], "cap": CAP}
    return rules


@dataclass(frozen=True)
class _Chunk:
    handle: int
    indices: list[int]
    # The fields this chunk compares; a fact carrying every field of a large plan would pass the
    # engine's 252-property limit (error 302 or worse), so each chunk gets only its own.
    fields: frozenset[str]


class DurableEvaluator:
    """A plan compiled into C rulesets of at most 50 rules each, reused for every batch."""

    def __init__(self, plan: Plan, *, batch_size: int = BATCH_SIZE) -> None:
        if not 1 <= batch_size <= CAP:
            raise ValueError(f"batch_size must be between 1 and {CAP}")
        self.plan = plan
        self.batch_size = batch_size
        self.retries = 0  # chunks run again after a duplicate-message refusal (observability for soaks)
        every = range(len(plan.checks))
        self.chunks: list[_Chunk] = []
        for start in range(0, max(len(plan.checks), 1), MAX_RULES_PER_CHUNK):
            indices = list(every[start : start + MAX_RULES_PER_CHUNK])
            name = f"{plan.name}#{plan.digest}#{start // MAX_RULES_PER_CHUNK}#{os.getpid()}-{next(_sids)}"
            try:
                handle = dre.create_ruleset(name, orjson.dumps(ruleset_json(plan, indices)).decode())
            except Exception as error:
                raise EngineFault(f"durable-rules refused the compiled plan {name}: {error}") from error
            self.chunks.append(_Chunk(handle, indices, frozenset(f"f{plan.checks[i].fact}" for i in indices)))
        self._check_fields = [f"f{c.fact}" for c in plan.checks]
        self._every_check = frozenset(range(len(plan.checks)))
        self._all_fields = frozenset(f"f{i}" for i in range(len(plan.facts)))

    def close(self) -> None:
        """Free the C rulesets (no state is left alive between batches)."""
        for chunk in self.chunks:
            dre.delete_ruleset(chunk.handle)
        self.chunks = []

    def __enter__(self) -> DurableEvaluator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def evaluate(self, rows: Sequence[dict[str, int]]) -> list[frozenset[int]]:
        """For each row, the indices of the checks that pass (present and not violated)."""
        out: list[frozenset[int]] = []
        for start in range(0, len(rows), self.batch_size):
            out.extend(self._batch(rows[start : start + self.batch_size]))
        return out

    def _batch(self, rows: Sequence[dict[str, int]]) -> list[frozenset[int]]:
        all_fields = self._all_fields
        for row in rows:
            # Only plan integers may reach the engine: it compares a string with a number as text and
            # takes a null as present. Ints beyond 64 bits are refused by orjson in _run_chunk.
            if not row.keys() <= all_fields or not {*map(type, row.values())} <= _INT:
                raise EngineFault(f"refusing to send {row!r} to durable-rules: not plan integers")
        violated: list[set[int]] = [set() for _ in rows]
        for chunk in self.chunks:
            seen = self._run_chunk(chunk, rows, violated)
            if seen != len(rows):
                raise EngineFault(f"durable-rules evaluated {seen} of {len(rows)} candidates in {self.plan.name}")
        fields = self._check_fields
        every = self._every_check
        complete = len(all_fields)
        return [
            every.difference(violated[n])
            if len(row) == complete
            else every.difference(violated[n], (i for i, f in enumerate(fields) if f not in row))
            for n, row in enumerate(rows)
        ]

    def _run_chunk(self, chunk: _Chunk, rows: Sequence[dict[str, int]], violated: list[set[int]]) -> int:
        for _attempt in range(ATTEMPTS):
            sid = _next_sid()
            fields = chunk.fields
            try:
                if fields >= self._all_fields:
                    payload = orjson.dumps([{GUARD: 1, INDEX: n, "sid": sid, **row} for n, row in enumerate(rows)])
                else:
                    payload = orjson.dumps(
                        [
                            {GUARD: 1, INDEX: n, "sid": sid, **{k: v for k, v in row.items() if k in fields}}
                            for n, row in enumerate(rows)
                        ]
                    )
            except orjson.JSONEncodeError as error:  # an int beyond 64 bits
                raise EngineFault(f"refusing to send a batch to durable-rules: {error}") from error
            evaluated = self._run_state(chunk, sid, payload.decode(), violated)
            if evaluated is not None:
                return evaluated
            self.retries += 1
        raise EngineFault(
            f"durable-rules reported a duplicate message (result code {OBSERVED}) in {ATTEMPTS} fresh states in a row"
        )

    def _run_state(self, chunk: _Chunk, sid: str, payload: str, violated: list[set[int]]) -> int | None:
        """Rows evaluated in one fresh state, or None when the engine took two rows for one message."""
        handle = chunk.handle
        evaluated = 0
        dispatched = False
        try:
            try:
                code, state = dre.assert_facts(handle, payload)
            except dre.error as error:
                # The state may exist without ever having dispatched an action; deleting such a state
                # can crash the process, so it is left to the ruleset's end.
                raise EngineFault(f"durable-rules refused the batch: {error}") from error
            if code not in (0, OBSERVED):
                raise EngineFault(f"durable-rules did not handle the batch (result code {code})")
            result = dre.start_action_for_state(handle, state)
            dispatched = result is not None
            if code == OBSERVED:
                return None  # nothing recorded yet; the state is drained and deleted below
            message = result[1] if result else None
            while message is not None:
                evaluated += self._record(message, violated)
                message = dre.complete_and_start_action(handle, state)
        except dre.error as error:
            raise EngineFault(f"durable-rules failed: {error}") from error
        finally:
            if dispatched:
                _drain(handle, state)
                dre.delete_state(handle, sid)
        return evaluated

    @staticmethod
    def _record(message: str, violated: list[set[int]]) -> int:
        # The message is {"<rule>": [{"m": {<fact>}}, ...]}; only the rule name and each fact's row
        # number matter, and decoding every fact in full cost a fifth of the evaluation.
        rule = message[2 : message.index('"', 2)]
        rows = [int(n) for n in _ROW.findall(message)]
        if rule == CATCH_ALL:
            return len(rows)
        check = int(rule[1:])
        for row in rows:
            violated[row].add(check)
        return 0


def _drain(handle: int, state: int) -> None:
    # Deleting a state with queued actions aborts the process; finish whatever is left first.
    try:
        while dre.complete_and_start_action(handle, state) is not None:
            pass
    except Exception:  # noqa: S110 - the queue is already empty or the state is gone
        pass
