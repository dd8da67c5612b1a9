"""Population scale: `layak check INPUT --no-record --format jsonl` end to end, beside the I/O floor of the same run.

    python fixtures/population/generate.py --n 100000 --bundle /tmp/pop/b100000.jsonl   # one bundle
    python fixtures/population/generate.py --n 100000 --out /tmp/pop/d100000             # the same, one file each
    python bench/bench_scale.py /tmp/pop/b10000.jsonl /tmp/pop/d10000 --jobs 1 2
    python bench/bench_scale.py /tmp/pop/b10000.jsonl --jobs 2 --record      # recording every decision

Each INPUT is a JSON-lines bundle of dossiers or a folder of dossier files. For each input and each ``--jobs``
the command runs in a fresh process; CPU (user + system of it and its workers), wall time and peak RSS (the
largest single process, the parent or one worker) come from ``wait4``. The floor runs next to it, also in a
fresh process: read the same input (the bundle line by line, or every file), ``orjson.loads`` each dossier, then
write as many bytes as the check wrote. The report is a Markdown table on stdout, with the load average before
and after: ratios to the floor and between job counts are measured side by side, so they hold on a shared machine
better than the absolute figures.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR = """
import os, sys, orjson
source = sys.argv[1]
if os.path.isdir(source):
    for root, dirs, files in os.walk(source):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".json"):
                with open(os.path.join(root, name), "rb") as f:
                    orjson.loads(f.read())
else:
    with open(source, "rb") as f:
        for line in f:
            if line.strip():
                orjson.loads(line)
out = int(sys.argv[2])
with open(sys.stdout.fileno(), "wb", closefd=False) as sink:
    chunk = b"x" * 65536
    while out > 0:
        sink.write(chunk[:out])
        out -= len(chunk)
"""


@dataclass(frozen=True)
class Measured:
    cpu: float
    wall: float
    peak_mb: float
    out_bytes: int


def measure(argv: list[str]) -> Measured:
    """Run ``argv`` with stdout counted (not kept); CPU and peak RSS of it and its reaped children."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
    assert proc.stdout is not None
    size = 0
    while chunk := proc.stdout.read(1 << 20):
        size += len(chunk)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(argv)} exited with {proc.returncode}")
    return Measured(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, size)


def count(source: Path) -> int:
    if source.is_dir():
        return sum(1 for _ in source.rglob("*.json"))
    with source.open("rb") as lines:
        return sum(1 for line in lines if line.strip())


def check_argv(source: Path, position: str, jobs: int, store: list[str]) -> list[str]:
    return [
        sys.executable,
        "-c",
        "from cli import cli; cli()",
        "check",
        str(source),
        "--position",
        position,
        "--as-of",
        "2026-12-01",
        *store,
        "--format",
        "jsonl",
        "--jobs",
        str(jobs),
    ]


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("inputs", nargs="+", type=Path, help="bundles (.jsonl) or folders of dossier files")
    parser.add_argument("--jobs", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="runs per cell; the one with the least CPU is kept")
    parser.add_argument("--position", default="administrator")
    parser.add_argument(
        "--record",
        action="store_true",
        help="record into a fresh SQLite store instead of --no-record (one store per run)",
    )
    args = parser.parse_args()
    print(f"load average before: {load()} ({os.cpu_count()} CPUs)\n")
    print(
        "| candidates | input | jobs | CPU s | CPU µs/cand | wall s | wall speed-up | peak RSS MB "
        "| floor CPU µs/cand | CPU ÷ floor |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for source in args.inputs:
        n = count(source)
        kind = "files" if source.is_dir() else "bundle"
        first_wall = None
        for jobs in args.jobs:
            runs = []
            for _ in range(args.repeat):
                with tempfile.TemporaryDirectory() as tmp:
                    store = ["--db", str(Path(tmp) / "audit.db")] if args.record else ["--no-record"]
                    check = measure(check_argv(source, args.position, jobs, store))
                floor = measure([sys.executable, "-c", FLOOR, str(source), str(check.out_bytes)])
                runs.append((check, floor))
                print(f"  {source} jobs={jobs}: {check} floor {floor} load {load()}", file=sys.stderr)
            check, floor = min(runs, key=lambda r: r[0].cpu)
            first_wall = first_wall or check.wall
            print(
                f"| {n:,} | {kind} | {jobs} | {check.cpu:.1f} | {check.cpu / n * 1e6:,.0f} | {check.wall:.1f} | "
                f"{first_wall / check.wall:.2f}× | {check.peak_mb:,.0f} | {floor.cpu / n * 1e6:,.0f} | "
                f"{check.cpu / floor.cpu:.1f}× |",
                flush=True,
            )
    print(f"\nload average after: {load()}")


if __name__ == "__main__":
    main()
