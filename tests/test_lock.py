"""The rules lock: an edited rule file whose version was not bumped is an error naming the file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli
from engine.tools.lint import lint

RULES = Path(__file__).parent.parent / "rules"
EDITED = "national/kenaikan-pangkat.yaml"


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(RULES, copy)
    return copy


def _validate(path: Path, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", str(path), "--format", "json", *extra])
    return result.exit_code, result.stdout, result.stderr


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_shipped_pack_validates_clean_with_its_lock() -> None:
    assert (RULES / "layak.lock").is_file()
    assert lint(RULES) == []


def test_threshold_edit_without_bump_is_an_error_naming_the_file(rules: Path) -> None:
    _edit(rules / EDITED, "value: 4y", "value: 3y")  # the 4-year minimum in rank, shortened
    code, out, _err = _validate(rules)
    assert code == 3
    found = [f for f in lint(rules) if f.problem.code == "version_not_bumped"]
    assert len(found) == 1 and found[0].severity == "error"
    assert found[0].problem.file.endswith(EDITED) and "2025.3" in found[0].problem.message
    assert "--update-lock" in found[0].problem.hint
    assert any(
        row["code"] == "version_not_bumped" and row["where"].startswith(str(rules / EDITED)) for row in json.loads(out)
    )


def test_bumping_the_version_and_updating_the_lock_clears_it(rules: Path) -> None:
    _edit(rules / EDITED, "value: 4y", "value: 3y")
    _edit(rules / EDITED, 'version: "2025.3"', 'version: "2025.4"')
    bumped = lint(rules)
    assert [(f.severity, f.problem.code) for f in bumped] == [("warning", "not_locked")]  # new version, unlocked
    assert _validate(rules, "--strict")[0] == 1
    code, _out, err = _validate(rules, "--update-lock")
    assert code == 0 and "layak.lock" in err
    assert lint(rules) == []
    assert _validate(rules, "--strict")[0] == 0


def test_comment_and_layout_edits_do_not_count(rules: Path) -> None:
    path = rules / EDITED
    path.write_text("# reviewed by the HR bureau\n" + path.read_text(encoding="utf-8") + "\n\n# end\n", "utf-8")
    _edit(path, "value: 4y", "value:   4y   # four years in rank")
    assert lint(rules) == []


def test_file_missing_from_the_lock_is_a_warning(rules: Path) -> None:
    shutil.copy(rules / EDITED, rules / "national" / "copy.yaml")
    _edit(rules / "national" / "copy.yaml", "  id: kenaikan-pangkat\n", "  id: kenaikan-pangkat-copy\n")
    codes = {(f.severity, f.problem.code, Path(f.problem.file).name) for f in lint(rules)}
    assert ("warning", "not_locked", "copy.yaml") in codes
    assert not any(severity == "error" for severity, _c, _f in codes)


def test_unreadable_lock_is_an_error(rules: Path) -> None:
    (rules / "layak.lock").write_text("{not json", encoding="utf-8")
    assert [f.problem.code for f in lint(rules)] == ["lock_invalid"]
