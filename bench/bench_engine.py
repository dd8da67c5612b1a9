"""layak benchmark: the durable path with full decisions against the reference evaluator and zen-engine.

Run from the repository root:  python bench/bench_engine.py [--n 10000] [--repeat 3] [--memory] [--profile TOP]
See bench/README.md for what is timed and the last printed numbers.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from importlib import metadata

import memory
import profiling
from gen import AS_OF, SEED
from timing import Case, Timing, measure
from workload import Workload, build
from zen_backend import CHUNK, ZenEvaluator

from engine.evaluate import reference
from engine.evaluate.durable import DurableEvaluator

TARGET_RATIO = 1.5
WARMUP = 2_000


def _log(message: str) -> None:
    # Progress goes to stderr so that stdout is exactly the report that README.md quotes.
    print(message, file=sys.stderr, flush=True)


def _versions() -> str:
    names = ("durable_rules", "zen-engine", "pydantic", "orjson")
    return ", ".join(f"{name} {metadata.version(name)}" for name in names)


def cases(workload: Workload, durable: DurableEvaluator, zen_eval: ZenEvaluator) -> list[Case]:
    """The timed cases, all starting from the same encoded rows; (1) and (2) end in Decision objects."""
    plan, rows = workload.plan, workload.rows
    return [
        Case(
            "durable",
            "(1) durable: DurableEvaluator.evaluate + decide() -> Decision",
            lambda: workload.decisions(durable.evaluate(rows)),
        ),
        Case(
            "reference",
            "(2) reference: reference.evaluate + decide() -> Decision",
            lambda: workload.decisions(reference.evaluate(plan, rows)),
        ),
        Case(
            "zen",
            f"(3) zen-engine: loop-mode expression node, {CHUNK:,} per call -> booleans",
            lambda: zen_eval.evaluate(rows),
        ),
        Case(
            "durable_shown",
            "(1s) (1), then Decision.requirements built (lazy Outcome view)",
            lambda: [d.requirements for d in workload.decisions(durable.evaluate(rows))],
        ),
        Case("durable_eval", "(1e) durable: DurableEvaluator.evaluate only", lambda: durable.evaluate(rows)),
        Case("reference_eval", "(2e) reference: reference.evaluate only", lambda: reference.evaluate(plan, rows)),
    ]


def verify(workload: Workload, durable: DurableEvaluator, zen_eval: ZenEvaluator) -> list[str]:
    """Every backend must agree with the reference on every check of every row, or the run stops.

    Decisions are not compared: ``decide`` is a deterministic function of the same inputs and the
    passing checks, so equal passing sets give equal decisions.
    """
    plan, rows = workload.plan, workload.rows
    expected = reference.evaluate(plan, rows)
    durable_passed = durable.evaluate(rows)
    zen_passed = [zen_eval.passed(result) for result in zen_eval.evaluate(rows)]
    present = absent = 0
    for row in rows:
        for check in plan.checks:
            if f"f{check.fact}" in row:
                present += 1
            else:
                absent += 1
    bad_durable = sum(1 for a, b in zip(expected, durable_passed, strict=True) if a != b)
    bad_zen = sum(1 for a, b in zip(expected, zen_passed, strict=True) if a != b)
    if bad_durable or bad_zen:
        raise SystemExit(f"backends disagree with the reference: durable on {bad_durable} rows, zen on {bad_zen}")
    with_gap = sum(1 for row in rows if len(row) < len(plan.facts))
    return [
        f"verified: durable and zen equal the reference on all {len(rows):,} rows x {len(plan.checks)} checks "
        f"({present:,} check results on present facts, {absent:,} on absent facts: false in all three)",
        f"workload: {with_gap:,} candidates ({with_gap / len(rows):.1%}) lack at least one fact",
    ]


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
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    # Adjacent rounds share the machine's load, so per-round ratios and the fastest rounds are
    # cross-checks on the ratio of medians when other processes compete for the two cores.
    per_round = [a / b for a, b in zip(durable.wall_ns, zen.wall_ns, strict=True)]
    lines += [
        f"ratio (1)/(3) durable+decide / zen  = {ratio:.2f}x   target <= {TARGET_RATIO}x: {verdict}",
        f"  cross-checks: per-round ratios {', '.join(f'{r:.2f}' for r in per_round)} "
        f"(median {statistics.median(per_round):.2f}x); fastest rounds {durable.min_us / zen.min_us:.2f}x; "
        f"CPU time {durable.median_cpu_us / zen.median_cpu_us:.2f}x",
        f"ratio (2)/(3) reference+decide / zen = {timings['reference'].median_us / zen_us:.2f}x",
        f"ratio (1s)/(3) durable+decide+outcome view / zen = {timings['durable_shown'].median_us / zen_us:.2f}x",
        f"ratio (1e)/(3) durable evaluate only / zen = {timings['durable_eval'].median_us / zen_us:.2f}x",
        f"ratio (2e)/(3) reference evaluate only / zen = {timings['reference_eval'].median_us / zen_us:.2f}x",
        f"decide() share of (1): {1 - timings['durable_eval'].median_us / timings['durable'].median_us:.0%}",
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
    workload = _timed("setup (generate, derive, encode; untimed)", lambda: build(args.n, args.seed))
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
            "timed: from encoded fact rows (dicts of f<i> -> int, built once) to each backend's output; "
            "generation, derivation, encoding and engine compilation are untimed"
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
