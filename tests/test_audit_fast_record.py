"""Every record composed from bytes is the model-built one, byte for byte: fixtures under several positions, a
slice of the generated population, the line proof's memo when it knows some pieces and not others, and decision
ids when one factory serves batches stamped with different moments."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import orjson
import pytest

from engine.audit.body import pieces_hold
from engine.audit.canonical import fast_holds
from engine.audit.dossier import dossier_of
from engine.audit.ids import UlidFactory, encode
from engine.audit.record import Draft, StoredRuleset, draft, place
from engine.audit.sealed import NOTE_KEYS
from engine.decide.pipeline import check_with
from engine.decide.record import DecisionRecord, record_line
from engine.load.intake import LoadedCandidate, load_candidates
from engine.load.library import load_library

ROOT = Path(__file__).parent.parent
AS_OF = dt.date(2026, 12, 1)
COMMON: dict[str, Any] = {"actor": "budi", "board": None, "engine": "durable", "run_id": "01K"}
_library = load_library(ROOT / "rules")
_fixtures, _ = load_candidates([ROOT / "fixtures" / "candidates"])


def _drafts(position: str, loaded: list[LoadedCandidate]) -> list[tuple[Draft, Draft, bool]]:
    """(model-built draft, draft composed from the line, whether the composed path was taken) per decision."""
    ruleset = _library.for_position(position, None, AS_OF)
    stored = StoredRuleset.of(ruleset)
    by_file = {item.file: item for item in loaded}
    out = []
    for seed, decision in enumerate(check_with(ruleset, position, loaded, AS_OF).decisions):
        dossier = dossier_of(by_file[decision.candidate.file])
        decided = DecisionRecord.of(decision).model_dump(mode="json")
        model = draft(decision, dossier, stored, random=random.Random(seed).randbytes, decided=decided, **COMMON)
        line = record_line(decision)
        fast = draft(decision, dossier, stored, random=random.Random(seed).randbytes, line=line, **COMMON)
        out.append((model, fast, pieces_hold(line, 0, NOTE_KEYS)))
    return out


def _assert_same(made: list[tuple[Draft, Draft, bool]]) -> None:
    prev = prev_fast = "0" * 64
    for seq, (model, fast, _) in enumerate(made, 1):
        assert fast.parts == model.parts and fast.personal == model.personal and fast.columns == model.columns
        at = (f"01K{seq:023d}", "2026-12-01T08:00:00.000000Z")
        row, row_fast = place(model, seq, *at, prev), place(fast, seq, *at, prev_fast)
        assert row_fast == row  # the record, the personal column and the chain hash, as stored
        prev, prev_fast = row["chain_hash"], row_fast["chain_hash"]


@pytest.mark.parametrize("position", ["administrator", "pengawas", "jpt-pratama", "pelaksana"])
def test_every_fixture_dossier_gives_the_same_record_either_way(position: str) -> None:
    made = _drafts(position, _fixtures)
    _assert_same(made)
    assert any(composed for _, _, composed in made)  # the composed path was taken, not only its fallback


def test_generated_dossiers_give_the_same_record_either_way() -> None:
    files = sorted((ROOT / "fixtures" / "population" / "candidates").glob("*.json"))[1200:1500]
    loaded, _ = load_candidates(files)
    made = _drafts("administrator", loaded)
    _assert_same(made)
    assert sum(composed for _, _, composed in made) > len(made) // 2


def _line(*requirements: Any) -> bytes:
    facts = {"as_of": "2026-12-01", "missing": {}, "values": {"a": 1}}
    return orjson.dumps({"facts": facts, "requirements": list(requirements)}, option=orjson.OPT_SORT_KEYS)


def test_the_line_proof_judges_known_and_new_pieces_together() -> None:
    """The memo answers for the pieces it knows in one pass; a new piece, or one known to fail, is judged on its
    own, in whatever order the pieces come."""
    plain = [{"id": f"r{i}", "note": None, "observed": i, "status": "pass"} for i in range(4)]
    exponent = {"id": "x", "note": None, "observed": 1e300, "status": "fail"}  # RFC 8785 writes it otherwise
    dated = {"id": "t", "note": {"args": {"tmt": "2020-01-01"}, "code": "c"}, "observed": None, "status": "missing"}
    new = {"id": "n", "note": None, "observed": 2.5, "status": "pass"}
    assert pieces_hold(_line(*plain), 0, NOTE_KEYS)  # every piece now known to hold
    for pieces in ([*plain, exponent], [exponent, *plain], [*plain, dated], [new, *plain], [*plain, new, exponent]):
        for _ in range(2):  # unknown the first time, known the second
            line = _line(*pieces)
            expected = fast_holds(line, integers=True) and not any(note in line for note in NOTE_KEYS)
            assert pieces_hold(line, 0, NOTE_KEYS) == expected
            assert pieces_hold(line) == fast_holds(line, integers=True)


def test_decision_ids_follow_each_batchs_moment() -> None:
    """One factory stamps many batches: each id carries its own moment, and ids still only increase."""
    make = UlidFactory(random.Random(7).randbytes)
    first = dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC)
    later = first + dt.timedelta(seconds=90)
    made = [make(moment) for moment in (first, first, later, dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC), later)]
    millis = [int(m.timestamp() * 1000) for m in (first, first, later)]
    assert [ident[:10] for ident in made[:3]] == [encode(ms << 80)[:10] for ms in millis]
    assert made == sorted(made) and len(set(made)) == len(made)
    assert made[3] > made[2]  # an earlier moment after a later one: still increasing, never reused
