"""The record line `check --format jsonl` writes (engine.decide.line) is the JSON of the DecisionRecord model.

The line is put together from parts compiled once per layout and looked up by value, not from the model; here
every line is compared byte for byte with the model's JSON (``DecisionRecord.of(decision).model_dump`` with
sorted keys): on every fixture under every position of every ruleset, on generated populations of random seeds
and dates, and on decisions whose values differ only in type or spelling (True and 1, 5 and 5.0, 0.0 and -0.0),
which a part looked up by equal value alone would show wrongly.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from population_support import generator

from engine.compiler.layout import LayoutCache
from engine.decide.decision import CandidateRef, Decision, JpmCategory, decide, jpm_category, trusted
from engine.decide.line import record_line
from engine.decide.pipeline import check_with
from engine.decide.record import DecisionRecord
from engine.errors import InputError
from engine.facts.derive import note
from engine.load.candidate import Candidate
from engine.load.intake import LoadedCandidate, load_candidates
from engine.load.library import load_library
from engine.load.resolve import Library
from engine.load.rulefile import Ruleset

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "fixtures" / "candidates"
AS_OF = dt.date(2026, 12, 1)


def model_line(decision: Decision) -> bytes:
    """The slow path: the validated-shape record model, dumped with sorted keys."""
    return orjson.dumps(DecisionRecord.of(decision).model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)


@cache
def library() -> Library:
    return load_library(ROOT / "rules")


def rulesets(as_of: dt.date) -> list[Ruleset]:
    """Every ruleset in force on ``as_of``, overlays included."""
    found = []
    for ruleset_id in library().ids():
        try:
            found.append(library().resolve(ruleset_id, as_of))
        except InputError:
            continue
    return found


def test_every_fixture_under_every_position_gives_the_models_line() -> None:
    candidates, problems = load_candidates([FIXTURES])
    assert candidates and not problems
    checked, groups, verdicts = 0, 0, set()
    for ruleset in rulesets(AS_OF):
        layouts = LayoutCache()
        for position in ruleset.positions:
            for decision in check_with(ruleset, position.id, candidates, AS_OF, "reference", layouts).decisions:
                assert record_line(decision) == model_line(decision), (ruleset.id, position.id, decision.candidate)
                checked += 1
                groups += any(n.children for n in decision.layout.nodes)
                verdicts.add(decision.verdict)
    # the hand-written fixtures under all positions: groups, waivers and every verdict among them
    assert checked >= 15 * len(candidates) and groups and verdicts == {"eligible", "needs_review", "not_eligible"}


@settings(max_examples=6, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    as_of=st.dates(dt.date(2025, 1, 1), dt.date(2028, 12, 31)),
    positions=st.lists(
        st.sampled_from(["administrator", "pengawas", "kenaikan-pangkat-reguler", "jf-ahli-muda", "jpt-pratama"]),
        min_size=1,
        max_size=2,
        unique=True,
    ),
)
def test_generated_populations_give_the_models_lines(seed: int, as_of: dt.date, positions: list[str]) -> None:
    dossiers = generator().generate(15, seed)
    candidates = [LoadedCandidate(name, Candidate.model_validate(data)) for name, data in dossiers]
    for position in positions:
        ruleset = library().for_position(position, None, as_of)
        for decision in check_with(ruleset, position, candidates, as_of, "reference").decisions:
            assert record_line(decision) == model_line(decision), (seed, as_of, position, decision.candidate)


# Values that are equal but print apart (or cannot be looked up at all), for any requirement's fact.
TRICKY: list[Any] = [
    None,
    True,
    1,
    1.0,
    False,
    0,
    0.0,
    -0.0,
    Decimal("5"),
    Decimal("5.0"),
    Decimal("5.25"),
    Decimal("-0"),
    5,
    "5",
    "III/b",
    [1, 2],
    dt.date(2026, 1, 1),
]
NOTES = [
    None,
    note("no_evidence"),
    note("waived", reason="r", authority="PPK", document="SK 1", date="2026-01-01"),  # arguments out of order
    note("acting_only", with_acting=12),
]


@settings(max_examples=60, deadline=None)
@given(
    changes=st.lists(
        st.tuples(
            st.integers(0, 10_000),
            st.sampled_from(["pass", "fail", "missing", "invalid", "waived"]),
            st.sampled_from(TRICKY),
            st.sampled_from(NOTES),
        ),
        min_size=1,
        max_size=8,
    ),
    jpm=st.sampled_from([None, Decimal("79.5"), Decimal("80"), Decimal("80.00")]),
)
def test_values_equal_but_printed_apart_are_never_confused(changes: list[tuple[Any, ...]], jpm: Any) -> None:
    """Lines of one layout written in turn (its parts shared), each compared with the model's JSON."""
    decision = base_decision()
    statuses, observed, notes = list(decision.statuses), list(decision.observed), list(decision.notes)
    for index, status, value, why in changes:
        index %= len(statuses)
        statuses[index], observed[index], notes[index] = status, value, why
    fields = {name: getattr(decision, name) for name in Decision.model_fields}
    fields.update(statuses=tuple(statuses), observed=tuple(observed), notes=tuple(notes))
    if jpm is not None:
        fields["jpm"] = JpmCategory(scheme="SELEKSI", value=jpm, capped=False, category="X", basis="b")
    changed = Decision(**fields)
    try:
        expected = model_line(changed)
    except (TypeError, ValueError, ArithmeticError) as refused:  # a value its fact cannot show ("III/b" months)
        with pytest.raises(type(refused)):
            record_line(changed)
    else:
        assert record_line(changed) == expected
    assert record_line(decision) == model_line(decision)


# Values equal to one another (so equal as keys) that print apart, written one after another on each node.
EQUALS: list[list[Any]] = [
    [True, 1, 1.0, Decimal("1"), Decimal("1.0")],
    [False, 0, 0.0, -0.0, Decimal("0"), Decimal("-0"), Decimal("0.00")],
    [5, 5.0, Decimal("5"), Decimal("5.0"), Decimal("5.00")],
]


def test_equal_values_printed_apart_on_every_requirement() -> None:
    decision = base_decision()
    for index in range(len(decision.statuses)):
        for status in ("pass", "fail"):
            for value in [v for equal in EQUALS for v in equal]:
                changed = variant(decision, index, status, value)
                assert record_line(changed) == model_line(changed), (index, status, value)


def variant(decision: Decision, index: int, status: str, value: Any) -> Decision:
    fields = {name: getattr(decision, name) for name in Decision.model_fields}
    fields["statuses"] = (*decision.statuses[:index], status, *decision.statuses[index + 1 :])
    fields["observed"] = (*decision.observed[:index], value, *decision.observed[index + 1 :])
    return Decision(**fields)


@cache
def base_decision() -> Decision:
    candidates, _problems = load_candidates([FIXTURES / "siti-rahma.yaml"])
    ruleset = library().for_position("administrator", None, AS_OF)
    decision = check_with(ruleset, "administrator", candidates, AS_OF, "reference").decisions[0]
    assert any(n.children for n in decision.layout.nodes)  # a position with groups
    return decision


def test_a_decision_built_without_validation_equals_the_validated_one() -> None:
    candidates, _problems = load_candidates([FIXTURES])
    ruleset = library().for_position("administrator", None, AS_OF)
    for decision in check_with(ruleset, "administrator", candidates, AS_OF, "reference").decisions:
        fields = {name: getattr(decision, name) for name in Decision.model_fields}
        assert Decision(**fields) == decision == Decision.model_construct(**fields)
        assert decision.model_fields_set == Decision.model_construct(**fields).model_fields_set
    ref = trusted(CandidateRef, {"nip": "1", "name": "A", "file": ""})
    assert ref == CandidateRef(nip="1", name="A") and ref.model_dump() == {"nip": "1", "name": "A", "file": ""}


def test_the_same_decision_decided_twice_writes_the_same_line() -> None:
    decision = base_decision()
    candidates, _problems = load_candidates([FIXTURES / "siti-rahma.yaml"])
    again = decide(decision.layout, candidates[0].candidate, decision.facts, frozenset(), "other.yaml")
    assert record_line(again) == model_line(again) != record_line(decision)


def test_jpm_values_equal_but_written_apart_are_recorded_as_written() -> None:
    decision = base_decision()
    assert decision.layout.position.jpm is not None
    candidates, _problems = load_candidates([FIXTURES / "siti-rahma.yaml"])
    lines = []
    for jpm in (Decimal("80"), Decimal("80.0"), Decimal("80.00"), 80, Decimal("79.99"), Decimal("80")):
        facts = decision.facts.model_copy(update={"values": {**decision.facts.values, "jpm": jpm}})
        again = decide(decision.layout, candidates[0].candidate, facts, frozenset(), "f.yaml")
        assert again.jpm == jpm_category(decision.layout.position, facts)
        assert again.jpm is not None and str(again.jpm.value) == str(jpm) and type(again.jpm.value) is type(jpm)
        lines.append(record_line(again))
        assert lines[-1] == model_line(again)
    assert len(set(lines)) == 5
