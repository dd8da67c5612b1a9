"""Appending to the store: the stored rows are those of the record format computed independently (RFC 8785 of the
members, SHA-256 of the previous hash and the record, ULIDs of the clock and the random bytes), on SQLite and
PostgreSQL; a failed append leaves nothing and the store appends on; SQLite's log stays small and is folded into
the file when the store closes."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import rfc8785
from audit_support import AS_OF, FIXTURES, rows

from engine.audit.connect import WAL_BYTES
from engine.audit.dossier import dossier_of
from engine.audit.ids import UlidFactory
from engine.audit.placing import COLUMNS, place
from engine.audit.record import Draft, StoredRuleset, draft
from engine.audit.schema import decisions
from engine.audit.store import Store
from engine.audit.verify import entry_of_row, verify
from engine.decide.pipeline import check
from engine.errors import InputError
from engine.load.intake import load_candidates
from engine.load.library import load_library

ROOT = Path(__file__).parent.parent
MOMENT = dt.datetime(2026, 12, 1, 8, 30, 15, 250000, tzinfo=dt.UTC)
STAMP = "2026-12-01T08:30:15.250000Z"
_CROCKFORD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", b"0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def _drafts() -> list[Draft]:
    """The fixture dossiers decided for two positions, drafted with seeded salts (3 rulesets' worth of records)."""
    loaded, _ = load_candidates([FIXTURES])
    library, as_of = load_library(ROOT / "rules"), dt.date.fromisoformat(AS_OF)
    by_key = {(c.file, c.candidate.nip): c for c in loaded}
    out = []
    for position in ("administrator", "pengawas"):
        run = check(library, position, loaded, as_of, backend="reference")
        stored = StoredRuleset.of(run.ruleset)
        for n, decision in enumerate(run.decisions):
            dossier = dossier_of(by_key[(decision.candidate.file, decision.candidate.nip)])
            salts = random.Random(n).randbytes
            made = draft(decision, dossier, stored, actor="budi", board="b-7", engine="x", run_id="r", random=salts)
            out.append(made)
    return out


DRAFTS = _drafts()


def _stream(seed: int) -> Callable[[int], bytes]:
    """Random bytes read in order from one seeded stream (what a draw of 10·k bytes and k draws of 10 share)."""
    data, at = random.Random(seed).randbytes(1 << 16), 0

    def take(n: int) -> bytes:
        nonlocal at
        at += n
        return data[at - n : at]

    return take


def _ulids(seed: int, moment: dt.datetime, count: int) -> list[str]:
    """ULIDs by the spec: 48 bits of milliseconds, 80 random bits, one more than the last when not above it;
    written in Crockford's base 32 (RFC 4648's base 32 of 20 bytes, letters swapped, the 6 leading zeros cut)."""
    draw, last, out = _stream(seed), -1, []
    for _ in range(count):
        value = (int(moment.timestamp() * 1000) << 80) | int.from_bytes(draw(10), "big")
        last = value if value > last else last + 1
        out.append(base64.b32encode(last.to_bytes(20, "big")).translate(_CROCKFORD).decode()[6:])
    return out


def _expected(drafts: list[Draft], ids: list[str], stamp: str) -> list[dict[str, Any]]:
    """The rows of the record format: every member of the draft plus the three the store gives, RFC 8785 by the
    reference implementation; the chain hash over the previous one's hex ‖ the record."""
    out, prev = [], "0" * 64
    for seq, (item, ident) in enumerate(zip(drafts, ids, strict=True), 1):
        members = {key: orjson.loads(value) for key, value in item.parts.items()}
        record = rfc8785.dumps({**members, "decision_id": ident, "recorded_at": stamp, "seq": seq})
        chained = hashlib.sha256(prev.encode() + record).hexdigest()
        out.append(
            {**item.columns, "seq": seq, "decision_id": ident, "recorded_at": stamp, "record": record.decode(),
             "personal": item.personal.decode(), "prev_hash": prev, "chain_hash": chained}
        )  # fmt: skip
        prev = chained
    return out


def test_the_placed_columns_are_the_tables() -> None:
    assert sorted(COLUMNS) == sorted(column.name for column in decisions.c)
    assert len(set(COLUMNS)) == len(COLUMNS)


def test_ids_drawn_at_once_are_the_ids_drawn_one_by_one() -> None:
    zero = UlidFactory(random=lambda n: b"\0" * n)
    moment = dt.datetime.fromtimestamp(1469918176.385, dt.UTC)  # the ULID spec's example time: 01ARYZ6S41
    assert zero.many(moment, 3) == ["01ARYZ6S41" + "0" * 15 + last for last in "012"]
    assert zero(moment) == "01ARYZ6S41" + "0" * 15 + "3"  # one factory: calls and batches share one sequence
    at_once, one_by_one = UlidFactory(_stream(5)), UlidFactory(_stream(5))
    made = at_once.many(MOMENT, 40) + at_once.many(MOMENT, 0) + at_once.many(MOMENT, 9)
    assert made == [one_by_one(MOMENT) for _ in range(49)] == _ulids(5, MOMENT, 49)


@pytest.mark.parametrize("chunk", [500, 7])
def test_stored_rows_are_the_record_format_computed_independently(store_url: str, chunk: int) -> None:
    half = len(DRAFTS) // 2
    with Store.open(store_url, create=True) as store:
        ids = UlidFactory(_stream(11))
        first = store.append(DRAFTS[:half], clock=lambda: MOMENT, new_id=ids, chunk=chunk)
        second = store.append(DRAFTS[half:], clock=lambda: MOMENT, new_id=ids, chunk=chunk)
    made = _ulids(11, MOMENT, len(DRAFTS))
    expected = _expected(DRAFTS, made, STAMP)
    assert rows(store_url) == expected
    assert (first.first, first.last, second.first, second.last) == (1, half, half + 1, len(DRAFTS))
    assert first.ids + second.ids == tuple(made) and second.head == expected[-1]["chain_hash"]
    at = [(r["seq"], r["decision_id"], STAMP, r["prev_hash"]) for r in expected]
    placed = [place(d, *where) for d, where in zip(DRAFTS, at, strict=True)]
    assert placed == expected  # one at a time, as tests and tools place a draft


def _failing(after: int) -> Iterator[Draft]:
    yield from DRAFTS[:after]
    raise RuntimeError("the drafts stopped coming")


def test_a_failed_append_leaves_nothing_and_the_store_appends_on(store_url: str) -> None:
    with Store.open(store_url, create=True) as store:
        store.append(DRAFTS[:3], clock=lambda: MOMENT)
        head = store.head()
        with pytest.raises(RuntimeError):  # the first chunk of 5 is inserted before the drafts stop
            store.append(_failing(8), clock=lambda: MOMENT, chunk=5)
        taken = rows(store_url)[0]["decision_id"]
        with pytest.raises(InputError) as refused:
            store.append(DRAFTS[:4], clock=lambda: MOMENT, new_id=_Reusing(taken), chunk=2)
        assert "unique" in refused.value.problems[0].message.lower()
        assert store.head() == head and store.count() == 3
        done = store.append(DRAFTS[3:9], clock=lambda: MOMENT)
    stored = rows(store_url)
    assert (done.first, done.last) == (4, 9) and [r["seq"] for r in stored] == list(range(1, 10))
    with Store.open(store_url, read_only=True) as store:
        assert verify([entry_of_row(r) for r in store.rows()], store.ruleset_bodies()).ok


class _Reusing(UlidFactory):
    """Gives a fresh id, then the id of a stored record (the schema must refuse it)."""

    def __init__(self, taken: str) -> None:
        super().__init__()
        self.taken = taken

    def many(self, moment: dt.datetime, count: int) -> list[str]:
        return [*super().many(moment, count - 1), self.taken]


def test_the_log_stays_small_while_recording_and_the_file_alone_holds_every_record(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    wal = tmp_path / "audit.db-wal"
    largest = 0
    with Store.open(str(db), create=True) as store:
        for _ in range(12):  # ~7 KB a record: about twice the size at which the log is checkpointed
            store.append(DRAFTS * 2, clock=lambda: MOMENT)
            largest = max(largest, wal.stat().st_size)
        one_append = sum(len(r["record"]) + len(r["personal"]) for r in rows(str(db))[: len(DRAFTS) * 2])
    assert 0 < largest <= WAL_BYTES + 2 * one_append
    assert not wal.exists()  # closing folded the log into the file
    copy = tmp_path / "copy" / "audit.db"
    copy.parent.mkdir()
    shutil.copy(db, copy)  # the file alone, as someone copying the store after a run would
    with Store.open(str(copy), read_only=True) as store:
        assert store.count() == 12 * 2 * len(DRAFTS)
        assert verify([entry_of_row(r) for r in store.rows()], store.ruleset_bodies()).ok
