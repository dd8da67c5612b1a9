"""A record composed from bytes (``sealed_members``) equals the one built from the decision's model, byte for byte.

The model-built draft encodes ``DecisionRecord.of(decision).model_dump(mode="json")`` and the record's candidate
member with RFC 8785 and seals each value on its own; the composed one joins the line, the dossier's text and
one draw of four salts. With the same salts every stored column and the chain hash must be the same bytes, for
fixtures, generated dossiers and dossiers whose texts hypothesis chooses (quotes, escapes, characters beyond the
BMP, written into the dossier's JSON text).
The line's piece-by-piece check must give ``fast_holds``'s verdict on any JSON orjson writes.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.audit.body import pieces_hold
from engine.audit.canonical import canonical, compose, fast_holds
from engine.audit.dossier import dossier_of
from engine.audit.ids import encode
from engine.audit.record import StoredRuleset, draft, place
from engine.audit.sealed import NOTE_KEYS, sealed_members
from engine.audit.snapshot import note_places
from engine.decide.decision import Decision
from engine.decide.pipeline import check_with
from engine.decide.record import DecisionRecord, record_line
from engine.load.intake import LoadedCandidate, load_candidates
from engine.load.library import load_library
from engine.load.rulefile import Ruleset

ROOT = Path(__file__).parent.parent
AS_OF = dt.date(2026, 12, 1)
GENERATED = sorted((ROOT / "fixtures" / "population" / "candidates").glob("*.json"))[600:900]
COMMON: dict[str, Any] = {"actor": "siti", "board": "BAPERJAKAT", "engine": "durable", "run_id": "01J"}
_library = load_library(ROOT / "rules")


def _ruleset(position: str) -> Ruleset:
    return _library.for_position(position, None, AS_OF)


def _decided(position: str, loaded: list[LoadedCandidate]) -> list[tuple[Decision, LoadedCandidate]]:
    run = check_with(_ruleset(position), position, loaded, AS_OF)
    by_file = {item.file: item for item in loaded}
    return [(decision, by_file[decision.candidate.file]) for decision in run.decisions]


def _same_record(decision: Decision, candidate: LoadedCandidate, stored: StoredRuleset, seed: int) -> bool:
    """Whether the composed draft is the model-built one (same salts), and placed, the same row; False when the
    composed path declined (the general path built both)."""
    dossier = dossier_of(candidate)
    line = record_line(decision)
    composed = sealed_members(decision, dossier, line, random.Random(seed).randbytes) is not None
    decided = DecisionRecord.of(decision).model_dump(mode="json")
    model = draft(decision, dossier, stored, random=random.Random(seed).randbytes, decided=decided, **COMMON)
    fast = draft(decision, dossier, stored, random=random.Random(seed).randbytes, line=line, **COMMON)
    assert fast == model
    at = (seed + 1, "01J" + "0" * 23, "2026-12-01T08:00:00.000000Z", "a" * 64)
    placed = place(model, *at)
    assert place(fast, *at) == placed
    placing = {"decision_id": canonical(at[1]), "recorded_at": canonical(at[2]), "seq": canonical(at[0])}
    assert placed["record"] == compose({**model.parts, **placing}).decode()  # the members written in their order
    return composed


def test_composed_records_of_generated_dossiers_are_the_model_built_ones() -> None:
    loaded, _problems = load_candidates(GENERATED)
    stored = StoredRuleset.of(_ruleset("administrator"))
    composed = [_same_record(d, c, stored, seed) for seed, (d, c) in enumerate(_decided("administrator", loaded))]
    assert sum(composed) > len(composed) // 2  # the composed path itself was exercised, not only its fallback


_texts = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12)  # no lone surrogate
_hand_made, _problems = load_candidates([ROOT / "fixtures" / "candidates"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(_hand_made, key=lambda item: item.file)),
    st.sampled_from(["administrator", "pengawas"]),
    st.fixed_dictionaries({"name": _texts, "instansi_id": _texts}),
    _texts,
    st.integers(0, 2**32),
)
def test_composed_records_equal_model_built_ones_whatever_the_texts(
    item: LoadedCandidate, position: str, texts: dict[str, str], file: str, seed: int
) -> None:
    candidate = item.candidate.model_copy(update=texts)
    [(decision, kept)] = _decided(position, [LoadedCandidate(file, candidate)])
    _same_record(decision, kept, StoredRuleset.of(_ruleset(position)), seed)


_keys = st.sampled_from(["values", "jpm", "id", "args", "code", "tmt", "birth", "assessment", "x", "é", "\U0001d4b3"])
_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)  # what orjson writes: past 2**53 too
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys | st.text(max_size=4), inner, max_size=5),
    max_leaves=30,
)


_short = st.text(st.characters(max_codepoint=0x7FF), max_size=8)  # beyond the BMP only now and then, as keys
_plain = st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | _short
# mostly numbers RFC 8785 writes as orjson does, so that whole lines often pass; the others break it
_scalars = st.one_of(
    _plain, _plain, _plain, _plain, st.integers(-(2**63), 2**64 - 1), st.floats(allow_nan=False, allow_infinity=False)
)
_line_values = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_keys, inner, max_size=4), max_leaves=12
)
_notes = st.fixed_dictionaries({"args": st.dictionaries(_keys, _scalars, max_size=3), "code": _short})
_notes_or_none = st.none() | st.none() | _notes
# Shaped like a record line, so that the places where it is cut (the facts' values, each requirement) occur.
_lines = st.builds(
    lambda missing, values, jpm, parts: orjson.dumps(
        {"facts": {"as_of": "2026-12-01", "missing": missing, "values": values}, "jpm": jpm, "requirements": parts},
        option=orjson.OPT_SORT_KEYS,
    ),
    st.dictionaries(_keys, _notes, max_size=3),
    st.dictionaries(_short | _keys, _scalars | _line_values | _notes, max_size=12),
    _line_values,
    st.lists(st.fixed_dictionaries({"id": _short, "note": _notes_or_none, "observed": _scalars}), max_size=4),
)


@settings(max_examples=1500, deadline=None)
@given(_lines | st.builds(lambda value: orjson.dumps(value, option=orjson.OPT_SORT_KEYS), _values))
def test_the_line_checked_piece_by_piece_gets_fast_holds_verdict(line: bytes) -> None:
    assert pieces_hold(line) == fast_holds(line, integers=True)
    assert pieces_hold(line) == pieces_hold(line)  # and again, from its memo
    if pieces_hold(line, 0, NOTE_KEYS):  # no note argument that might hold a quasi-identifier
        assert note_places(orjson.loads(line)) == []


@given(st.integers(0, 2**128 - 1))
def test_ulids_encode_5_bits_a_character(number: int) -> None:
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    assert encode(number) == "".join(alphabet[(number >> shift) & 31] for shift in range(125, -1, -5))


@given(st.integers(0, 2**32), st.integers(1, 20))
def test_salts_drawn_at_once_are_the_salts_drawn_one_by_one(seed: int, count: int) -> None:
    one_by_one = random.Random(seed)
    assert random.Random(seed).randbytes(16 * count) == b"".join(one_by_one.randbytes(16) for _ in range(count))


def test_a_note_among_the_facts_values_sends_the_line_the_general_way() -> None:
    note = {"args": {"tmt": "2020-01-01"}, "code": "odd"}
    facts = {"as_of": "2026-12-01", "missing": {}, "values": {"a": 1, "b": note}}
    line = orjson.dumps({"facts": facts, "jpm": None, "requirements": []}, option=orjson.OPT_SORT_KEYS)
    assert fast_holds(line, integers=True) and pieces_hold(line)
    assert not pieces_hold(line, 0, NOTE_KEYS)
