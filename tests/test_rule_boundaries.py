"""Generated boundary cases carry the expectation the rule itself gives, so every one of them holds."""

from __future__ import annotations

from pathlib import Path

from engine.load.library import load_library
from engine.tools.boundaries import generate
from engine.tools.cases import LoadedCase, load_case_file, load_cases, run_case

RULES = Path(__file__).parent.parent / "rules"
LIBRARY = load_library(RULES)
CASES = load_cases(RULES)


def _generated(tmp_path: Path, positions: set[str]) -> list[LoadedCase]:
    text = generate(LIBRARY, [c for c in CASES if c.position in positions])
    (tmp_path / "b.cases.yaml").write_text(text)
    generated, problems = load_case_file(tmp_path / "b.cases.yaml")
    assert not problems, problems
    return generated


def _statuses(generated: list[LoadedCase], requirement: str) -> list[str]:
    return [c.case.requirements[requirement] for c in generated if requirement in c.case.requirements]


def test_unconfirmed_levels_send_a_shortfall_to_the_board(tmp_path: Path) -> None:
    generated = _generated(tmp_path, {"pengawas"})
    # The Pengawas managerial level (2) is in the table's `unconfirmed` list (PermenPANRB 38/2017 tables not
    # retrieved): 1.99 goes to the board (missing), not fail; 2.00 and 2.01 pass.
    assert _statuses(generated, "competency-m01") == ["missing", "pass", "pass"]
    # Pengawas experience (Pelaksana 4 years) would flip in 2010, before any ruleset of the pack is in force:
    # no case can be decided then, so none is generated.
    assert all(c.case.as_of.year >= 2017 for c in generated)
    assert all(run_case(LIBRARY, case).passed for case in generated)


def test_no_level_above_the_scale(tmp_path: Path) -> None:
    generated = _generated(tmp_path, {"jpt-utama"})
    # Level 5 is the top of the scale: 4.99 (board: unconfirmed table) and 5.00 only; 5.01 no file can hold.
    assert _statuses(generated, "competency-m01") == ["missing", "pass"]
    assert all(run_case(LIBRARY, case).passed for case in generated)


def test_overlay_classes_name_their_ruleset(tmp_path: Path) -> None:
    generated = _generated(tmp_path, {"kabid-mutasi-promosi", "kasubbag-keuangan"})
    assert generated
    assert {c.ruleset for c in generated} == {"kab-tegal"}
    failed = [run_case(LIBRARY, case) for case in generated]
    assert all(r.passed for r in failed), [r.differences for r in failed if not r.passed][:3]
