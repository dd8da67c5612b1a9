"""The durable adapter's invariants (measured on durable-rules 2.0.28), one test each.

Every test looks at what the adapter really sends to the C module (a recording stand-in for
``durable_rules_engine`` is swapped into the adapter) or at its behaviour, so each one fails if its
invariant is broken. Scenarios that can kill the process run in a subprocess.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import durable_rules_engine as dre
import orjson
import pytest

import engine
import engine.evaluate.durable as adapter
from engine.compiler.plan import Plan, PlanCheck, compile_position, encode_row
from engine.errors import EngineFault
from engine.evaluate import reference
from engine.evaluate.durable import CATCH_ALL, GUARD, MAX_RULES_PER_CHUNK, DurableEvaluator, ruleset_json
from engine.facts.derive import derive
from engine.load.intake import load_candidates
from engine.load.library import load_library

ROOT = Path(engine.__file__).resolve().parents[1]
ADAPTER_SOURCE = Path(adapter.__file__).read_text()
STATE_FACT_KEYS = {"sid", "id", "$s"}
EVENT_CALLS = {"post", "post_batch", "assert_event", "assert_events"}
ARITHMETIC = {"$div", "$add", "$sub", "$mul"}


# ---------------------------------------------------------------- helpers


def plan_of(*checks: tuple[int, str, int | tuple[int, ...]], n_facts: int | None = None, name: str = "t") -> Plan:
    """A plan from (fact index, op, value) triples."""
    count = n_facts if n_facts is not None else max(fact for fact, _op, _v in checks) + 1
    return Plan(
        name=name,
        ruleset_hash="test",
        facts=tuple(f"x{i}" for i in range(count)),
        checks=tuple(
            PlanCheck(key=f"k{i}", fact=fact, op=op, value=value) for i, (fact, op, value) in enumerate(checks)
        ),
    )


# Every operator, twice for in/not_in (the one-value form compiles differently), each on its own fact.
EVERY_OP: tuple[tuple[int, str, int | tuple[int, ...]], ...] = (
    (0, "eq", 5),
    (1, "ne", 5),
    (2, "gt", 5),
    (3, "gte", 5),
    (4, "lt", 5),
    (5, "lte", 5),
    (6, "in", (1, 2, 3)),
    (7, "not_in", (1, 2, 3)),
    (8, "in", (4,)),
    (9, "not_in", (4,)),
)
# A row passing every check of EVERY_OP, and one failing every check.
PASS_ALL = {"f0": 5, "f1": 6, "f2": 6, "f3": 5, "f4": 4, "f5": 5, "f6": 2, "f7": 0, "f8": 4, "f9": 0}
FAIL_ALL = {"f0": 6, "f1": 5, "f2": 5, "f3": 4, "f4": 5, "f5": 6, "f6": 0, "f7": 3, "f8": 0, "f9": 4}


def wide_plan(n: int, name: str = "wide") -> Plan:
    """n ``gte 5`` checks, each on its own fact, so every violation is a distinct true condition."""
    return plan_of(*((i, "gte", 5) for i in range(n)), name=name)


class DurableSpy:
    """Stands in for ``durable_rules_engine`` inside the adapter and records every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...], Any]] = []

    def __getattr__(self, name: str) -> Any:
        real = getattr(dre, name)
        if not callable(real) or isinstance(real, type):
            return real

        def recorded(*args: Any) -> Any:
            try:
                result = real(*args)
            except BaseException as error:
                self.calls.append((name, args, error))
                raise
            self.calls.append((name, args, result))
            return result

        return recorded

    def called(self, name: str) -> list[tuple[tuple[Any, ...], Any]]:
        return [(args, result) for call, args, result in self.calls if call == name]

    def compiled(self) -> list[dict[str, Any]]:
        """Every ruleset JSON handed to create_ruleset, parsed."""
        return [json.loads(args[1]) for args, _r in self.called("create_ruleset")]

    def asserted(self) -> list[tuple[int, list[dict[str, Any]]]]:
        """(handle, facts) of every assert call, assert_facts and assert_fact alike."""
        out = [(args[0], json.loads(args[1])) for args, _r in self.called("assert_facts")]
        out += [(args[0], [json.loads(args[1])]) for args, _r in self.called("assert_fact")]
        return out

    def deleted(self) -> list[tuple[int, str]]:
        return [(args[0], args[1]) for args, _r in self.called("delete_state")]

    def fired(self) -> list[str]:
        """Names of the rules whose actions the adapter started, once per matched fact."""
        messages = [r[1] for _a, r in self.called("start_action_for_state") if isinstance(r, tuple)]
        messages += [r for _a, r in self.called("complete_and_start_action") if isinstance(r, str)]
        names = []
        for message in messages:
            rule, matches = next(iter(json.loads(message).items()))
            names += [rule] * (len(matches) if isinstance(matches, list) else 1)  # capped rules send lists
        return names


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> DurableSpy:
    recorder = DurableSpy()
    monkeypatch.setattr(adapter, "dre", recorder)
    return recorder


def walk(node: Any) -> Iterator[tuple[str | None, Any]]:
    """Every (key, value) pair of a JSON tree; list items come with key None."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield None, item
            yield from walk(item)


def leaves(node: Any) -> Iterator[Any]:
    for _key, value in walk(node):
        if not isinstance(value, dict | list):
            yield value


def condition(rule: dict[str, Any]) -> dict[str, Any]:
    """The one condition of a rule, which must be a single ``m`` pattern in ``all``."""
    assert set(rule) == {"all", "cap"}, rule  # cap: one firing per rule per batch
    assert len(rule["all"]) == 1 and set(rule["all"][0]) == {"m"}, rule
    pattern = rule["all"][0]["m"]
    assert isinstance(pattern, dict), rule
    return pattern


def compared_fields(cond: dict[str, Any]) -> set[str]:
    """The fields a durable condition compares (presence tests excluded)."""
    assert len(cond) == 1, cond
    ((op, body),) = cond.items()
    if op in ("$and", "$or"):
        return set().union(*(compared_fields(part) for part in body))
    if op in ("$ex", "$nex"):
        return set()
    if op.startswith("$"):
        return set(body)
    return {op}  # {"f0": 5} is equality


def python(code: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run code in a fresh interpreter that imports the same engine as these tests."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# ---------------------------------------------------------------- 1. facts are asserted, never posted


def test_adapter_asserts_facts_and_never_posts_events() -> None:
    tree = ast.parse(ADAPTER_SOURCE)
    used = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "dre"
    }
    assert used & {"assert_facts", "assert_fact"}, used
    assert not used & EVENT_CALLS, used & EVENT_CALLS
    # nor by any other route (getattr, the Host API's post/post_batch)
    assert not {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)} & EVENT_CALLS


def test_only_the_adapter_imports_durable() -> None:
    importers = []
    for path in [*sorted((ROOT / "engine").rglob("*.py")), ROOT / "cli.py"]:
        if not path.exists():
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n.split(".")[0] in ("durable", "durable_rules_engine") for n in names):
                importers.append((path.relative_to(ROOT).as_posix(), names))
    assert importers == [("engine/evaluate/durable.py", ["durable_rules_engine"])]


def test_a_row_violating_three_checks_reports_all_three(spy: DurableSpy) -> None:
    plan = plan_of((0, "gte", 5), (1, "eq", 2), (2, "not_in", (7, 8)), (3, "lt", 0))
    row = {"f0": 4, "f1": 3, "f2": 8, "f3": -1}  # violates checks 0, 1 and 2; passes check 3
    with DurableEvaluator(plan) as evaluator:
        assert evaluator.evaluate([row]) == [frozenset({3})]
    # an event would have been consumed by the first rule: all three violation rules fired
    assert sorted(spy.fired()) == sorted(["c0", "c1", "c2", CATCH_ALL])
    assert not any(spy.called(name) for name in EVENT_CALLS)
    assert len(spy.asserted()) == 1


# ---------------------------------------------------------------- 2. a guard on every rule


def test_every_rule_is_guarded_and_every_fact_carries_the_guard(spy: DurableSpy) -> None:
    plan = plan_of(*EVERY_OP)
    with DurableEvaluator(plan) as evaluator:
        evaluator.evaluate([PASS_ALL, FAIL_ALL, {}])
    compiled = spy.compiled()
    assert compiled
    for rules in compiled:
        for name, rule in rules.items():
            cond = condition(rule)
            if name == CATCH_ALL:
                assert cond == {"$ex": {GUARD: 1}}
            else:
                assert cond["$and"][0] == {"$ex": {GUARD: 1}}, name
    for _handle, batch in spy.asserted():
        for fact in batch:
            assert fact[GUARD] == 1
            assert not {"id", "$s"} & set(fact), fact  # nothing that looks like the state fact


def test_nothing_matches_the_state_fact(spy: DurableSpy) -> None:
    plan = plan_of(*EVERY_OP)
    with DurableEvaluator(plan) as evaluator:
        # evaluation terminates: the state fact re-asserted after every action matches no rule
        assert evaluator.evaluate([PASS_ALL, FAIL_ALL, {}]) == reference.evaluate(plan, [PASS_ALL, FAIL_ALL, {}])
    for number, args in enumerate(args for args, _r in spy.called("create_ruleset")):
        handle = dre.create_ruleset(f"state-probe-{os.getpid()}-{number}", args[1])
        try:
            sid = f"probe-{number}"
            state_fact = {"sid": sid, "id": f"sid-{sid}", "$s": 1}
            assert set(state_fact) == STATE_FACT_KEYS
            code, _state = dre.assert_fact(handle, json.dumps(state_fact))
            assert code == 1, "a rule matched a fact shaped like the engine's state fact"
        finally:
            dre.delete_ruleset(handle)  # the probe's never-dispatched state is not deleted on purpose (§5)


# ---------------------------------------------------------------- 3. a catch-all rule in every chunk


def test_every_chunk_has_the_catch_all(spy: DurableSpy) -> None:
    plan = wide_plan(120)
    with DurableEvaluator(plan) as evaluator:
        assert len(evaluator.chunks) == 3
        chunks = [chunk.indices for chunk in evaluator.chunks]
    compiled = spy.compiled()
    assert compiled == [ruleset_json(plan, indices) for indices in chunks]  # what ruleset_json says is what ran
    for rules in compiled:
        assert rules[CATCH_ALL] == {"all": [{"m": {"$ex": {GUARD: 1}}}], "cap": adapter.CAP}


def test_rows_matching_no_rule_are_still_evaluated(spy: DurableSpy) -> None:
    plan = plan_of(*EVERY_OP)
    rows = [PASS_ALL, {}]  # violates nothing; has no field at all
    with DurableEvaluator(plan) as evaluator:
        assert evaluator.evaluate(rows) == [frozenset(range(len(EVERY_OP))), frozenset()]
    assert spy.fired() == [CATCH_ALL, CATCH_ALL]


_CRASH_SCENARIO = """
    import sys
    import engine.evaluate.durable as adapter
    from engine.errors import EngineFault
    from engine.compiler.plan import Plan, PlanCheck

    if sys.argv[1:] == ["without-catch-all"]:
        compile_chunk = adapter.ruleset_json
        def without_catch_all(plan, indices):
            rules = compile_chunk(plan, indices)
            del rules[adapter.CATCH_ALL]
            return rules
        adapter.ruleset_json = without_catch_all

    plan = Plan(name="crash", ruleset_hash="h", facts=tuple(f"x{i}" for i in range(20)),
                checks=tuple(PlanCheck(key=f"k{i}", fact=i, op="gte", value=5) for i in range(20)))
    passing = {f"f{i}": 9 for i in range(20)}
    faults = 0
    for round in range(150):
        churn = [bytearray((i * 37) % 4096) for i in range(200)]  # heap churn, as in §5
        evaluator = adapter.DurableEvaluator(plan)
        for rows in ([passing], [{}], [passing, {}]):  # facts that match no requirement rule
            try:
                assert evaluator.evaluate(rows) == [frozenset(range(20)) if row else frozenset() for row in rows]
            except EngineFault:
                faults += 1
        evaluator.close()
    print("survived", faults)
"""


def test_deleting_states_whose_facts_matched_nothing_does_not_crash() -> None:
    result = python(_CRASH_SCENARIO.replace("sys.argv[1:]", "[]"))
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    assert result.stdout.split() == ["survived", "0"]


_RAW_CRASH = """
    import json
    import durable_rules_engine as dre
    rules = {f"r{i}": {"all": [{"m": {"$and": [{"$ex": {"_c": 1}}, {"$lt": {f"f{i}": 5}}]}}]} for i in range(20)}
    count = 0
    for round in range(150):
        churn = [bytearray((i * 37) % 4096) for i in range(200)]  # heap churn, as in §5
        handle = dre.create_ruleset(f"raw{round}", json.dumps(rules))
        for _ in range(3):
            sid = f"s{count}"
            count += 1
            try:
                dre.assert_facts(handle, json.dumps([{"_c": 1, "sid": sid, **{f"f{i}": 9 for i in range(20)}}]))
            except Exception:
                pass  # not handled: no rule matched
            dre.delete_state(handle, sid)
        dre.delete_ruleset(handle)
    print("survived")
"""


def test_the_crash_scenario_is_live_without_the_catch_all() -> None:
    """Control for the test above: driving durable directly, without a catch-all, does kill the process..."""
    # The crash reads uninitialised memory, so it depends on the heap layout: it has killed every run
    # on this machine so far, but a run that survives says nothing either way.
    clean_env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "")}
    runs = [
        subprocess.run(
            [sys.executable, "-c", textwrap.dedent(_RAW_CRASH)],
            env=clean_env,
            capture_output=True,
            timeout=60,
            check=False,
        )
        for _ in range(3)
    ]
    if all(run.returncode == 0 for run in runs):
        pytest.skip("the raw delete_state crash did not reproduce on this heap layout")
    # ...while the adapter, even with the catch-all removed, never deletes a state that dispatched
    # nothing: it refuses every batch as not evaluated instead (3 batches x 150 rounds).
    result = python(_CRASH_SCENARIO.replace("sys.argv[1:]", '["without-catch-all"]'))
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    assert result.stdout.split() == ["survived", "450"]


# ---------------------------------------------------------------- 4. no arithmetic, so no $div


def test_no_division_or_arithmetic_in_generated_json(spy: DurableSpy) -> None:
    plans = [plan_of(*EVERY_OP), plan_of(*(EVERY_OP * 8)), plan_of((0, "in", tuple(range(-12, 13))))]
    for plan in plans:
        DurableEvaluator(plan).close()
    allowed = {"$and", "$or", "$ex", "$neq", "$lt", "$lte", "$gt", "$gte"}
    operators = {key for rules in spy.compiled() for key, _v in walk(rules) if key and key.startswith("$")}
    assert not operators & ARITHMETIC
    assert operators <= allowed, operators - allowed  # and nothing else ($m field references, $nex, ...)
    assert {"$neq", "$lt", "$lte", "$gt", "$gte", "$and", "$or", "$ex"} <= operators  # every op was compiled


# ---------------------------------------------------------------- 5. a presence check on every compared field


def test_every_rule_guards_the_presence_of_what_it_compares(spy: DurableSpy) -> None:
    plan = plan_of(*EVERY_OP, *(((fact + 3) % 10, op, value) for fact, op, value in EVERY_OP))
    DurableEvaluator(plan).close()
    for rules in spy.compiled():
        for name, rule in rules.items():
            if name == CATCH_ALL:
                continue
            parts = condition(rule)["$and"]
            present = {field for part in parts if set(part) == {"$ex"} for field in part["$ex"]}
            compared = compared_fields(condition(rule))
            assert compared == {f"f{plan.checks[int(name[1:])].fact}"}, name
            assert compared <= present, name
            assert not any(key == "$nex" for key, _v in walk(rule)), name


@pytest.mark.parametrize(
    "fact,op,value", EVERY_OP, ids=[f"{op}{len(v) if isinstance(v, tuple) else ''}" for _f, op, v in EVERY_OP]
)
def test_a_missing_field_never_passes(fact: int, op: str, value: int | tuple[int, ...]) -> None:
    plan = plan_of((fact, op, value), n_facts=10)
    others = {key: v for key, v in PASS_ALL.items() if key != f"f{fact}"}  # everything else present
    rows = [{}, others, {**others, f"f{fact}": PASS_ALL[f"f{fact}"]}]
    expected = [frozenset(), frozenset(), frozenset({0})]
    assert reference.evaluate(plan, rows) == expected
    with DurableEvaluator(plan) as evaluator:
        assert evaluator.evaluate(rows) == expected


# ---------------------------------------------------------------- 6. strictly typed: only integers reach the engine


def test_generated_json_holds_only_ints(spy: DurableSpy) -> None:
    library = load_library(ROOT / "rules")
    plans = [plan_of(*EVERY_OP)]
    for ruleset_id in library.ids():
        ruleset = library.resolve(ruleset_id, dt.date(2026, 6, 1))
        plans += [compile_position(ruleset, position) for position in ruleset.positions]
    for plan in plans:
        DurableEvaluator(plan).close()
    assert len(spy.compiled()) == len(plans)
    for rules in spy.compiled():
        values = list(leaves(rules))
        assert values and all(type(v) is int for v in values), [v for v in values if type(v) is not int]


def test_encoded_rows_of_real_facts_are_ints(spy: DurableSpy) -> None:
    library = load_library(ROOT / "rules")
    candidates, _problems = load_candidates([ROOT / "fixtures" / "candidates"])  # invalid files are not ours here
    assert candidates
    seen_kinds: set[type] = set()
    for as_of in (dt.date(2021, 3, 1), dt.date(2023, 6, 1), dt.date(2026, 6, 1)):
        for ruleset, position in [(r, p) for r in library.in_force_bases(as_of) for p in r.positions]:
            plan = compile_position(ruleset, position)
            for check in plan.checks:
                values = check.value if isinstance(check.value, tuple) else (check.value,)
                assert all(type(v) is int for v in values), check
            rows = []
            for loaded in candidates:
                facts = derive(loaded.candidate, as_of)
                seen_kinds |= {type(v) for v in facts.values.values()}
                row = encode_row(plan, facts)
                assert all(type(v) is int for v in row.values()), row
                assert set(row) <= {f"f{i}" for i in range(len(plan.facts))}
                rows.append(row)
            with DurableEvaluator(plan) as evaluator:
                assert evaluator.evaluate(rows) == reference.evaluate(plan, rows)
    assert seen_kinds - {int}, "the fixture should have non-int facts (bools, scales, decimals) to encode"
    for _handle, batch in spy.asserted():
        for fact in batch:
            assert all(type(v) is int for k, v in fact.items() if k != "sid"), fact


def test_raw_durable_compares_a_string_with_a_number_as_text() -> None:
    """Why only ints reach the engine: durable would compare "9" > 10 as text, and find it true."""
    rules = {
        "over-10": {"all": [{"m": {"$and": [{"$ex": {GUARD: 1}}, {"$gt": {"v": 10}}]}}]},
        CATCH_ALL: {"all": [{"m": {"$ex": {GUARD: 1}}}]},
    }
    handle = dre.create_ruleset(f"coercion-{os.getpid()}", json.dumps(rules))

    def fired(value: object) -> list[str]:
        sid = f"coercion-{value!r}"
        code, state = dre.assert_fact(handle, json.dumps({GUARD: 1, "sid": sid, "v": value}))
        names = []
        try:
            assert code == 0
            started = dre.start_action_for_state(handle, state)
            message = started[1] if started else None
            while message is not None:
                names.append(next(iter(json.loads(message))))
                message = dre.complete_and_start_action(handle, state)
        finally:
            dre.delete_state(handle, sid)
        return sorted(names)

    try:
        assert fired(9) == [CATCH_ALL]  # 9 > 10 is false
        assert fired("9") == [CATCH_ALL, "over-10"]  # "9" > "10" as text: a false pass
        assert fired(11) == [CATCH_ALL, "over-10"]
    finally:
        dre.delete_ruleset(handle)


# ---------------------------------------------------------------- 7. at most 50 rules per compiled chunk


def test_a_120_check_plan_compiles_to_three_chunks_of_at_most_50(spy: DurableSpy) -> None:
    assert MAX_RULES_PER_CHUNK == 50
    plan = plan_of(*((i % 37, op, value) for i, (_f, op, value) in enumerate(EVERY_OP * 12)))
    assert len(plan.checks) == 120
    rows = [PASS_ALL, FAIL_ALL, {}, {f"f{i}": i % 7 - 3 for i in range(37)}, {f"f{i}": 5 for i in range(0, 37, 2)}]
    with DurableEvaluator(plan) as evaluator:
        assert [len(chunk.indices) for chunk in evaluator.chunks] == [50, 50, 20]
        assert [i for chunk in evaluator.chunks for i in chunk.indices] == list(range(120))
        assert evaluator.evaluate(rows) == reference.evaluate(plan, rows)
    compiled = spy.compiled()
    assert [len(rules) for rules in compiled] == [51, 51, 21]  # + the catch-all
    assert all(len(rules) - 1 <= MAX_RULES_PER_CHUNK for rules in compiled)


def test_more_than_64_conditions_true_at_once() -> None:
    """120 checks on 120 facts, all violated (or all passed) at once: beyond durable's 64 (error 303).

    In a subprocess: with larger chunks, the adapter's cleanup after error 303 deletes a state that
    never dispatched an action, which segfaults.
    """
    result = python("""
        from engine.evaluate import reference
        from engine.evaluate.durable import DurableEvaluator
        from engine.compiler.plan import Plan, PlanCheck
        plan = Plan(name="wide", ruleset_hash="h", facts=tuple(f"x{i}" for i in range(120)),
                    checks=tuple(PlanCheck(key=f"k{i}", fact=i, op="gte", value=5) for i in range(120)))
        violate_all = {f"f{i}": 0 for i in range(120)}
        pass_all = {f"f{i}": 9 for i in range(120)}
        rows = [violate_all, pass_all, {**violate_all, "f64": 5}] * 100
        with DurableEvaluator(plan) as evaluator:
            result = evaluator.evaluate(rows)
        print(result[:3] == [frozenset(), frozenset(range(120)), frozenset({64})],
              result == reference.evaluate(plan, rows))
    """)
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    assert result.stdout.split() == ["True", "True"]


def test_a_plan_with_300_facts_evaluates_without_crashing() -> None:
    """Chunks bound the rules per ruleset; the facts asserted into a chunk must stay small too.

    durable handles at most ~252 properties per message; beyond that ``assert_facts`` returns result
    code 0 with a garbage state offset and the next call segfaults.
    Agreeing with the reference passes; so does a clean EngineFault refusal. A crash does not.
    """
    result = python("""
        from engine.evaluate import reference
        from engine.evaluate.durable import DurableEvaluator
        from engine.errors import EngineFault
        from engine.compiler.plan import Plan, PlanCheck
        plan = Plan(name="wide", ruleset_hash="h", facts=tuple(f"x{i}" for i in range(300)),
                    checks=tuple(PlanCheck(key=f"k{i}", fact=i, op="gte", value=5) for i in range(300)))
        rows = [{f"f{i}": 9 for i in range(300)}, {f"f{i}": i % 10 for i in range(300)}, {}]
        try:
            with DurableEvaluator(plan) as evaluator:
                print("agrees" if evaluator.evaluate(rows) == reference.evaluate(plan, rows) else "disagrees")
        except EngineFault:
            print("refused")
    """)
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    assert result.stdout.strip() in ("agrees", "refused")


# ---------------------------------------------------------------- 8. a fresh state per batch, deleted in finally


def test_a_fresh_state_per_batch_and_chunk_deleted_afterwards(spy: DurableSpy) -> None:
    plan = wide_plan(120)
    rows = [{f"f{i}": (i + n) % 9 for i in range(120)} for n in range(7)]
    with DurableEvaluator(plan, batch_size=3) as evaluator:
        assert evaluator.evaluate(rows) == reference.evaluate(plan, rows)
        asserted = spy.asserted()
        assert [len(facts) for _h, facts in asserted] == [3, 3, 3, 3, 3, 3, 1, 1, 1]  # 3 batches × 3 chunks
        states = []
        for handle, facts in asserted:
            (sid,) = {fact["sid"] for fact in facts}
            states.append((handle, sid))
        assert len(set(states)) == len({sid for _h, sid in states}) == 9  # fresh every time
        assert sorted(spy.deleted()) == sorted(states)
        for handle, sid in states:
            with pytest.raises(dre.error, match="309"):  # state not found: nothing lingers
                dre.get_state(handle, sid)


def test_more_batches_than_the_live_state_limit() -> None:
    """3000 batches of one row: more than the 1024 live states a ruleset can hold."""
    plan = plan_of(*EVERY_OP)
    rows = [PASS_ALL, FAIL_ALL, {}] * 1000
    with DurableEvaluator(plan, batch_size=1) as evaluator:
        assert evaluator.evaluate(rows) == reference.evaluate(plan, rows)


class _OrjsonFailing:
    """orjson, except that one function raises on its n-th call."""

    def __init__(self, function: str, on_call: int) -> None:
        self.function, self.on_call, self.count = function, on_call, 0

    def __getattr__(self, name: str) -> Any:
        real = getattr(orjson, name)
        if name != self.function:
            return real

        def failing(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            if self.count == self.on_call:
                raise RuntimeError("injected failure")
            return real(*args, **kwargs)

        return failing


def test_the_state_is_deleted_after_a_failure_mid_batch(spy: DurableSpy, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = plan_of(*EVERY_OP)
    rows = [FAIL_ALL, PASS_ALL, FAIL_ALL]
    with DurableEvaluator(plan) as evaluator:
        # the 2nd action message fails to parse, with more actions still queued
        row_pattern = adapter._ROW
        calls = iter(range(1, 1000))

        class _FailingPattern:
            def findall(self, text: str) -> list[str]:
                if next(calls) == 2:
                    raise RuntimeError("injected failure")
                return row_pattern.findall(text)

        monkeypatch.setattr(adapter, "_ROW", _FailingPattern())
        with pytest.raises(RuntimeError, match="injected failure"):
            evaluator.evaluate(rows)
        ((handle, facts),) = spy.asserted()
        sid = facts[0]["sid"]
        assert spy.deleted() == [(handle, sid)]
        with pytest.raises(dre.error, match="309"):
            dre.get_state(handle, sid)
        monkeypatch.setattr(adapter, "_ROW", row_pattern)
        assert evaluator.evaluate(rows) == reference.evaluate(plan, rows)


@pytest.mark.parametrize("trigger", ["injected", "int beyond 64 bits"])
def test_a_failure_before_the_assert_surfaces_unmasked(trigger: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """No state exists yet, so the cleanup must not replace the real error with 'delete_state ... 309'."""
    plan = plan_of(*EVERY_OP)
    with DurableEvaluator(plan) as evaluator:
        rows = [PASS_ALL]
        if trigger == "injected":
            monkeypatch.setattr(adapter, "orjson", _OrjsonFailing("dumps", on_call=1))
        else:
            rows = [{**PASS_ALL, "f0": 2**64}]
        with pytest.raises(Exception) as raised:
            evaluator.evaluate(rows)
        assert not isinstance(raised.value, dre.error), f"the cleanup masked the real error: {raised.value!r}"
        assert isinstance(raised.value, RuntimeError | TypeError | EngineFault), repr(raised.value)
        monkeypatch.setattr(adapter, "orjson", orjson)
        assert evaluator.evaluate([PASS_ALL]) == [frozenset(range(len(EVERY_OP)))]


# ---------------------------------------------------------------- 9. no background timer threads


def test_no_background_threads() -> None:
    before = {t.ident for t in threading.enumerate()}
    count = threading.active_count()
    with DurableEvaluator(wide_plan(120)) as evaluator:
        evaluator.evaluate([{f"f{i}": i % 10 for i in range(120)}] * 20)
        assert threading.active_count() == count
    assert threading.active_count() == count
    assert {t.ident for t in threading.enumerate()} == before


def test_the_host_api_is_never_loaded() -> None:
    result = python("""
        import sys, threading
        from engine.evaluate.durable import DurableEvaluator
        from engine.compiler.plan import Plan, PlanCheck
        plan = Plan(name="t", ruleset_hash="h", facts=("x",), checks=(PlanCheck(key="k", fact=0, op="gt", value=1),))
        with DurableEvaluator(plan) as evaluator:
            assert evaluator.evaluate([{"f0": 2}, {}]) == [frozenset({0}), frozenset()]
        print(threading.active_count(), sorted(m for m in sys.modules if m.split(".")[0] == "durable"))
    """)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "1 []"
