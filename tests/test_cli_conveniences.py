"""CLI conveniences: no cases is an error, `check -` from stdin, `test --run`/`--junit`, schemas, completion."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from click.testing import CliRunner

from cli import cli
from engine.load.source import Document, read_document

ROOT = Path(__file__).parent.parent
RULES = ROOT / "rules"
FIXTURES = ROOT / "fixtures" / "candidates"
SITI = FIXTURES / "siti-rahma.yaml"
AGUS = FIXTURES / "agus-setiawan.yaml"
CASES = RULES / "national" / "pengawas.cases.yaml"
AS_OF = ["--as-of", "2026-12-01"]


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def _data(path: Path) -> Any:
    """The parsed content of a shipped file (which must parse: a Problem here is a broken fixture)."""
    doc = read_document(path)
    assert isinstance(doc, Document), doc
    return doc.data


def _check_stdin(text: str) -> tuple[int, dict[str, object], str]:
    code, out, err = invoke(
        "check", "-", "--position", "administrator", *AS_OF, "--no-record", "--format", "json", stdin=text
    )
    return code, json.loads(out) if out.strip() else {}, err


def _names(doc: dict[str, object]) -> list[str]:
    decisions = doc["decisions"]
    assert isinstance(decisions, list)
    return sorted(d["decision"]["candidate"]["name"] for d in decisions)


# ---- no cases found is an error ---------------------------------------------------------------------------


def test_no_cases_found_is_an_error(tmp_path: Path) -> None:
    code, _out, err = invoke("test", str(tmp_path / "nosuch"), "--min-coverage", "100")
    assert code == 3 and "no_cases" in err and "PASS" not in err
    (tmp_path / "empty").mkdir()
    code, _out, err = invoke("test", str(tmp_path / "empty"), "--rules", str(RULES))
    assert code == 3 and "no_cases" in err
    (tmp_path / "none.cases.yaml").write_text("position: administrator\ncases: []\n")
    code, _out, err = invoke("test", str(tmp_path / "none.cases.yaml"), "--rules", str(RULES))
    assert code == 3 and "none.cases.yaml" in err and "case_invalid" in err


def test_one_case_file_runs_its_cases() -> None:
    code, out, err = invoke("test", str(CASES), "--rules", str(RULES), "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    count = len(_data(CASES)["cases"])
    assert doc["passed"] == count > 0 and {c["file"] for c in doc["cases"]} == {str(CASES)}


# ---- test --run and --junit -------------------------------------------------------------------------------


def test_run_selects_cases_by_pattern() -> None:
    code, out, _err = invoke("test", str(RULES), "--format", "json")
    everything = json.loads(out)["cases"]
    code, out, err = invoke("test", str(RULES), "--run", "pengawas", "--format", "json")
    assert code == 0, err
    chosen = json.loads(out)["cases"]
    assert 0 < len(chosen) < len(everything)
    assert all("pengawas" in f"{c['file']}:{c['line']} {c['note']}" for c in chosen)
    code, _out, err = invoke("test", str(RULES), "--run", "no case is named like this")
    assert code == 3 and "no_cases" in err
    code, _out, err = invoke("test", str(RULES), "--run", "(")
    assert code == 2 and "--run" in err


def test_junit_report(tmp_path: Path) -> None:
    (tmp_path / "mixed.cases.yaml").write_text(f"""position: administrator
cases:
  - note: Siti Rahma is eligible
    candidate: {SITI}
    as_of: 2026-12-01
    verdict: eligible
  - note: D-III wrongly expected to pass the S1 floor
    candidate: {AGUS}
    as_of: 2026-12-01
    requirements: {{education: pass}}
""")
    report = tmp_path / "out" / "junit.xml"
    report.parent.mkdir()
    code, _out, _err = invoke("test", str(tmp_path), "--rules", str(RULES), "--junit", str(report))
    assert code == 1
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites" and root.get("tests") == "2" and root.get("failures") == "1"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "[0] Siti Rahma is eligible",
        "[1] D-III wrongly expected to pass the S1 floor",
    ]
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    # The administrator S1 floor is unconfirmed (PP 11/2017 Pasal 54, rule note): a D-III goes to the board.
    assert failure is not None and "education: expected pass, got missing (observed D3)" in (failure.text or "")


# ---- check - reads candidates from stdin ---------------------------------------------------------------


def test_check_reads_one_yaml_document_from_stdin() -> None:
    code, doc, err = _check_stdin(SITI.read_text(encoding="utf-8"))
    assert code == 0, err
    assert _names(doc) == ["Siti Rahma"]


def test_check_reads_a_json_list_and_json_lines_from_stdin() -> None:
    siti, agus = (_data(p) for p in (SITI, AGUS))
    code, doc, err = _check_stdin(json.dumps([siti, agus], default=str))
    assert code == 0, err
    assert _names(doc) == ["Agus Setiawan", "Siti Rahma"]
    lines = "\n".join(json.dumps(c, default=str) for c in (siti, agus)) + "\n"
    code, doc, err = _check_stdin(lines)
    assert code == 0, err
    assert _names(doc) == ["Agus Setiawan", "Siti Rahma"]


def test_stdin_problems_name_the_line_and_the_rest_is_decided() -> None:
    siti, agus = (_data(p) for p in (SITI, AGUS))
    broken = {**agus, "nip": 12}
    lines = "\n".join(json.dumps(c, default=str) for c in (siti, broken)) + "\n"
    code, doc, err = _check_stdin(lines)
    assert code == 3
    assert _names(doc) == ["Siti Rahma"]
    assert "<stdin>:2: nip: candidate_invalid" in err


def test_json_lines_on_stdin_are_located_on_their_line_as_a_bundle_is() -> None:
    siti, agus = (_data(p) for p in (SITI, AGUS))
    unnamed = {k: v for k, v in agus.items() if k != "name"}  # a field missing: located on its line, not the first
    lines = "\n".join(json.dumps(c, default=str) for c in (siti, unnamed, siti)) + "\n"
    code, doc, err = _check_stdin(lines)
    assert code == 3
    assert "<stdin>:2: name: candidate_invalid" in err
    assert "<stdin>:3: nip: duplicate_candidate" in err and "is also in <stdin>:1" in err
    decisions = doc["decisions"]
    assert isinstance(decisions, list)
    assert [d["decision"]["candidate"]["file"] for d in decisions] == ["<stdin>:1"]


def test_stdin_and_files_together_refuse_a_nip_twice() -> None:
    code, out, err = invoke(
        "check",
        str(SITI),
        "-",
        "--position",
        "administrator",
        *AS_OF,
        "--no-record",
        "--format",
        "json",
        stdin=SITI.read_text(encoding="utf-8"),
    )
    assert code == 3 and "duplicate_candidate" in err
    assert _names(json.loads(out)) == ["Siti Rahma"]


def test_empty_stdin_is_no_candidates() -> None:
    code, _doc, err = _check_stdin("")
    assert code == 3 and ("no_candidates" in err or "candidate_invalid" in err)


# ---- JSON Schemas -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["candidate", "rules", "cases"])
def test_schemas_carry_schema_and_id(kind: str) -> None:
    code, out, _err = invoke("schema", kind)
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"/{kind}.json")
    jsonschema.Draft202012Validator.check_schema(schema)


def test_shipped_files_validate_against_their_schemas() -> None:
    schemas = {kind: json.loads(invoke("schema", kind)[1]) for kind in ("candidate", "rules", "cases")}
    cases = sorted(RULES.rglob("*.cases.yaml"))
    rules = [p for p in sorted(RULES.rglob("*.yaml")) if not p.name.endswith(".cases.yaml")]
    candidates = sorted(FIXTURES.glob("*.yaml"))
    assert cases and rules and candidates
    for kind, files in (("cases", cases), ("rules", rules), ("candidate", candidates)):
        validator = jsonschema.Draft202012Validator(schemas[kind])
        for path in files:
            data = json.loads(json.dumps(_data(path), default=str))  # dates as the text they were
            errors = [e.message for e in validator.iter_errors(data)]
            assert not errors, (path, errors[:3])


def test_the_cases_schema_refuses_an_unknown_key() -> None:
    schema = json.loads(invoke("schema", "cases")[1])
    bad = {
        "position": "administrator",
        "cases": [{"note": "x", "candidate": "a.yaml", "as_of": "2026-12-01", "verdikt": "eligible"}],
    }
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(bad))


# ---- shell completion ------------------------------------------------------------------------------------


def _complete(words: str) -> list[str]:
    env = {"_LAYAK_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    result = CliRunner().invoke(cli, [], env=env, prog_name="layak")
    return [line.split(",", 1)[1] for line in result.stdout.splitlines()]


def test_completion_offers_position_ids() -> None:
    assert _complete("layak check x --position adm") == ["administrator"]
    offered = _complete("layak explain x --position jf-ahli")
    assert offered == ["jf-ahli-madya", "jf-ahli-muda", "jf-ahli-pertama", "jf-ahli-utama"]
    assert "check" in _complete("layak ch")


def test_completion_reads_the_rules_named_on_the_line(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(
        (RULES / "national" / "managerial.yaml")
        .read_text(encoding="utf-8")
        .replace("  - id: pengawas\n", "  - id: pengawas-khusus\n")
    )
    assert _complete(f"layak positions --rules {tmp_path} --position pengawas") == ["pengawas-khusus"]
