"""`layak facts --out`, `layak diff --facts` and `layak sweep` through the command line.

The sweep's expected verdicts are computed by hand from each candidate's derived facts: administrator
experience is any_of(definitive Pengawas >= T, acting service included sending to the board; Ahli Muda >= 3
years; Penyelia >= 3 years sending to the board) (PP 11/2017 Pasal 54 as the shipped rules encode it), and a
verdict is not eligible if a mandatory requirement fails, else needs review if one is open, else eligible.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from cli_runner import run
from rules_support import RULES, raise_experience

from engine.decide.decision import Decision
from engine.decide.pipeline import check
from engine.load.intake import load_candidates
from engine.load.library import load_library

ROOT = Path(__file__).resolve().parent.parent
POPULATION = sorted((ROOT / "fixtures" / "population" / "candidates").glob("*.json"))
AS_OF = dt.date(2026, 12, 1)
VERDICTS = ("eligible", "needs_review", "not_eligible")


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("population")
    for path in POPULATION[3::10]:  # 200 candidates
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def table(population: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("table") / "facts.parquet"
    code, stdout, stderr = run("facts", str(population), "--as-of", str(AS_OF), "--out", str(out), "--format", "json")
    assert code == 0, stderr
    doc = json.loads(stdout)
    assert doc["rows"] == 200 and doc["as_of"] == str(AS_OF) and len(doc["content_hash"]) == 64
    return out


@pytest.fixture(scope="module")
def base(population: Path) -> list[Decision]:
    candidates, problems = load_candidates([population])
    assert not problems
    return check(load_library(RULES), "administrator", candidates, AS_OF, backend="reference").decisions


def pengawas(values: dict[str, Any], months: int) -> str:
    if values["months_in_post.pengawas"] >= months:
        return "pass"
    return "missing" if values["months_in_post_incl_acting.pengawas"] >= months else "fail"


def by_hand(d: Decision, months: int) -> str:
    values = d.facts.values
    alternatives = (
        pengawas(values, months),
        "pass" if values["months_in_post.ahli_muda"] >= 36 else "fail",
        "missing" if values["months_in_post.penyelia"] >= 36 else "fail",
    )
    experience = "pass" if "pass" in alternatives else "missing" if "missing" in alternatives else "fail"
    found = {o.status for o in d.requirements if o.mandatory and o.id != "experience"} | {experience}
    return "not_eligible" if "fail" in found else "needs_review" if found & {"missing", "invalid"} else "eligible"


def test_sweep_counts_and_changes_match_the_hand_computation(table: Path, base: list[Decision]) -> None:
    code, out, err = run(
        "sweep",
        str(RULES),
        "--facts",
        str(table),
        "--position",
        "administrator",
        "--requirement",
        "experience-pengawas",
        "--values",
        "2y,3y,4y",
        "--format",
        "json",
        "--seed",
        "11",
    )
    assert code == 0, err
    assert "seed 11" in err and "all identical" in err
    doc = json.loads(out)
    assert doc["current"] == "3y" and doc["fact"] == "months_in_post.pengawas"
    for step, months in zip(doc["steps"], (24, 36, 48), strict=True):
        want = {d.candidate.nip: by_hand(d, months) for d in base}
        assert step["counts"] == {v: Counter(want.values())[v] for v in VERDICTS}, step["value"]
        flips = {d.candidate.nip: (d.verdict, want[d.candidate.nip]) for d in base}
        flips = {nip: pair for nip, pair in flips.items() if pair[0] != pair[1]}
        assert {f["candidate"]["nip"]: (f["before"], f["after"]) for f in step["flips"]} == flips
        assert step["current"] == (months == 36)
    assert doc["steps"][0]["flips"] and doc["steps"][2]["flips"]  # the sample is not vacuous


def test_sweep_refuses_an_unknown_requirement_and_a_bad_value(table: Path) -> None:
    args = ["sweep", str(RULES), "--facts", str(table), "--position", "administrator", "--values", "2y"]
    code, _out, err = run(*args, "--requirement", "experiense")
    assert code == 3 and "unknown_requirement" in err and "experience-pengawas" in err
    code, _out, err = run(*args[:-1], "two years", "--requirement", "experience-pengawas")
    assert code == 3 and "bad_threshold" in err and "--values" in err


def test_diff_over_the_table_equals_diff_over_the_files(table: Path, population: Path, tmp_path: Path) -> None:
    proposed = tmp_path / "proposed"
    shutil.copytree(RULES, proposed, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    path = proposed / "national" / "managerial.yaml"
    path.write_text(raise_experience(path.read_text()))
    common = ["diff", str(RULES), str(proposed), "--position", "administrator", "--format", "json"]
    code, from_files, err = run(*common, "--candidates", str(population), "--as-of", str(AS_OF))
    assert code == 1, err
    code, from_table, err = run(*common, "--facts", str(table), "--cross-check", "5", "--seed", "2")
    assert code == 1, err
    assert from_table == from_files and json.loads(from_table)["flips"]
    assert "20 sampled decision(s) (5 %)" in err  # 5 % of 200 (10), under each of the two rule sets
    code, _out, err = run(*common, "--facts", str(table), "--candidates", str(population))
    assert code == 1, err  # the dossiers still match the table


def test_a_stale_table_stops_diff_and_sweep(table: Path, population: Path, tmp_path: Path) -> None:
    code, _out, err = run("diff", str(RULES), str(RULES), "--facts", str(table), "--as-of", "2026-01-01")
    assert code == 3 and "stale_facts" in err and "2026-01-01" in err and str(AS_OF) in err
    changed = tmp_path / "changed"
    shutil.copytree(population, changed)
    first = sorted(changed.iterdir())[0]
    first.write_text(first.read_text().replace("}", " }", 1))
    code, _out, err = run("diff", str(RULES), str(RULES), "--facts", str(table), "--candidates", str(changed))
    assert code == 3 and "stale_facts" in err and "gone" in err  # another folder: every file is new


def test_diff_over_directories_streams_in_batches(
    population: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import engine.decide.stream as stream

    proposed = tmp_path / "proposed"
    shutil.copytree(RULES, proposed, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    path = proposed / "national" / "managerial.yaml"
    path.write_text(raise_experience(path.read_text()))
    common = ["diff", str(RULES), str(proposed), "--candidates", str(population), "--as-of", str(AS_OF)]
    code, whole, _err = run(*common, "--format", "json", "--report", str(tmp_path / "d.json"))  # held in memory
    monkeypatch.setattr(stream, "BATCH", 7)
    code, batched, err = run(*common, "--format", "json")
    assert code == 1, err
    assert batched == whole


def test_a_dossier_with_problems_keeps_its_row_and_is_reported_again(tmp_path: Path) -> None:
    folder = tmp_path / "dossiers"
    folder.mkdir()
    for path in POPULATION[:5]:
        shutil.copy(path, folder / path.name)
    (folder / "broken.json").write_text('{"nip": "1", "name": 3}')
    out = tmp_path / "facts.parquet"
    code, stdout, err = run("facts", str(folder), "--as-of", str(AS_OF), "--out", str(out), "--format", "json")
    assert code == 3 and "broken.json" in err and "candidate_invalid" in err
    doc = json.loads(stdout)
    assert doc["rows"] == 6 and doc["unreadable"] == 1
    code, stdout, err = run("diff", str(RULES), str(RULES), "--facts", str(out), "--position", "administrator")
    assert code == 3 and "broken.json" in err and "candidate_invalid" in err
    assert "5 candidates" in err  # the valid ones are still compared


def test_a_table_from_another_vocabulary_is_refused(table: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.facts.table as facts_table

    monkeypatch.setattr(facts_table, "vocabulary_version", lambda: "0.0.0+other")
    code, _out, err = run(
        "sweep",
        str(RULES),
        "--facts",
        str(table),
        "--position",
        "administrator",
        "--requirement",
        "experience-pengawas",
        "--values",
        "2y",
    )
    assert code == 3 and "stale_facts" in err and "0.0.0+other" in err
