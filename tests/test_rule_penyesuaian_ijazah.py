"""KP penyesuaian ijazah: the HR office's statement that the new diploma matches the duties of the post held and
that a formation for the higher rank is open (PP 99/2000 jo PP 12/2002 Pasal 18). Nothing else in a candidate file
says either, so without the statement the board decides; a mismatch fails; no formation goes to the board (only
regional rules name it). The fixture: Bayu Ardiansyah, II/d since 2025-10-01 on an SLTA, an S1 of 2024, UPKP
passed, Baik in 2025, proposed for 2026-12-01 (14 months in rank)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cli_runner import run

from engine.compiler.layout import Outcome
from engine.decide.pipeline import check
from engine.facts.vocabulary import lookup
from engine.load.intake import load_candidates
from engine.load.library import load_library
from engine.present.i18n import note_text
from engine.present.values import shown

ROOT = Path(__file__).parent.parent
BAYU = ROOT / "fixtures" / "candidates" / "bayu-ardiansyah.yaml"
LIBRARY = load_library(ROOT / "rules")
DAY = dt.date(2026, 12, 1)
STATEMENT = 'diploma_adjustment: {duties_match: true, formation_available: true, decree: "800/412/Setda/2026"}\n'


def _write(tmp_path: Path, statement: str) -> Path:
    text = BAYU.read_text()
    assert STATEMENT in text
    path = tmp_path / "bayu.yaml"
    path.write_text(text.replace(STATEMENT, statement))
    return path


def _decide(path: Path) -> tuple[str, dict[str, Outcome]]:
    candidates, problems = load_candidates([path])
    assert not problems
    result = check(LIBRARY, "kp-penyesuaian-ijazah", candidates, DAY, "kenaikan-pangkat-pilihan")
    assert not result.problems
    decision = result.decisions[0]
    return decision.verdict, {o.id: o for o in decision.requirements}


@pytest.mark.parametrize(
    ("statement", "verdict", "duties", "formation"),
    [
        (STATEMENT, "eligible", "pass", "pass"),
        ("", "needs_review", "missing", "missing"),
        ("diploma_adjustment: {duties_match: false, formation_available: true}\n", "not_eligible", "fail", "pass"),
        ("diploma_adjustment: {duties_match: true, formation_available: false}\n", "needs_review", "pass", "missing"),
    ],
)
def test_statement_decides_both_conditions(
    tmp_path: Path, statement: str, verdict: str, duties: str, formation: str
) -> None:
    got, outcomes = _decide(_write(tmp_path, statement))
    assert got == verdict
    assert (outcomes["diploma-matches-duties"].status, outcomes["formation-available"].status) == (duties, formation)


def test_absent_statement_says_what_is_not_on_file_in_both_languages(tmp_path: Path) -> None:
    _verdict, outcomes = _decide(_write(tmp_path, ""))
    note = outcomes["diploma-matches-duties"].note
    assert note_text(note, "en") == "no statement of the HR office on the new diploma (diploma_adjustment) is on file"
    assert note_text(note, "id") == "tidak ada pernyataan instansi tentang ijazah baru (diploma_adjustment)"


@pytest.mark.parametrize(
    "statement",
    [
        "diploma_adjustment: {duties_match: 'yes', formation_available: true}\n",
        "diploma_adjustment: {duties_match: 1, formation_available: true}\n",
        "diploma_adjustment: {duties_match: true}\n",
        "diploma_adjustment: {duties_match: true, formation_available: true, formasi: 2}\n",
    ],
)
def test_statement_is_not_coerced(tmp_path: Path, statement: str) -> None:
    _candidates, problems = load_candidates([_write(tmp_path, statement)])
    assert problems
    assert all(p.path.startswith("diploma_adjustment.") for p in problems)


def test_statement_is_in_the_candidate_schema() -> None:
    code, out, _err = run("schema", "candidate")
    assert code == 0
    schema = json.loads(out)
    assert "diploma_adjustment" in schema["properties"]
    model = schema["$defs"]["DiplomaAdjustment"]
    assert model["required"] == ["duties_match", "formation_available"]
    assert model["additionalProperties"] is False


@pytest.mark.parametrize(
    ("fact", "value", "lang", "words"),
    [
        ("diploma_matches_duties", False, "en", "diploma does not match the duties of the post"),
        ("diploma_matches_duties", True, "id", "ijazah sesuai dengan tugas jabatan"),
        ("diploma_formation_available", False, "id", "formasi pangkat yang lebih tinggi tidak tersedia"),
        ("diploma_formation_available", True, "en", "formation for the higher rank open"),
    ],
)
def test_statement_facts_read_as_words(fact: str, value: bool, lang: str, words: str) -> None:
    assert shown(lookup(fact), value, lang) == words
