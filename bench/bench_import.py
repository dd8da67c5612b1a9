"""layak SIASN import benchmark: 10,000 NIPs from a JSON-lines bundle, against `json.loads` of the same bytes.

Run from the repository root:  python bench/bench_import.py [--n 10000] [--repeat 3] [--keep DIR]
The bundle is generated (untimed) from the twelve civil servants of fixtures/siasn/responses, each copied
under fresh NIPs, so every line has the full SIASN key set, both date forms, sentinels and the unknown codes
of the fixtures. Rounds are interleaved; medians are reported. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.siasn.run import import_siasn  # noqa: E402

RESPONSES = ROOT / "fixtures" / "siasn" / "responses"
TARGET_MS = 5.0


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def generate(path: Path, n: int) -> int:
    """Write an n-NIP bundle; returns its size in bytes."""
    templates = []
    for folder in sorted(RESPONSES.iterdir()):
        responses = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}
        templates.append((folder.name, json.dumps({"nip": folder.name, "responses": responses}, ensure_ascii=False)))
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            nip, text = templates[i % len(templates)]
            # A fresh NIP with the same birth date and TMT CPNS digits, a new sequence number.
            new = f"{nip[:14]}{i:04d}"[:18]
            out.write(text.replace(nip, new) + "\n")
    return path.stat().st_size


Times = tuple[float, float]  # (wall seconds, CPU seconds of this process)


def time_loads(path: Path) -> Times:
    start, cpu = time.perf_counter(), time.process_time()
    with path.open("rb") as stream:
        for line in stream:
            json.loads(line)
    return time.perf_counter() - start, time.process_time() - cpu


def time_import(path: Path, out: Path | None) -> Times:
    start, cpu = time.perf_counter(), time.process_time()
    result = import_siasn(path, out)
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    if result.failed:
        raise SystemExit(f"{len(result.failed)} NIPs failed to import: {result.failed[:3]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="write the bundle here instead of a temp dir")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bundle = (args.keep or Path(tmp)) / "bundle.jsonl"
        bundle.parent.mkdir(parents=True, exist_ok=True)
        size = generate(bundle, args.n)
        _log(f"bundle: {args.n} NIPs, {size / 1e6:.1f} MB")
        loads: list[Times] = []
        build: list[Times] = []
        write: list[Times] = []
        for round_ in range(args.repeat):
            loads.append(time_loads(bundle))
            build.append(time_import(bundle, None))
            out = Path(tmp) / f"out{round_}"
            write.append(time_import(bundle, out))
            _log(
                f"round {round_ + 1}: loads {loads[-1][0]:.2f}s, import {build[-1][0]:.2f}s, "
                f"import+write {write[-1][0]:.2f}s (wall)"
            )
        n = args.n
        print(f"SIASN import benchmark: {n} NIPs, {size / 1e6:.1f} MB bundle, {args.repeat} rounds (medians)")
        print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, single process")
        print("wall = elapsed time; cpu = CPU time of this process (the machine is shared: cpu is the steadier one)")
        print(f"{'case':<30}{'wall s':>8}{'cpu s':>8}{'wall ms/NIP':>13}{'cpu ms/NIP':>12}{'x json.loads':>14}")
        base = statistics.median(c for _w, c in loads)
        for name, times in (
            ("json.loads of every line", loads),
            ("import (build + validate)", build),
            ("import + write dossiers", write),
        ):
            wall, cpu = statistics.median(w for w, _c in times), statistics.median(c for _w, c in times)
            print(
                f"{name:<30}{wall:>8.2f}{cpu:>8.2f}{wall / n * 1000:>13.3f}{cpu / n * 1000:>12.3f}{cpu / base:>14.1f}"
            )
        per_nip = statistics.median(c for _w, c in write) / n * 1000
        verdict = "met" if per_nip < TARGET_MS else "NOT met"
        print(f"target: under {TARGET_MS} ms (CPU) per NIP including writing: {verdict} ({per_nip:.3f} ms)")


if __name__ == "__main__":
    main()
