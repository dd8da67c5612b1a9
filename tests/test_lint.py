"""`layak validate`: one fixture per kind of problem, each reported with file, line and a plain message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli
from engine.tools.lint import lint

DATA = Path(__file__).parent / "data"
LINT = DATA / "lint"

# Lines counted by hand in the files: the header is 7 lines, a position 3 more, then requirements (ladder.yaml:
# each position 4 lines, with the `discipline_omitted` the discipline lint asks for).
WARNINGS = [
    ("never-passes.yaml", "never_passes", 15, "can never pass"),  # competency.M01 gt 5 on a 0-5 scale
    ("never-fails.yaml", "never_fails", 15, "can never fail"),  # age_years gte 0
    ("ladder.yaml", "ladder", 20, "asks less than the class below it"),  # administrator M01 2 < pengawas 3
]


@pytest.mark.parametrize(("name", "code", "line", "words"), WARNINGS, ids=[w[0] for w in WARNINGS])
def test_warning_kinds(tmp_path: Path, name: str, code: str, line: int, words: str) -> None:
    shutil.copy(LINT / name, tmp_path / name)
    findings = lint(tmp_path)
    assert [(f.severity, f.problem.code, f.problem.line) for f in findings] == [("warning", code, line)]
    assert words in findings[0].problem.message and findings[0].problem.file.endswith(name)


def test_contradiction_is_an_error(tmp_path: Path) -> None:
    shutil.copy(LINT / "contradiction.yaml", tmp_path / "c.yaml")
    findings = lint(tmp_path)
    # min-rank (gte IV/a) is the first requirement; max-rank (lte III/d) the second, value on line 21.
    assert [(f.severity, f.problem.code, f.problem.line) for f in findings] == [("error", "contradiction", 21)]
    assert "no candidate can meet both" in findings[0].problem.message


def test_load_errors_are_errors() -> None:
    findings = lint(DATA / "bad_rules")
    assert findings and all(f.severity == "error" for f in findings)
    assert {f.problem.code for f in findings} >= {
        "bad_threshold",
        "unknown_fact",
        "missing_basis",
        "duplicate_id",
        "syntax_error",
        "rule_invalid",
    }
    assert all(f.problem.file and f.problem.line for f in findings)


def test_shipped_rules_are_clean() -> None:
    assert lint(Path(__file__).parent.parent / "rules") == []


def test_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    shutil.copy(LINT / "never-fails.yaml", tmp_path / "w.yaml")
    result = runner.invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 0 and "never_fails" in result.stdout  # warnings alone pass...
    result = runner.invoke(cli, ["validate", str(tmp_path), "--strict"])
    assert result.exit_code == 1  # ...unless --strict
    result = runner.invoke(cli, ["validate", str(LINT), "--format", "json"])
    assert result.exit_code == 3 and '"contradiction"' in result.stdout  # errors: invalid rules, as in `check`
    assert "1 error, 3 warnings" in result.stderr
