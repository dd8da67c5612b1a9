"""Statuses and verdicts: any_of / all_of, missing versus fail, acting service, waivers, ranking."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from engine.decide.decision import Decision
from engine.decide.pipeline import check
from engine.errors import InputError
from engine.load.candidate import Candidate
from engine.load.intake import LoadedCandidate
from engine.load.library import load_library

AS_OF = dt.date(2026, 12, 1)

RULES = """ruleset:
  id: t
  version: "1"
  title: {en: Test, id: Uji}
  effective_from: 2020-01-01
  basis: [PP 11/2017]
positions:
  - id: post
    title: {en: Post, id: Jabatan}
    basis: PP 11/2017 Pasal 107
    requirements:
      - id: experience
        basis: PP 11/2017 Pasal 107 ayat (1)
        text: {en: Experience, id: Pengalaman}
        any_of:
          - {id: as-pengawas, fact: months_in_post.pengawas, op: gte, value: 3y, acting: review,
             text: {en: Pengawas 3y, id: Pengawas 3t}}
          - {id: as-ahli-muda, fact: months_in_post.ahli_muda, op: gte, value: 3y,
             text: {en: Ahli Muda 3y, id: Ahli Muda 3t}}
      - id: record
        basis: PP 11/2017 Pasal 107 ayat (1)
        text: {en: Record, id: Rekam jejak}
        all_of:
          - {id: rated, fact: rating_min_last_2y, op: gte, value: BAIK, text: {en: Rated, id: Dinilai}}
          - {id: clean, fact: sanction_active, op: eq, value: false, text: {en: Clean, id: Bersih}}
      - id: max-age
        basis: PP 11/2017 Pasal 107 ayat (1)
        fact: age_years
        op: lte
        value: 56
        waivable_by: [PRESIDEN]
        text: {en: Age at most 56, id: Usia paling tinggi 56}
      - id: assessed
        basis: PP 11/2017 Pasal 107 ayat (1)
        fact: jpm
        op: gte
        value: 68
        missing: fail
        text: {en: JPM at least 68, id: JPM paling rendah 68}
      - id: box
        basis: PP 11/2017 Pasal 107 ayat (1)
        fact: talent_box
        op: in
        value: [7, 8, 9]
        mandatory: false
        text: {en: Talent pool, id: Kelompok rencana suksesi}
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("rules")
    (folder / "t.yaml").write_text(RULES)
    return load_library(folder)


def person(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "nip": "197001012000031001",
        "name": "Budi",
        "birth_date": dt.date(1972, 6, 1),
        "instansi_id": "x",
        "employee_status": "PNS",
        "tmt_cpns": dt.date(2000, 3, 1),
        "pangkat": [{"golongan": "IV/a", "tmt": dt.date(2020, 4, 1)}],
        "positions": [{"jenis": "PENGAWAS", "tmt_start": dt.date(2020, 1, 1)}],
        "performance": [
            {"period": "2024", "scheme": "PERMENPANRB_6_2022", "predikat": "BAIK"},
            {"period": "2025", "scheme": "PERMENPANRB_6_2022", "predikat": "SANGAT_BAIK"},
        ],
        "competency_assessments": [
            {
                "assessment_id": "A1",
                "provider": "P",
                "provider_accredited": True,
                "date": dt.date(2026, 1, 10),
                "purpose": "PEMETAAN",
                "jpm_percent": 80,
                "scores": [{"code": "M01", "attained": 3}],
            }
        ],
        "talent": {"box": 8},
    }
    base.update(changes)
    return base


def decide_one(library: Any, data: dict[str, Any]) -> Decision:
    run = check(library, "post", [LoadedCandidate("c.yaml", Candidate.model_validate(data))], AS_OF)
    assert not run.problems, run.problems
    return run.decisions[0]


def statuses(decision: Decision) -> dict[str, str]:
    out: dict[str, str] = {}
    for outcome in decision.requirements:
        out[outcome.id] = outcome.status
        for child in outcome.children:
            out[child.id] = child.status
    return out


def test_everything_met(library: Any) -> None:
    d = decide_one(library, person())
    # Pengawas since 2020-01-01: 83 months ≥ 36; born 1972-06-01 → 54 on 2026-12-01 ≤ 56.
    assert statuses(d) == {
        "experience": "pass",
        "as-pengawas": "pass",
        "as-ahli-muda": "fail",
        "record": "pass",
        "rated": "pass",
        "clean": "pass",
        "max-age": "pass",
        "assessed": "pass",
        "box": "pass",
    }
    assert d.verdict == "eligible"


def test_any_of_passes_on_the_functional_alternative(library: Any) -> None:
    jf = [{"jenis": "JF", "jf_jenjang": "AHLI_MUDA", "jf_kategori": "KEAHLIAN", "tmt_start": dt.date(2022, 6, 1)}]
    d = decide_one(library, person(positions=jf))  # never Pengawas; Ahli Muda 54 months
    assert statuses(d)["as-pengawas"] == "fail" and statuses(d)["experience"] == "pass"


def test_acting_only_service_goes_to_review(library: Any) -> None:
    # 22 months definitive + 14 months Plt = 36 months only when acting service counts.
    posts = [
        {"jenis": "PENGAWAS", "tmt_start": dt.date(2023, 8, 1), "tmt_end": dt.date(2024, 10, 1), "appointment": "PLT"},
        {"jenis": "PENGAWAS", "tmt_start": dt.date(2025, 2, 1)},
    ]
    d = decide_one(library, person(positions=posts))
    experience = d.requirements[0]
    assert experience.children[0].status == "missing"
    assert experience.children[0].note is not None and experience.children[0].note.code == "acting_only"
    assert experience.status == "missing" and d.verdict == "needs_review"


def test_all_of_fails_if_one_part_fails(library: Any) -> None:
    sanction = [
        {
            "level": "SEDANG",
            "type": "POTONG_TUKIN_6",
            "regulation": "PP94_2021",
            "decided": dt.date(2026, 9, 1),
            "effective_start": dt.date(2026, 10, 1),
            "effective_end": dt.date(2027, 3, 31),
            "status": "FINAL",
        }
    ]
    d = decide_one(library, person(discipline=sanction))
    assert statuses(d)["clean"] == "fail" and statuses(d)["record"] == "fail"
    assert d.verdict == "not_eligible"


def test_missing_rating_is_review_but_missing_jpm_fails(library: Any) -> None:
    only_2025 = [
        {"period": "2025", "scheme": "PERMENPANRB_6_2022", "predikat": "BAIK"},
        {"period": "2024", "scheme": "PERMENPANRB_6_2022", "missing_reason": "TUGAS_BELAJAR"},
    ]
    d = decide_one(library, person(performance=only_2025))
    assert statuses(d)["rated"] == "missing" and statuses(d)["record"] == "missing"
    assert d.verdict == "needs_review"
    d = decide_one(library, person(competency_assessments=[]))  # `assessed` says missing evidence fails
    assert statuses(d)["assessed"] == "fail" and d.verdict == "not_eligible"


def test_optional_requirement_never_blocks(library: Any) -> None:
    d = decide_one(library, person(talent={"box": 5}))
    assert statuses(d)["box"] == "fail" and d.verdict == "eligible"


def test_age_boundary_and_presidential_waiver(library: Any) -> None:
    # Born 1969-12-01: 57 on 2026-12-01 (fails ≤ 56); born 1969-12-02: still 56 (passes).
    assert statuses(decide_one(library, person(birth_date=dt.date(1969, 12, 1))))["max-age"] == "fail"
    assert statuses(decide_one(library, person(birth_date=dt.date(1969, 12, 2))))["max-age"] == "pass"
    waiver = [
        {
            "position": "post",
            "requirement": "max-age",
            "authority": "PRESIDEN",
            "document": "B-123/Setneg/2026",
            "date": dt.date(2026, 10, 1),
            "reason": "Pasal 107 ayat (2)",
        }
    ]
    d = decide_one(library, person(birth_date=dt.date(1969, 12, 1), waivers=waiver))
    assert statuses(d)["max-age"] == "waived" and d.verdict == "eligible"
    assert d.requirements[2].note is not None and d.requirements[2].note.args["document"] == "B-123/Setneg/2026"


@pytest.mark.parametrize(
    ("requirement", "authority", "words"),
    [
        ("assessed", "PRESIDEN", "cannot be waived"),  # not waivable at all
        ("max-age", "PPK", "cannot be waived by PPK"),  # waivable, but only by the President
        ("no-such-rule", "PRESIDEN", "has no requirement"),
    ],
)
def test_bad_waivers_are_input_errors(library: Any, requirement: str, authority: str, words: str) -> None:
    waiver = [
        {
            "position": "post",
            "requirement": requirement,
            "authority": authority,
            "document": "X",
            "date": dt.date(2026, 10, 1),
            "reason": "r",
        }
    ]
    data = person(waivers=waiver)
    run = check(library, "post", [LoadedCandidate("c.yaml", Candidate.model_validate(data))], AS_OF)
    assert run.decisions == []
    assert len(run.problems) == 1 and words in run.problems[0].message
    assert run.problems[0].file == "c.yaml" and run.problems[0].path.startswith("waivers[0]")


def test_ranking(library: Any) -> None:
    loaded = [
        LoadedCandidate("a", Candidate.model_validate(person(nip="197001012000031001", name="A"))),  # JPM 80
        LoadedCandidate(
            "b",
            Candidate.model_validate(
                person(
                    nip="197001012000031002",
                    name="B",
                    competency_assessments=[
                        {
                            "assessment_id": "A2",
                            "provider": "P",
                            "provider_accredited": True,
                            "date": dt.date(2026, 2, 1),
                            "purpose": "PEMETAAN",
                            "jpm_percent": 91.5,
                            "scores": [],
                        }
                    ],
                )
            ),
        ),  # JPM 91.5: first
        LoadedCandidate(
            "c", Candidate.model_validate(person(nip="197001012000031003", name="C", birth_date=dt.date(1960, 1, 1)))
        ),  # too old
        LoadedCandidate(
            "d",
            Candidate.model_validate(
                person(nip="197001012000031004", name="D", pangkat=[{"golongan": "IV/b", "tmt": dt.date(2024, 4, 1)}])
            ),
        ),
        LoadedCandidate("e", Candidate.model_validate(person(nip="197001012000031005", name="E", performance=[]))),
    ]
    run = check(library, "post", loaded, AS_OF)
    # Eligible: B (JPM 91.5), then A and D tie on JPM 80 and D ranks higher (IV/b > IV/a); then E needs
    # review (no ratings); C is not eligible.
    assert [d.candidate.name for d in run.decisions] == ["B", "D", "A", "E", "C"]
    assert [d.verdict for d in run.decisions] == ["eligible"] * 3 + ["needs_review", "not_eligible"]


def test_unknown_position_names_the_close_one(library: Any) -> None:
    with pytest.raises(InputError) as caught:
        check(library, "pots", [], AS_OF)
    assert caught.value.problems[0].code == "unknown_position" and "post" in caught.value.problems[0].hint


def test_decision_carries_ruleset_hash_and_facts(library: Any) -> None:
    d = decide_one(library, person())
    assert len(d.ruleset.hash) == 64 and d.ruleset.id == "t" and d.ruleset.version == "1"
    assert d.facts.as_of == AS_OF and d.facts.values["golongan"] == "IV/a"
