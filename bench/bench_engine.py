"""layak benchmark: equal work on the shipped administrator plan, facts -> encode -> engine -> Decision, for
durable-rules, zen-engine and the columnar backend side by side (goal: durable path <= 80 µs per candidate and
<= 1.0x the zen path), with each stage also timed alone.

Run from the repository root:  python bench/bench_engine.py [--n 10000] [--repeat 3] [--memory] [--profile TOP]
See bench/README.md for what is timed and the last printed numbers. --memory and --profile use the bench plan
(bench/rules, workload.py).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections import Counter
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import memory
import profiling
from gen import AS_OF, SEED
from timing import Case, Timing, measure
from workload import Workload, build
from zen_backend import CHUNK, ZenEvaluator

from engine.compiler.layout import Layout, compile_layout
from engine.compiler.plan import compile_position, encode_row
from engine.decide.decision import Decision
from engine.evaluate import columnar, reference
from engine.evaluate.durable import DurableEvaluator
from engine.facts.derive import derive
from engine.load.library import content_hash, load_library

SHIPPED = Path(__file__).resolve().parent.parent / "rules"
SHIPPED_POSITION = "administrator"

TARGET_RATIO = 1.0
TARGET_US = 80.0
WARMUP = 2_000


def _log(message: str) -> None:
    # Progress goes to stderr so that stdout is exactly the report that README.md quotes.
    print(message, file=sys.stderr, flush=True)


def _versions() -> str:
    names = ("durable_rules", "zen-engine", "pydantic", "orjson")
    return ", ".join(f"{name} {metadata.version(name)}" for name in names)


def shipped(n: int, seed: int) -> Workload:
    """The shipped administrator plan over ``n`` generated candidates: facts derived (untimed), rows encoded."""
    ruleset = load_library(SHIPPED).for_position(SHIPPED_POSITION, None, AS_OF)
    position = ruleset.position(SHIPPED_POSITION)
    if position is None:
        raise SystemExit(f"{SHIPPED} has no position '{SHIPPED_POSITION}'")
    digest = content_hash(ruleset)
    plan = compile_position(ruleset, position, digest)
    layout: Layout = compile_layout(ruleset, digest, position, plan)
    from gen import generate

    candidates = generate(n, seed)
    facts = [derive(candidate, AS_OF) for candidate in candidates]
    return Workload(position, plan, layout, candidates, facts, [encode_row(plan, f) for f in facts])


def _encode(workload: Workload) -> list[dict[str, int]]:
    plan = workload.plan
    return [encode_row(plan, facts) for facts in workload.facts]


def cases(workload: Workload, durable: DurableEvaluator, zen_eval: ZenEvaluator) -> list[Case]:
    """The timed cases: (1)-(3) the same work from derived facts to Decision objects; the rest one stage each."""
    plan, rows = workload.plan, workload.rows

    def zen_passed(encoded: list[dict[str, int]]) -> list[frozenset[int]]:
        return [zen_eval.passed(result) for result in zen_eval.evaluate(encoded)]

    return [
        Case(
            "durable",
            "(1) durable: encode_row + DurableEvaluator.evaluate + decide()",
            lambda: workload.decisions(durable.evaluate(_encode(workload))),
        ),
        Case(
            "zen",
            f"(2) zen-engine: encode_row + loop-mode node ({CHUNK:,}/call) + decide()",
            lambda: workload.decisions(zen_passed(_encode(workload))),
        ),
        Case(
            "columnar",
            "(3) columnar: encode_row + polars frame + masks + decide()",
            lambda: workload.decisions(columnar.evaluate(plan, _encode(workload))),
        ),
        Case(
            "reference",
            "(4) reference: encode_row + reference.evaluate + decide()",
            lambda: workload.decisions(reference.evaluate(plan, _encode(workload))),
        ),
        Case("encode", "(e) encode_row only", lambda: _encode(workload)),
        Case("durable_eval", "(1e) durable: DurableEvaluator.evaluate only", lambda: durable.evaluate(rows)),
        Case("zen_eval", "(2e) zen-engine: evaluate only (dicts of booleans)", lambda: zen_eval.evaluate(rows)),
        Case("columnar_eval", "(3e) columnar: columnar.evaluate only", lambda: columnar.evaluate(plan, rows)),
        Case("decide", "(d) decide() only (passing checks given)", lambda: workload.decisions(PASSED[0][: len(rows)])),
    ]


PASSED: list[list[frozenset[int]]] = [[]]  # the passing checks (d) decides from, set by verify()


def verify(workload: Workload, durable: DurableEvaluator, zen_eval: ZenEvaluator) -> list[str]:
    """Every backend must give the reference's passing checks on every row, and the same decisions, or the run
    stops."""
    plan, rows = workload.plan, workload.rows
    expected = reference.evaluate(plan, rows)
    found = {
        "durable": durable.evaluate(rows),
        "zen": [zen_eval.passed(result) for result in zen_eval.evaluate(rows)],
        "columnar": columnar.evaluate(plan, rows),
    }
    bad = {name: sum(1 for a, b in zip(expected, got, strict=True) if a != b) for name, got in found.items()}
    if any(bad.values()):
        raise SystemExit(f"backends disagree with the reference on rows: {bad}")
    PASSED[0] = expected
    decisions = {name: _dumped(workload.decisions(got)) for name, got in found.items()}
    if not decisions["durable"] == decisions["zen"] == decisions["columnar"]:
        raise SystemExit("equal passing checks gave different decisions")
    with_gap = sum(1 for row in rows if len(row) < len(plan.facts))
    return [
        f"verified: durable, zen and columnar equal the reference on all {len(rows):,} rows x {len(plan.checks)} "
        f"checks, and their {len(rows):,} Decisions are identical",
        f"workload: {with_gap:,} candidates ({with_gap / len(rows):.1%}) lack at least one fact",
    ]


def _dumped(decisions: list[Decision]) -> list[tuple[str, tuple[str, ...]]]:
    return [(d.verdict, d.statuses) for d in decisions]


def _verdicts(decisions: object) -> str:
    counts = Counter(d.verdict for d in decisions) if isinstance(decisions, list) else Counter()
    total = sum(counts.values()) or 1
    return ", ".join(f"{v} {counts[v] / total:.1%}" for v in ("eligible", "needs_review", "not_eligible"))


def report(timings: dict[str, Timing], repeat: int) -> list[str]:
    zen_us = timings["zen"].median_us
    lines = [
        f"median of {repeat} interleaved rounds (µs per candidate; spread = slowest/fastest round)",
        f"  {'case':<70} {'µs/cand':>9} {'cand/s':>9} {'x zen':>6} {'spread':>6} {'cpu/wall':>8}",
    ]
    for timing in timings.values():
        us = timing.median_us
        lines.append(
            f"  {timing.case.label:<70} {us:9.1f} {1e6 / us:9,.0f} {us / zen_us:6.2f} "
            f"{timing.spread:6.2f} {timing.cpu_per_wall:8.2f}"
        )
    durable, zen = timings["durable"], timings["zen"]
    ratio = durable.median_us / zen_us
    per_round = [a / b for a, b in zip(durable.wall_ns, zen.wall_ns, strict=True)]
    lines += [
        f"durable path (1): {durable.median_us:.1f} µs/candidate, target <= {TARGET_US:.0f}: "
        f"{'PASS' if durable.median_us <= TARGET_US else 'FAIL'}; CPU {durable.median_cpu_us:.1f} µs",
        f"ratio (1)/(2) durable path / zen path = {ratio:.2f}x   target <= {TARGET_RATIO}x: "
        f"{'PASS' if ratio <= TARGET_RATIO else 'FAIL'}",
        f"  cross-checks: per-round ratios {', '.join(f'{r:.2f}' for r in per_round)}; fastest rounds "
        f"{durable.min_us / zen.min_us:.2f}x; CPU time {durable.median_cpu_us / zen.median_cpu_us:.2f}x",
        f"ratio (3)/(2) columnar path / zen path = {timings['columnar'].median_us / zen_us:.2f}x",
        f"shares of (1): encode {timings['encode'].median_us / durable.median_us:.0%}, engine "
        f"{timings['durable_eval'].median_us / durable.median_us:.0%}, decide "
        f"{timings['decide'].median_us / durable.median_us:.0%}",
    ]
    return lines


def _timed(label: str, action: Callable[[], Workload]) -> Workload:
    start = time.perf_counter()
    result = action()
    _log(f"{label}: {time.perf_counter() - start:.1f} s")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="generated candidates (default 10,000)")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved timed rounds (default 3)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"generator seed (default {SEED})")
    parser.add_argument("--memory", action="store_true", help="measure RSS growth instead of speed")
    parser.add_argument("--evaluations", type=int, default=100_000, help="memory mode: evaluations after warm-up")
    parser.add_argument("--warmup", type=int, default=20_000, help="memory mode: warm-up evaluations")
    parser.add_argument(
        "--profile",
        type=int,
        metavar="TOP",
        default=0,
        help="also print a cProfile of the durable path (top TOP functions)",
    )
    args = parser.parse_args(argv)

    print(
        f"layak bench: {platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f} at start; {_versions()}"
    )
    make = build if args.memory else shipped
    workload = _timed("setup (generate, derive, encode; untimed)", lambda: make(args.n, args.seed))
    plan = workload.plan
    print(
        f"workload: {args.n:,} generated candidates (seed {args.seed}, as of {AS_OF}), position "
        f"'{workload.position.id}': {len(workload.position.requirements)} requirements, {len(plan.checks)} checks "
        f"over {len(plan.facts)} facts"
    )

    if args.memory:
        flat = memory.run(
            workload, evaluations=args.evaluations, warmup=args.warmup, batch=min(2_000, args.n), sample_every=10_000
        )
        print("\n".join(memory.report(flat)))
        return 0

    with DurableEvaluator(plan) as durable:
        zen_eval = ZenEvaluator(plan)
        print("\n".join(verify(workload, durable, zen_eval)))
        print(
            "timed: (1)-(4) from derived facts (Facts, built once) through encode_row and the engine to Decision "
            "objects; (1e)-(3e) from encoded rows; generation, derivation and engine compilation are untimed"
        )
        warm = workload.slice(0, min(WARMUP, args.n))
        for case in cases(warm, durable, zen_eval):  # untimed warm-up: imports, caches, allocator
            result = case.run()
            if case.key == "durable":
                print(f"verdicts of the first {len(warm.rows):,} (warm-up): {_verdicts(result)}")
        timings = measure(cases(workload, durable, zen_eval), args.n, args.repeat, _log)
    print("\n".join(report(timings, args.repeat)))
    print(f"load average {os.getloadavg()[0]:.2f} at end")
    if args.profile:
        print(profiling.run(workload, args.profile))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
