"""Soak: the population diff many times, and check/replay loops, counting engine faults; figures as JSON.

    python bench/faults_soak.py --engine-diffs 500 --loops 100 --diffs 500 [--max-seconds 7200]

The diff is the one that failed 1 run in 41 before the duplicate-message fix: fixtures/population (2,000
candidates), administrator, experience 3y -> 4y. The fault was in the engine: durable-rules compares
32-bit hashes of message ids that depend on the state id, so every run is a fresh draw.
1. ``--engine-diffs``: the engine half of that diff, in-process: the 2,000 rows under both rulesets,
   each time compiled into new durable rulesets and evaluated in fresh states (4 batches of 500 per
   side), compared with the pure-Python reference evaluator. Loading and rendering (which cannot
   raise this fault) are done once, which makes 500 affordable on a shared machine.
2. ``--loops``: `check` the bundled candidates into a fresh SQLite store, then `replay --all` (durable).
3. ``--diffs``: whole `layak diff` runs through the CLI in-process, as many as the time left allows.
A fault is an engine fault, a result that differs from the reference, or an exit other than 0/1
(diff) or 0 (check, replay). Progress goes to stderr; exit 1 on any fault.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cli import cli  # noqa: E402

AS_OF = "2026-12-01"


def proposed_rules(folder: Path) -> Path:
    target = folder / "proposed"
    shutil.copytree(ROOT / "rules", target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    path = target / "national" / "managerial.yaml"
    text = path.read_text()
    start, end = text.index("  - id: administrator\n"), text.index("  - id: pengawas\n")
    path.write_text(text[:start] + text[start:end].replace("value: 3y", "value: 4y") + text[end:])
    return target


def engine_diffs(count: int, deadline: float, proposed: Path) -> dict[str, object]:
    """The engine half of the population diff, ``count`` times: both rulesets compiled into fresh durable
    rulesets, all 2,000 rows evaluated in fresh states (batches of 500), compared with the reference evaluator."""
    import datetime as dt

    from engine.compiler.plan import compile_position, encode_row
    from engine.decide.pipeline import select_position
    from engine.errors import EngineFault
    from engine.evaluate import reference
    from engine.evaluate.durable import DurableEvaluator
    from engine.facts.derive import derive
    from engine.load.intake import load_candidates
    from engine.load.library import content_hash, load_library

    as_of = dt.date.fromisoformat(AS_OF)
    loaded, _problems = load_candidates([ROOT / "fixtures" / "population" / "candidates"])
    facts = [derive(item.candidate, as_of) for item in loaded]
    sides = []
    for rules in (ROOT / "rules", proposed):
        ruleset = load_library(rules).for_position("administrator", None, as_of)
        plan = compile_position(ruleset, select_position(ruleset, "administrator"), content_hash(ruleset))
        rows = [encode_row(plan, f) for f in facts]
        sides.append((plan, rows, reference.evaluate(plan, rows)))
    done = faults = mismatches = retries = batches = 0
    began = time.perf_counter()
    for number in range(count):
        if time.monotonic() > deadline:
            break
        for plan, rows, expected in sides:
            try:
                with DurableEvaluator(plan) as evaluator:
                    got = evaluator.evaluate(rows)
                    retries += evaluator.retries
                    batches += -(-len(rows) // evaluator.batch_size)
                mismatches += got != expected
            except EngineFault as fault:
                faults += 1
                print(f"engine diff {number}: {fault}", file=sys.stderr, flush=True)
        done += 1
        if done % 50 == 0:
            print(f"engine diffs: {done}, faults {faults}, mismatches {mismatches}", file=sys.stderr, flush=True)
    return {
        "diffs": done,
        "rows_per_side": len(facts),
        "durable_batches": batches,
        "faults": faults,
        "mismatches_with_reference": mismatches,
        "retried_chunks": retries,
        "seconds": round(time.perf_counter() - began, 1),
    }


def cli_diff(runner: CliRunner, proposed: Path) -> Any:
    population = ROOT / "fixtures" / "population" / "candidates"
    args = ["diff", str(ROOT / "rules"), str(proposed), "--candidates", str(population)]
    return runner.invoke(cli, [*args, "--position", "administrator", "--as-of", AS_OF, "--format", "json"])


def check_replay(runner: CliRunner, db: Path) -> tuple[Any, Any]:
    env = {"LAYAK_DB": str(db)}
    args = ["check", str(ROOT / "fixtures" / "candidates"), "--position", "administrator", "--as-of", AS_OF]
    check = runner.invoke(cli, [*args, "--format", "json"], env=env)
    return check, runner.invoke(cli, ["replay", "--all"], env=env)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine-diffs", type=int, default=500)
    parser.add_argument("--loops", type=int, default=100)
    parser.add_argument("--diffs", type=int, default=500, help="whole `layak diff` runs, after the rest")
    parser.add_argument("--max-seconds", type=float, default=2 * 3600)
    args = parser.parse_args()
    deadline = time.monotonic() + args.max_seconds
    work = Path(tempfile.mkdtemp(prefix="layak-soak-"))
    proposed = proposed_rules(work)
    runner = CliRunner()
    codes: Counter[str] = Counter()
    faults: list[str] = []
    began = time.perf_counter()
    engine = engine_diffs(args.engine_diffs, deadline, proposed) if args.engine_diffs else {}
    if engine.get("faults") or engine.get("mismatches_with_reference"):
        faults.append(f"engine: {engine['faults']} faults, {engine['mismatches_with_reference']} mismatches")
    seconds = {"loops": 0.0, "diffs": 0.0}
    for number in range(args.loops):
        if time.monotonic() > deadline:
            break
        started = time.perf_counter()
        check, replay = check_replay(runner, work / f"audit-{number}.db")
        seconds["loops"] += time.perf_counter() - started
        codes[f"check:{check.exit_code}"] += 1
        codes[f"replay:{replay.exit_code}"] += 1
        for name, result in (("check", check), ("replay", replay)):
            if result.exit_code != 0:
                faults.append(f"{name} {number}: exit {result.exit_code}: {result.stderr[-300:]}")
    print(f"loops done: {codes}", file=sys.stderr, flush=True)
    for number in range(args.diffs):
        if time.monotonic() > deadline:
            break
        started = time.perf_counter()
        result = cli_diff(runner, proposed)
        seconds["diffs"] += time.perf_counter() - started
        codes[f"diff:{result.exit_code}"] += 1
        if result.exit_code not in (0, 1):
            faults.append(f"diff {number}: exit {result.exit_code}: {result.stderr[-300:]}")
        print(f"diff {number}: exit {result.exit_code}", file=sys.stderr, flush=True)
    shutil.rmtree(work, ignore_errors=True)
    print(
        json.dumps(
            {
                "engine": engine,
                "exit_codes": codes,
                "faults": len(faults),
                "first_faults": faults[:5],
                "loop_seconds": round(seconds["loops"], 1),
                "diff_seconds": round(seconds["diffs"], 1),
                "total_seconds": round(time.perf_counter() - began, 1),
            },
            indent=2,
            sort_keys=True,
        )
    )
    sys.exit(1 if faults else 0)


if __name__ == "__main__":
    main()
