"""Recording at scale: `check` recorded vs `--no-record` side by side, then `audit verify` over large logs.

    python bench/bench_record.py /tmp/pop10k /tmp/pop100k --verify 100000 1000000 --repeat 1
    python bench/bench_record.py /tmp/pop/b100000.jsonl --verify --postgres postgresql://u@127.0.0.1:5432/db

For each population (a directory from ``fixtures/population/generate.py --n N --out DIR``, or a JSON-lines
bundle from ``--bundle``), `layak check INPUT --position administrator --format jsonl` runs in fresh processes,
recorded into a new SQLite store and with --no-record, alternately (rounds interleaved: the ratio holds on a
shared machine better than the absolute figures). CPU (user + system, with reaped children), wall time and peak
RSS come from ``wait4``. With ``--postgres URL``, the recorded runs go to a new database created on that server
for each run (and dropped after); the CPU is layak's own, the server's is not counted.

Then the store recorded from the largest population is grown, untimed, to each ``--verify`` size by a bulk
writer used only here: it appends copies of the recorded records through ``Store.append`` (new sequence
numbers, decision ids and chain hashes; the same drafts), so the log is a real, intact chain. `layak audit
verify` over it is measured the same way; its peak RSS at every size shows whether memory stays flat.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import orjson
from bench_scale import Measured, count, measure

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.audit.canonical import canonical  # noqa: E402
from engine.audit.record import Draft, StoredRuleset  # noqa: E402
from engine.audit.store import Store  # noqa: E402

LAYAK = [sys.executable, "-c", "from cli import cli; cli()"]
PLACED = ("decision_id", "recorded_at", "seq")  # the record members the store gives on appending
COLUMNS = ("as_of", "position", "verdict", "board", "actor", "nip", "name", "ruleset_hash")


def check(folder: Path, store: Path | str | None, position: str, jobs: int) -> Measured:
    record = ["--db", str(store)] if store is not None else ["--no-record"]
    return measure(
        [*LAYAK, "check", str(folder), "--position", position, "--as-of", "2026-12-01", *record]
        + ["--format", "jsonl", "--jobs", str(jobs)]
    )


def grow(db: Path, size: int, chunk: int = 5000) -> None:
    """Append copies of the store's records (as drafts) until it holds ``size`` records."""
    with Store.open(str(db)) as store:
        have = store.count()
        bodies = store.ruleset_bodies()
        rulesets: dict[str, StoredRuleset] = {}
        while have < size:
            batch: list[Draft] = []
            for row in store.rows(filters=None, after=0):
                if have + len(batch) >= size:
                    break
                batch.append(_draft(row, bodies, rulesets))
                if len(batch) >= chunk:
                    store.append(batch)
                    have += len(batch)
                    batch = []
            if batch:
                store.append(batch)
                have += len(batch)
            print(f"  grown to {have:,} records", file=sys.stderr, flush=True)


def _draft(row: dict[str, Any], bodies: dict[str, str], rulesets: dict[str, StoredRuleset]) -> Draft:
    record = orjson.loads(row["record"])
    digest = row["ruleset_hash"]
    if digest not in rulesets:
        body = orjson.loads(bodies[digest])
        rulesets[digest] = StoredRuleset(hash=digest, id=body["id"], version=body["version"], body=canonical(body))
    return Draft(
        parts={key: canonical(value) for key, value in record.items() if key not in PLACED},
        personal=row["personal"].encode(),
        columns={name: row[name] for name in COLUMNS},
        ruleset=rulesets[digest],
    )


@contextmanager
def fresh_database(server: str) -> Iterator[str]:
    """A new, empty database on the PostgreSQL server of ``server`` (a URL), dropped when done."""
    import psycopg

    name = f"layak_bench_{os.getpid()}_{time.monotonic_ns()}"
    admin = server.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def verify(db: Path) -> Measured:
    return measure([*LAYAK, "audit", "verify", "--db", str(db), "--format", "json"])


def main() -> None:
    if sys.argv[1:2] == ["--grow"]:
        grow(Path(sys.argv[2]), int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dirs", nargs="+", type=Path, help="population directories, smallest first")
    parser.add_argument("--verify", nargs="*", type=int, default=[100_000, 1_000_000], help="log sizes to verify")
    parser.add_argument("--repeat", type=int, default=1, help="interleaved rounds; the one with the least CPU is kept")
    parser.add_argument("--position", default="administrator")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--postgres", metavar="URL", help="record into a new database on this server, not SQLite")
    args = parser.parse_args()
    if args.postgres and args.verify:
        raise SystemExit("--verify grows a SQLite store: give --verify without sizes, or run it without --postgres")
    scratch = Path(tempfile.mkdtemp(prefix="layak-bench-record-"))
    kept = scratch / "kept.db"
    print(f"check --format jsonl --jobs {args.jobs}, {args.repeat} interleaved round(s), least CPU kept\n")
    print("| candidates | run | CPU s | CPU µs/cand | wall s | peak RSS MB | recorded ÷ no-record (CPU) |")
    print("|---|---|---|---|---|---|---|")
    for folder in args.dirs:
        n = count(folder)
        plain: list[Measured] = []
        recorded: list[Measured] = []
        for _ in range(args.repeat):
            plain.append(check(folder, None, args.position, args.jobs))
            db = scratch / "run.db"
            if args.postgres:
                with fresh_database(args.postgres) as url:
                    recorded.append(check(folder, url, args.position, args.jobs))
            else:
                recorded.append(check(folder, db, args.position, args.jobs))
            if folder == args.dirs[-1] and not args.postgres:
                for suffix in ("", "-wal", "-shm"):
                    if Path(f"{db}{suffix}").exists():
                        shutil.move(f"{db}{suffix}", f"{kept}{suffix}")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            print(f"  {folder}: no-record {plain[-1]}; recorded {recorded[-1]}", file=sys.stderr, flush=True)
        best_plain, best_recorded = min(plain, key=lambda m: m.cpu), min(recorded, key=lambda m: m.cpu)
        where = "PostgreSQL" if args.postgres else "SQLite"
        for name, m in (("--no-record", best_plain), (f"recorded ({where})", best_recorded)):
            ratio = f"{best_recorded.cpu / best_plain.cpu:.2f}×" if m is best_recorded else ""
            print(
                f"| {n:,} | {name} | {m.cpu:.1f} | {m.cpu / n * 1e6:,.0f} | {m.wall:.1f} | {m.peak_mb:,.0f} | {ratio} |"
            )
    if not args.verify:
        shutil.rmtree(scratch)
        return
    print("\n| records | audit verify CPU s | CPU µs/record | wall s | peak RSS MB | store MB |")
    print("|---|---|---|---|---|---|")
    for size in args.verify:
        # In a child process: a child's peak RSS as wait4 reports it can include what its parent held when it
        # forked, so this process stays small.
        subprocess.run([sys.executable, __file__, "--grow", str(kept), str(size)], check=True)
        m = verify(kept)
        mb = sum(Path(f"{kept}{s}").stat().st_size for s in ("", "-wal") if Path(f"{kept}{s}").exists()) / 1e6
        print(f"| {size:,} | {m.cpu:.1f} | {m.cpu / size * 1e6:,.0f} | {m.wall:.1f} | {m.peak_mb:,.0f} | {mb:,.0f} |")
        sys.stdout.flush()
    shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
