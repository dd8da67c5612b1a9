"""Population scale: `layak check DIR --no-record --format jsonl` end to end, against the I/O floor of the same run.

    python bench/bench_scale.py /tmp/pop10k /tmp/pop100k --jobs 1 2 --repeat 1
    python bench/bench_scale.py /tmp/pop10k --jobs 2 --record      # the same, recording every decision

For each directory (generated with ``fixtures/population/generate.py --n N --out DIR``) and each ``--jobs``,
the command runs in a fresh process; CPU (user + system of it and its workers), wall time and peak RSS (the
largest single process, the parent or one worker) come from ``wait4``. The floor runs next to it, also in a
fresh process: read every file, ``orjson.loads`` its bytes, then write as many bytes as the check wrote.
The report is a Markdown table on stdout (ratios to the floor are measured side by side, so they hold on a
shared machine better than the absolute figures).
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
total = 0
for root, _dirs, files in os.walk(sys.argv[1]):
    for name in sorted(files):
        if name.endswith(".json"):
            with open(os.path.join(root, name), "rb") as f:
                orjson.loads(f.read())
            total += 1
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


def count(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.json"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dirs", nargs="+", type=Path)
    parser.add_argument("--jobs", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="runs per cell; the one with the least CPU is kept")
    parser.add_argument("--position", default="administrator")
    parser.add_argument(
        "--record",
        action="store_true",
        help="record into a fresh SQLite store instead of --no-record (one store per run)",
    )
    args = parser.parse_args()
    print("| candidates | jobs | CPU s | CPU µs/cand | wall s | peak RSS MB | floor CPU µs/cand | CPU ÷ floor |")
    print("|---|---|---|---|---|---|---|---|")
    for folder in args.dirs:
        n = count(folder)
        for jobs in args.jobs:
            runs = []
            for _ in range(args.repeat):
                with tempfile.TemporaryDirectory() as tmp:
                    store = ["--db", str(Path(tmp) / "audit.db")] if args.record else ["--no-record"]
                    check = measure(
                        [
                            sys.executable,
                            "-c",
                            "from cli import cli; cli()",
                            "check",
                            str(folder),
                            "--position",
                            args.position,
                            "--as-of",
                            "2026-12-01",
                            *store,
                            "--format",
                            "jsonl",
                            "--jobs",
                            str(jobs),
                        ]
                    )
                floor = measure([sys.executable, "-c", FLOOR, str(folder), str(check.out_bytes)])
                runs.append((check, floor))
                print(f"  {folder} jobs={jobs}: {check} floor {floor}", file=sys.stderr)
            check, floor = min(runs, key=lambda r: r[0].cpu)
            print(
                f"| {n:,} | {jobs} | {check.cpu:.1f} | {check.cpu / n * 1e6:,.0f} | {check.wall:.1f} | "
                f"{check.peak_mb:,.0f} | {floor.cpu / n * 1e6:,.0f} | {check.cpu / floor.cpu:.1f}× |"
            )


if __name__ == "__main__":
    main()
