"""A draft made from the decision's JSON line (the streamed check's way) equals the one made from the model.

The model-built draft encodes ``DecisionRecord.of(decision).model_dump(mode="json")`` with RFC 8785; the
fast one swaps the candidate inside ``record_line(decision)``. With the same salts, every stored column and
the chain hash must be the same bytes; where the line is not canonical JSON, the fast path must notice.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path
from typing import Any

import orjson
import pytest
import rfc8785

from engine.audit.body import spliced
from engine.audit.dossier import dossier_of
from engine.audit.ids import salt_bytes
from engine.audit.record import StoredRuleset, draft, place
from engine.audit.replay import replay
from engine.audit.store import Store
from engine.decide.decision import Decision
from engine.decide.pipeline import check_with
from engine.decide.record import DecisionRecord, record_line
from engine.load.intake import LoadedCandidate, load_candidates
from engine.load.library import load_library

ROOT = Path(__file__).parent.parent
AS_OF = dt.date(2026, 12, 1)
HAND_MADE = [ROOT / "fixtures" / "candidates"]
SIASN = [ROOT / "fixtures" / "siasn" / "expected"]
GENERATED = sorted((ROOT / "fixtures" / "population" / "candidates").glob("*.json"))[:600]


def _decided(position: str, files: list[Path]) -> tuple[list[tuple[Decision, LoadedCandidate]], StoredRuleset]:
    loaded, _problems = load_candidates(files)
    ruleset = load_library(ROOT / "rules").for_position(position, None, AS_OF)
    run = check_with(ruleset, position, loaded, AS_OF)
    by_file = {item.file: item for item in loaded}
    return [(decision, by_file[decision.candidate.file]) for decision in run.decisions], StoredRuleset.of(ruleset)


def _both(
    decision: Decision, loaded: LoadedCandidate, stored: StoredRuleset, line: bytes, seed: int, decided: dict[str, Any]
) -> tuple[Any, Any]:
    """The draft from ``decided`` (a JSON value, encoded by RFC 8785) and the one from ``line``, same salts."""
    common: dict[str, Any] = {"actor": "siti", "board": "BAPERJAKAT", "engine": "durable", "run_id": "01J"}
    dossier = dossier_of(loaded)
    model = draft(decision, dossier, stored, random=random.Random(seed).randbytes, decided=decided, **common)
    fast = draft(decision, dossier, stored, random=random.Random(seed).randbytes, line=line, **common)
    return model, fast


def _model_json(decision: Decision) -> dict[str, Any]:
    return DecisionRecord.of(decision).model_dump(mode="json")


@pytest.mark.parametrize(
    ("position", "files"),
    [
        ("administrator", HAND_MADE),
        ("pengawas", HAND_MADE),
        ("administrator", SIASN),
        ("pengawas", SIASN),
        ("administrator", GENERATED),
        ("pengawas", GENERATED),
    ],
)
def test_the_line_built_record_is_the_model_built_one_byte_for_byte(position: str, files: list[Path]) -> None:
    decided, stored = _decided(position, files)
    assert decided
    fast_paths = 0
    for seed, (decision, loaded) in enumerate(decided):
        line = record_line(decision)
        assert orjson.loads(line) == _model_json(decision)  # what the line is, by its owner's promise
        model, fast = _both(decision, loaded, stored, line, seed, _model_json(decision))
        assert fast == model
        placed = place(model, seed + 1, f"01J{seed:023d}", "2026-12-01T08:00:00.000000Z", "0" * 64)
        assert place(fast, seed + 1, f"01J{seed:023d}", "2026-12-01T08:00:00.000000Z", "0" * 64) == placed
        markers = orjson.loads(fast.parts["decision"])["candidate"]
        assert orjson.loads(placed["record"])["decision"]["candidate"] == markers
        fast_paths += spliced(line, decision, markers) is not None
    assert fast_paths > 0  # the swap itself was exercised, not only its fallback


# Lines orjson writes but RFC 8785 writes otherwise: each must send the draft the reference way.
NOT_CANONICAL = [
    ("an integral float", b'"as_of_day":29.0'),
    ("a float in exponent form", b'"as_of_day":1.5e+300'),
    ("a small float in exponent form", b'"as_of_day":1.5e-07'),
    ("a negative zero", b'"as_of_day":-0.0'),
    ("a key beyond the BMP", b'"as_of_day":29,"\xf0\x9d\x92\xb3":1'),
]


@pytest.mark.parametrize(("case", "member"), NOT_CANONICAL, ids=[case for case, _m in NOT_CANONICAL])
def test_a_line_that_is_not_canonical_is_encoded_the_reference_way(case: str, member: bytes) -> None:
    decided, stored = _decided("administrator", HAND_MADE)
    decision, loaded = decided[0]
    line = record_line(decision)
    assert b'"as_of_day":' in line, case
    start = line.index(b'"as_of_day":')
    end = line.index(b",", start)
    changed = line[:start] + member + line[end:]
    assert spliced(changed, decision, {k: {"sealed": "0" * 64} for k in ("file", "name", "nip")}) is None
    model, fast = _both(decision, loaded, stored, changed, 3, orjson.loads(changed))
    assert fast == model
    body = orjson.loads(fast.parts["decision"])
    assert fast.parts["decision"] == rfc8785.dumps(body)


def test_an_integer_past_2_53_is_refused_as_before() -> None:
    decided, stored = _decided("administrator", HAND_MADE)
    decision, loaded = decided[0]
    line = record_line(decision).replace(b'"as_of_day":', b'"as_of_day":%d,"x":' % 2**60, 1)
    assert spliced(line, decision, {k: {"sealed": "0" * 64} for k in ("file", "name", "nip")}) is None
    with pytest.raises(rfc8785.IntegerDomainError):
        draft(decision, dossier_of(loaded), stored, actor="a", board=None, engine="x", run_id="r", line=line)


def test_a_line_of_another_candidate_is_not_swapped() -> None:
    decided, _stored = _decided("administrator", HAND_MADE)
    (first, _a), (second, _b) = decided[:2]
    assert spliced(record_line(second), first, {k: {"sealed": "0" * 64} for k in ("file", "name", "nip")}) is None


def test_salts_differ_between_a_forked_child_and_its_parent() -> None:
    salt_bytes(16)  # the parent holds a page of random bytes when it forks
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child only reports its salt
        os.write(writer, salt_bytes(16))
        os._exit(0)
    os.close(writer)
    theirs = os.read(reader, 16)
    os.close(reader)
    os.waitpid(child, 0)
    assert len(theirs) == 16
    assert theirs != salt_bytes(16)


def loaded_text(record: dict[str, Any]) -> bytes:
    text: str = record["candidate"]["dossier"]
    return text.encode()


def test_a_replayed_decision_is_recorded_the_same_either_way(tmp_path: Path) -> None:
    decided, stored = _decided("pengawas", HAND_MADE)
    with Store.open(str(tmp_path / "log.db"), create=True) as store:
        made = [
            draft(decision, dossier_of(loaded), stored, actor="a", board=None, engine="durable", run_id="r")
            for decision, loaded in decided
        ]
        store.append(made)
        items = list(replay(store.rows(), store.ruleset_body))
    assert len(items) == len(decided)
    for seed, item in enumerate(items):
        assert item.decision is not None and item.identical
        assert item.dossier is not None and item.dossier.text == loaded_text(item.record)
        snap = item.dossier
        common: dict[str, Any] = {"actor": "b", "board": None, "engine": "durable", "run_id": "s"}
        model = draft(
            item.decision,
            snap,
            stored,
            random=random.Random(seed).randbytes,
            decided=_model_json(item.decision),
            replay_of=item.decision_id,
            **common,
        )
        fast = draft(
            item.decision, snap, stored, random=random.Random(seed).randbytes, replay_of=item.decision_id, **common
        )
        assert fast == model
