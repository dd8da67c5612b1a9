"""The generated population: every committed file loads, the sample is exactly what the seeded generator
writes, and it looks like a personnel office's files (classes, histories, schemes, rates of missing data).

The rate bounds below are the ones the generator is tuned to (fixtures/population/README.md), widened enough
that they state what "realistic" means here without pinning the random draw."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from population_support import generator

from engine.decide.pipeline import check
from engine.facts.derive import derive
from engine.load.intake import LoadedCandidate, load_candidates
from engine.load.library import load_library

ROOT = Path(__file__).resolve().parent.parent
POPULATION = ROOT / "fixtures" / "population"
FILES = sorted((POPULATION / "candidates").glob("*.json"))
REF = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def population() -> list[LoadedCandidate]:
    candidates, problems = load_candidates([POPULATION])  # the directory, as `layak diff` is given it
    assert problems == [], problems[:5]
    return candidates


def share(items: list[Any], test: Any) -> float:
    return sum(1 for item in items if test(item)) / len(items)


def test_every_committed_file_loads(population: list[LoadedCandidate]) -> None:
    assert len(FILES) >= 2000
    assert len(population) == len(FILES)
    assert len({c.candidate.nip for c in population}) == len(FILES)
    assert sum(f.stat().st_size for f in FILES) < 10_000_000


def test_the_sample_is_what_the_seeded_generator_writes(tmp_path: Path) -> None:
    gen = generator()
    gen.write(tmp_path / "out", len(FILES), gen.SEED)
    fresh = {f.name: f.read_bytes() for f in (tmp_path / "out").iterdir()}
    committed = {f.name: f.read_bytes() for f in FILES}
    assert sorted(fresh) == sorted(committed)
    stale = [name for name in committed if committed[name] != fresh[name]]
    assert not stale, f"regenerate with python fixtures/population/generate.py ({len(stale)} differ: {stale[:3]})"


def test_same_seed_same_dossiers_another_seed_others() -> None:
    gen = generator()
    assert gen.generate(40, seed=5) == gen.generate(40, seed=5)
    assert gen.generate(40, seed=5) != gen.generate(40, seed=6)


def test_every_class_and_career_feature_is_present(population: list[LoadedCandidate]) -> None:
    people = [c.candidate for c in population]
    names = [Path(c.file).name for c in population]  # NNNN-<archetype>-<name>.json
    for kind in ("pelaksana", "pengawas", "administrator", "jpt", "jf-keahlian", "jf-keterampilan", "cpns", "pppk"):
        assert 0.01 < share(names, lambda n, k=kind: n[5:].startswith(k + "-")) < 0.3, kind
    posts = [p for c in people for p in c.positions]
    assert {p.jf_jenjang for p in posts if p.jf_jenjang} == {
        "PEMULA",
        "TERAMPIL",
        "MAHIR",
        "PENYELIA",
        "AHLI_PERTAMA",
        "AHLI_MUDA",
        "AHLI_MADYA",
        "AHLI_UTAMA",
    }
    assert {p.jenis for p in posts} >= {"PELAKSANA", "PENGAWAS", "ADMINISTRATOR", "JPT_PRATAMA", "JPT_MADYA", "JF"}
    assert 0.04 < share(people, lambda c: any(p.appointment == "PLT" for p in c.positions)) < 0.2
    assert 0.01 < share(people, lambda c: any(p.appointment == "PLH" for p in c.positions)) < 0.1
    assert 0.02 < share(people, lambda c: any(p.via_penyetaraan for p in c.positions)) < 0.1
    levels = Counter(e.level for c in people for e in c.education)
    assert levels["D4"] and levels["PROFESI"] and levels["S3"] and levels["SLTA"] and levels["D3"]
    assert 0.01 < share(people, lambda c: any(e.foreign and not e.equivalence_decree for e in c.education)) < 0.05
    assert {r.golongan for c in people for r in c.pangkat} >= {
        "II/a",
        "II/b",
        "II/c",
        "II/d",
        "III/a",
        "III/b",
        "III/c",
        "III/d",
        "IV/a",
        "IV/b",
        "IV/c",
        "IV/d",
        "IV/e",
    }
    assert {r.kp_type for c in people for r in c.pangkat} >= {
        "PENGANGKATAN",
        "REGULER",
        "PILIHAN_STRUKTURAL",
        "PILIHAN_JF",
        "PENYESUAIAN_IJAZAH",
    }
    assert {e.type for c in people for e in c.exams} == {"UJIAN_DINAS_TK_I", "UJIAN_DINAS_TK_II", "UPKP"}
    assert {s.status for c in people for s in c.discipline} == {
        "UNDER_EXAMINATION",
        "DECIDED",
        "OBJECTION_PENDING",
        "APPEAL_PENDING",
        "FINAL",
        "ANNULLED",
        "COMPLETED",
    }
    assert 0.03 < share(people, lambda c: c.discipline) < 0.1
    assert {c.employee_status for c in people} == {"CPNS", "PNS", "PPPK"}
    assert any(c.waivers for c in people) and any(c.angka_kredit for c in people)


def test_rank_promotions_fall_on_kp_dates(population: list[LoadedCandidate]) -> None:
    # PP 99/2000 and its period rules: 1 April / 1 October until 2023; six periods a year from 2024
    # (Peraturan BKN 4/2023); every month from 1 October 2025 (Peraturan BKN 4/2025).
    for c in population:
        for rank in c.candidate.pangkat:
            if rank.kp_type == "PENGANGKATAN":
                continue
            assert rank.tmt.day == 1, (c.file, rank)
            if rank.tmt < dt.date(2024, 1, 1):
                assert rank.tmt.month in (4, 10), (c.file, rank)
            elif rank.tmt < dt.date(2025, 10, 1):
                assert rank.tmt.month in (2, 4, 6, 8, 10, 12), (c.file, rank)


def test_ratings_span_the_schemes_with_realistic_gaps(population: list[LoadedCandidate]) -> None:
    people = [c.candidate for c in population]
    rows = [p for c in people for p in c.performance]
    assert {p.scheme for p in rows} == {"PP46_2011", "PP30_2019", "PERMENPANRB_8_2021", "PERMENPANRB_6_2022"}
    assert {p.missing_reason for p in rows} == {
        None,
        "CLTN",
        "TUGAS_BELAJAR",
        "CPNS_YEAR",
        "SICK_LEAVE",
        "NOT_SUBMITTED",
        "OTHER",
    }
    assert any(p.period == "2021-S1" for p in rows) and any(p.rating_hasil_kerja for p in rows)
    assert any(p.numeric_score is not None for p in rows)
    # A PNS lacking a usable rating for 2024 or 2025: a few percent, not none and not most.
    pns = [c for c in people if c.employee_status == "PNS"]
    assert 0.03 < share(pns, lambda c: "rating_min_last_2y" in derive(c, REF).missing) < 0.15


def test_assessments_as_assessment_centres_deliver_them(population: list[LoadedCandidate]) -> None:
    people = [c.candidate for c in population]
    assert 0.25 < share(people, lambda c: not c.competency_assessments) < 0.5
    assessed = [c for c in people if c.competency_assessments]
    latest = [max(c.competency_assessments, key=lambda a: a.date) for c in assessed]
    assert 0.05 < share(latest, lambda a: a.jpm_percent is None) < 0.3
    assert any(a.jpm_percent is None and all(s.standard is None for s in a.scores) for a in latest)
    assert any(len(c.competency_assessments) == 2 for c in assessed)
    assert any(not a.provider_accredited for a in latest)


def test_every_verdict_occurs_for_administrator(population: list[LoadedCandidate]) -> None:
    run = check(load_library(ROOT / "rules"), "administrator", population, REF, backend="reference")
    verdicts = Counter(d.verdict for d in run.decisions)
    assert run.problems == []
    for verdict in ("eligible", "needs_review", "not_eligible"):
        assert verdicts[verdict] / len(population) > 0.03, verdicts
