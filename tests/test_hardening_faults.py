"""Locked, read-only and full stores refuse clearly and keep exactly what they held (bench/faults.py: the full run)."""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from cli_runner import run, run_child
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

import engine.audit.store as store_module
from engine.audit.location import shown, to_url
from engine.audit.record import Draft
from engine.audit.store import Store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "candidates"
ARGS = ("--position", "administrator", "--as-of", "2026-12-01")


def held(db: str) -> list[str]:
    with Store.open(db) as store:
        return [r["chain_hash"] for r in store.rows(full=False)]


def verifies(db: str) -> bool:
    code, out, _err = run("audit", "verify", "--db", db, "--format", "json")
    return code == 0 and json.loads(out)["records"] == len(held(db))


@contextmanager
def write_lock_held(url: str) -> Iterator[None]:
    """Another writer holding the store's write lock (SQLite: a write transaction; PostgreSQL: the advisory lock)."""
    if "://" not in url:
        holder = sqlite3.connect(url, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    engine = create_engine(to_url(url), poolclass=NullPool)
    with engine.connect() as conn, conn.begin():
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": store_module.LOCK_KEY})
        yield
    engine.dispose()


def test_a_locked_store_is_refused_clearly_and_left_whole(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("check", str(FIXTURES), *ARGS, "--db", store_url)[0] == 0
    before = held(store_url)
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.5)
    with write_lock_held(store_url):  # past the (shortened) busy timeout: PostgreSQL used to wait forever
        code, _out, err = run("check", str(FIXTURES), *ARGS, "--db", store_url)
    assert code == 3 and "audit_unreadable" in err and "the store is locked" in err and "Traceback" not in err
    assert shown(store_url) in err
    monkeypatch.undo()
    assert held(store_url) == before and verifies(store_url)


PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2  # from <linux/prctl.h>, <linux/capability.h>


def _obey_file_modes() -> None:
    """Make root obey file modes in this (child) process: drop the capabilities that override them."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def _layak_process(args: list[str], *, file_size: int | None = None, obey_modes: bool = False) -> tuple[int, str]:
    """`layak ARGS` in a child process, its files limited to ``file_size`` bytes, or bound by file modes as root."""

    def limits() -> None:
        if file_size is not None:
            # a write past the limit then fails with EFBIG, as on a full disk, instead of killing the process
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
        if obey_modes and os.geteuid() == 0:
            _obey_file_modes()

    result = run_child(args, limits)
    return result.returncode, result.stderr


def test_a_full_disk_is_refused_clearly_and_records_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "audit.db")
    assert run("check", str(FIXTURES), *ARGS, "--db", db)[0] == 0
    before = held(db)
    # Every file the child writes stops at 64 KiB: the write-ahead log of 48 more records cannot grow.
    code, err = _layak_process(["check", str(FIXTURES), *ARGS, "--db", db], file_size=64 << 10)
    assert code == 3, err[-600:]
    assert "audit_unreadable" in err and db in err and "Traceback" not in err
    assert held(db) == before and verifies(db)


def test_a_read_only_sqlite_store_is_refused_clearly_and_left_whole(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    db = folder / "audit.db"
    assert run("check", str(FIXTURES), *ARGS, "--db", str(db))[0] == 0
    before = held(str(db))
    assert not list(folder.glob("audit.db-*"))  # the log was checkpointed: the file alone holds the store
    db.chmod(0o444)
    folder.chmod(0o555)
    try:
        code, err = _layak_process(["check", str(FIXTURES), *ARGS, "--db", str(db)], obey_modes=True)
    except subprocess.SubprocessError as error:  # a container that keeps root from dropping capabilities
        pytest.skip(f"cannot make root obey file modes here: {error}")
    finally:
        folder.chmod(0o755)
        db.chmod(0o644)
    assert code == 3, err[-600:]
    assert "audit_unreadable" in err and str(db) in err and "Traceback" not in err
    assert held(str(db)) == before and verifies(str(db))


@pytest.mark.parametrize("how", ["read-only transactions", "a role that may only read"])
def test_a_read_only_postgresql_store_is_refused_clearly_and_left_whole(pg_url: str, how: str) -> None:
    assert run("check", str(FIXTURES), *ARGS, "--db", pg_url)[0] == 0
    before = held(pg_url)
    url = make_url(pg_url)
    if how == "read-only transactions":
        reader = url.update_query_dict({"options": "-c default_transaction_read_only=on"})
    else:
        role = f"layak_ro_{uuid.uuid4().hex[:8]}"
        engine = create_engine(to_url(pg_url), poolclass=NullPool)
        with engine.begin() as conn:
            conn.execute(text(f"CREATE ROLE {role} LOGIN"))
            conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"))
        engine.dispose()
        reader = url.set(username=role, password=None)
    try:
        code, _out, err = run("check", str(FIXTURES), *ARGS, "--db", reader.render_as_string(hide_password=False))
    finally:
        if how != "read-only transactions":  # roles belong to the whole cluster: leave none behind
            engine = create_engine(to_url(pg_url), poolclass=NullPool)
            with engine.begin() as conn:
                conn.execute(text(f"DROP OWNED BY {role}"))
                conn.execute(text(f"DROP ROLE {role}"))
            engine.dispose()
    assert code == 3 and "audit_unreadable" in err and "Traceback" not in err
    assert ("read-only transaction" if how == "read-only transactions" else "permission denied") in err
    assert held(pg_url) == before and verifies(pg_url)


def test_a_batch_failing_midway_records_nothing(store_url: str) -> None:
    assert run("check", str(FIXTURES), *ARGS, "--db", store_url)[0] == 0
    before = held(store_url)
    with Store.open(store_url) as store:
        rows = list(store.rows())
    with Store.open(store_url) as store:
        drafts = _drafts_like(rows)

        def failing() -> Iterator[Draft]:
            for number, item in enumerate(drafts):
                if number == 25:
                    raise OSError("disk went away")
                yield item

        with pytest.raises(OSError):
            store.append(failing(), chunk=10)  # 20 rows were inserted in this transaction, then it failed
    assert held(store_url) == before and verifies(store_url)


def _drafts_like(rows: list[dict[str, object]]) -> list[Draft]:
    """Drafts re-made from stored records (the simplest source of valid drafts for a store test)."""
    import datetime as dt

    from engine.audit.dossier import dossier_of
    from engine.audit.record import StoredRuleset, draft
    from engine.decide.pipeline import check
    from engine.load.intake import load_candidates
    from engine.load.library import load_library

    loaded, _ = load_candidates([FIXTURES])
    decided = check(load_library(ROOT / "rules"), "administrator", loaded, dt.date(2026, 12, 1), backend="reference")
    by_key = {(c.file, c.candidate.nip): c for c in loaded}
    stored = StoredRuleset.of(decided.ruleset)
    return [
        draft(
            d,
            dossier_of(by_key[(d.candidate.file, d.candidate.nip)]),
            stored,
            actor="t",
            board=f"b{n}",
            engine="reference",
            run_id="t",
        )
        for n, d in enumerate(decided.decisions)
    ][: len(rows)]
