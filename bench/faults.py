"""Faults: concurrent writers, writers killed mid-batch, and stores that cannot be written; figures as JSON.

    python bench/faults.py [--pg URL] [--writers 8] [--per-writer 300] [--kills 50] [--max-seconds 3600]
        [--parts parallel,sigkill,unwritable]

1. ``--writers`` processes append ``--per-writer`` decisions each, in transactions of 1 to 13, at once.
   Afterwards: sequence numbers gapless, every decision (tagged writer-n) stored exactly once, the chain
   verifies.
2. ``--kills`` times: a process appends one batch of 150 decisions in one transaction (drafted as a streamed
   check drafts them, ``engine.audit.batch``) and is SIGKILLed at a random moment of it. After each kill: the
   batch is there whole or not at all, the chain verifies.
3. Stores that cannot take a write (bench/faults_unwritable.py): locked, read-only and full, on SQLite
   and PostgreSQL: `layak check` exits 3 with a message naming the store, and the store holds exactly
   what it held before, chain intact.

SQLite always; PostgreSQL with --pg (or LAYAK_TEST_PG_URL). Exit 1 on any violation.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from faults_unwritable import failed, pg_unwritable, sqlite_unwritable  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from engine.audit.location import to_url  # noqa: E402
from engine.audit.store import Store  # noqa: E402
from engine.audit.verify import entry_of_row, verify  # noqa: E402

FIXTURES = ROOT / "fixtures" / "candidates"
BATCH = 150

WRITER = """
import datetime as dt, itertools, sys
from pathlib import Path
from engine.audit.record import StoredRuleset, draft
from engine.audit.dossier import dossier_of
from engine.audit.store import Store
from engine.decide.pipeline import check
from engine.load.intake import load_candidates
from engine.load.library import load_library

url, tag, total, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
loaded, _ = load_candidates([Path(sys.argv[5])])
run = check(load_library(Path("rules")), "administrator", loaded, dt.date(2026, 12, 1), backend="reference")
by_key = {(c.file, c.candidate.nip): c for c in loaded}
stored = StoredRuleset.of(run.ruleset)
pool = itertools.cycle(run.decisions)

def make(n):
    d = next(pool)
    return draft(d, dossier_of(by_key[(d.candidate.file, d.candidate.nip)]), stored, actor=tag, board=f"{tag}-{n}",
                 engine="reference", run_id=tag)

if mode != "parallel":
    from engine.audit.batch import BatchDrafter
    from engine.decide.record import record_line

    drafter = BatchDrafter(stored, actor=tag, board=f"{tag}-batch", engine="reference", run_id=tag)
    for d in itertools.islice(pool, total):
        drafter.add(d, dossier_of(by_key[(d.candidate.file, d.candidate.nip)]), record_line(d))
    made = drafter.batch()
store = Store.open(url, create=True)
print("READY", flush=True)
if mode == "parallel":
    done = 0
    for size in itertools.cycle([1, 7, 3, 13, 5, 2]):
        if done >= total:
            break
        size = min(size, total - done)
        store.append([make(n) for n in range(done, done + size)])
        done += size
else:  # a streamed check's append: the batch drafted as columns (before READY), appended in one transaction
    sys.stdin.readline()  # the parent says go, then kills at a random moment
    store.append(made)
print("DONE", flush=True)
"""


def rows(url: str) -> list[dict[str, Any]]:
    engine = create_engine(to_url(url), poolclass=NullPool)
    with engine.connect() as conn:
        found = [dict(r) for r in conn.execute(text("SELECT * FROM audit_decisions ORDER BY seq")).mappings()]
    engine.dispose()
    return found


def chain_ok(url: str) -> bool:
    with Store.open(url) as store, store.snapshot():
        return verify((entry_of_row(r) for r in store.rows()), store.ruleset_bodies(), None).ok


def spawn(url: str, tag: str, total: int, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, url, tag, str(total), mode, str(FIXTURES)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def parallel(url: str, writers: int, per_writer: int) -> dict[str, Any]:
    began = time.perf_counter()
    procs = [spawn(url, f"w{i}", per_writer, "parallel") for i in range(writers)]
    codes = [p.wait(timeout=1800) for p in procs]
    stored = rows(url)
    boards = [r["board"] for r in stored]
    expected = {f"w{i}-{n}" for i in range(writers) for n in range(per_writer)}
    return {
        "writers": writers,
        "per_writer": per_writer,
        "exit_codes": sorted(set(codes)),
        "records": len(stored),
        "gapless": [r["seq"] for r in stored] == list(range(1, len(stored) + 1)),
        "lost": len(expected - set(boards)),
        "duplicated": len(boards) - len(set(boards)),
        "chain_verifies": chain_ok(url),
        "seconds": round(time.perf_counter() - began, 1),
    }


def kills(url: str, count: int, deadline: float, rng: random.Random) -> dict[str, Any]:
    whole = partial = 0
    broken = 0
    done = 0
    batch_seconds = 2.0
    failed_writers: list[str] = []
    Store.open(url, create=True).close()
    for number in range(count):
        if time.monotonic() > deadline:
            break
        before = len(rows(url))
        proc = spawn(url, f"k{number}", BATCH, "killed")
        assert proc.stdout is not None and proc.stdin is not None
        if proc.stdout.readline().strip() != "READY":  # imports and decisions done, or the writer failed
            proc.wait()
            failed_writers.append(proc.stderr.read()[-300:] if proc.stderr else "")
            continue
        began = time.perf_counter()
        proc.stdin.write("go\n")
        proc.stdin.flush()
        time.sleep(rng.uniform(0, batch_seconds))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if proc.returncode == 0:  # finished before the kill: learn how long a batch takes
            batch_seconds = max(0.05, (time.perf_counter() - began) * 0.9)
        after = rows(url)
        added = [r for r in after[before:] if r["board"].startswith(f"k{number}-")]
        if len(after) - before == 0:
            pass
        elif len(after) - before == BATCH == len(added):
            whole += 1
        else:
            partial += 1
        broken += not chain_ok(url)
        done += 1
    return {
        "kills": done,
        "batches_whole": whole,
        "batches_absent": done - whole - partial,
        "partial": partial,
        "chain_broken_after_kill": broken,
        "kill_window_seconds": round(batch_seconds, 3),
        "writers_failed_to_start": failed_writers[:3],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=os.environ.get("LAYAK_TEST_PG_URL", ""))
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--per-writer", type=int, default=300)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-seconds", type=float, default=3600)
    parser.add_argument("--parts", default="parallel,sigkill,unwritable", help="which of the three to run")
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    deadline = time.monotonic() + args.max_seconds
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="layak-faults-"))
    os.environ["LAYAK_DB"] = str(work / "default.db")
    report: dict[str, Any] = {}

    def sqlite(name: str) -> str:
        return str(work / f"{name}.db")

    targets: dict[str, Callable[[str], str]] = {"sqlite": sqlite}
    if args.pg:

        def pg(name: str) -> str:
            database = f"layak_faults_{name}_{uuid.uuid4().hex[:8]}"
            admin = create_engine(args.pg, poolclass=NullPool, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{database}"'))
            admin.dispose()
            return str(args.pg).rsplit("/", 1)[0] + "/" + database

        targets["postgresql"] = pg
    for backend, make in targets.items():
        report[backend] = {}
        if "parallel" in parts:
            report[backend]["parallel"] = parallel(make("parallel"), args.writers, args.per_writer)
        if "sigkill" in parts:
            report[backend]["sigkill"] = kills(make("kills"), args.kills, deadline, rng)
        if "unwritable" in parts:
            report[backend]["unwritable"] = sqlite_unwritable(work) if backend == "sqlite" else pg_unwritable(make)
    shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(report, indent=2, sort_keys=True))
    bad = False
    for r in report.values():
        if "parallel" in r:
            p = r["parallel"]
            bad = bad or not p["gapless"] or p["lost"] or p["duplicated"] or not p["chain_verifies"]
        if "sigkill" in r:
            bad = bad or r["sigkill"]["partial"] or r["sigkill"]["chain_broken_after_kill"]
        bad = bad or failed(r.get("unwritable", {}))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
