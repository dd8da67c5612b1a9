"""layak benchmark: `diff` over the committed 2,000-candidate population, shipped rules against a changed copy,
and `diff --facts` over a facts table of generated candidates (default 100,000), side by side in one run.

Run from the repository root:  python bench/bench_diff.py [--repeat 3] [--position administrator] [--all-positions]
                                                        [--facts-rows 100000] [--cross-check 1]
See bench/README.md ("layak diff") for what is timed and the last printed numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from engine.decide.pipeline import Backend
from engine.load.intake import LoadedCandidate, load_candidates
from engine.load.library import Library, load_library
from engine.tools.diff import DiffReport, common_positions, diff

ROOT = Path(__file__).resolve().parent.parent
POPULATION = ROOT / "fixtures" / "population"
AS_OF = dt.date(2026, 12, 1)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def proposed_rules(folder: Path) -> Path:
    """The shipped rules with Administrator's experience raised from 3 to 4 years (both alternatives)."""
    target = folder / "rules-proposed"
    shutil.copytree(ROOT / "rules", target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    path = target / "national" / "managerial.yaml"
    text = path.read_text()
    start, end = text.index("  - id: administrator\n"), text.index("  - id: pengawas\n")
    path.write_text(text[:start] + text[start:end].replace("value: 3y", "value: 4y") + text[end:])
    return target


def timed(run: Callable[[], object], repeat: int) -> tuple[list[float], object]:
    walls, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        walls.append(time.perf_counter() - started)
    return walls, result


def line(label: str, walls: list[float], count: int) -> str:
    median = statistics.median(walls)
    return (
        f"  {label:<34} {median:8.2f} s  {count / median:9,.0f} candidates/s  "
        f"(rounds: {', '.join(f'{w:.2f}' for w in walls)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds per case [3]")
    parser.add_argument("--position", default="administrator", help="position class compared [administrator]")
    parser.add_argument("--all-positions", action="store_true", help="compare every class in force in both")
    parser.add_argument("--facts-rows", type=int, default=100_000, help="generated rows of the facts table [100000]")
    parser.add_argument("--cross-check", type=float, default=1.0, help="percent re-decided on durable-rules [1]")
    parser.add_argument("--keep-table", type=Path, default=None, help="build the generated table here once, reuse it")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"layak diff bench: CPython {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {load:.2f} at start"
    )
    _log("loading the population (once, timed) ...")
    started = time.perf_counter()
    candidates, problems = load_candidates([POPULATION])
    load_s = time.perf_counter() - started
    if problems:
        raise SystemExit(f"{len(problems)} population files do not load: {problems[0]}")
    count = len(candidates)
    with tempfile.TemporaryDirectory() as tmp:
        base, proposed = load_library(ROOT / "rules"), load_library(proposed_rules(Path(tmp)))
        positions = common_positions(base, proposed, AS_OF)[0] if args.all_positions else [args.position]
        print(
            f"workload: {count:,} candidates (fixtures/population, as of {AS_OF}); BASE rules/ vs PROPOSED = "
            f"rules/ with administrator experience 3y -> 4y; {len(positions)} position class(es): "
            f"{', '.join(positions)}"
        )
        print("timed (median of rounds; each candidate decided under both rule sets, then compared):")
        print(f"  {'load_candidates (1 round)':<34} {load_s:8.2f} s  {count / load_s:9,.0f} candidates/s")
        reports: dict[str, DiffReport] = {}
        from bench_facts import facts_cases

        facts_cases(
            base,
            proposed,
            positions,
            candidates,
            Path(tmp),
            args.facts_rows,
            args.cross_check,
            args.repeat,
            line,
            timed,
            args.keep_table,
        )
        for backend in ("durable", "reference"):
            _log(f"diff with the {backend} engine ...")
            engine: Backend = "durable" if backend == "durable" else "reference"
            walls, report = timed(
                functools.partial(run_diff, base, proposed, positions, candidates, engine), args.repeat
            )
            assert isinstance(report, DiffReport)
            reports[backend] = report
            print(line(f"diff, {backend} engine", walls, count))
            if backend == "durable":
                end_to_end = load_s + statistics.median(walls)
                print(
                    f"  {'load + diff (what `layak diff` does)':<34} {end_to_end:8.2f} s  "
                    f"{count / end_to_end:9,.0f} candidates/s"
                )
    same = [(f.candidate.nip, f.before, f.after) for f in reports["durable"].flips] == [
        (f.candidate.nip, f.before, f.after) for f in reports["reference"].flips
    ]
    report = reports["durable"]
    print(f"result: {len(report.flips)} verdict changes; durable and reference agree: {same}")
    for summary in report.summaries:
        flips = "; ".join(f"{a} -> {b}: {n}" for (a, b), n in sorted(summary.flips.items())) or "none"
        print(f"  {summary.position}: before {summary.before}, after {summary.after}; {flips}")
    if not same:
        raise SystemExit("durable and reference disagree")


def run_diff(
    base: Library, proposed: Library, positions: list[str], candidates: list[LoadedCandidate], backend: Backend
) -> DiffReport:
    return diff(base, proposed, positions, candidates, AS_OF, backend=backend)


if __name__ == "__main__":
    main()
