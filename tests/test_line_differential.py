"""The fast record line (engine.decide.line) against the general one, byte for byte, with its memos warm and full.

The line is joined from pieces compiled once per layout: dates with the constant text around them, a missing or
invalid map per (names, note ids), and requirement parts per value-type signature and (status, value, note id).
The judge is the general path: the ``DecisionRecord`` model built from the decision and dumped with sorted
keys. Here one writer serves a whole generated population (so later lines are made of parts kept from earlier
ones), then again with its memos bounded to a few entries (so they are dropped and refilled mid-run), and on
decisions whose values are swapped for equal values of other types. ``decide()``'s inlined path for a failing
check without a value is held against ``_without_value``, and ``trusted`` against pydantic's constructors.
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
from engine.decide import line
from engine.decide.decision import CandidateRef, Decision, JpmCategory, _without_value, trusted
from engine.decide.line import record_line
from engine.decide.pipeline import check_with
from engine.decide.record import DecisionRecord
from engine.errors import InputError
from engine.load.candidate import Candidate
from engine.load.intake import LoadedCandidate, load_candidates
from engine.load.library import load_library
from engine.load.resolve import Library

ROOT = Path(__file__).parent.parent
POSITIONS = ["administrator", "pengawas", "kenaikan-pangkat-reguler", "jf-ahli-muda", "jpt-pratama"]
DATES = [dt.date(2026, 11, 29), dt.date(2027, 4, 1)]


def model_line(decision: Decision) -> bytes:
    return orjson.dumps(DecisionRecord.of(decision).model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)


@cache
def library() -> Library:
    return load_library(ROOT / "rules")


@cache
def population(count: int, seed: int) -> list[LoadedCandidate]:
    return [LoadedCandidate(name, Candidate.model_validate(data)) for name, data in generator().generate(count, seed)]


def decisions(count: int, seed: int, layouts: LayoutCache) -> list[Decision]:
    """Every candidate of a generated population under each position on each date, through shared layouts."""
    found = []
    for as_of in DATES:
        for position in POSITIONS:
            ruleset = library().for_position(position, None, as_of)
            found.extend(check_with(ruleset, position, population(count, seed), as_of, "reference", layouts).decisions)
    return found


def test_a_population_through_one_writer_gives_the_models_lines() -> None:
    found = decisions(120, 20261130, LayoutCache())
    for decision in found:
        assert record_line(decision) == model_line(decision), (decision.position, decision.candidate)
    # the population reaches every verdict, notes of missing and invalid facts, JPM categories and groups
    assert {d.verdict for d in found} == {"eligible", "needs_review", "not_eligible"}
    assert any(d.facts.invalid for d in found) or any(d.facts.missing for d in found)
    assert any(d.jpm is not None for d in found) and any(n.children for d in found for n in d.layout.nodes)
    writer = found[0].layout.compiled["line"]
    assert writer.tables and writer.count > 0  # the fast path ran (not only the fallback)


def test_memos_dropped_and_refilled_mid_run_change_no_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(line, "_MEMO_LIMIT", 7)
    monkeypatch.setattr(line, "_MAPS_LIMIT", 2)
    layouts = LayoutCache()
    found = decisions(40, 7, layouts)
    for decision in found + found[::-1]:  # the second pass meets parts again after they were dropped
        assert record_line(decision) == model_line(decision), (decision.position, decision.candidate)
    writer = found[0].layout.compiled["line"]
    assert writer.count <= 7 + writer.size and len(writer.tables) <= 2 and len(writer.notes) <= 2


# Equal values (so equal as keys) that print apart, swapped into the observed values of real decisions.
EQUAL: list[Any] = [True, 1, 1.0, Decimal("1"), Decimal("1.0"), 0, False, 0.0, -0.0, Decimal("-0"), 5, 5.0]


@settings(max_examples=40, deadline=None)
@given(
    picks=st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(0, 10_000), st.sampled_from(EQUAL)), min_size=1, max_size=12
    )
)
def test_equal_values_of_other_types_never_share_a_part(picks: list[tuple[int, int, Any]]) -> None:
    """Lines written in turn through one writer: a real decision, then the same with one value's type changed."""
    found = shared_decisions()
    for which, index, value in picks:
        decision = found[which % len(found)]
        index %= len(decision.observed)
        observed = (*decision.observed[:index], value, *decision.observed[index + 1 :])
        fields = {name: getattr(decision, name) for name in Decision.model_fields}
        changed = Decision(**{**fields, "observed": observed})
        for written in (decision, changed, decision):
            try:
                expected = model_line(written)
            except (TypeError, ValueError, ArithmeticError) as refused:  # a value its fact cannot show
                with pytest.raises(type(refused)):
                    record_line(written)
            else:
                assert record_line(written) == expected, (index, value)


@cache
def shared_decisions() -> list[Decision]:
    return [d for d in decisions(10, 3, LayoutCache()) if d.position == "administrator"]


def test_a_failing_check_without_a_value_is_decided_as_without_value_says() -> None:
    checked = 0
    for decision in decisions(60, 11, LayoutCache()):
        layout = decision.layout
        for index, fact, _check, _acting, _acting_fact, missing_fails, _review in layout.checks:
            if (
                decision.observed[index] is None
                and decision.statuses[index] != "waived"
                and index not in {i for i, _any, _children in layout.groups}
            ):
                expected = _without_value(decision.facts, fact, missing_fails)
                assert (decision.statuses[index], decision.notes[index]) == expected, (fact, decision.candidate)
                checked += 1
    assert checked > 1000


@pytest.mark.parametrize("model", [CandidateRef, Decision, JpmCategory])
def test_trusted_models_have_pydantics_own_construction(model: type[Any]) -> None:
    # trusted() sets BaseModel's slots through their descriptors and makes the object with object.__new__
    assert [klass for klass in model.__mro__ if "__new__" in vars(klass)] == [object]
    assert not {"__slots__", "__dict__"} & set(vars(model)), "a slot of its own would not be set by trusted()"


def test_a_trusted_jpm_category_equals_the_validated_one() -> None:
    fields: dict[str, Any] = {
        "scheme": "SELEKSI",
        "value": Decimal("80.0"),
        "capped": False,
        "category": "MS",
        "basis": "b",
    }
    made = trusted(JpmCategory, dict(fields))
    assert made == JpmCategory(**fields) == JpmCategory.model_construct(**fields)
    assert made.model_fields_set == JpmCategory.model_construct(**fields).model_fields_set
    validated = JpmCategory(**fields)
    assert made.model_dump_json() == validated.model_dump_json() and repr(made) == repr(validated)


def test_groups_folded_in_place_join_as_the_walk_over_their_children() -> None:
    """Every position of every ruleset (nested groups among them): the in-place fold against the index walk."""
    candidates, problems = load_candidates([ROOT / "fixtures" / "candidates"])
    assert candidates and not problems
    folded = nested = 0
    for ruleset_id in library().ids():
        try:
            ruleset = library().resolve(ruleset_id, DATES[0])
        except InputError:
            continue
        layouts = LayoutCache()
        for position in ruleset.positions:
            for decision in check_with(ruleset, position.id, candidates[:4], DATES[0], "reference", layouts).decisions:
                writer = decision.layout.compiled.get("line") or line._Writer(decision.layout)
                assert writer.folds is not None
                walked = line._Writer(decision.layout)
                walked.folds = None
                assert record_line(decision) == walked.line(decision) == model_line(decision)
                groups = {index for index, _any, _children in decision.layout.groups}
                folded += bool(groups)
                nested += any(set(children) & groups for _i, _any, children in decision.layout.groups)
    assert folded and nested
