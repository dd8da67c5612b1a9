"""Soak: the same `layak diff` many times, and check/replay loops, counting engine faults (exit 4).

    python bench/faults_soak.py --diffs 500 --loops 100 --batches 100000 [--max-seconds 7200]

The diff is the one that failed 1 run in 41 before the duplicate-message fix: fixtures/population,
administrator, experience 3y -> 4y. Every run gets fresh durable state ids, so each run is another
draw of the message-id hashes the engine compares. The loops `check` the bundled candidates into a
fresh SQLite store and `replay --all` them. ``--batches`` drives the durable adapter directly with the
population's administrator rows, 500 per batch (what each diff does tens of times, without the file
loading around it), counting faults and the batches run again after a duplicate-message refusal.
Prints JSON; exit 1 on any fault.
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


def engine_batches(count: int, deadline: float) -> dict[str, object]:
    """``count`` batches of population rows through the durable adapter, each in fresh engine states."""
    import datetime as dt

    from engine.compiler.plan import compile_position, encode_row
    from engine.decide.pipeline import select_position
    from engine.errors import EngineFault
    from engine.evaluate.durable import DurableEvaluator
    from engine.facts.derive import derive
    from engine.load.intake import load_candidates
    from engine.load.library import content_hash, load_library

    as_of = dt.date.fromisoformat(AS_OF)
    ruleset = load_library(ROOT / "rules").for_position("administrator", None, as_of)
    position = select_position(ruleset, "administrator")
    plan = compile_position(ruleset, position, content_hash(ruleset))
    loaded, _problems = load_candidates([ROOT / "fixtures" / "population" / "candidates"])
    rows = [encode_row(plan, derive(item.candidate, as_of)) for item in loaded][:500]
    done = faults = 0
    began = time.perf_counter()
    with DurableEvaluator(plan) as evaluator:
        expected = evaluator.evaluate(rows)
        for _ in range(count):
            if time.monotonic() > deadline:
                break
            try:
                if evaluator.evaluate(rows) != expected:
                    faults += 1
            except EngineFault:
                faults += 1
            done += 1
        retries, chunks = evaluator.retries, len(evaluator.chunks)
    return {
        "batches": done,
        "rows_per_batch": len(rows),
        "chunks_per_batch": chunks,
        "faults": faults,
        "retried_chunks": retries,
        "seconds": round(time.perf_counter() - began, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--diffs", type=int, default=500)
    parser.add_argument("--loops", type=int, default=100)
    parser.add_argument("--batches", type=int, default=0)
    parser.add_argument("--max-seconds", type=float, default=2 * 3600)
    args = parser.parse_args()
    deadline = time.monotonic() + args.max_seconds
    work = Path(tempfile.mkdtemp(prefix="layak-soak-"))
    proposed = proposed_rules(work)
    runner = CliRunner()
    codes: Counter[str] = Counter()
    faults: list[str] = []
    began = time.perf_counter()
    for number in range(args.diffs):
        if time.monotonic() > deadline:
            break
        result = runner.invoke(
            cli,
            [
                "diff",
                str(ROOT / "rules"),
                str(proposed),
                "--candidates",
                str(ROOT / "fixtures" / "population" / "candidates"),
                "--position",
                "administrator",
                "--as-of",
                AS_OF,
                "--format",
                "json",
            ],
        )
        codes[f"diff:{result.exit_code}"] += 1
        if result.exit_code not in (0, 1):
            faults.append(f"diff {number}: exit {result.exit_code}: {result.stderr[-300:]}")
    diff_seconds = time.perf_counter() - began
    for number in range(args.loops):
        if time.monotonic() > deadline:
            break
        env = {"LAYAK_DB": str(work / f"audit-{number}.db")}
        check = runner.invoke(
            cli,
            [
                "check",
                str(ROOT / "fixtures" / "candidates"),
                "--position",
                "administrator",
                "--as-of",
                AS_OF,
                "--format",
                "json",
            ],
            env=env,
        )
        replay = runner.invoke(cli, ["replay", "--all"], env=env)
        codes[f"check:{check.exit_code}"] += 1
        codes[f"replay:{replay.exit_code}"] += 1
        for name, result in (("check", check), ("replay", replay)):
            if result.exit_code != 0:
                faults.append(f"{name} {number}: exit {result.exit_code}: {result.stderr[-300:]}")
    shutil.rmtree(work, ignore_errors=True)
    engine = engine_batches(args.batches, deadline) if args.batches else {}
    if engine.get("faults"):
        faults.append(f"engine: {engine['faults']} faults")
    print(
        json.dumps(
            {
                "engine": engine,
                "exit_codes": codes,
                "faults": len(faults),
                "first_faults": faults[:5],
                "diff_seconds": round(diff_seconds, 1),
                "total_seconds": round(time.perf_counter() - began, 1),
            },
            indent=2,
            sort_keys=True,
        )
    )
    sys.exit(1 if faults else 0)


if __name__ == "__main__":
    main()
