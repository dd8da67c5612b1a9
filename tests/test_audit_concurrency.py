"""Parallel writers and killed writers, on SQLite and PostgreSQL: nothing lost, nothing doubled, chain valid."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from audit_support import AS_OF, ROOT, batch, rows
from cli_runner import run

WRITERS, PER_WRITER = 4, 200

# A writer process: decide the fixtures once, then append PER_WRITER decisions in transactions of varying
# size, each decision tagged "<writer>-<n>" in its board reference so the test can find every one.
WRITER = """
import datetime as dt, itertools, sys, time
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

store = Store.open(url, create=True)
if mode == "parallel":
    done = 0
    for size in itertools.cycle([1, 7, 3, 13, 5, 2]):
        if done >= total:
            break
        size = min(size, total - done)
        store.append([make(n) for n in range(done, done + size)])
        done += size
    print("done", tag, flush=True)
else:  # "killed": commit `total` in two transactions, then hang in the middle of a third one
    store.append([make(n) for n in range(total // 2)])
    store.append([make(n) for n in range(total // 2, total)])

    def hanging():
        for n in range(total, total + 20):
            yield make(n)
        print("MID-BATCH", flush=True)  # 20 rows of this transaction are inserted, not committed
        time.sleep(600)
        yield make(total + 20)

    store.append(hanging(), chunk=10)
"""


def writer(url: str, tag: str, total: int, mode: str, folder: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, url, tag, str(total), mode, str(folder)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def assert_whole(url: str, expected_boards: set[str]) -> None:
    stored = rows(url)
    assert [r["seq"] for r in stored] == list(range(1, len(stored) + 1))  # no gaps
    boards = [r["board"] for r in stored]
    assert len(boards) == len(set(boards)) and set(boards) == expected_boards  # each exactly once
    assert len({r["decision_id"] for r in stored}) == len(stored)
    code, out, err = run("audit", "verify", "--db", url, "--format", "json")
    assert code == 0 and json.loads(out)["records"] == len(stored), out + err


def test_parallel_writers_lose_nothing(store_url: str, tmp_path: Path) -> None:
    folder = batch(tmp_path / "in", 6)
    procs = [writer(store_url, f"w{i}", PER_WRITER, "parallel", folder) for i in range(WRITERS)]
    results = [p.communicate(timeout=600) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0 and out.startswith("done"), err
    assert_whole(store_url, {f"w{i}-{n}" for i in range(WRITERS) for n in range(PER_WRITER)})
    # Each writer appended in order, so its own records keep that order in the log.
    stored = rows(store_url)
    for i in range(WRITERS):
        mine = [int(r["board"].split("-")[1]) for r in stored if r["actor"] == f"w{i}"]
        assert mine == list(range(PER_WRITER))


def test_parallel_check_commands_each_append_one_whole_run(store_url: str, tmp_path: Path) -> None:
    folder = batch(tmp_path / "in", 5)
    command = [
        "check",
        str(folder),
        "--position",
        "administrator",
        "--as-of",
        AS_OF,
        "--db",
        store_url,
        "--engine",
        "reference",
        "--no-record",
    ]
    per_run = len(json.loads(run(*command, "--format", "json")[1])["decisions"])
    command.remove("--no-record")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", "from cli import main; main()", *command, "--board", f"run{i}"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(WRITERS)
    ]
    for proc in procs:
        _out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    stored = rows(store_url)
    assert len(stored) == WRITERS * per_run and [r["seq"] for r in stored] == list(range(1, len(stored) + 1))
    for i in range(WRITERS):
        seqs = [r["seq"] for r in stored if r["board"] == f"run{i}"]
        assert len(seqs) == per_run and seqs == list(range(seqs[0], seqs[0] + per_run))  # one transaction, contiguous
    assert run("audit", "verify", "--db", store_url)[0] == 0


def test_writer_killed_mid_batch_leaves_only_whole_records(store_url: str, tmp_path: Path) -> None:
    folder = batch(tmp_path / "in", 4)
    proc = writer(store_url, "k", 30, "killed", folder)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "MID-BATCH", proc.stderr.read() if proc.stderr else ""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert_whole(store_url, {f"k-{n}" for n in range(30)})  # the two committed transactions, nothing of the third
    # The lock died with the writer: the next run appends right after the last whole record.
    code, _out, err = run("check", str(folder), "--position", "administrator", "--as-of", AS_OF, "--db", store_url)
    assert code == 0 and "#31-" in err, err
    assert run("audit", "verify", "--db", store_url)[0] == 0
