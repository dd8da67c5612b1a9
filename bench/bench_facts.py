"""bench_diff's facts-table cases: the columnar diff over the committed population (checked against the durable
diff of the same files) and over a table of generated candidates, with and without the durable cross-check."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
from gen import SEED, _Dossier

from engine.decide.stream import candidate_files, read_candidate
from engine.errors import Problem
from engine.facts.table import FactTable, build, build_from, open_table
from engine.load.candidate import Candidate
from engine.load.intake import LoadedCandidate
from engine.load.library import Library
from engine.tools.diff import DiffReport, diff, ruleset_for
from engine.tools.sweep import CrossChecked, diff_table

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 12, 1)


def generated(n: int) -> Iterator[tuple[str, LoadedCandidate | list[Problem], str]]:
    """``n`` generated dossiers (bench/gen.py, seeded) as the table builder takes them; NIPs made unique."""
    rng = random.Random(SEED)
    for index in range(n):
        data = _Dossier(rng, index).build()
        data["nip"] = f"{data['nip'][:12]}{index:06d}"
        body = orjson.dumps(data, default=str)
        name = f"generated/{index:07d}.json"
        yield name, LoadedCandidate(name, Candidate.model_validate(data)), hashlib.sha256(body).hexdigest()


def _table_diff(
    base: Library, proposed: Library, positions: list[str], table: FactTable, percent: float
) -> tuple[DiffReport, CrossChecked]:
    check = CrossChecked(seed=1, percent=percent)
    old = [ruleset_for(base, "BASE", p, None, table.as_of) for p in positions]
    new = [ruleset_for(proposed, "PROPOSED", p, None, table.as_of) for p in positions]
    return diff_table(old, new, positions, open_table(table.path, table.as_of), check), check


def facts_cases(
    base: Library,
    proposed: Library,
    positions: list[str],
    candidates: list[LoadedCandidate],
    tmp: Path,
    rows: int,
    percent: float,
    repeat: int,
    line: Callable[[str, list[float], int], str],
    timed: Callable[[Callable[[], object], int], tuple[list[float], Any]],
    keep: Path | None = None,
) -> None:
    population = ROOT / "fixtures" / "population"
    small = tmp / "population.parquet"
    started = time.perf_counter()
    build(candidate_files([population]), AS_OF, small, read_candidate)
    print(line("facts table of the population", [time.perf_counter() - started], len(candidates)))
    table = open_table(small, AS_OF)
    walls, (report, _check) = timed(lambda: _table_diff(base, proposed, positions, table, percent), repeat)
    print(line(f"diff --facts, {percent:g} % cross-check", walls, len(candidates)))
    files = diff(base, proposed, positions, candidates, AS_OF)
    same = _flips(report) == _flips(files) and report.summaries == files.summaries
    print(f"  diff --facts == durable diff of the files (flips and summaries): {same}")
    if not same:
        raise SystemExit("the columnar diff disagrees with the durable diff")
    if rows <= 0:
        return
    print(f"facts table of {rows:,} generated candidates (bench/gen.py, seed {SEED}, as of {AS_OF}):")
    big = keep or tmp / "generated.parquet"
    if keep is not None and keep.exists() and open_table(keep, AS_OF).rows == rows:
        print(f"  (table reused from {keep}: built by this generator, same rows and date)")
    else:
        print("  building ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        built = build_from(generated(rows), AS_OF, big)
        build_s = time.perf_counter() - started
        print(
            f"  {'layak facts (derive + write)':<34} {build_s:8.2f} s  {rows / build_s:9,.0f} candidates/s"
            f"  ({big.stat().st_size / 1e6:,.1f} MB, {built.rows:,} rows)"
        )
    table = open_table(big, AS_OF)
    cpus: list[float] = []
    for pct in (0.0, percent):
        cpus = []

        def one(p: float = pct, sink: list[float] = cpus) -> tuple[DiffReport, CrossChecked]:
            started = time.process_time()
            out = _table_diff(base, proposed, positions, table, p)
            sink.append(time.process_time() - started)
            return out

        walls, (report, check) = timed(one, repeat)
        print(line(f"diff --facts, {pct:g} % cross-check", walls, rows))
        print(
            f"  {'  process CPU (all threads)':<34} {statistics.median(cpus):8.2f} s  (rounds: "
            f"{', '.join(f'{c:.2f}' for c in cpus)})"
        )
    print(f"  {len(report.flips):,} verdict changes, {check.checked:,} decisions cross-checked on durable-rules")
    median, cpu = statistics.median(walls), statistics.median(cpus)
    budget = 2 * rows / 100_000
    print(
        f"  target: under {budget:g} s for {rows:,} candidates -> wall {'met' if median < budget else 'NOT met'}"
        f" ({median:.2f} s), CPU {'met' if cpu < budget else 'NOT met'} ({cpu:.2f} s)"
    )


def _flips(report: DiffReport) -> list[tuple[str, str, str]]:
    return [(f.candidate.nip, f.before, f.after) for f in report.flips]
