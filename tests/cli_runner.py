"""Invoking the `layak` CLI in-process for tests: exit code, stdout and stderr kept apart."""

from __future__ import annotations

from click.testing import CliRunner

from cli import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr
