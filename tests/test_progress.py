"""Progress bars: drawn on a terminal (a pseudo-terminal here), nothing at all when stderr is a file or a pipe."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import orjson
import pytest

from engine.present.progress import counted, label_text, progress, should_draw


@contextmanager
def terminal() -> Iterator[tuple[TextIO, int]]:
    """A writable text stream on the slave side of a pseudo-terminal, and the master fd to read what was drawn."""
    master, slave = pty.openpty()
    stream = os.fdopen(slave, "w", encoding="utf-8", buffering=1)
    try:
        yield stream, master
    finally:
        stream.close()
        os.close(master)


def drain(master: int) -> str:
    chunks: list[bytes] = []
    while select.select([master], [], [], 0.2)[0]:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture(autouse=True)
def _progress_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LAYAK_NO_PROGRESS", raising=False)
    monkeypatch.setenv("TERM", "xterm")


def test_draws_label_and_count_on_a_terminal() -> None:
    with terminal() as (stream, master):
        with progress(7, "verify", stream=stream) as bar:
            for _ in range(7):
                bar.advance()
        drawn = drain(master)
    assert "verifying the decision log" in drawn
    assert "7/7" in drawn


def test_indonesian_label_and_unknown_total() -> None:
    with terminal() as (stream, master):
        with progress(None, "replay", lang="id", stream=stream) as bar:
            bar.advance(3)
        drawn = drain(master)
    assert "memutar ulang keputusan" in drawn
    assert "3/?" in drawn


def test_nothing_when_not_a_terminal() -> None:
    sink = io.StringIO()
    with progress(5, "check", stream=sink) as bar:
        bar.advance(5)
    assert sink.getvalue() == ""


def test_nothing_on_a_pipe() -> None:
    read_end, write_end = os.pipe()
    stream = os.fdopen(write_end, "w")
    with progress(5, "check", stream=stream) as bar:
        bar.advance(5)
    stream.close()
    with os.fdopen(read_end, "rb") as reader:
        assert reader.read() == b""


def test_switched_off_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with terminal() as (stream, master):
        monkeypatch.setenv("LAYAK_NO_PROGRESS", "1")
        assert not should_draw(stream)
        monkeypatch.delenv("LAYAK_NO_PROGRESS")
        monkeypatch.setenv("TERM", "dumb")
        assert not should_draw(stream)
        monkeypatch.setenv("TERM", "xterm")
        assert should_draw(stream)
        del master


def test_live_output_to_a_terminal_keeps_the_bar_off() -> None:
    with terminal() as (stream, master), terminal() as (stdout, other):
        assert should_draw(stream, live_output=False, stdout=stdout)
        assert not should_draw(stream, live_output=True, stdout=stdout)
        assert should_draw(stream, live_output=True, stdout=io.StringIO())
        del master, other


def test_unknown_label_shown_as_given() -> None:
    assert label_text("counting sheep", "id") == "counting sheep"
    assert label_text("export", "id") == "mengekspor log keputusan"


def test_counted_passes_items_through_and_counts_them() -> None:
    with terminal() as (stream, master):
        with progress(4, "export", stream=stream) as bar:
            assert list(counted(iter("abcd"), bar)) == ["a", "b", "c", "d"]
        drawn = drain(master)
    assert "4/4" in drawn


ROOT = Path(__file__).parent.parent


def _layak(args: list[str], *, stderr_on_terminal: bool) -> tuple[bytes, str]:
    """Run the CLI in a child process, stdout to a pipe; stderr to a pseudo-terminal or to a pipe."""
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    env.pop("LAYAK_NO_PROGRESS", None)
    command = [sys.executable, "-c", "from cli import main; main()", *args]
    if not stderr_on_terminal:
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
        return done.stdout, done.stderr.decode()
    master, slave = pty.openpty()
    try:
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=slave)
        os.close(slave)
        out: list[bytes] = []
        # stdout is drained alongside: a child blocked on a full pipe would never close the terminal
        reader = threading.Thread(target=lambda: out.append(child.stdout.read() if child.stdout else b""))
        reader.start()
        drawn: list[bytes] = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            drawn.append(chunk)
        reader.join()
        child.wait()
    finally:
        os.close(master)
    return b"".join(out), b"".join(drawn).decode("utf-8", "replace")


def test_check_draws_on_a_terminal_and_keeps_stdout_clean(tmp_path: Path) -> None:
    args = ["check", "fixtures/candidates", "--position", "administrator", "--as-of", "2026-12-01"]
    args += ["--format", "jsonl", "--no-record", "--jobs", "1"]
    out, err = _layak(args, stderr_on_terminal=True)
    assert "checking candidates" in err
    lines = [orjson.loads(line) for line in out.splitlines()]
    assert lines and all(line["position"] == "administrator" for line in lines)
    out_plain, err_plain = _layak(args, stderr_on_terminal=False)
    assert out_plain == out
    assert "checking candidates" not in err_plain and "\x1b" not in err_plain


def test_audit_verify_draws_on_a_terminal_only(tmp_path: Path) -> None:
    db = str(tmp_path / "audit.db")
    check = ["check", "fixtures/candidates", "--position", "pengawas", "--as-of", "2026-12-01", "--db", db]
    code_out, _ = _layak([*check, "--format", "json"], stderr_on_terminal=False)
    assert code_out
    out, err = _layak(["audit", "verify", "--db", db, "--format", "json"], stderr_on_terminal=True)
    assert "verifying the decision log" in err
    assert orjson.loads(out)["ok"] is True
    out_plain, err_plain = _layak(["audit", "verify", "--db", db, "--format", "json"], stderr_on_terminal=False)
    assert orjson.loads(out_plain)["ok"] is True
    assert "verifying" not in err_plain and "\x1b" not in err_plain
