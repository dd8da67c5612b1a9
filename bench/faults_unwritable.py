"""Stores that cannot take a write: locked, read-only, full; each must refuse clearly and keep what it held.

Used by bench/faults.py. Every case first records the bundled candidates, then runs `layak check` once
more against the store made unwritable, and reports: the exit code (3 expected), whether the message
names the store, whether the store holds exactly the records it held before, and whether the chain
verifies. SQLite: locked (another writer past a shortened busy timeout); read-only by file modes (root
is made to obey them by dropping CAP_DAC_OVERRIDE in the child) and, as root with `mount`, on a
filesystem remounted read-only; full by RLIMIT_FSIZE (every file of the child stops at 64 KiB) and, as
root, on a 2 MB tmpfs filled up. PostgreSQL: locked (another session holds the advisory write lock),
read-only transactions (default_transaction_read_only) and a role granted SELECT only.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

import engine.audit.store as store_module
from cli import cli
from engine.audit.location import shown, to_url
from engine.audit.store import Store
from engine.audit.verify import entry_of_row, verify

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "candidates"
CHECK = ["check", str(FIXTURES), "--position", "administrator", "--as-of", "2026-12-01", "--format", "json"]
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2


def held(url: str) -> list[str]:
    with Store.open(url) as store:
        return [r["chain_hash"] for r in store.rows(full=False)]


def chain_ok(url: str) -> bool:
    with Store.open(url) as store, store.snapshot():
        return verify((entry_of_row(r) for r in store.rows()), store.ruleset_bodies(), None).ok


def in_process(db: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*CHECK, "--db", db])
    return result.exit_code, result.stderr


def child(db: str, *, file_size: int | None = None, obey_modes: bool = False) -> tuple[int, str]:
    """`layak check` in a child process: files limited to ``file_size`` bytes, or root bound by file modes."""

    def limits() -> None:
        if file_size is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) as on a full disk
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
        if obey_modes and os.geteuid() == 0:
            libc = ctypes.CDLL(None, use_errno=True)
            for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
                if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                    raise OSError(ctypes.get_errno(), "cannot drop a capability")

    proc = subprocess.run(
        [sys.executable, "-c", "from cli import cli; cli()", *CHECK, "--db", db],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=limits,  # noqa: PLW1509
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=900,
    )
    return proc.returncode, proc.stderr


def outcome(url: str, before: list[str], code: int, err: str, named: str = "") -> dict[str, Any]:
    return {
        "exit": code,
        "names_store": shown(named or url) in err,
        "records_unchanged": held(url) == before,
        "chain_verifies": chain_ok(url),
        "message": [line for line in err.strip().splitlines() if line.startswith("Error:")][:1],
    }


@contextlib.contextmanager
def short_busy_timeout() -> Iterator[None]:
    saved = store_module.BUSY_TIMEOUT_S
    store_module.BUSY_TIMEOUT_S = 2
    try:
        yield
    finally:
        store_module.BUSY_TIMEOUT_S = saved


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], check=False, capture_output=True).returncode == 0


def sqlite_unwritable(work: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    seeded = work / "seed.db"
    assert in_process(str(seeded))[0] == 0
    before = held(str(seeded))

    def copy(folder: Path, name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(seeded, folder / name)
        return folder / name

    locked = copy(work, "locked.db")
    holder = sqlite3.connect(locked, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with short_busy_timeout():
            out["locked"] = outcome(str(locked), before, *in_process(str(locked)))
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    modes = copy(work / "ro", "modes.db")
    modes.chmod(0o444)
    modes.parent.chmod(0o555)
    try:
        result = child(str(modes), obey_modes=True)
    finally:
        modes.parent.chmod(0o755)
        modes.chmod(0o644)
    out["read_only_modes"] = outcome(str(modes), before, *result)

    limited = copy(work, "limited.db")
    out["full_file_size_limit"] = outcome(str(limited), before, *child(str(limited), file_size=64 << 10))

    if os.geteuid() == 0 and shutil.which("mount"):
        ro_mount = Path(tempfile.mkdtemp(prefix="layak-ro-"))
        if _mount("-t", "tmpfs", "-o", "size=8m", "tmpfs", str(ro_mount)):
            try:
                readonly = copy(ro_mount, "ro.db")
                if _mount("-o", "remount,ro", str(ro_mount)):
                    result = in_process(str(readonly))
                    _mount("-o", "remount,rw", str(ro_mount))
                    out["read_only_mount"] = outcome(str(readonly), before, *result)
            finally:
                _mount_off(ro_mount)
        mount = Path(tempfile.mkdtemp(prefix="layak-full-"))
        if _mount("-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)):
            try:
                full = copy(mount, "full.db")
                filler = mount / "filler"
                with contextlib.suppress(OSError), filler.open("wb") as sink:
                    while True:
                        sink.write(b"\0" * 4096)
                        sink.flush()
                result = in_process(str(full))
                filler.unlink()  # reading the store back needs a little room (SQLite's shared-memory file)
                out["full_disk_tmpfs"] = outcome(str(full), before, *result)
            finally:
                _mount_off(mount)
    return out


def _mount_off(folder: Path) -> None:
    subprocess.run(["umount", str(folder)], check=False, capture_output=True)


def pg_unwritable(make: Callable[[str], str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    url = make("unwritable")
    assert in_process(url)[0] == 0
    before = held(url)
    engine = create_engine(to_url(url), poolclass=NullPool)
    with engine.connect() as conn, conn.begin(), short_busy_timeout():
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": store_module.LOCK_KEY})
        result = in_process(url)
    out["locked"] = outcome(url, before, *result)
    parsed = make_url(url)
    reader = parsed.update_query_dict({"options": "-c default_transaction_read_only=on"})
    as_reader = reader.render_as_string(hide_password=False)
    out["read_only_transactions"] = outcome(url, before, *in_process(as_reader), named=as_reader)
    role = f"layak_ro_{uuid.uuid4().hex[:8]}"
    with engine.begin() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN"))
        conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"))
    as_role = parsed.set(username=role, password=None).render_as_string(hide_password=False)
    out["read_only_role"] = outcome(url, before, *in_process(as_role), named=as_role)
    with engine.begin() as conn:
        conn.execute(text(f"DROP OWNED BY {role}"))
        conn.execute(text(f"DROP ROLE {role}"))
    engine.dispose()
    return out


def failed(cases: dict[str, Any]) -> bool:
    return any(
        o["exit"] != 3 or not o["names_store"] or not o["records_unchanged"] or not o["chain_verifies"]
        for o in cases.values()
    )
