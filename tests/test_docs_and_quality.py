"""The project's contract: README quickstart = CI, every command documented, lint and strict typing clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli import cli

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text()


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert f"```sh\n{ci}\n```" in README


def test_every_command_is_documented() -> None:
    for name in cli.commands:
        assert f"### `layak {name}" in README, name


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"{name} is not installed; install the dev extra: pip install -e '.[dev]'")
    return found


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [_tool("ruff"), "check", "engine", "cli.py", "tests", "bench"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_applied() -> None:
    """One formatter for the whole tree: `ruff format` leaves nothing to change."""
    result = subprocess.run(
        [_tool("ruff"), "format", "--check", "engine", "cli.py", "tests", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    result = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_quickstart_output_is_current() -> None:
    from click.testing import CliRunner

    block = README.split("The first command prints", 1)[1].split("```text\n", 1)[1].split("\n```", 1)[0]
    result = CliRunner().invoke(
        cli, ["check", str(ROOT / "fixtures" / "candidates"), "--position", "administrator", "--as-of", "2026-12-01"]
    )
    assert result.exit_code == 0
    assert result.stdout.rstrip("\n") == block, "README quickstart output is stale: paste the new output"


def test_no_test_module_imports_another() -> None:
    """Shared helpers live in *_support.py / cli_runner.py / conftest.py, so each test module stands alone."""
    import ast

    offenders = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [(path.name, n) for n in names if n.split(".")[-1].startswith("test_")]
    assert offenders == []


MODULE_LINE_LIMIT = 350


def test_modules_stay_small() -> None:
    """One module owns one stage: none of engine/ or cli.py grows past the team's limit of lines."""
    sources = [ROOT / "cli.py", *sorted((ROOT / "engine").rglob("*.py"))]
    too_long = {
        str(p.relative_to(ROOT)): n for p in sources if (n := len(p.read_text().splitlines())) > MODULE_LINE_LIMIT
    }
    assert too_long == {}
