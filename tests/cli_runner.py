"""Invoking the `layak` CLI in-process for tests: exit code, stdout and stderr kept apart."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from click.testing import CliRunner

from cli import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def run_child(args: Sequence[str], preexec: Callable[[], None]) -> subprocess.CompletedProcess[str]:
    """`layak ARGS` in a child process set up by ``preexec`` (limits, file modes) before it starts."""
    return subprocess.run(
        [sys.executable, "-c", "from cli import cli; cli()", *args],
        cwd=Path(__file__).parent.parent,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=preexec,  # noqa: PLW1509  (no threads in a test process start children meanwhile)
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=600,
    )
