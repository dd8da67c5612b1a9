"""Rule files: every kind of mistake reported with file, line and field path; overlays; versions."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from engine.errors import InputError
from engine.load.library import load_library, read_rule_file
from engine.load.rulefile import Check

BAD = Path(__file__).parent / "data" / "bad_rules"
RULES = Path(__file__).parent.parent / "rules"

# Each file repeats an 11-line header; its first requirement starts on line 12 with `id`, then
# fact (13), op (14), value (15), basis (16), text (17). Lines below are counted by hand.
SINGLE = [
    ("level-out-of-scale.yaml", "bad_threshold", 15, "positions[0].requirements[0].value", "outside"),
    ("unknown-golongan.yaml", "bad_threshold", 15, "positions[0].requirements[0].value", "III/e"),
    ("unknown-fact.yaml", "unknown_fact", 13, "positions[0].requirements[0].fact", "months_in_rnak"),
    ("bad-duration.yaml", "bad_threshold", 15, "positions[0].requirements[0].value", "4y, 3y6m or 18m"),
    ("unordered-comparison.yaml", "bad_threshold", 15, "positions[0].requirements[0].value", "no order"),
    ("missing-translation.yaml", "rule_invalid", 17, "positions[0].requirements[0].text.id", "required"),
    ("missing-basis.yaml", "missing_basis", 12, "positions[0].requirements[0]", "legal basis"),
    ("unknown-field.yaml", "rule_invalid", 18, "positions[0].requirements[0].mandatroy", "unknown field"),
    ("syntax-error.yaml", "syntax_error", 16, "", "expected"),
]


@pytest.mark.parametrize(("name", "code", "line", "path", "words"), SINGLE, ids=[s[0] for s in SINGLE])
def test_each_mistake_is_located(name: str, code: str, line: int, path: str, words: str) -> None:
    rule_file, problems = read_rule_file(BAD / name)
    assert rule_file is None
    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.code, problem.line, problem.path) == (code, line, path)
    assert problem.file.endswith(name)
    assert words in problem.message


def test_did_you_mean_hints() -> None:
    _rf, problems = read_rule_file(BAD / "unknown-fact.yaml")
    assert "months_in_rank" in problems[0].hint
    _rf, problems = read_rule_file(BAD / "unknown-field.yaml")
    assert "mandatory" in problems[0].hint


def test_all_problems_of_a_file_in_one_pass() -> None:
    _rf, problems = read_rule_file(BAD / "three-problems.yaml")
    # Each requirement takes 6 lines from line 12: the first (12-17) has value S4 on line 15, which is
    # no education level; the second (18-23) reuses id "education" on line 18; the third (24-29)
    # gives "yes" for the boolean training.PKA on line 27.
    assert [(p.code, p.line) for p in problems] == [("bad_threshold", 15), ("duplicate_id", 18), ("bad_threshold", 27)]


def test_competency_table_cells_are_checked() -> None:
    _rf, problems = read_rule_file(BAD / "table-level.yaml")
    assert sorted((p.code, p.path) for p in problems) == [
        ("bad_threshold", "competency_standards.levels.administrator.M02"),  # level 7 on a 1-5 scale
        ("unknown_fact", "competency_standards.levels.administrator.M09"),  # there are 8 managerial competencies
    ]


def test_loading_a_directory_reports_every_file(tmp_path: Path) -> None:
    for name in ("unknown-fact.yaml", "three-problems.yaml"):
        shutil.copy(BAD / name, tmp_path / name)
    with pytest.raises(InputError) as caught:
        load_library(tmp_path)
    assert len(caught.value.problems) == 4
    assert {Path(p.file).name for p in caught.value.problems} == {"unknown-fact.yaml", "three-problems.yaml"}


def _write_version(folder: Path, name: str, version: str, start: str, end: str | None, years: str) -> None:
    end_line = f"  effective_to: {end}\n" if end else ""
    (folder / name).write_text(f"""ruleset:
  id: kp
  version: "{version}"
  title: {{en: Rank promotion, id: Kenaikan pangkat}}
  effective_from: {start}
{end_line}  basis: [PP 99/2000]
positions:
  - id: kp
    title: {{en: Regular rank promotion, id: KP reguler}}
    basis: PP 99/2000 Pasal 6
    requirements:
      - id: time-in-rank
        fact: months_in_rank
        op: gte
        value: {years}
        basis: PP 99/2000 Pasal 6
        text: {{en: Time in rank, id: Masa kerja golongan}}
""")


def test_version_in_force_is_chosen_by_date(tmp_path: Path) -> None:
    _write_version(tmp_path, "a.yaml", "1", "2020-01-01", "2025-09-30", "4y")
    _write_version(tmp_path, "b.yaml", "2", "2025-10-01", None, "3y")
    library = load_library(tmp_path)
    assert library.resolve(None, dt.date(2025, 9, 30)).version == "1"
    assert library.resolve(None, dt.date(2025, 10, 1)).version == "2"
    with pytest.raises(InputError) as caught:
        library.resolve(None, dt.date(2019, 12, 31))
    assert caught.value.problems[0].code == "not_in_force"


def test_overlapping_versions_are_a_load_error(tmp_path: Path) -> None:
    _write_version(tmp_path, "a.yaml", "1", "2020-01-01", "2025-10-01", "4y")
    _write_version(tmp_path, "b.yaml", "2", "2025-10-01", None, "3y")
    with pytest.raises(InputError) as caught:
        load_library(tmp_path)
    assert [p.code for p in caught.value.problems] == ["version_overlap"]


def test_gapped_versions_are_a_load_error(tmp_path: Path) -> None:
    _write_version(tmp_path, "a.yaml", "1", "2020-01-01", "2025-09-29", "4y")
    _write_version(tmp_path, "b.yaml", "2", "2025-10-01", None, "3y")
    with pytest.raises(InputError) as caught:
        load_library(tmp_path)
    assert [p.code for p in caught.value.problems] == ["version_gap"]


def test_overlay_adds_and_tightens(tmp_path: Path) -> None:
    shutil.copy(RULES / "national" / "managerial.yaml", tmp_path / "managerial.yaml")
    (tmp_path / "overlay.yaml").write_text("""ruleset:
  id: kab-contoh
  version: "2026.1"
  title: {en: Example regency overlay, id: Contoh tambahan kabupaten}
  effective_from: 2021-01-01
  basis: [Example decree, not enacted]
  extends: national
positions:
  - id: administrator
    title: {en: Administrator, id: Administrator}
    basis: PP 11/2017 Pasal 54
    requirements:
      - id: rank-floor
        fact: golongan
        op: gte
        value: III/d
        basis: Example decree Pasal 3
        text: {en: Rank at least III/d, id: Golongan paling rendah III/d}
competency_standards:
  basis: Example decree Pasal 4
  levels:
    administrator: {M01: 4, T_KEPEGAWAIAN: 3}
""")
    library = load_library(tmp_path)
    assert "national" in library.base_ids() and "kab-contoh" not in library.base_ids()
    base = library.resolve("national", dt.date(2026, 1, 1)).position("administrator")
    overlay = library.resolve("kab-contoh", dt.date(2026, 1, 1))
    position = overlay.position("administrator")
    assert base is not None and position is not None
    ids = [r.id for r in position.requirements]
    assert "rank-floor" in ids and "competency-t-kepegawaian" in ids
    assert len(ids) == len(base.requirements) + 2  # one added rule, one added table cell
    integrity = next(r for r in position.requirements if r.id == "competency-m01")
    assert isinstance(integrity, Check)
    assert integrity.value == 4  # tightened from the national 3
    # each cell cites the table its level came from: the overlay for M01, the national table for M02
    assert integrity.basis == "Example decree Pasal 4"
    teamwork = next(r for r in position.requirements if r.id == "competency-m02")
    assert teamwork.basis == "PermenPANRB 38/2017"
    assert overlay.layers == ("national@2020.2", "kab-contoh@2026.1")
    assert overlay.position("pengawas") is not None  # untouched classes carry over


def test_shipped_rules_load_and_every_requirement_is_bilingual_and_cited() -> None:
    library = load_library(RULES)
    rulesets = library.in_force_bases(dt.date(2026, 12, 1))
    assert {p.id for r in rulesets for p in r.positions} >= {"administrator", "pengawas"}
    for position in (p for r in rulesets for p in r.positions):
        for req in position.requirements:
            assert req.basis, (position.id, req.id)
            assert req.text.en.strip() and req.text.id.strip(), (position.id, req.id)
