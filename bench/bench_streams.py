"""Streaming commands at scale: peak memory of `diff`, `replay --all`, `audit export` and `test` by population size.

    python bench/bench_streams.py /tmp/pop/b10000.jsonl /tmp/pop/b100000.jsonl
    python bench/bench_streams.py /tmp/pop/b1000000.jsonl --keep /tmp/stores --skip diff-table test

Each BUNDLE is a JSON-lines bundle of dossiers (``fixtures/population/generate.py --bundle``), smallest first.
For each one, every command runs in a fresh process, its stdout counted (not kept); CPU (user + system of it and
its workers), wall time and peak RSS (the largest single process) come from ``wait4`` (``bench_scale.measure``):

- ``diff``: `layak diff rules/ PROPOSED --candidates BUNDLE --position administrator --format json` (and
  ``--format table``), PROPOSED being the shipped rules with Administrator's experience raised from 3 to 4 years
  (``bench_diff.proposed_rules``); it exits 1 when verdicts change, which they do;
- ``record``: `layak check BUNDLE ... --format jsonl --db STORE --jobs 2`, the set-up of the next two, reported
  on its own row (skipped when ``--keep DIR`` already holds the store);
- ``replay``: `layak replay --all --format jsonl --db STORE`, every record re-decided;
- ``export``, ``export-redact``: `layak audit export --format jsonl --db STORE` (and ``--redact``);
- ``test``: `layak test rules/` once, since its cases do not grow with the population.

The report is a Markdown table on stdout with each peak beside the peak of the same command at the first
(smallest) bundle: goal 1 of issue #12 wants it within 1.2x at 100,000 and 1,000,000 of the peak at 10,000, and
under 400 MB. Stores go to a temporary folder removed at the end, or to ``--keep DIR``, kept for the next run
(a 1,000,000-record store is ~10 GB). ``--code DIR`` runs layak from another source tree (an older commit
unpacked with ``git archive``), for a before/after comparison.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from bench_diff import proposed_rules
from bench_scale import Measured, count, load, measure

ROOT = Path(__file__).resolve().parents[1]
AS_OF = ["--as-of", "2026-12-01"]
LAYAK = [sys.executable, "-c", "from cli import cli; cli()"]
# `diff` exits 1 when some verdict changes (it does here): counted as an answer, like 0
DIFF = [
    sys.executable,
    "-c",
    "import sys\nfrom cli import cli\ntry: cli()\n"
    "except SystemExit as e: sys.exit(0 if e.code in (None, 1) else e.code)",
]
COMMANDS = ("diff", "diff-table", "record", "export", "export-redact", "replay", "test")


def store_for(folder: Path, bundle: Path) -> Path:
    return folder / f"{bundle.stem}.db"


def from_tree(argv: list[str], code: Path | None) -> list[str]:
    """``argv`` (a ``python -c`` of layak) run from the source tree ``code`` (an older commit unpacked), if given."""
    return argv if code is None else [*argv[:2], f"import sys; sys.path.insert(0, {str(code)!r})\n{argv[2]}", *argv[3:]]


def runs(bundle: Path, proposed: Path, store: Path, position: str, skip: set[str]) -> dict[str, list[str]]:
    """The argv of each population-sized command for one bundle, in the order they run."""
    diff = ["diff", str(ROOT / "rules"), str(proposed), "--candidates", str(bundle), "--position", position, *AS_OF]
    argv = {
        "diff": [*DIFF, *diff, "--format", "json"],
        "diff-table": [*DIFF, *diff, "--format", "table"],
        "record": [*LAYAK, "check", str(bundle), "--position", position, *AS_OF, "--format", "jsonl"]
        + ["--db", str(store), "--jobs", "2"],
        "export": [*LAYAK, "audit", "export", "--format", "jsonl", "--db", str(store)],
        "export-redact": [*LAYAK, "audit", "export", "--format", "jsonl", "--redact", "--db", str(store)],
        "replay": [*LAYAK, "replay", "--all", "--format", "jsonl", "--db", str(store)],
    }
    return {name: args for name, args in argv.items() if name not in skip}


def row(n: int | None, name: str, m: Measured, first: float | None) -> str:
    size = f"{n:,}" if n is not None else "(cases)"
    per = f"{m.cpu / n * 1e6:,.0f}" if n else ""
    ratio = f"{m.peak_mb / first:.2f}×" if first else ""
    return (
        f"| {size} | {name} | {m.cpu:.1f} | {per} | {m.wall:.1f} | {m.peak_mb:,.0f} | {ratio} "
        f"| {m.out_bytes / 1e6:,.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("bundles", nargs="+", type=Path, help="JSON-lines bundles, smallest first")
    parser.add_argument("--skip", nargs="*", default=[], choices=COMMANDS, help="commands not to run")
    parser.add_argument("--keep", type=Path, help="keep the recorded stores in this folder and reuse them")
    parser.add_argument("--position", default="administrator")
    parser.add_argument("--code", type=Path, help="run layak from this source tree (before/after a change)")
    args = parser.parse_args()
    skip = set(args.skip)
    scratch = Path(tempfile.mkdtemp(prefix="layak-bench-streams-"))
    stores = args.keep or scratch
    stores.mkdir(parents=True, exist_ok=True)
    proposed = proposed_rules(scratch)
    print(f"load average before: {load()}\n")
    print("| candidates | command | CPU s | CPU µs/cand | wall s | peak RSS MB | peak ÷ first size | out MB |")
    print("|---|---|---|---|---|---|---|---|")
    first: dict[str, float] = {}
    try:
        for bundle in args.bundles:
            n = count(bundle)
            store = store_for(stores, bundle)
            for name, argv in runs(bundle, proposed, store, args.position, skip).items():
                if name == "record" and store.exists():
                    print(f"  {store} kept from an earlier run: not recorded again", file=sys.stderr, flush=True)
                    continue
                m = measure(from_tree(argv, args.code))
                first.setdefault(name, m.peak_mb)
                print(f"  {bundle} {name}: {m} load {load()}", file=sys.stderr, flush=True)
                print(row(n, name, m, first[name]), flush=True)
            if args.keep is None:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{store}{suffix}").unlink(missing_ok=True)
        if "test" not in skip:
            tested = measure(from_tree([*LAYAK, "test", str(ROOT / "rules")], args.code))
            print(row(None, "test rules/", tested, None), flush=True)
    finally:
        shutil.rmtree(scratch)
    print(f"\nload average after: {load()}")


if __name__ == "__main__":
    main()
