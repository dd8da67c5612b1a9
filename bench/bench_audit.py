"""layak audit benchmark: recorded decisions per second, and `check` with recording against `check --no-record`.

Run from the repository root:  python bench/bench_audit.py [--n 10000] [--repeat 3] [--db postgresql://...] [--cli]
Both variants decide the same generated batch side by side (interleaved rounds, medians); see bench/README.md.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
from click.testing import CliRunner
from gen import AS_OF, SEED, generate
from timing import Case, Timing, measure
from workload import POSITION, RULES

from cli import cli
from engine.audit.recorder import record_run
from engine.audit.store import Store
from engine.audit.verify import entry_of_row, verify
from engine.decide.pipeline import CheckRun, check_with
from engine.load.intake import LoadedCandidate
from engine.load.library import load_library
from engine.present.decisions import check_report, report_json
from engine.present.render import to_json

TARGET_RATIO = 1.5


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _decide(ruleset: Any, loaded: list[LoadedCandidate]) -> CheckRun:
    # What `check --format json --no-record` does after loading the files: decide, then render.
    run = check_with(ruleset, POSITION, loaded, AS_OF)
    to_json(report_json(check_report(run, "en")))
    return run


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(type(value).__name__)


def _write_files(loaded: list[LoadedCandidate], folder: Path) -> None:
    for item in loaded:
        data = item.candidate.model_dump(mode="python", exclude_defaults=True)
        (folder / item.file).write_bytes(orjson.dumps(data, default=_number))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="candidates in the batch")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds (medians are reported)")
    parser.add_argument("--db", default=None, help="also record into this store (e.g. a postgresql:// URL)")
    parser.add_argument("--cli", action="store_true", help="also time the whole command on files written to disk")
    args = parser.parse_args(argv)

    _log(f"generating {args.n:,} candidates (seed {SEED}) ...")
    loaded = [LoadedCandidate(f"c{i:05d}.json", c) for i, c in enumerate(generate(args.n, SEED))]
    ruleset = load_library(RULES).resolve(None, AS_OF)
    _decide(ruleset, loaded[:200])  # warm-up: imports, durable-rules start-up, caches
    scratch = Path(tempfile.mkdtemp(prefix="layak-bench-audit-"))
    counter = iter(range(1_000_000))
    appended_s: list[float] = []

    def record(where: str) -> None:
        run = _decide(ruleset, loaded)
        start = time.perf_counter()
        with Store.open(where, create=True) as store:
            record_run(store, run, loaded, actor="bench", board="BENCH")
        appended_s.append(time.perf_counter() - start)

    cases = [
        Case("plain", "check --no-record", lambda: _decide(ruleset, loaded)),
        Case("sqlite", "check (recording, SQLite)", lambda: record(str(scratch / f"r{next(counter)}.db"))),
    ]
    if args.db:
        cases.append(Case("other", "check (recording, --db)", lambda: record(args.db)))
    if args.cli:
        files = scratch / "candidates"
        files.mkdir()
        _write_files(loaded, files)
        common = [
            "check",
            str(files),
            "--position",
            POSITION,
            "--rules",
            str(RULES),
            "--as-of",
            AS_OF.isoformat(),
            "--format",
            "json",
        ]
        runner = CliRunner()
        cases.append(
            Case("cli-plain", "layak check --no-record (files)", lambda: runner.invoke(cli, [*common, "--no-record"]))
        )
        cases.append(
            Case(
                "cli-sqlite",
                "layak check (files, SQLite)",
                lambda: runner.invoke(cli, [*common, "--db", str(scratch / f"c{next(counter)}.db")]),
            )
        )
    _log(f"timing {len(cases)} cases x {args.repeat} interleaved rounds ...")
    timings = measure(cases, args.n, args.repeat, progress=_log)

    with Store.open(str(scratch / "r0.db")) as store:
        start = time.perf_counter()
        report = verify((entry_of_row(row) for row in store.rows()), store.ruleset_bodies())
        verify_s = time.perf_counter() - start
        size_mb = (scratch / "r0.db").stat().st_size / 1e6
    shutil.rmtree(scratch)
    for line in _report(timings, args, report.ok and report.records == args.n, verify_s, size_mb, appended_s):
        print(line)
    return 0


def _seconds(timing: Timing) -> float:
    return statistics.median(timing.wall_ns) / 1e9


def _report(
    timings: dict[str, Timing],
    args: argparse.Namespace,
    intact: bool,
    verify_s: float,
    size_mb: float,
    appended_s: list[float],
) -> list[str]:
    plain = _seconds(timings["plain"])
    lines = [
        f"layak audit benchmark: {args.n:,} candidates, {args.repeat} interleaved rounds, medians",
        f"python {platform.python_version()}, {platform.machine()}, {platform.system()}",
        "",
    ]
    for timing in timings.values():
        cpu = statistics.median(timing.cpu_ns) / 1e9
        lines.append(
            f"  {timing.case.label:34s} {_seconds(timing):7.2f} s wall  {cpu:7.2f} s cpu   spread {timing.spread:4.2f}"
        )
    lines.append("")
    for key, label in (("sqlite", "SQLite"), ("other", "--db")):
        if key in timings:
            extra = _seconds(timings[key]) - plain
            ratio = _seconds(timings[key]) / plain
            verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
            cpu = statistics.median(timings[key].cpu_ns) / statistics.median(timings["plain"].cpu_ns)
            lines.append(
                f"  {label}: recording adds {extra:.2f} s = {args.n / max(extra, 1e-9):,.0f} recorded "
                f"decisions/s; check with recording / --no-record = {ratio:.2f}x wall ({verdict} "
                f"<= {TARGET_RATIO}x), {cpu:.2f}x cpu of this process"
            )
    if "cli-plain" in timings:
        ratio = _seconds(timings["cli-sqlite"]) / _seconds(timings["cli-plain"])
        lines.append(f"  whole command on files: {ratio:.2f}x")
    lines.append(f"  open+draft+append alone (median over all recording rounds): {statistics.median(appended_s):.2f} s")
    lines.append(
        f"  store after one batch: {size_mb:.0f} MB; `audit verify` of it: {verify_s:.2f} s, "
        f"{'intact' if intact else 'NOT INTACT'}"
    )
    return lines


if __name__ == "__main__":
    sys.exit(main())
