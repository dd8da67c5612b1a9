"""What a command imports at start-up: each heavy library only on the path that needs it (the audit store only
when recording, rich only when a bar is drawn, the process pool only when one starts), and what worker processes
inherit from the parent instead of building again."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import multiprocessing.connection
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
import rfc8785

from engine.decide import stream
from engine.decide.inputs import bundle_batches
from engine.decide.stream import Setup, decide_batch, engine_for, prepare, release
from engine.load.library import content_hash, load_library

ROOT = Path(__file__).parent.parent
POPULATION = ROOT / "fixtures" / "population" / "candidates"
FIXTURES = ROOT / "fixtures" / "candidates"
AS_OF = "2026-12-01"
RECORDING = ("sqlalchemy", "engine.audit.store", "engine.audit.record", "engine.audit.snapshot")
POOL = ("concurrent.futures.process", "multiprocessing")
WATCHED = (*RECORDING, *POOL, "rich", "tabulate", "engine.load.candidate", "engine.tools.cases", "engine.tools.diff")

# Runs `layak ARGS` in a fresh interpreter, then reports its exit code and which watched modules it had imported.
PROBE = f"""
import json, sys
from cli import cli
try:
    cli.main(args=sys.argv[1:], prog_name="layak")
except SystemExit as done:
    code = done.code
print("PROBE " + json.dumps([code, [m for m in {WATCHED!r} if m in sys.modules]]), file=sys.stderr)
"""


def imported(*args: str) -> tuple[int, set[str], str]:
    """Exit code, the watched modules imported, and stdout of `layak ARGS` run in its own process (stderr a pipe,
    so no progress bar is drawn)."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    line = next((x for x in done.stderr.splitlines() if x.startswith("PROBE ")), None)
    assert line is not None, done.stderr
    code, loaded = json.loads(line.removeprefix("PROBE "))
    return code, set(loaded), done.stdout


def checked(path: Path, *more: str) -> tuple[int, set[str], str]:
    """``imported`` for `layak check PATH` for administrator on AS_OF with ``more`` options."""
    return imported("check", str(path), "--position", "administrator", "--as-of", AS_OF, *more)


def bundle(tmp_path: Path, count: int) -> Path:
    path = tmp_path / "population.jsonl"
    lines = [orjson.dumps(orjson.loads(f.read_bytes())) for f in sorted(POPULATION.glob("*.json"))[:count]]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_unrecorded_jsonl_check_imports_neither_the_store_nor_rich_nor_a_pool(tmp_path: Path) -> None:
    code, loaded, out = checked(bundle(tmp_path, 12), "--no-record", "--format", "jsonl", "--jobs", "2")
    assert code == 0 and len(out.splitlines()) == 12
    assert loaded.isdisjoint({*RECORDING, *POOL, "rich", "tabulate"}), loaded


def test_unrecorded_table_check_of_a_folder_imports_no_store(tmp_path: Path) -> None:
    code, loaded, out = checked(FIXTURES, "--no-record")
    assert code == 0 and "Budi Santoso" in out  # the shortlist was printed
    assert loaded.isdisjoint({*RECORDING, "rich"}) and "tabulate" in loaded, loaded


def test_recorded_check_imports_the_store(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    code, loaded, _out = checked(bundle(tmp_path, 3), "--db", str(db), "--format", "jsonl")
    assert code == 0 and db.exists()
    assert set(RECORDING) <= loaded, loaded


def test_two_jobs_over_two_batches_start_the_pool(tmp_path: Path) -> None:
    code, loaded, out = checked(bundle(tmp_path, 501), "--no-record", "--format", "jsonl", "--jobs", "2")
    assert code == 0 and len(out.splitlines()) == 501
    assert "concurrent.futures.process" in loaded


def test_validate_loads_no_candidate_model_nor_other_tools() -> None:
    code, loaded, _out = imported("validate", str(ROOT / "rules"))
    assert code == 0
    assert loaded.isdisjoint({*RECORDING, "rich", "engine.load.candidate", "engine.tools.cases", "engine.tools.diff"})


def test_progress_imports_rich_only_to_draw() -> None:
    probe = (
        "import io, sys\n"
        "from engine.present.progress import progress\n"
        "with progress(3, 'check', stream=io.StringIO()) as bar:\n"
        "    bar.advance()\n"
        "print('rich' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "False", done.stderr


def _setup() -> Setup:
    day = dt.date.fromisoformat(AS_OF)
    ruleset = load_library(ROOT / "rules").for_position("administrator", None, day)
    return Setup(ruleset=ruleset, position_id="administrator", as_of=day)


def _child(setup: Setup, layout_id: int, batch: object, answer: multiprocessing.connection.Connection) -> None:
    engine = engine_for(setup)
    result = decide_batch(setup, 0, batch)  # type: ignore[arg-type]
    answer.send((id(engine.layout) == layout_id, engine._opened_by == os.getpid(), result.lines))
    release(setup)


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked on Linux only")
def test_a_forked_worker_inherits_the_engine_and_opens_its_own_rulesets(tmp_path: Path) -> None:
    setup = _setup()
    batch = next(iter(bundle_batches(str(bundle(tmp_path, 20)), 500)))
    try:
        prepare(setup)
        engine = engine_for(setup)
        assert engine.evaluator is None  # nothing of durable is opened before the fork
        here = decide_batch(setup, 0, batch)  # the parent opens its own
        parents = engine.evaluator
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(setup, id(engine.layout), batch, send))
        child.start()
        inherited, opened, lines = receive.recv()
        child.join(timeout=60)
        assert child.exitcode == 0
        assert inherited  # the layout built before the fork, not rebuilt
        assert opened and lines == here.lines  # durable rulesets opened by the worker itself, the same decisions
        assert engine.evaluator is parents and decide_batch(setup, 1, batch).lines == here.lines
    finally:
        release(setup)
    assert id(setup) not in stream._engines


def test_an_engine_opened_in_another_process_is_opened_again(tmp_path: Path) -> None:
    setup = _setup()
    batch = next(iter(bundle_batches(str(bundle(tmp_path, 5)), 500)))
    try:
        first = decide_batch(setup, 0, batch)
        engine = engine_for(setup)
        opened = engine.evaluator
        engine._opened_by = os.getpid() + 1  # as a forked worker sees its parent's engine
        assert decide_batch(setup, 1, batch).lines == first.lines
        assert engine.evaluator is not opened and engine._opened_by == os.getpid()
        opened.close()
    finally:
        release(setup)


def test_a_rulesets_hash_is_kept_for_that_object_only() -> None:
    ruleset = _setup().ruleset
    fresh = hashlib.sha256(rfc8785.dumps(ruleset.model_dump(mode="json"))).hexdigest()
    assert content_hash(ruleset) == fresh and content_hash(ruleset) == fresh
    changed = ruleset.model_copy(update={"version": f"{ruleset.version}-proposed"})
    assert content_hash(changed) not in ("", fresh)
    assert content_hash(ruleset.model_copy(deep=True)) == fresh  # equal content, another object: hashed again
