"""Case files are portable: candidate paths resolve against the case file, and candidates may be inline."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import jsonschema
import pytest
from cli_runner import run
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent


def _copy(to: Path) -> Path:
    """rules/ and the candidate fixtures its cases name, in the same relative layout, outside the checkout."""
    shutil.copytree(ROOT / "rules", to / "rules")
    shutil.copytree(ROOT / "fixtures" / "candidates", to / "fixtures" / "candidates")
    return to / "rules"


def test_copied_rules_run_their_cases_from_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = _copy(tmp_path / "copy")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # Neither the checkout nor the copy is the working directory: paths can only resolve against the case file.
    monkeypatch.chdir(elsewhere)
    for name in ("pelaksana", "pengawas"):
        code, out, err = run("test", str(rules / "national" / f"{name}.cases.yaml"), "--rules", str(rules))
        assert code == 0, err
        assert "PASS:" in err and "FAIL" not in err


def test_boundaries_saved_under_rules_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = _copy(tmp_path)
    # As a person would: generate from the project root, save the output beside the rules it tests.
    monkeypatch.chdir(tmp_path)
    code, text, err = run("test", "rules/national/pengawas.cases.yaml", "--rules", "rules", "--generate-boundaries")
    assert code == 0, err
    saved = rules / "national" / "pengawas-boundaries.cases.yaml"
    saved.write_text(text, encoding="utf-8")
    cases = YAML(typ="safe").load(text)["cases"]
    assert cases and all(isinstance(case["candidate"], dict) for case in cases)
    # The fixtures are gone: the saved file depends on nothing outside itself.
    shutil.rmtree(tmp_path / "fixtures")
    code, out, err = run("test", str(saved), "--rules", str(rules), "--format", "csv")
    # Every case loads and is decided (exit 3 would mean the file could not be read); whether each generated
    # expectation holds is for the reviewer, so only the thresholds' "at" side is checked here.
    assert code in (0, 1), err
    assert f"/{len(cases)} cases" in err
    at = [line for line in out.splitlines() if " at gte " in line]
    assert at and all(line.startswith("PASS") for line in at), out


def test_inline_candidate_with_a_bad_field_names_the_case_file_line(tmp_path: Path) -> None:
    case_file = tmp_path / "bad.cases.yaml"
    case_file.write_text(
        textwrap.dedent("""\
            position: pelaksana
            cases:
              - note: an inline candidate whose birth date is not a date
                candidate:
                  nip: "196501012023011001"
                  name: Contoh
                  birth_date: not-a-date
                as_of: 2026-01-15
            """),
        encoding="utf-8",
    )
    code, out, err = run("test", str(case_file), "--rules", str(ROOT / "rules"))
    assert code == 3
    assert f"{case_file}:7" in err  # birth_date is on line 7 of the case file
    assert "cases[0].candidate.birth_date" in err
    assert "Traceback" not in err and out == ""


def test_cases_schema_checks_an_inline_candidate_as_a_candidate_file() -> None:
    schema = json.loads(run("schema", "cases")[1])
    validator = jsonschema.Draft202012Validator(schema)
    case = {"note": "n", "as_of": "2026-01-15", "candidate": "../../fixtures/candidates/siti-rahma.yaml"}
    assert not list(validator.iter_errors({"position": "pengawas", "cases": [case]}))
    inline = {**case, "candidate": {"nip": "196501012023011001", "name": "Contoh", "birth_date": "not-a-date"}}
    assert list(validator.iter_errors({"position": "pengawas", "cases": [inline]}))
