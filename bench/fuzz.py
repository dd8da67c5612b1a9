"""The full fuzz run: N mutated candidate files and M mutated rule files through the CLI, figures as JSON.

    python bench/fuzz.py --candidates 10000 --rules 1000 --seed 1 [--workers 2] [--max-seconds 3600]

Each worker is a subprocess, so a death by signal is seen and counted (the case it was running is
named) instead of ending the run; within a worker the cases run in-process through the CLI (`check
--format json` for a candidate, `validate --format json` for a rule file). Counted as failures: exit 4,
an uncaught exception, a traceback in the output, a problem that does not name file, line and field
(see ``fuzz_checks.unlocated``: the rule for each kind of problem), an answered candidate file whose
loaded values differ in type or value from the ones written (a silent coercion), a death by signal, a
case over 30 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SLOW_SECONDS = 30.0


def worker(seed: int, kind: str, start: int, stop: int, progress: Path) -> None:
    from fuzz_inputs import make_case, run_case

    workdir = Path(tempfile.mkdtemp(prefix="layak-fuzz-"))
    for number in range(start, stop):
        progress.write_text(str(number))
        case = make_case(seed, number, kind)
        began = time.perf_counter()
        outcome = run_case(case, workdir)
        print(
            json.dumps(
                {
                    "n": number,
                    "kind": kind,
                    "code": int(outcome.code),
                    "internal": outcome.internal_error,
                    "traceback": outcome.traceback,
                    "unlocated": outcome.unlocated,
                    "coerced": outcome.coerced,
                    "seconds": round(time.perf_counter() - began, 3),
                }
            ),
            flush=True,
        )


def run_slice(
    seed: int, kind: str, start: int, stop: int, deadline: float
) -> tuple[list[dict[str, object]], list[int], list[int]]:
    """Results of cases [start, stop), and the cases that killed or hung a worker (it restarts after them)."""
    results: list[dict[str, object]] = []
    deaths: list[int] = []
    hangs: list[int] = []
    with tempfile.NamedTemporaryFile(prefix="layak-fuzz-progress-") as handle:
        progress = Path(handle.name)
        while start < stop and time.monotonic() < deadline:
            # a worker may spend at most the slow-case limit per remaining case, and never past the deadline
            limit = min(deadline - time.monotonic(), SLOW_SECONDS * 4 + (stop - start) * 2.0)
            try:
                proc = subprocess.run(
                    [sys.executable, __file__, "--worker", kind, str(seed), str(start), str(stop), str(progress)],
                    capture_output=True,
                    text=True,
                    check=False,
                    timeout=max(1.0, limit),
                )
                out, returncode = proc.stdout, proc.returncode
            except subprocess.TimeoutExpired as expired:
                raw = expired.stdout or ""
                out, returncode = raw.decode() if isinstance(raw, bytes) else raw, None
            done = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
            results.extend(done)
            if returncode == 0:
                break
            failed = int(progress.read_text() or start)
            if returncode is None:
                if time.monotonic() >= deadline:
                    break
                hangs.append(failed)
            else:
                deaths.append(failed)
            start = failed + 1
    return results, deaths, hangs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--rules", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-seconds", type=float, default=3 * 3600)
    args = parser.parse_args()
    deadline = time.monotonic() + args.max_seconds
    began = time.perf_counter()
    jobs = []
    for kind, total in (("candidate", args.candidates), ("rules", args.rules)):
        jobs += [(kind, s, min(s + 250, total)) for s in range(0, total, 250)]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(args.workers) as pool:
        outs = list(pool.map(lambda job: run_slice(args.seed, job[0], job[1], job[2], deadline), jobs))
    results = [r for rs, _d, _h in outs for r in rs]
    deaths = [d for _r, ds, _h in outs for d in ds]
    hangs = [h for _r, _d, hs in outs for h in hs]
    summary = {
        "seed": args.seed,
        "cases": Counter(str(r["kind"]) for r in results),
        "exit_codes": Counter(f"{r['kind']}:{r['code']}" for r in results),
        "internal_errors": sum(bool(r["internal"]) for r in results),
        "tracebacks": sum(bool(r["traceback"]) for r in results),
        "unlocated_rejections": sum(bool(r["unlocated"]) for r in results),
        "silent_coercions": sum(bool(r["coerced"]) for r in results),
        "signal_deaths": len(deaths),
        "slow_cases": sum(float(str(r["seconds"])) > SLOW_SECONDS for r in results),
        "slowest_seconds": max((float(str(r["seconds"])) for r in results), default=0.0),
        "bad": [r for r in results if r["internal"] or r["traceback"] or r["unlocated"] or r["coerced"]][:20],
        "death_cases": deaths[:20],
        "hung_workers": len(hangs),
        "hang_cases": hangs[:20],
        "wall_seconds": round(time.perf_counter() - began, 1),
        "worker_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
    }
    print(json.dumps(summary, indent=2, sort_keys=True))
    failed = (
        summary["internal_errors"]
        or summary["tracebacks"]
        or summary["unlocated_rejections"]
        or summary["silent_coercions"]
        or deaths
    )
    sys.exit(1 if failed or hangs or summary["slow_cases"] else 0)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        os.environ.setdefault("LAYAK_DB", str(Path(tempfile.mkdtemp()) / "audit.db"))
        worker(int(sys.argv[3]), sys.argv[2], int(sys.argv[4]), int(sys.argv[5]), Path(sys.argv[6]))
    else:
        main()
