"""Rank promotion round 2: the dated cap at the direct superior's rank, KP pilihan struktural facts, requirements
placed with ``after``, a top-level requirement that lapses, and the superior's rank in the candidate schema.

Expected values are worked out by hand from PP 99/2000 jo PP 12/2002 (Pasal 6 ayat (2): KP reguler not above the
direct superior's rank), Peraturan BKN 2/2025 of 20 May 2025 (the cap lifted) and the eselon bands of
PP 100/2000 jo PP 13/2002 (III.b: III/d to IV/a; IV.a: III/c to III/d)."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest
from cli_runner import run

from engine.decide.pipeline import check
from engine.facts.derive import derive
from engine.load.candidate import Candidate
from engine.load.intake import load_candidates
from engine.load.library import load_library, read_rule_file, scan

ROOT = Path(__file__).parent.parent
RULES = ROOT / "rules"
SLAMET = ROOT / "fixtures" / "candidates" / "slamet-riyadi.yaml"
LIBRARY = load_library(RULES)

HEADER = """\
ruleset:
  id: test
  version: "1"
  title: {en: Test rules, id: Aturan uji}
  effective_from: 2024-01-01
  basis: [PP 99/2000]
positions:
"""


def _statuses(position: str, candidate_file: Path, day: dt.date, tmp_path: Path, **changes: object) -> dict[str, str]:
    text = candidate_file.read_text()
    for key, value in changes.items():
        text += f"\n{key}: {value}\n"
    path = tmp_path / "c.yaml"
    path.write_text(text)
    candidates, problems = load_candidates([path])
    assert not problems
    run_ = check(LIBRARY, position, candidates, day, "kenaikan-pangkat")
    assert not run_.problems
    return {o.id: o.status for o in run_.decisions[0].requirements}


def test_the_superior_cap_applies_to_the_day_before_the_lift_and_lapses_on_it(tmp_path: Path) -> None:
    text = SLAMET.read_text().replace("direct_superior_golongan: III/a\n", "")
    (tmp_path / "s.yaml").write_text(text)
    # II/c → II/d would exceed a superior at II/c: refused on 2025-05-19, no longer a requirement on 2025-05-20.
    before = _statuses("kenaikan-pangkat-reguler", tmp_path / "s.yaml", dt.date(2025, 5, 19), tmp_path,
                       direct_superior_golongan="II/c")  # fmt: skip
    after = _statuses("kenaikan-pangkat-reguler", tmp_path / "s.yaml", dt.date(2025, 5, 20), tmp_path,
                      direct_superior_golongan="II/c")  # fmt: skip
    assert before["superior-rank"] == "fail"
    assert "superior-rank" not in after
    # KP pilihan struktural keeps a board check from that day (whether the lift covers it is not settled).
    assert dt.date(2025, 5, 20) in LIBRARY.boundaries()


def test_unknown_superior_goes_to_the_board_not_pass_or_fail(tmp_path: Path) -> None:
    text = SLAMET.read_text().replace("direct_superior_golongan: III/a\n", "")
    (tmp_path / "s.yaml").write_text(text)
    statuses = _statuses("kenaikan-pangkat-reguler", tmp_path / "s.yaml", dt.date(2025, 4, 1), tmp_path)
    assert statuses["superior-rank"] == "missing"


def test_structural_band_facts() -> None:
    base = Candidate.model_validate(
        {
            "nip": "198005122005011003",
            "name": "Hendra Gunawan",
            "birth_date": "1980-05-12",
            "instansi_id": "x",
            "employee_status": "PNS",
            "tmt_cpns": "2005-01-01",
            "pangkat": [{"golongan": "III/c", "tmt": "2021-04-01"}],
            "positions": [
                {"jenis": "PENGAWAS", "eselon_legacy": "IV.a", "tmt_start": "2018-01-02", "tmt_end": "2024-03-04"},
                {"jenis": "ADMINISTRATOR", "eselon_legacy": "III.b", "tmt_start": "2024-03-04"},
            ],
            "direct_superior_golongan": "III/d",
        }
    )
    facts = derive(base, dt.date(2025, 4, 1)).values
    # III/c is one step below III/d (the floor of III.b) and two below IV/a (its top); III/d does not exceed III/d.
    assert (facts["post_band_floor_steps"], facts["post_band_top_steps"]) == (-1, 2)
    assert facts["rank_within_superior"] is True
    # Administrator since 2024-03-04: 12 completed months on 2025-04-01 (the Pengawas years do not count).
    assert facts["months_in_current_post"] == 12
    # JPT Utama has one eselon (I.a: IV/d to IV/e); an Administrator without eselon_legacy could be III.a or III.b.
    jpt = base.model_copy(
        update={"positions": [base.positions[1].model_copy(update={"jenis": "JPT_UTAMA", "eselon_legacy": None})]}
    )
    # III/c to IV/d: III/d, IV/a, IV/b, IV/c, IV/d = 5 steps below the floor.
    assert derive(jpt, dt.date(2025, 4, 1)).values["post_band_floor_steps"] == -5
    unnamed = base.model_copy(update={"positions": [base.positions[1].model_copy(update={"eselon_legacy": None})]})
    missing = derive(unnamed, dt.date(2025, 4, 1)).missing
    assert missing["post_band_top_steps"].code == "no_echelon"


PLACED = """\
  - id: base
    title: {en: Base, id: Dasar}
    basis: PP 99/2000
    requirements:
      - {id: status, fact: employee_status, op: eq, value: PNS, basis: PP 99/2000, text: {en: PNS, id: PNS}}
      - {id: rank, fact: golongan, op: gte, value: II/a, basis: PP 99/2000, text: {en: Rank, id: Golongan}}
      - {id: period, fact: as_of_day, op: eq, value: 1, basis: PP 99/2000, text: {en: Period, id: Periode}}
  - id: special
    title: {en: Special, id: Khusus}
    basis: PP 99/2000
    extends: base
    after: {post: status}
    requirements:
      - {id: post, fact: current_post, op: eq, value: PENGAWAS, basis: PP 99/2000, text: {en: Post, id: Jabatan}}
"""


def test_after_places_an_added_requirement(tmp_path: Path) -> None:
    (tmp_path / "r.yaml").write_text(HEADER + textwrap.dedent(PLACED))
    special = load_library(tmp_path).resolve("test", dt.date(2025, 1, 1)).position("special")
    assert special is not None
    assert [r.id for r in special.requirements] == ["status", "post", "rank", "period"]
    assert "after" not in special.model_dump()


def test_after_naming_an_unknown_requirement_is_located(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(HEADER + textwrap.dedent(PLACED.replace("after: {post: status}", "after: {post: statsu}")))
    problems = scan(tmp_path).problems
    assert [(p.code, p.path) for p in problems] == [("unknown_requirement", "positions[1].after")]
    assert problems[0].line == next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "after:" in t)


def test_only_a_top_level_requirement_may_lapse(tmp_path: Path) -> None:
    lapsing = """\
  - id: base
    title: {en: Base, id: Dasar}
    basis: PP 99/2000
    requirements:
      - id: cap
        fact: as_of_day
        op: eq
        basis: PP 99/2000
        text: {en: Cap, id: Batas}
        value:
          - {from: 2024-01-01, to: 2025-05-19, value: 1}
      - id: group
        basis: PP 99/2000
        text: {en: Group, id: Kelompok}
        any_of:
          - {id: a, fact: employee_status, op: eq, value: PNS, text: {en: A, id: A}}
          - id: b
            fact: as_of_day
            op: eq
            text: {en: B, id: B}
            value:
              - {from: 2024-01-01, to: 2025-05-19, value: 1}
"""
    path = tmp_path / "r.yaml"
    path.write_text(HEADER + textwrap.dedent(lapsing))
    _rf, problems = read_rule_file(path)
    # The nested condition may not end (an alternative cannot vanish from inside a group); the top-level one may.
    assert [p.path for p in problems if "the last dated value" in p.message] == [
        "positions[0].requirements[1].any_of[1].value[0].to"
    ]


@pytest.mark.parametrize("value", ["III/e", "3", "'iii/a'"])
def test_superior_rank_is_not_coerced(tmp_path: Path, value: str) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(SLAMET.read_text().replace("direct_superior_golongan: III/a", f"direct_superior_golongan: {value}"))
    _candidates, problems = load_candidates([path])
    assert [p.path for p in problems] == ["direct_superior_golongan"]


def test_superior_rank_is_in_the_candidate_schema() -> None:
    code, out, _err = run("schema", "candidate")
    assert code == 0
    field = json.loads(out)["properties"]["direct_superior_golongan"]
    assert "superior" in field["description"]
    assert {"III/a", "IV/e"} <= set(field["anyOf"][0]["enum"])


@pytest.mark.parametrize(
    ("fact", "value", "lang", "words"),
    [
        # III/c under an eselon III.b post (band III/d..IV/a): one step below its floor, two below its top
        ("post_band_floor_steps", -1, "en", "1 step below the eselon's lowest rank"),
        ("post_band_top_steps", 2, "en", "2 steps below the eselon's highest rank"),
        # IV/a under the same post: at the top, one above the floor
        ("post_band_floor_steps", 1, "id", "1 tingkat di atas pangkat terendah eselon"),
        ("post_band_top_steps", 0, "id", "pada pangkat tertinggi eselon"),
        ("post_band_top_steps", -1, "en", "1 step above the eselon's highest rank"),
        ("rank_within_superior", False, "en", "the next rank would exceed the direct superior's rank"),
        ("rank_within_superior", True, "id", "pangkat berikutnya tidak melampaui pangkat atasan langsung"),
    ],
)
def test_band_and_superior_facts_read_as_words(fact: str, value: object, lang: str, words: str) -> None:
    """A board reads "1 step below the eselon's lowest rank", never "has -1, needs = -1" or "has no"."""
    from engine.facts.vocabulary import lookup
    from engine.present.values import shown

    assert shown(lookup(fact), value, lang) == words
