"""Stores that cannot take a write refuse clearly and keep exactly what they held (bench/faults.py: the full run)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_runner import run

import engine.audit.store as store_module
from engine.audit.record import Draft
from engine.audit.store import Store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "candidates"
ARGS = ("--position", "administrator", "--as-of", "2026-12-01")


def held(db: str) -> list[str]:
    with Store.open(db) as store:
        return [r["chain_hash"] for r in store.rows(full=False)]


def verifies(db: str) -> bool:
    code, out, _err = run("audit", "verify", "--db", db, "--format", "json")
    return code == 0 and json.loads(out)["records"] == len(held(db))


def test_a_locked_store_is_refused_clearly_and_left_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "audit.db")
    assert run("check", str(FIXTURES), *ARGS, "--db", db)[0] == 0
    before = held(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock past the busy timeout
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.2)
    try:
        code, _out, err = run("check", str(FIXTURES), *ARGS, "--db", db)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 3 and "audit.db" in err and "locked" in err and "Traceback" not in err
    monkeypatch.undo()
    assert held(db) == before and verifies(db)


def test_a_batch_failing_midway_records_nothing(store_url: str) -> None:
    assert run("check", str(FIXTURES), *ARGS, "--db", store_url)[0] == 0
    before = held(store_url)
    with Store.open(store_url) as store:
        rows = list(store.rows())
    with Store.open(store_url) as store:
        drafts = _drafts_like(rows)

        def failing() -> Iterator[Draft]:
            for number, item in enumerate(drafts):
                if number == 25:
                    raise OSError("disk went away")
                yield item

        with pytest.raises(OSError):
            store.append(failing(), chunk=10)  # 20 rows were inserted in this transaction, then it failed
    assert held(store_url) == before and verifies(store_url)


def _drafts_like(rows: list[dict[str, object]]) -> list[Draft]:
    """Drafts re-made from stored records (the simplest source of valid drafts for a store test)."""
    import datetime as dt

    from engine.audit.record import StoredRuleset, draft
    from engine.audit.snapshot import snapshot
    from engine.decide.pipeline import check
    from engine.load.intake import load_candidates
    from engine.load.library import load_library

    loaded, _ = load_candidates([FIXTURES])
    decided = check(load_library(ROOT / "rules"), "administrator", loaded, dt.date(2026, 12, 1), backend="reference")
    by_key = {(c.file, c.candidate.nip): c.candidate for c in loaded}
    stored = StoredRuleset.of(decided.ruleset)
    return [
        draft(
            d,
            snapshot(by_key[(d.candidate.file, d.candidate.nip)]),
            stored,
            actor="t",
            board=f"b{n}",
            engine="reference",
            run_id="t",
        )
        for n, d in enumerate(decided.decisions)
    ][: len(rows)]
