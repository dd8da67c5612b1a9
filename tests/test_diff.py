"""`layak diff`: the candidates whose verdict a rule change flips, the requirements that flipped it, the summary.

The expected flips are computed here by hand from the candidates' derived facts and the changed threshold
(PP 11/2017 Pasal 54 and PermenPANRB 38/2017 as the shipped rules encode them), with the verdict rule of the
README: not eligible if a mandatory requirement fails, else needs review if one is missing or invalid, else
eligible. The diff code is only run through the command line and compared with that.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rules_support import RULES, raise_experience

from cli import cli
from engine.decide.decision import Decision
from engine.decide.pipeline import check
from engine.load.intake import load_candidates
from engine.load.library import load_library

ROOT = Path(__file__).resolve().parent.parent
POPULATION = sorted((ROOT / "fixtures" / "population" / "candidates").glob("*.json"))
AS_OF = dt.date(2026, 12, 1)
ARGS = ["--position", "administrator", "--as-of", AS_OF.isoformat()]
Y3, Y4 = 36, 48  # months


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def proposed_rules(tmp_path: Path, edit: Callable[[str], str]) -> Path:
    """A copy of the shipped rules with the administrator class of managerial.yaml edited."""
    target = tmp_path / "proposed"
    shutil.copytree(RULES, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    path = target / "national" / "managerial.yaml"
    path.write_text(edit(path.read_text()))
    return target


def raise_integritas(text: str) -> str:
    """Administrator: Integritas (M01) at level 4 instead of 3."""
    line = "    administrator: {M01: 3, "
    assert text.count(line) == 1
    return text.replace(line, "    administrator: {M01: 4, ")


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every eighth population file (250 candidates): enough flips for an eighth of the loading time."""
    folder = tmp_path_factory.mktemp("population")
    for path in POPULATION[7::8]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def base(population: Path) -> list[Decision]:
    candidates, problems = load_candidates([population])
    assert not problems
    return check(load_library(RULES), "administrator", candidates, AS_OF, backend="reference").decisions


def verdict(statuses: dict[str, str]) -> str:
    found = set(statuses.values())
    return "not_eligible" if "fail" in found else "needs_review" if found & {"missing", "invalid"} else "eligible"


def experience(values: dict[str, Any], months: int) -> str:
    """any_of(definitive Pengawas >= months, with acting service sending to the board; Ahli Muda >= months;
    Penyelia >= months sending to the board, since no source settles it)."""
    pengawas = values["months_in_post.pengawas"]
    with_acting = values["months_in_post_incl_acting.pengawas"]
    ahli_muda = values["months_in_post.ahli_muda"]
    first = "pass" if pengawas >= months else "missing" if with_acting >= months else "fail"
    second = "pass" if ahli_muda >= months else "fail"
    third = "missing" if values["months_in_post.penyelia"] >= months else "fail"
    found = (first, second, third)
    return "pass" if "pass" in found else "missing" if "missing" in found else "fail"


def integritas(d: Decision, level: int) -> str:
    value = d.facts.values.get("competency.M01")
    if value is not None:
        return "pass" if value >= level else "fail"
    return "invalid" if "competency.M01" in d.facts.invalid else "missing"


CHANGES: dict[str, tuple[Callable[[str], str], str, Callable[[Decision, int], str], int, int, str, Any, Any]] = {
    # change: (rule edit, requirement, hand status, old, new threshold, child id, needs before, needs after)
    "experience": (
        raise_experience,
        "experience",
        lambda d, m: experience(d.facts.values, m),
        Y3,
        Y4,
        "",
        "P3Y",
        "P4Y",
    ),
    "integritas": (raise_integritas, "competency-m01", integritas, 3, 4, "competency-m01", 3, 4),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_diff_lists_exactly_the_candidates_the_change_flips(
    change: str, tmp_path: Path, population: Path, base: list[Decision]
) -> None:
    edit, requirement, status, old, new, child, before_value, after_value = CHANGES[change]
    expected: dict[str, tuple[str, str]] = {}
    before_counts: Counter[str] = Counter()
    after_counts: Counter[str] = Counter()
    for d in base:
        statuses = {o.id: o.status for o in d.requirements if o.mandatory}
        assert status(d, old) == statuses[requirement], (d.candidate.name, "hand model disagrees with base rules")
        after = verdict({**statuses, requirement: status(d, new)})
        before_counts[d.verdict] += 1
        after_counts[after] += 1
        if after != d.verdict:
            expected[d.candidate.nip] = (d.verdict, after)
    assert len(expected) >= 3, "the sample should contain flips for this change"

    code, out, err = run(
        "diff",
        str(RULES),
        str(proposed_rules(tmp_path, edit)),
        "--candidates",
        str(population),
        *ARGS,
        "--format",
        "json",
    )
    assert code == 1, err
    doc = json.loads(out)
    got = {f["candidate"]["nip"]: (f["before"], f["after"]) for f in doc["flips"]}
    assert got == expected
    for flip in doc["flips"]:
        reqs = {r["id"]: r for r in flip["requirements"]}
        assert requirement in reqs, flip
        leaf = reqs[child] if child else next(r for i, r in reqs.items() if i.startswith("experience-"))
        assert leaf["before"]["expected"] == {"op": "gte", "value": before_value}
        assert leaf["after"]["expected"] == {"op": "gte", "value": after_value}
        assert leaf["before"]["observed"] == leaf["after"]["observed"]  # the candidate did not change
    [summary] = doc["summary"]
    assert summary["position"] == "administrator" and summary["candidates"] == len(base)
    assert summary["before"] == {v: before_counts[v] for v in ("eligible", "needs_review", "not_eligible")}
    assert summary["after"] == {v: after_counts[v] for v in ("eligible", "needs_review", "not_eligible")}
    directions = Counter(expected.values())
    assert {(f["from"], f["to"]): f["count"] for f in summary["flips"]} == dict(directions)
    assert doc["changed"] is True and doc["problems"] == []
    assert f"{len(expected)} verdicts change" in err


def test_identical_rules_change_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "few"
    folder.mkdir()
    for path in POPULATION[:30]:
        shutil.copy(path, folder / path.name)
    same = proposed_rules(tmp_path, lambda text: text)
    code, out, err = run("diff", str(RULES), str(same), "--candidates", str(folder), *ARGS, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["flips"] == [] and doc["changed"] is False
    assert doc["summary"][0]["before"] == doc["summary"][0]["after"]
    assert sum(doc["summary"][0]["before"].values()) == 30
    assert "0 verdicts change" in err


@pytest.fixture
def small(tmp_path: Path) -> tuple[Path, Path]:
    """40 population files (some of whom the experience change flips) and that change."""
    folder = tmp_path / "small"
    folder.mkdir()
    for path in POPULATION[5::25][:40]:
        shutil.copy(path, folder / path.name)
    return folder, proposed_rules(tmp_path, raise_experience)


def test_every_format_carries_changes_and_summary(small: tuple[Path, Path]) -> None:
    folder, proposed = small
    code, out, _ = run("diff", str(RULES), str(proposed), "--candidates", str(folder), *ARGS, "--format", "csv")
    assert code == 1
    changes, summary = out.split("\n\n")
    header = next(csv.reader(io.StringIO(changes)))
    assert header == [
        "position",
        "NIP",
        "name",
        "verdict before",
        "verdict after",
        "requirement",
        "status",
        "has",
        "needs before",
        "needs after",
    ]
    rows = list(csv.DictReader(io.StringIO(summary)))
    assert rows[0]["position"] == "administrator" and rows[0]["candidates"] == "40"
    code, out, _ = run(
        "diff", str(RULES), str(proposed), "--candidates", str(folder), *ARGS, "--format", "markdown", "--lang", "id"
    )
    assert "**ringkasan per jabatan**" in out and "| jabatan" in out and "memenuhi syarat" in out
    code, out, _ = run("diff", str(RULES), str(proposed), "--candidates", str(folder), *ARGS)
    lines = out.splitlines()
    assert code == 1 and lines[0] == "verdict changes:"
    assert lines[1].split()[:4] == ["position", "NIP", "name", "verdict"]
    assert "summary per position class:" in out and "other" in out and "requirement" in out
    code, out, _ = run("diff", str(RULES), str(proposed), "--candidates", str(folder), *ARGS, "--format", "markdown")
    assert any("experience-" in line and "≥ 3 years" in line and "≥ 4 years" in line for line in out.splitlines())


def test_diff_records_nothing(small: tuple[Path, Path], tmp_path: Path) -> None:
    folder, proposed = small
    env = {"LAYAK_DB": str(tmp_path / "audit.db"), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    run("diff", str(RULES), str(proposed), "--candidates", str(folder), *ARGS, env=env)
    assert not (tmp_path / "audit.db").exists() and not (tmp_path / "xdg").exists()


def test_bad_candidate_files_are_reported_and_the_rest_compared(small: tuple[Path, Path]) -> None:
    folder, proposed = small
    shutil.copy(ROOT / "tests" / "data" / "bad_candidates" / "syntax-error.yaml", folder / "zz-broken.yaml")
    code, out, err = run("diff", str(RULES), str(proposed), "--candidates", str(folder), *ARGS, "--format", "json")
    assert code == 3
    assert "zz-broken.yaml" in err
    assert json.loads(out)["summary"][0]["candidates"] == 40


def test_usage_and_input_errors(small: tuple[Path, Path], tmp_path: Path) -> None:
    folder, proposed = small
    assert run("diff", str(RULES), str(proposed), *ARGS)[0] == 2  # no --candidates
    assert run("diff", str(RULES), str(proposed), "--candidates", str(folder), "--as-of", "2026-13-01")[0] == 2
    code, _out, err = run("diff", str(RULES), str(proposed), "--candidates", str(folder), "--position", "adminstrator")
    assert code == 3 and "administrator" in err
    code, _out, err = run("diff", str(tmp_path / "nowhere"), str(proposed), "--candidates", str(folder), *ARGS)
    assert code == 3 and "rules directory not found" in err


# Pengawas since 2021 with everything for Administrator, but a tukin cut running 2026-09-01..2027-02-28.
SANCTIONED_LAST_YEAR = """\
nip: "198503102010011002"
name: Test Sanksi
birth_date: 1985-03-10
instansi_id: test
employee_status: PNS
tmt_cpns: 2010-01-01
pangkat: [{golongan: III/d, tmt: 2022-04-01}]
education: [{level: S1, graduated: 2008-08-01, recognised_for_rank: true}]
positions:
  - {jenis: PELAKSANA, tmt_start: 2010-01-01, tmt_end: 2021-02-01}
  - {jenis: PENGAWAS, tmt_start: 2021-02-01}
performance:
  - {period: "2024", scheme: PERMENPANRB_6_2022, predikat: BAIK}
  - {period: "2025", scheme: PERMENPANRB_6_2022, predikat: BAIK}
competency_assessments:
  - {assessment_id: A1, provider: P, provider_accredited: true, date: 2025-05-05, purpose: PEMETAAN,
     jpm_percent: 100, scores: [{code: M01, attained: 3}, {code: M02, attained: 3}, {code: M03, attained: 3},
     {code: M04, attained: 3}, {code: M05, attained: 3}, {code: M06, attained: 3}, {code: M07, attained: 3},
     {code: M08, attained: 3}, {code: SK01, attained: 3}]}
discipline:
  - {level: SEDANG, type: POTONG_TUKIN_6, regulation: PP94_2021, decided: 2025-01-20, effective_start: 2025-02-01,
     effective_end: 2025-07-31, status: FINAL}
health_certificate_date: 2026-10-01
"""


def test_a_removed_requirement_is_shown_absent(tmp_path: Path) -> None:
    """Dropping the sanction look-back from Administrator makes eligible whoever failed only that (a tukin cut
    2025-02-01..2025-07-31 is over on 2026-12-01 but inside the 24 months from 2024-12-01)."""

    def drop(text: str) -> str:
        start, end = text.index("  - id: administrator\n"), text.index("  - id: pengawas\n")
        block = text[start:end]
        cut = block.index("      - id: no-recent-sanction\n")
        after = block.index("      - id: ", cut + 10)
        return text[:start] + block[:cut] + block[after:] + text[end:]

    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "sanctioned.yaml").write_text(SANCTIONED_LAST_YEAR)
    code, out, _ = run(
        "diff", str(RULES), str(proposed_rules(tmp_path, drop)), "--candidates", str(folder), *ARGS, "--format", "json"
    )
    doc = json.loads(out)
    assert code == 1
    [flip] = doc["flips"]
    assert (flip["before"], flip["after"]) == ("not_eligible", "eligible")
    [req] = flip["requirements"]
    assert req["id"] == "no-recent-sanction" and req["after"] is None and req["before"]["status"] == "fail"
