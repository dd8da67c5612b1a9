"""`layak diff --report`: the change dossier bundles the rule changes, the case tests, whom it affects, and hashes.

The rule change under test raises Administrator's experience from 3 to 4 years of Pengawas or Ahli Muda
service (PP 11/2017 Pasal 54 asks 3): a semantic diff shows exactly the three thresholds, 3y → 4y. Rudi
Hartono (Pengawas since 2023-12-02, 2 years 11 months on 2026-12-01) fails either way; Budi Santoso,
Siti Rahma and Teguh Santoso (more than 5 years of Pengawas) and Nur Aini (4 years of Ahli Muda) pass either
way; Eko Prasetyo's 2 years 2 months of Pengawas reach 3 years only with his acting (Plt) months, which sends
him to the board, but not 4: he alone flips, from needs review to not eligible.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from cli_runner import run
from rules_support import RULES, raise_experience

from engine.load.intake import load_candidates
from engine.report.dossier import population_hash

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "candidates"
ARGS = ["--position", "administrator", "--as-of", "2026-12-01"]
HOSTILE = "<script>alert(1)</script> Eko"


def copy_tree(target: Path, edit: bool) -> Path:
    """rules/ and fixtures/ side by side (the case files name candidates by relative path), edited or not."""
    rules = target / "rules"
    shutil.copytree(RULES, rules, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    shutil.copytree(ROOT / "fixtures" / "candidates", target / "fixtures" / "candidates")
    if edit:
        path = rules / "national" / "managerial.yaml"
        path.write_text(raise_experience(path.read_text()))
    return rules


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """Proposed rules (edited), an unedited copy, and a population of fixtures with markup in one name."""
    base = tmp_path_factory.mktemp("dossier")
    people = base / "people"
    people.mkdir()
    for name in ("rudi-hartono", "budi-santoso", "siti-rahma", "nur-aini", "teguh-santoso"):
        shutil.copy(FIXTURES / f"{name}.yaml", people / f"{name}.yaml")
    eko = (FIXTURES / "eko-prasetyo.yaml").read_text().replace("name: Eko Prasetyo", f"name: '{HOSTILE}'")
    (people / "eko.yaml").write_text(eko)
    return copy_tree(base / "proposed", edit=True), copy_tree(base / "same", edit=False), people


def dossier(base: Path, proposed: Path, people: Path, out: Path, *extra: str) -> tuple[int, bytes, str]:
    code, _out, err = run(
        "diff", str(base), str(proposed), "--candidates", str(people), *ARGS, "--report", str(out), *extra
    )
    assert "Traceback" not in err
    return code, out.read_bytes(), err


@pytest.fixture(scope="module")
def made(trees: tuple[Path, Path, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, str]]:
    """The dossier of the proposed change, written twice as HTML, once as JSON and once in Indonesian."""
    proposed, _same, people = trees
    out = tmp_path_factory.mktemp("made")
    found = {}
    for name, extra in (("a.html", ()), ("b.html", ()), ("a.json", ()), ("id.html", ("--lang", "id"))):
        code, data, err = dossier(RULES, proposed, people, out / name, *extra)
        assert code == 1, err  # some verdicts change, as `layak diff` says
        found[name] = (data, err)
    return found


def test_same_inputs_give_the_same_bytes_and_the_printed_hash(made: dict[str, tuple[bytes, str]]) -> None:
    assert made["a.html"][0] == made["b.html"][0] and len(made["a.html"][0]) > 1000
    for data, err in made.values():
        printed = re.search(r"sha256 ([0-9a-f]{64})", err)
        assert printed and printed.group(1) == hashlib.sha256(data).hexdigest()


def test_rule_changes_are_a_semantic_diff_by_requirement(made: dict[str, tuple[bytes, str]]) -> None:
    rules = json.loads(made["a.json"][0])["rules"]
    assert [r["position"] for r in rules] == ["administrator"]
    changes = {q["id"]: q for q in rules[0]["requirements"]}
    assert sorted(changes) == ["experience-ahli-muda", "experience-pengawas", "experience-penyelia"]
    for change in changes.values():
        assert change["change"] == "changed" and change["parent"] == "experience"
        assert change["fields"] == [{"field": "value", "before": "3y", "after": "4y"}]
    assert rules[0]["base"]["hash"] != rules[0]["proposed"]["hash"]


def test_added_removed_and_reworded_requirements(tmp_path: Path) -> None:
    target = copy_tree(tmp_path / "edited", edit=False)
    path = target / "national" / "managerial.yaml"
    text = path.read_text()
    start, end = text.index("  - id: administrator\n"), text.index("  - id: pengawas\n")
    block = text[start:end].replace("Education at least S1/D-IV", "Education at least S1 or D-IV")
    block = block.replace("id: no-running-sanction", "id: no-sanction-running")
    path.write_text(text[:start] + block + text[end:])
    people = tmp_path / "people"
    people.mkdir()
    shutil.copy(FIXTURES / "budi-santoso.yaml", people)
    code, data, err = dossier(RULES, target, people, tmp_path / "e.json")
    changes = {q["id"]: q for q in json.loads(data)["rules"][0]["requirements"]}
    assert {k: v["change"] for k, v in changes.items()} == {
        "education": "changed",
        "no-sanction-running": "added",
        "no-running-sanction": "removed",
    }
    assert changes["education"]["fields"] == [
        {"field": "text.en", "before": "Education at least S1/D-IV", "after": "Education at least S1 or D-IV"}
    ]
    added = {f["field"]: f for f in changes["no-sanction-running"]["fields"]}
    assert added["fact"]["before"] is None and added["fact"]["after"] == "sanction_active"


def test_case_tests_and_coverage_of_the_proposed_rules(
    trees: tuple[Path, Path, Path], tmp_path: Path, made: dict[str, tuple[bytes, str]]
) -> None:
    _proposed, same, people = trees
    _code, data, _err = dossier(RULES, same, people, tmp_path / "f.json")
    cases = json.loads(data)["cases"]
    # The shipped pack's own cases all pass and reach every requirement side.
    assert cases["total"] > 50 and cases["passed"] == cases["total"] and cases["coverage_percent"] == 100.0
    assert cases["problems"] == [] and cases["uncovered"] == []
    code, out, err = run("test", str(same), "--format", "json")
    assert json.loads(out)["passed"] == cases["passed"]
    changed = json.loads(made["a.json"][0])["cases"]
    failed = [c for c in changed["cases"] if not c["passed"]]
    assert failed and changed["passed"] == changed["total"] - len(failed)
    assert all(any("experience" in d for d in c["differences"]) for c in failed)
    assert changed["cases"][: len(failed)] == failed  # failures come first


def test_population_diff_with_causes_and_counts(
    trees: tuple[Path, Path, Path], made: dict[str, tuple[bytes, str]]
) -> None:
    proposed, _same, people = trees
    population = json.loads(made["a.json"][0])["population"]
    code, out, _err = run("diff", str(RULES), str(proposed), "--candidates", str(people), *ARGS, "--format", "json")
    plain = json.loads(out)
    assert population["summary"] == plain["summary"] and population["flips"] == plain["flips"]
    assert [(f["candidate"]["name"], f["before"], f["after"]) for f in population["flips"]] == [
        (HOSTILE, "needs_review", "not_eligible")
    ]
    causes = {
        (c["requirement"], c["verdict_before"], c["verdict_after"]): c["candidates"] for c in population["causes"]
    }
    flips = population["summary"][0]["flips"]
    for flip in flips:
        assert causes[("experience", flip["from"], flip["to"])] == flip["count"]


def test_hashes_of_rulesets_and_population(
    trees: tuple[Path, Path, Path], tmp_path: Path, made: dict[str, tuple[bytes, str]]
) -> None:
    proposed, _same, people = trees
    hashes = json.loads(made["a.json"][0])["hashes"]
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    for index, path in enumerate(sorted(people.iterdir())):
        shutil.copy(path, renamed / f"{index:02d}-{path.name}")
    _code, again, _err = dossier(RULES, proposed, renamed, tmp_path / "j.json")
    assert json.loads(again)["hashes"]["population"] == hashes["population"]  # names and order do not matter
    (renamed / "00-budi-santoso.yaml").unlink()
    fewer, problems = load_candidates([renamed])
    assert not problems and population_hash(fewer) != hashes["population"]
    for rules, side in ((proposed, "proposed"), (RULES, "base")):  # the hash `check` records with a decision
        code, out, err = run(
            "check",
            str(FIXTURES / "budi-santoso.yaml"),
            *ARGS,
            "--rules",
            str(rules),
            "--no-record",
            "--format",
            "json",
        )
        assert code == 0, err
        assert hashes["rulesets"][0][side] == json.loads(out)["ruleset"]["hash"]


def test_html_dossier_escapes_names_and_shows_every_part(made: dict[str, tuple[bytes, str]]) -> None:
    html = made["id.html"][0].decode()
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Eko" in html  # the one candidate whose verdict changes
    for part in ('id="rules"', 'id="cases"', 'id="population"', 'id="population-hash"', "3y", "4y"):
        assert part in html
    assert "Berkas perubahan aturan" in html
    assert "tetap memakai nomor versi yang sama" in html  # the edited copy kept version 2020.2
