"""Read-only commands open a store read-only: a copy on read-only media verifies, and nothing is created."""

from __future__ import annotations

import ctypes
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from cli_runner import run, run_child

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "candidates"
ARGS = ("--position", "administrator", "--as-of", "2026-12-01")
PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 24, 1, 2  # from <linux/prctl.h>, <linux/capability.h>
READERS = (
    ("audit", "verify"),
    ("audit", "list"),
    ("audit", "show", "1"),
    ("audit", "export"),
    ("audit", "head"),
    ("replay", "--all"),
)


def _obey_file_modes() -> None:
    """Make root obey file modes in this (child) process: drop the capabilities that override them."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def _bound_by_modes(args: tuple[str, ...]) -> tuple[int, str, str]:
    """`layak ARGS` in a child process that file modes bind, even as root."""
    try:
        result = run_child(args, _obey_file_modes)
    except subprocess.SubprocessError as error:  # a container that keeps root from dropping capabilities
        pytest.skip(f"cannot make root obey file modes here: {error}")
    return result.returncode, result.stdout, result.stderr


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """The folder and every file in it read-only, restored afterwards (so pytest can clean up)."""
    files = list(folder.iterdir())
    for file in files:
        file.chmod(0o444)
    folder.chmod(0o555)
    try:
        yield
    finally:
        folder.chmod(0o755)
        for file in files:
            file.chmod(0o644)


def _recorded(db: Path) -> None:
    code, _out, err = run("check", str(FIXTURES), *ARGS, "--db", str(db))
    assert code == 0, err


def test_a_store_in_a_read_only_folder_verifies_exports_and_shows(tmp_path: Path) -> None:
    folder = tmp_path / "media"
    folder.mkdir()
    db = folder / "audit.db"
    _recorded(db)
    assert [p.name for p in folder.iterdir()] == ["audit.db"]  # the log was checkpointed into the file
    with read_only(folder):
        outputs = {args: _bound_by_modes((*args, "--db", str(db))) for args in READERS}
        assert [p.name for p in folder.iterdir()] == ["audit.db"]  # no -wal, no -shm created
    for args, (code, _out, err) in outputs.items():
        assert code == 0, (args, err[-600:])
        assert "Traceback" not in err
    assert "48 records intact" in outputs[("audit", "verify")][2]
    assert len(outputs[("audit", "export")][1].splitlines()) == 48 + 2  # every record and the 2 rulesets' lines
    assert "48 decisions replayed: 48 identical" in outputs[("replay", "--all")][2]


def test_committed_records_still_in_the_write_ahead_log_are_read_not_skipped(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    _recorded(db)
    # A reader holding the store open keeps the second batch in the -wal file (no checkpoint at close), as
    # when a store is copied while in use: a copy of the three files holds 96 records, 48 of them in the log.
    holder = sqlite3.connect(db)
    holder.execute("BEGIN")
    holder.execute("SELECT count(*) FROM audit_decisions").fetchall()
    holder.commit()
    _recorded(db)
    copy = tmp_path / "copy"
    copy.mkdir()
    for suffix in ("", "-wal", "-shm"):
        shutil.copy(f"{db}{suffix}", copy / f"audit.db{suffix}")
    holder.close()
    assert (copy / "audit.db-wal").stat().st_size > 0
    with read_only(copy):
        code, _out, err = _bound_by_modes(("audit", "verify", "--db", str(copy / "audit.db")))
    assert code == 0, err[-600:]
    assert "96 records intact" in err  # the 48 only in the log are read: immutable=1 would show 48


@pytest.mark.parametrize("args", READERS)
def test_a_missing_store_is_a_located_error_and_nothing_is_created(tmp_path: Path, args: tuple[str, ...]) -> None:
    db = tmp_path / "nowhere" / "audit.db"
    code, _out, err = run(*args, "--db", str(db))
    assert code == 3, err
    assert f"{db}: audit_unreadable: no audit store here" in err
    assert not db.parent.exists()


def test_a_reader_never_creates_the_schema_in_a_file_that_is_no_store(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    db.touch()
    code, _out, err = run("audit", "verify", "--db", str(db))
    assert code == 3 and f"{db}: audit_unreadable: no audit store here" in err
    assert db.stat().st_size == 0  # no table was created in it
