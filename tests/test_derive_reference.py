"""Fact derivation stays byte-identical: digests of the facts of every fixture dossier on fixed dates, frozen
before derivation was rewritten for speed, and facts on random dates checked against hand computation.

tests/data/derive_reference/expected.json was produced with the code before the rewrite (main at d9289f5,
unpacked by ``git archive``), from its root: ``python bench/derive_reference.py --fixtures-out FILE``. The dump
is strict (types, Decimal exponents, notes with arguments, anchors, insertion order). Regenerate it only for an
intended change of the facts, and say so in the commit.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from derive_reference import DATES, digest, file_dossiers, sweep_digest  # noqa: E402

from engine.facts.calendar import completed_months  # noqa: E402
from engine.facts.derive import Facts, derive  # noqa: E402
from engine.facts.scales import EXAM_TYPES, TRAINING_TYPES  # noqa: E402
from engine.load.candidate import Candidate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXPECTED: dict[str, dict[str, str]] = json.loads((ROOT / "tests/data/derive_reference/expected.json").read_text())
DOSSIERS = dict(file_dossiers(ROOT))


def test_every_fixture_dossier_is_covered() -> None:
    fixtures = {name for name in DOSSIERS if not name.startswith("fixtures/population/")}
    assert fixtures == set(EXPECTED)
    # SIASN-imported dossiers (provenance, histories not recorded) are among them
    assert any(name.startswith("fixtures/siasn/expected-csv/") for name in fixtures)
    assert len(fixtures) >= 61


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_facts_are_those_derived_before(name: str) -> None:
    candidate = DOSSIERS[name]
    got = {d.isoformat(): digest(derive(candidate, d)) for d in DATES}
    assert got == {d: h for d, h in EXPECTED[name].items() if d != "sweep"}
    assert sweep_digest(candidate) == EXPECTED[name]["sweep"]


@settings(max_examples=150, deadline=None)
@given(
    name=st.sampled_from(sorted(EXPECTED)),
    as_of=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2035, 12, 31)),
)
def test_plain_facts_by_hand(name: str, as_of: dt.date) -> None:
    c: Candidate = DOSSIERS[name]
    facts = derive(c, as_of)
    withheld = set(c.provenance.not_recorded) if c.provenance else set()
    assert facts.values["as_of_day"] == as_of.day and facts.values["as_of_month"] == as_of.month
    if c.birth_date <= as_of:
        years = as_of.year - c.birth_date.year - ((as_of.month, as_of.day) < (c.birth_date.month, c.birth_date.day))
        # born on 29 February, the birthday of a common year is 1 March (the month completes when the next begins)
        assert facts.values["age_years"] == years
    ranks = sorted((r for r in c.pangkat if r.tmt <= as_of), key=lambda r: r.tmt)
    if ranks and "pangkat" not in withheld:
        assert facts.values["golongan"] == ranks[-1].golongan
        if not any(leave.type == "CLTN" for leave in c.leave):
            assert facts.values["months_in_rank"] == completed_months(ranks[-1].tmt, as_of)
    elif not ranks:
        assert facts.missing["golongan"].code == "no_rank"
    if c.tmt_cpns <= as_of and not any(leave.type == "CLTN" for leave in c.leave):
        assert facts.values["months_of_service"] == completed_months(c.tmt_cpns, as_of)
    if "trainings" not in withheld:
        for kind in TRAINING_TYPES:
            assert facts.values[f"training.{kind}"] == any(t.type == kind and t.passed <= as_of for t in c.trainings)
    if "exams" not in withheld:
        for kind in EXAM_TYPES:
            assert facts.values[f"exam.{kind}"] == any(e.type == kind and e.passed <= as_of for e in c.exams)


def test_facts_are_built_as_model_construct_builds_them() -> None:
    facts = derive(DOSSIERS["fixtures/candidates/budi-santoso.yaml"], dt.date(2026, 11, 29))
    fields = {name: getattr(facts, name) for name in Facts.model_fields}
    constructed = Facts.model_construct(**fields)
    # the slots pydantic keeps on a model: built() sets each of them
    assert set(BaseModel.__slots__) == {
        "__dict__",
        "__pydantic_fields_set__",
        "__pydantic_extra__",
        "__pydantic_private__",
    }
    for slot in BaseModel.__slots__:
        assert getattr(facts, slot) == getattr(constructed, slot), slot
    assert facts == constructed == Facts.model_validate(fields)
    assert facts.model_dump() == constructed.model_dump()
    assert type(facts) is Facts and facts.anchors
