"""A record line its writer marks proven is RFC 8785 as written, and a record drafted from it is the reference one.

The writer (engine.decide.line) proves a line from the types of what it writes (engine.decide.proof) and names the
arguments of the notes it holds; the audit path then skips its piece-by-piece check of that line. The judges are
independent of the writer: the ``rfc8785`` package on the decoded line, ``note_places`` (the audit's own search of
a decoded decision for note arguments) and the draft made the general way, from the model's JSON, with the same
salts. Lines the writer must not mark (a float fact, an integer of 2**53 or more, a key beyond the BMP, a float
that RFC 8785 writes otherwise) keep today's check and their records come out as the general path makes them.
"""

from __future__ import annotations

import datetime as dt
import random
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import pytest
import rfc8785
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from population_support import generator

from engine.audit.body import splice_point
from engine.audit.dossier import dossier_of
from engine.audit.record import Draft, StoredRuleset, draft
from engine.audit.sealed import NOTE_KEYS, sealed_members
from engine.audit.snapshot import QUASI_NOTE_ARGS, note_places
from engine.compiler.layout import LayoutCache
from engine.decide.decision import Decision
from engine.decide.line import record_line
from engine.decide.pipeline import check_with
from engine.decide.proof import proven
from engine.decide.record import DecisionRecord
from engine.errors import InputError
from engine.facts.model import Facts, Note
from engine.load.candidate import Candidate
from engine.load.intake import LoadedCandidate, load_candidates
from engine.load.library import load_library
from engine.load.resolve import Library
from engine.load.rulefile import Ruleset

ROOT = Path(__file__).parent.parent
AS_OF = dt.date(2026, 12, 1)
COMMON: dict[str, Any] = {"actor": "siti", "board": "BAPERJAKAT", "engine": "durable", "run_id": "01J"}


@cache
def library() -> Library:
    return load_library(ROOT / "rules")


@cache
def rulesets() -> list[Ruleset]:
    """Every ruleset in force on AS_OF, overlays included: with their positions, every shipped layout."""
    found = []
    for ruleset_id in library().ids():
        try:
            found.append(library().resolve(ruleset_id, AS_OF))
        except InputError:
            continue
    return found


@cache
def fixtures() -> list[LoadedCandidate]:
    candidates, problems = load_candidates([ROOT / "fixtures" / "candidates"])
    assert candidates and not problems
    return candidates


def model_line(decision: Decision) -> bytes:
    return orjson.dumps(DecisionRecord.of(decision).model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)


def assert_proof_holds(line: bytes) -> bool:
    """If ``line`` is marked proven: it is RFC 8785 and names every note argument the audit would seal."""
    names = proven(line)
    if names is None:
        return False
    assert line == rfc8785.dumps(orjson.loads(line))
    decided = orjson.loads(line)
    assert {path[-1] for path, _value in note_places(decided)} <= names
    return True


def every_layout(candidates: list[LoadedCandidate], as_of: dt.date) -> tuple[int, int]:
    """Each candidate under every position of every ruleset: (lines, lines marked proven)."""
    lines = marked = 0
    for ruleset in rulesets():
        layouts = LayoutCache()
        for position in ruleset.positions:
            for decision in check_with(ruleset, position.id, candidates, as_of, "reference", layouts).decisions:
                line = record_line(decision)
                assert line == model_line(decision)
                lines += 1
                marked += assert_proof_holds(line)
    return lines, marked


def test_every_fixture_under_every_layout_is_marked_proven_and_is_rfc8785() -> None:
    lines, marked = every_layout(fixtures(), AS_OF)
    # the fixtures hold no float, no huge integer and no key beyond the BMP: every line is proven
    assert lines >= 15 * len(fixtures()) and marked == lines


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**31), as_of=st.dates(dt.date(2025, 1, 1), dt.date(2028, 12, 31)))
def test_generated_populations_under_every_layout_are_rfc8785_where_marked(seed: int, as_of: dt.date) -> None:
    dossiers = generator().generate(6, seed)
    candidates = [LoadedCandidate(name, Candidate.model_validate(data)) for name, data in dossiers]
    lines, marked = every_layout(candidates, as_of)
    assert lines and marked == lines


def changed(decision: Decision, **fields: Any) -> Decision:
    """``decision`` with some fields replaced (its facts with ``values``/``missing`` replaced, when given)."""
    facts = decision.facts
    if "values" in fields or "missing" in fields:
        facts = Facts(
            as_of=facts.as_of,
            values=fields.pop("values", facts.values),
            missing=fields.pop("missing", facts.missing),
            invalid=facts.invalid,
        )
    current = {name: getattr(decision, name) for name in Decision.model_fields}
    return Decision(**{**current, "facts": facts, **fields})


@cache
def administrator() -> tuple[list[tuple[Decision, LoadedCandidate]], StoredRuleset]:
    ruleset = library().for_position("administrator", None, AS_OF)
    run = check_with(ruleset, "administrator", fixtures(), AS_OF)
    by_file = {item.file: item for item in fixtures()}
    return [(d, by_file[d.candidate.file]) for d in run.decisions], StoredRuleset.of(ruleset)


def drafts(
    decision: Decision, loaded: LoadedCandidate, stored: StoredRuleset, line: bytes
) -> tuple[Draft | str, Draft | str]:
    """The draft made the general way (the model's JSON, RFC 8785) and the one made from ``line``, same salts; or
    the error each raised (RFC 8785 refuses an integer of 2**53 or more: no record can hold it)."""
    model_json = DecisionRecord.of(decision).model_dump(mode="json")
    made: list[Draft | str] = []
    for how in ({"decided": model_json}, {"line": line}):
        try:
            made.append(draft(decision, dossier_of(loaded), stored, random=random.Random(7).randbytes, **how, **COMMON))
        except ValueError as refused:
            made.append(repr(refused))
    return made[0], made[1]


def with_value(decision: Decision, key: str, value: Any) -> Decision:
    return changed(decision, values={**decision.facts.values, key: value})


def with_observed(decision: Decision, value: Any) -> Decision:
    """The first requirement without a fact spec (its value shown as it is) observing ``value``."""
    index = next(i for i, node in enumerate(decision.layout.nodes) if node.spec is None)
    return changed(decision, observed=(*decision.observed[:index], value, *decision.observed[index + 1 :]))


def with_note(decision: Decision, args: dict[str, str]) -> Decision:
    return changed(decision, missing={**decision.facts.missing, "zz_extra": Note(code="no_pak", args=args)})


# Decisions whose lines orjson writes but the writer must not mark: a float fact (even one RFC 8785 writes
# alike), integers of 2**53 or more in size, keys beyond the BMP, floats RFC 8785 writes otherwise.
NOT_PROVEN = {
    "a float fact": lambda d: with_value(d, "zz_float", 1.5),
    "an integral float fact": lambda d: with_value(d, "zz_float", 100.0),
    "a fact of 2**53": lambda d: with_value(d, "zz_int", 2**53),
    "a fact of -2**53": lambda d: with_value(d, "zz_int", -(2**53)),
    "an observed integer of 2**53": lambda d: with_observed(d, 2**53),
    "an observed integral float": lambda d: with_observed(d, 1.0),
    "an observed negative zero": lambda d: with_observed(d, -0.0),
    "an observed float in exponent form": lambda d: with_observed(d, 1e16),
    "a fact named beyond the BMP": lambda d: with_value(d, "zz_\U0001d4b3", 1),
    "a note argument named beyond the BMP": lambda d: with_note(d, {"\U0001d4b3": "x", "\uffff": "y"}),
    "a missing fact named beyond the BMP": lambda d: changed(
        d, missing={**d.facts.missing, "zz_\U0001d4b3": Note(code="no_pak"), "zz_\uffff": Note(code="no_pak")}
    ),
}


@pytest.mark.parametrize("case", NOT_PROVEN)
def test_what_the_writer_cannot_prove_is_not_marked_and_records_as_before(case: str) -> None:
    decided, stored = administrator()
    for decision, loaded in decided[:3]:
        odd = NOT_PROVEN[case](decision)
        line = record_line(odd)
        assert line == model_line(odd) and proven(line) is None
        general, fast = drafts(odd, loaded, stored, line)
        assert fast == general


ODD_TEXT = '\U0001d4b3 \u2028 \x7f \x1f \b \f \\ " / \ud7ff \ue000'  # escapes, and characters around the BMP's end
# Lines the old piece-by-piece check sent the general way (a 16-digit integer, a character beyond the BMP, a
# float in exponent form) that the writer proves: their records must still be the general path's.
PROVEN_NOW = {
    "a fact of 2**53 - 1": lambda d: with_value(d, "zz_int", 2**53 - 1),
    "a fact of -(2**53 - 1)": lambda d: with_value(d, "zz_int", -(2**53 - 1)),
    "a text beyond the BMP": lambda d: with_value(d, "zz_text", ODD_TEXT),
    "an observed float": lambda d: with_observed(d, 0.5),
    "an observed float RFC 8785 writes alike in exponent form": lambda d: with_observed(d, 1e21),
    "an observed integer of 2**53 - 1": lambda d: with_observed(d, 2**53 - 1),
}


@pytest.mark.parametrize("case", PROVEN_NOW)
def test_what_the_writer_proves_records_as_the_general_path_does(case: str) -> None:
    decided, stored = administrator()
    for decision, loaded in decided[:3]:
        odd = PROVEN_NOW[case](decision)
        line = record_line(odd)
        assert line == model_line(odd) and assert_proof_holds(line)
        general, fast = drafts(odd, loaded, stored, line)
        assert fast == general


def test_a_note_argument_that_may_identify_is_named_and_sealed_the_general_way() -> None:
    decided, stored = administrator()
    decision, loaded = decided[0]
    for name in sorted(QUASI_NOTE_ARGS):
        odd = with_note(decision, {name: "1980-01-01", "post": "ADMINISTRATOR"})
        plain = proven(record_line(decision))
        line = record_line(odd)
        assert plain is not None and proven(line) == frozenset({name, "post"}) | plain and assert_proof_holds(line)
        assert splice_point(line, odd, NOTE_KEYS) is None  # not composed from the line: a seal is needed
        assert sealed_members(odd, dossier_of(loaded), line, random.Random(7).randbytes) is None
        general, fast = drafts(odd, loaded, stored, line)
        assert isinstance(fast, Draft) and fast == general and name.encode() in fast.personal


def test_only_the_very_line_written_is_taken_as_proven() -> None:
    decided, _stored = administrator()
    decision = decided[0][0]
    line = record_line(decision)
    assert proven(line) is not None
    assert proven(bytes(bytearray(line))) is None  # equal bytes made elsewhere: checked as before
    assert proven(record_line(decision, prove=False)) is None
    for _ in range(10):  # kept for a few lines only
        record_line(decision)
    assert proven(line) is None


def test_what_is_looked_for_in_a_proven_line_but_no_note_argument_is_looked_for_as_bytes() -> None:
    decided, _stored = administrator()
    decision = decided[0][0]
    line = record_line(decision)
    assert proven(line) is not None and b'"status":' in line
    assert splice_point(line, decision, (b'"status":',)) is not None  # the key of no note argument
    assert splice_point(line, decision, (b'"status"',)) is None  # not a key's JSON: searched for in the line


def test_parts_kept_unproven_are_proven_once_a_line_asks() -> None:
    """A layout written without the proof first (an unrecorded run), then with it: what it kept is proven anew."""
    ruleset = library().for_position("administrator", None, AS_OF)
    decision = check_with(ruleset, "administrator", fixtures()[:1], AS_OF, "reference", LayoutCache()).decisions[0]
    odd = with_observed(decision, 2**53)  # a part RFC 8785 refuses, kept in the memo (an int)
    assert proven(record_line(odd, prove=False)) is None and proven(record_line(decision, prove=False)) is None
    line = record_line(odd)
    assert line == model_line(odd) and proven(line) is None
    assert assert_proof_holds(record_line(decision))


# Values for the generated decisions below: every JSON type, with the numbers and keys RFC 8785 writes otherwise.
TEXTS = st.text(st.characters(codec="utf-8"), max_size=6)
NUMBERS = st.one_of(
    st.integers(),
    st.integers(-(2**53) - 2, -(2**53) + 2),
    st.integers(2**53 - 2, 2**53 + 2),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1.0, -0.0, 1e16, 1e21, 1e-7, 5e-324, 0.1]),
)
VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), TEXTS, NUMBERS),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXTS, inner, max_size=3),
    max_leaves=6,
)
FACT_VALUES = st.one_of(NUMBERS, VALUES, st.decimals(allow_nan=False, allow_infinity=False), st.dates())
ARG_NAMES = st.one_of(st.sampled_from([*sorted(QUASI_NOTE_ARGS), "post", "\U0001d4b3"]), TEXTS)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.integers(0, 10_000),
    observed=st.one_of(st.none(), VALUES),
    facts=st.dictionaries(TEXTS, FACT_VALUES, max_size=3),
    args=st.one_of(st.none(), st.dictionaries(ARG_NAMES, TEXTS, max_size=3)),
)
def test_generated_values_are_rfc8785_wherever_the_writer_marks_them(
    which: int, observed: Any, facts: dict[str, Any], args: dict[str, str] | None
) -> None:
    decided, stored = administrator()
    decision, loaded = decided[which % len(decided)]
    odd = changed(decision, values={**decision.facts.values, **facts})
    if observed is not None:
        odd = with_observed(odd, observed)
    if args is not None:
        odd = with_note(odd, args)
    try:
        expected = model_line(odd)
    except (TypeError, ValueError):  # a value the model cannot write (a surrogate, an integer past 64 bits)
        return
    line = record_line(odd)
    assert line == expected
    assert_proof_holds(line)
    if args and not QUASI_NOTE_ARGS.isdisjoint(args):
        assert proven(line) is None or not QUASI_NOTE_ARGS.isdisjoint(proven(line) or ())
    general, fast = drafts(odd, loaded, stored, line)
    assert fast == general
