"""A streamed check's drafts made as a batch's columns (``BatchDrafter``, ``DraftBatch``) store exactly the rows of one
model-built draft per decision: same salts (one seeded source, drawn in the order the decisions come), same ids,
same clock; on SQLite and PostgreSQL; with the records that fall back to the general path (a note that may hold a
quasi-identifier) among the others in one batch. A store recorded this way verifies and replays IDENTICAL."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

from audit_support import rows
from cli_runner import run

from engine.audit.batch import BatchDrafter, DraftBatch
from engine.audit.body import splice_point
from engine.audit.dossier import Dossier, dossier_of
from engine.audit.ids import UlidFactory
from engine.audit.placing import COLUMNS, placed, placed_batch
from engine.audit.record import GENESIS, Draft, StoredRuleset, draft
from engine.audit.sealed import NOTE_KEYS
from engine.audit.store import Store
from engine.decide.decision import Decision
from engine.decide.pipeline import check_with
from engine.decide.record import DecisionRecord, record_line
from engine.load.intake import load_candidates
from engine.load.library import load_library

ROOT = Path(__file__).parent.parent
AS_OF = dt.date(2026, 12, 1)
MOMENT = dt.datetime(2026, 12, 1, 8, 30, tzinfo=dt.UTC)
RUN: dict[str, Any] = {"actor": "siti", "board": "BAPERJAKAT", "engine": "durable", "run_id": "01JRUN"}
GENERATED = sorted((ROOT / "fixtures" / "population" / "candidates").glob("*.json"))[1900:1960]
_library = load_library(ROOT / "rules")
_ruleset = _library.for_position("administrator", None, AS_OF)
STORED = StoredRuleset.of(_ruleset)


def _decided() -> list[tuple[Decision, Dossier]]:
    """Fixture dossiers (YAML and JSON, some with notes that may hold a quasi-identifier) and generated ones,
    interleaved so that records of both paths alternate within one batch."""
    fixtures, _ = load_candidates([ROOT / "fixtures" / "candidates"])
    generated, _ = load_candidates(GENERATED)
    loaded = [item for pair in zip(fixtures, generated, strict=False) for item in pair]
    by_file = {item.file: item for item in loaded}
    run_ = check_with(_ruleset, "administrator", loaded, AS_OF)
    return [(decision, dossier_of(by_file[decision.candidate.file])) for decision in run_.decisions]


DECIDED = _decided()
GENERAL = [splice_point(record_line(decision), decision, NOTE_KEYS) is None for decision, _ in DECIDED]


def _model_drafts(seed: int, run: dict[str, Any] = RUN) -> list[Draft]:
    """One draft per decision by the general path from the decision's model (no bytes reused), all salts drawn in
    turn from one source seeded with ``seed``."""
    salts = random.Random(seed).randbytes
    return [
        draft(
            decision, dossier, STORED, random=salts, decided=DecisionRecord.of(decision).model_dump(mode="json"), **run
        )
        for decision, dossier in DECIDED
    ]


def _batch(seed: int, run: dict[str, Any] = RUN) -> DraftBatch:
    drafter = BatchDrafter(STORED, random=random.Random(seed).randbytes, **run)
    for decision, dossier in DECIDED:
        drafter.add(decision, dossier, record_line(decision))  # each line drafted as it is written, as a run does
    return drafter.batch()


def test_the_batch_holds_records_of_both_paths_interleaved() -> None:
    assert 0 < sum(GENERAL) < len(GENERAL) // 2
    assert any(a != b for a, b in zip(GENERAL, GENERAL[1:], strict=False))  # the paths alternate


def test_a_batch_is_the_model_built_drafts_member_for_member() -> None:
    batch, model = _batch(7), _model_drafts(7)
    assert len(batch) == len(model) == len(DECIDED)
    for made, expected in zip(batch.drafts(), model, strict=True):
        assert made.parts == expected.parts
        assert made.personal == expected.personal
        assert made.columns == expected.columns
        assert made.ruleset == expected.ruleset


def test_a_batch_stores_the_rows_of_the_model_built_drafts(store_url: str) -> None:
    """Appended in two parts (the chain carries over), as the store holds them, against ``placed`` of the
    model-built drafts with the same ids: every column, the record's bytes and the chain hash."""
    batch, model = _batch(11), _model_drafts(11)
    cut = len(model) // 3
    with Store.open(store_url, create=True) as store:
        ids = UlidFactory(random=random.Random(3).randbytes)
        first = store.append(batch.picked(list(range(cut))), clock=lambda: MOMENT, new_id=ids)
        second = store.append(batch.picked(list(range(cut, len(model)))), clock=lambda: MOMENT, new_id=ids)
    expected_ids = UlidFactory(random=random.Random(3).randbytes)
    recorded_at = "2026-12-01T08:30:00.000000Z"
    head, prev = placed(model[:cut], 0, expected_ids.many(MOMENT, cut), recorded_at, GENESIS)
    tail, last = placed(model[cut:], cut, expected_ids.many(MOMENT, len(model) - cut), recorded_at, prev)
    expected = [dict(zip(COLUMNS, row, strict=True)) for row in head + tail]
    stored = rows(store_url)
    assert [{key: row[key] for key in COLUMNS} for row in stored] == expected
    assert (first.last, first.head, second.first, second.head) == (cut, prev, cut + 1, last)
    assert first.ids + second.ids == tuple(row["decision_id"] for row in expected)


def test_placing_a_batch_is_placing_its_drafts() -> None:
    """The per-append template keeps what its run shares as it is (a "%" is no format), and an id that is not
    26 plain characters is written as JSON."""
    run = {**RUN, "actor": "50%s %d", "board": 'Dewan "100%"'}
    batch = _batch(5, run)
    assert batch.drafts()[0].parts["actor"] == b'"50%s %d"'
    for ids in ([f"01J{i:023d}" for i in range(len(batch))], [f'id-{i}"\\\u00e9' for i in range(len(batch))]):
        moment = "2026-12-01T08:30:00.000000Z"
        assert placed_batch(batch, 7, ids, moment, "f" * 64) == placed(batch.drafts(), 7, ids, moment, "f" * 64)


def test_picking_keeps_the_chosen_drafts_in_their_order() -> None:
    batch = _batch(9)
    kept = [0, 2, 3, len(batch) - 1]
    assert batch.picked(kept).drafts() == [batch.drafts()[i] for i in kept]
    assert batch.picked(None) is batch
    assert len(batch.picked([])) == 0


def test_a_recorded_streamed_check_verifies_and_replays_identical(tmp_path: Path) -> None:
    """The check of a folder (fixtures, some records on the general path) and of a bundle, in two worker
    processes, recorded into one store: the chain verifies and every record replays IDENTICAL."""
    bundle = tmp_path / "b.jsonl"
    bundle.write_bytes(b"".join(json.dumps(json.loads(path.read_text())).encode() + b"\n" for path in GENERATED))
    db = str(tmp_path / "store.db")
    lines = 0
    for source, jobs in ((ROOT / "fixtures" / "candidates", "1"), (bundle, "2")):
        code, out, err = run(
            "check", str(source), "--position", "administrator", "--as-of", "2026-12-01", "--db", db,
            "--format", "jsonl", "--jobs", jobs, "--actor", "50% of siti",
        )  # fmt: skip
        assert code in (0, 1), err
        lines += out.count("\n")
    stored = rows(db)
    assert len(stored) == lines > len(GENERATED)
    assert any(" " in row["actor"] for row in stored)
    code, out, err = run("audit", "verify", "--db", db, "--format", "json")
    assert code == 0 and json.loads(out)["ok"] and json.loads(out)["records"] == len(stored), err
    code, out, err = run("replay", "--all", "--db", db, "--format", "json")
    assert code == 0, err
    replayed = json.loads(out)
    assert [r["seq"] for r in replayed] == [row["seq"] for row in stored]
    assert all(r["result"] == "IDENTICAL" and r["differences"] == [] for r in replayed)
