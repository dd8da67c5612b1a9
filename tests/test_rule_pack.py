"""The national rule pack, the Kabupaten Tegal overlay and the promotion facts they need.

Expectations are hand-computed from the regulations (PP 99/2000 jo PP 12/2002 education ceilings,
Peraturan BKN KP periods, the boards' edge cases) and the fixture files, not copied from engine output.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from engine.decide.pipeline import check
from engine.facts.derive import derive
from engine.facts.promotion import below_ceiling
from engine.load.candidate import Candidate
from engine.load.intake import LoadedCandidate, load_candidates
from engine.load.library import load_library
from engine.load.rulefile import Check, Ruleset
from engine.tools.cases import coverage, load_cases, run_case

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
FIXTURES = ROOT / "fixtures" / "candidates"
LIBRARY = load_library(RULES)

CLASSES = [
    "jpt-utama",
    "jpt-madya",
    "jpt-pratama",
    "administrator",
    "pengawas",
    "pelaksana",
    "jf-ahli-pertama",
    "jf-ahli-muda",
    "jf-ahli-madya",
    "jf-ahli-utama",
    "jf-terampil",
    "jf-mahir",
    "jf-penyelia",
    "kenaikan-pangkat-reguler",
]


def load(name: str) -> LoadedCandidate:
    loaded, problems = load_candidates([FIXTURES / name])
    assert problems == []
    return loaded[0]


def fixture(name: str) -> Candidate:
    return load(name).candidate


# --- the pack --------------------------------------------------------------------------------------


@pytest.mark.parametrize("as_of", [dt.date(2025, 6, 1), dt.date(2026, 1, 15)])
def test_every_position_class_is_in_force_with_bilingual_cited_requirements(as_of: dt.date) -> None:
    rulesets = LIBRARY.in_force_bases(as_of)
    positions = {p.id: p for r in rulesets for p in r.positions}
    assert set(CLASSES) <= set(positions)
    for position_id in CLASSES:
        position = positions[position_id]
        assert position.requirements
        for req in position.requirements:
            assert req.basis, (position_id, req.id)
            assert req.text.en.strip() and req.text.id.strip() and req.text.en != req.text.id, (position_id, req.id)


def test_every_class_has_a_case_file_and_cases_cover_both_sides_of_every_requirement() -> None:
    cases = load_cases(RULES)
    assert {c.position for c in cases} >= set(CLASSES) | {"kabid-mutasi-promosi", "kasubbag-keuangan"}
    results = [run_case(LIBRARY, case) for case in cases]
    assert all(r.passed for r in results)
    rows = coverage(LIBRARY, results)
    uncovered = [
        (r.position, r.ruleset, r.requirement, r.passed, r.failed)
        for r in rows
        if not (r.passed and (r.failed or not r.can_fail))
    ]
    assert uncovered == []
    # both KP periods (the dated values before and from 2025-10-01) and the overlay are covered on their own
    assert {r.ruleset for r in rows} >= {
        "kenaikan-pangkat@2025.3",
        "kenaikan-pangkat@2025.3 values from 2025-10-01",
        "kab-tegal@2025.2",
        "national@2020.2",
        "jabatan-fungsional@2023.2",
    }
    # every month is a KP period month from 2025-10-01 (Peraturan BKN 4/2025): that check has no fail side then
    assert [(r.ruleset, r.requirement) for r in rows if not r.can_fail] == [
        ("kenaikan-pangkat@2025.3 values from 2025-10-01", "kp-period-month")
    ]


def _month_check(ruleset: Ruleset) -> Check:
    position = ruleset.position("kenaikan-pangkat-reguler")
    assert position is not None
    return next(c for c in position.checks() if c.id == "kp-period-month")


def test_the_same_candidate_on_either_side_of_the_period_change_gets_the_threshold_of_its_date() -> None:
    slamet = [load("slamet-riyadi.yaml")]
    before = check(LIBRARY, "kenaikan-pangkat-reguler", slamet, dt.date(2025, 9, 1), backend="reference")
    after = check(LIBRARY, "kenaikan-pangkat-reguler", slamet, dt.date(2025, 10, 1), backend="reference")
    # one version of the ruleset; the dated value in force makes each day's resolved rules, and so its hash
    assert (before.decisions[0].ruleset.id, before.decisions[0].ruleset.version) == ("kenaikan-pangkat", "2025.3")
    assert (after.decisions[0].ruleset.id, after.decisions[0].ruleset.version) == ("kenaikan-pangkat", "2025.3")
    assert before.decisions[0].ruleset.hash != after.decisions[0].ruleset.hash
    # 1 September is a period date only from 1 October 2025 on: September is odd under Peraturan BKN 4/2023
    assert before.decisions[0].verdict == "not_eligible"
    assert after.decisions[0].verdict == "eligible"
    old = _month_check(LIBRARY.resolve("kenaikan-pangkat", dt.date(2025, 9, 30)))
    new = _month_check(LIBRARY.resolve("kenaikan-pangkat", dt.date(2025, 10, 1)))
    assert (old.threshold, old.basis) == ([2, 4, 6, 8, 10, 12], "Peraturan BKN 4/2023 Pasal 2")
    assert (new.threshold, new.basis) == (list(range(1, 13)), "Peraturan BKN 4/2025")


def test_kp_is_one_version_whose_dated_values_cover_it_without_gap() -> None:
    versions = [(rf.ruleset.effective_from, rf.ruleset.effective_to) for _f, rf in LIBRARY.files["kenaikan-pangkat"]]
    assert versions == [(dt.date(2024, 1, 1), None)]
    ((_file, rule_file),) = LIBRARY.files["kenaikan-pangkat"]
    dated = {c.id: c.dated for c in rule_file.positions[0].checks() if c.dated}
    assert [(d.start, d.end) for d in dated["kp-period-month"]] == [
        (dt.date(2024, 1, 1), None),
        (dt.date(2025, 10, 1), None),
    ]
    # the cap at the direct superior's rank ends on 2025-05-19 (Peraturan BKN 2/2025 of 20 May 2025 lifted it)
    assert [(d.start, d.end) for d in dated["superior-rank"]] == [(dt.date(2024, 1, 1), dt.date(2025, 5, 19))]
    assert {d for d in LIBRARY.boundaries() if d.year == 2025} >= {dt.date(2025, 5, 20), dt.date(2025, 10, 1)}


def test_waivers_only_for_waivable_requirements_by_the_president(tmp_path: Path) -> None:
    path = tmp_path / "indra.yaml"
    shutil.copy(FIXTURES / "indra-kurniawan.yaml", path)
    text = path.read_text().replace("authority: PRESIDEN", "authority: PPK")
    text += (
        "  - {position: jpt-pratama, requirement: pns-status, authority: PRESIDEN, document: B-1/2025,"
        " date: 2025-12-20, reason: not waivable}\n"
    )
    path.write_text(text)
    loaded, problems = load_candidates([path])
    assert problems == []
    run = check(LIBRARY, "jpt-pratama", loaded, dt.date(2026, 1, 15), backend="reference")
    assert run.decisions == []
    assert [(p.code, p.path) for p in run.problems] == [
        ("bad_waiver", "waivers[0].authority"),
        ("bad_waiver", "waivers[1].authority"),
    ]
    assert "PRESIDEN" in run.problems[0].message and "nobody" in run.problems[1].message


def test_presidential_waiver_reads_waived_with_the_document() -> None:
    run = check(LIBRARY, "jpt-pratama", [load("indra-kurniawan.yaml")], dt.date(2026, 1, 15), backend="reference")
    decision = run.decisions[0]
    age = next(o for o in decision.requirements if o.id == "max-age")
    assert age.status == "waived" and age.observed == 57
    assert age.note is not None and age.note.args["document"] == "B-77/M.SM.02.03/2025"
    assert decision.verdict == "eligible"


def test_jpm_scheme_is_recorded() -> None:
    run = check(LIBRARY, "jf-ahli-muda", [load("dimas-saputra.yaml")], dt.date(2026, 1, 15), backend="reference")
    jpm = run.decisions[0].jpm
    assert jpm is not None and (jpm.scheme, jpm.category) == ("SELEKSI", "MASIH_MEMENUHI_SYARAT")  # 76.39: 68..<80


# --- promotion facts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("golongan", "education", "below"),
    [
        ("II/b", "SD", False),  # SD ceiling II/a
        ("I/d", "SD", True),
        ("II/b", "SLTP", True),
        ("II/c", "SLTP", False),  # SLTP ceiling II/c
        ("II/c", "SLTP_KEJURUAN", True),
        ("II/d", "SLTP_KEJURUAN", False),  # kejuruan II/d
        ("III/a", "SLTA", True),
        ("III/b", "SLTA", False),  # SLTA III/b
        ("III/a", "D2", True),
        ("III/b", "D1", False),
        ("III/b", "D3", True),
        ("III/c", "D3", False),  # D-III III/c
        ("III/c", "S1", True),
        ("III/d", "S1", False),
        ("III/d", "D4", False),  # S1/D-IV III/d
        ("III/d", "S2", True),
        ("IV/a", "PROFESI", False),  # S2 / dokter IV/a
        ("IV/a", "S3", True),
        ("IV/b", "S3", False),  # S3 IV/b
    ],
)
def test_education_ceiling_boundaries(golongan: str, education: str, below: bool) -> None:
    assert below_ceiling(golongan, education) is below


def test_ceiling_fact_uses_the_education_recognised_for_rank() -> None:
    agung = fixture("agung-prasetya.yaml")
    assert derive(agung, dt.date(2025, 10, 1)).values["below_education_ceiling"] is False  # S1 at III/d
    unrecognised = agung.education[0].model_copy(update={"level": "S2", "recognised_for_rank": False})
    facts = derive(agung.model_copy(update={"education": [agung.education[0], unrecognised]}), dt.date(2025, 10, 1))
    assert facts.values["education"] == "S2" and facts.values["education_for_rank"] == "S1"
    assert facts.values["below_education_ceiling"] is False
    nothing = derive(agung.model_copy(update={"education": []}), dt.date(2025, 10, 1))
    assert nothing.missing["below_education_ceiling"].code == "no_diploma"


def test_exam_facts_count_from_the_day_passed() -> None:
    heru = fixture("heru-santoso.yaml")  # UD I passed 2024-11-14
    assert derive(heru, dt.date(2024, 11, 14)).values["exam.UJIAN_DINAS_TK_I"] is True
    assert derive(heru, dt.date(2024, 11, 13)).values["exam.UJIAN_DINAS_TK_I"] is False
    assert derive(heru, dt.date(2025, 10, 1)).values["exam.UJIAN_DINAS_TK_II"] is False


def test_as_of_day_and_month() -> None:
    values = derive(fixture("slamet-riyadi.yaml"), dt.date(2025, 3, 1)).values
    assert (values["as_of_day"], values["as_of_month"]) == (1, 3)
    values = derive(fixture("slamet-riyadi.yaml"), dt.date(2025, 12, 31)).values
    assert (values["as_of_day"], values["as_of_month"]) == (31, 12)


def test_service_summed_across_penyetaraan() -> None:
    endang = fixture("endang-purwanti.yaml")
    values = derive(endang, dt.date(2026, 1, 15)).values
    # ADMINISTRATOR 2017-07-03..2021-12-31 and AHLI_MADYA (penyetaraan) 2021-12-31..2026-01-15 touch: one
    # continuous period 2017-07-03..2026-01-15 = 102 months (+12 days)
    assert values["months_in_post.administrator"] == 53  # 2017-07-03..2021-12-03 = 53, +28 days
    assert values["months_in_post.ahli_madya"] == 48  # 2021-12-31..2025-12-31 = 48, +15 days
    assert values["months_in_post_with_penyetaraan.administrator"] == 102
    # the same Ahli Madya post without the penyetaraan flag does not count
    plain = [p.model_copy(update={"via_penyetaraan": False}) for p in endang.positions]
    values = derive(endang.model_copy(update={"positions": plain}), dt.date(2026, 1, 15)).values
    assert values["months_in_post_with_penyetaraan.administrator"] == 53
    # Pengawas and its Ahli Muda equivalent: she was never Ahli Muda
    assert values["months_in_post_with_penyetaraan.pengawas"] == values["months_in_post.pengawas"] == 89


def test_acting_service_is_not_summed_across_penyetaraan() -> None:
    endang = fixture("endang-purwanti.yaml")
    acting = [
        p.model_copy(update={"appointment": "PLT"}) if p.jenis == "ADMINISTRATOR" else p for p in endang.positions
    ]
    values = derive(endang.model_copy(update={"positions": acting}), dt.date(2026, 1, 15)).values
    assert values["months_in_post_with_penyetaraan.administrator"] == 48  # the Ahli Madya part only
