"""The command line: output contracts, formats, languages and every documented exit code."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from cli_runner import run

import cli as layak_cli

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "fixtures" / "candidates"
SITI = FIXTURES / "siti-rahma.yaml"
AS_OF = ["--as-of", "2026-12-01"]


def _top_level() -> int:
    import datetime as dt

    from engine.load.library import load_library

    ruleset = load_library(ROOT / "rules").for_position("administrator", None, dt.date(2026, 12, 1))
    position = ruleset.position("administrator")
    assert position is not None
    return len(position.requirements)


TOP_LEVEL = _top_level()


def test_check_json_gives_every_requirement_of_every_candidate() -> None:
    code, out, err = run(
        "check", str(FIXTURES), "--position", "administrator", "--format", "json", "--no-record", *AS_OF
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["as_of"] == "2026-12-01" and doc["position"] == "administrator"
    assert doc["ruleset"]["id"] == "national" and len(doc["ruleset"]["hash"]) == 64
    # What the rules say is printed once: every top-level requirement, the 9 competency standards among them,
    # each with its text, legal basis and threshold; any_of/all_of with their children.
    static = doc["requirements"]
    assert len(static) == TOP_LEVEL and sum(r["id"].startswith("competency-") for r in static) == 9
    for req in static:
        assert req["basis"] and req["text"] and req["kind"] in ("check", "any_of", "all_of")
        assert (req["expected"] is None) == (req["kind"] != "check") == bool(req["children"])
    files = [p for p in FIXTURES.iterdir() if p.suffix in (".yaml", ".json")]
    assert len(doc["decisions"]) == len(files)
    for rank, entry in enumerate(doc["decisions"], 1):
        assert entry["rank"] == rank and entry["seq"] is None and entry["decision_id"] is None  # --no-record
        decision = entry["decision"]
        assert set(decision) == {"as_of", "candidate", "facts", "jpm", "position", "requirements", "ruleset", "verdict"}
        assert set(decision["candidate"]) == {"file", "name", "nip"}
        assert decision["verdict"] in ("eligible", "needs_review", "not_eligible")
        # the record's requirements follow the static list, id for id
        assert [r["id"] for r in decision["requirements"]] == [r["id"] for r in static]
        assert entry["passed"] == sum(r["status"] in ("pass", "waived") for r in decision["requirements"])
        assert entry["total"] == TOP_LEVEL
        for req in decision["requirements"]:
            assert set(req) - {"children"} == {"id", "status", "observed", "note"}


def test_malformed_file_among_valid_ones(tmp_path: Path) -> None:
    shutil.copy(SITI, tmp_path / "siti.yaml")
    bad = SITI.read_text().replace("employee_status: PNS", "employee_status: PNS\nnick: Siti")
    bad = bad.replace('nip: "198203152006042001"', 'nip: "198203152006042009"')
    (tmp_path / "typo.yaml").write_text(bad)
    code, out, err = run("check", str(tmp_path), "--position", "administrator", "--format", "json", *AS_OF)
    assert code == 3
    doc = json.loads(out)
    assert [d["decision"]["candidate"]["name"] for d in doc["decisions"]] == ["Siti Rahma"]  # the valid one is decided
    # `nick` was inserted right after employee_status, which is line 6 of siti-rahma.yaml → line 7.
    assert f"{tmp_path / 'typo.yaml'}:7: nick: candidate_invalid: unknown field" in err
    assert doc["problems"][0]["line"] == 7
    assert "Traceback" not in err + out


def test_table_and_languages() -> None:
    code, out, _err = run("check", str(FIXTURES), "--position", "administrator", *AS_OF)
    assert code == 0 and "Siti Rahma" in out and "eligible" in out
    code, out, _err = run(
        "check", str(SITI), "--position", "administrator", "--lang", "id", "--format", "markdown", *AS_OF
    )
    assert code == 0 and "memenuhi syarat" in out and "keputusan" in out
    code, out, _err = run(
        "explain", str(SITI), "--position", "administrator", "--lang", "id", "--format", "markdown", *AS_OF
    )
    assert code == 0 and "Integritas (M01) paling rendah level 3" in out and "PermenPANRB 38/2017" in out
    code, out, _err = run(
        "explain", str(SITI), "--position", "administrator", "--format", "json", "--lang", "id", *AS_OF
    )
    doc = json.loads(out)
    assert doc["requirements"][1]["text"] == "Pendidikan paling rendah S1/D-IV"
    assert doc["decision"]["facts"]["values"]["golongan"] == "III/d"
    assert doc["decision"]["requirements"][1] == {"id": "education", "status": "pass", "observed": "S1", "note": None}


def test_explain_shows_the_gap(tmp_path: Path) -> None:
    # Pengawas from 2021-01-04 → only 2 years 10 months on 2023-11-15; 3 years on 2024-01-04, which is 1 month
    # (to 2023-12-15) and 20 days later: the shortfall of running service is exact to the day.
    code, out, _err = run(
        "explain", str(SITI), "--position", "administrator", "--as-of", "2023-11-15", "--format", "markdown"
    )
    assert code == 0
    assert "needs ≥ 3 years, has 2 years 10 months (1 month 20 days short: met on 2024-01-04)" in out
    assert "**verdict**: not eligible" in out


def test_csv_and_markdown() -> None:
    code, out, _err = run("check", str(FIXTURES), "--position", "pengawas", "--format", "csv", *AS_OF)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and set(rows[0]) >= {"NIP", "verdict", "passed"}
    code, out, _err = run("check", str(SITI), "--position", "pengawas", "--format", "markdown", *AS_OF)
    assert code == 0 and out.startswith("| #")


def test_positions_facts_schema() -> None:
    code, out, _err = run("positions", "--format", "json", *AS_OF)
    doc = json.loads(out)
    assert code == 0 and {p["id"] for r in doc for p in r["positions"]} >= {"administrator", "pengawas"}
    code, out, _err = run("positions", "--lang", "id", "--format", "markdown", *AS_OF)
    assert code == 0 and "PP 11/2017 Pasal 54" in out and "Pendidikan paling rendah D-III" in out
    code, out, _err = run("facts", "--list", "--format", "json")
    names = {row["fact"] for row in json.loads(out)}
    assert code == 0 and {"age_years", "golongan", "months_in_rank", "education", "jpm"} <= names
    code, out, _err = run("facts", str(SITI), *AS_OF, "--format", "json")
    assert code == 0 and json.loads(out)["values"]["months_in_post.pengawas"] == "P5Y10M"
    for kind in ("candidate", "rules"):
        code, out, _err = run("schema", kind)
        assert code == 0 and "properties" in json.loads(out)


@pytest.mark.parametrize(
    "args",
    [
        ["check", str(SITI)],  # --position is required
        ["check", str(SITI), "--position", "administrator", "--as-of", "2026-13-01"],
        ["check", str(SITI), "--position", "administrator", "--format", "xml"],
        ["check", str(SITI), "--position", "administrator", "--lang", "fr"],
        ["facts"],  # neither --list nor a file
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    code, _out, err = run(*args)
    assert code == 2 and "Traceback" not in err


def test_invalid_input_exits_3(tmp_path: Path) -> None:
    code, _out, err = run("check", str(SITI), "--position", "administratr", *AS_OF)
    assert code == 3 and "did you mean 'administrator'" in err
    (tmp_path / "r.yaml").write_text("ruleset: [")
    code, _out, err = run("positions", "--rules", str(tmp_path))
    assert code == 3 and "r.yaml:1" in err
    code, _out, err = run("check", str(tmp_path / "nothing.yaml"), "--position", "administrator")
    assert code == 3 and "no such file" in err


def test_internal_error_exits_4_without_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kw: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("engine.decide.pipeline.run_engine", broken)
    code, _out, err = run("check", str(SITI), "--position", "administrator", *AS_OF)
    assert code == 4 and "internal error" in err and "boom" in err and "Traceback" not in err
    code, _out, err = run("--debug", "check", str(SITI), "--position", "administrator", *AS_OF)
    assert code == 4 and "Traceback" in err


def test_reference_engine_gives_the_same_answer() -> None:
    _c, durable, _e = run(
        "check", str(FIXTURES), "--position", "administrator", "--format", "json", "--no-record", *AS_OF
    )
    _c, ref, _e = run(
        "check",
        str(FIXTURES),
        "--position",
        "administrator",
        "--format",
        "json",
        "--engine",
        "reference",
        "--no-record",
        *AS_OF,
    )
    assert json.loads(durable) == json.loads(ref)


def test_exit_codes_are_documented() -> None:
    code, out, _err = run("--help")
    assert code == 0
    from engine.errors import ExitCode

    for number in ExitCode:
        assert f"  {int(number)}  " in out


def test_default_rules_checkout_then_bundled(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LAYAK_RULES", raising=False)
    assert layak_cli.default_rules() == ROOT / "rules"
    # Installed elsewhere (no rules/ beside cli.py): the rule pack shipped as package data.
    import engine.commands.options as options

    monkeypatch.setattr(options, "CHECKOUT", tmp_path)
    bundled = layak_cli.default_rules()
    assert (bundled / "national" / "managerial.yaml").is_file()
    monkeypatch.setenv("LAYAK_RULES", str(tmp_path))
    assert layak_cli.default_rules() == tmp_path
