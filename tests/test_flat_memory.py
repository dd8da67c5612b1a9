"""Flat memory on long outputs: rows past a limit are spilled to a file and printed as `emit` prints them;
an export's decision ids past a limit are kept on disk; neither grows with the number of items."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import random
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from audit_support import AS_OF, batch
from cli_runner import run

from engine.audit.store import Store
from engine.audit.verify import SeenIds, entry_of_row, verify
from engine.present import spill
from engine.present.render import Report, Table, emit
from engine.present.spill import Spool, emit_spooled

FORMATS = ("table", "markdown", "csv", "json")
# Cells that make tables wrap (prose, hyphenated words, paths, long identifiers), Markdown escape (pipes,
# newlines), CSV quote (commas, quotes, newlines) and JSON escape.
WORDS = [
    "eligible",
    "not-eligible",
    "experience-pengawas",
    "kompetensi teknis",
    "/tmp/pop/d100000/000123-pelaksana-ani.json",
    "197504291995121000",
    "x" * 40,
    "Ñoño",
    "a|b",
    "line\nbreak",
    'say "so", then',
    "",
]


def _rows(n: int, seed: int = 7) -> list[dict[str, Any]]:
    rnd = random.Random(seed)

    def words(most: int) -> str:
        return " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(0, most)))

    return [
        {"seq": i, "decision id": f"{rnd.choice(WORDS)}{i}", "name": words(6), "result": words(1), "recorded": words(3)}
        for i in range(1, n + 1)
    ]


def _spooled(rows: list[dict[str, Any]], fmt: str, limit: int, chunk: int) -> Callable[[], None]:
    def write() -> None:
        with Spool(limit, chunk) as spool:
            for row in rows:
                spool.add(row)
            assert spool.spilled == (len(rows) > limit)
            emit_spooled(spool, fmt, "en")

    return write


@pytest.mark.parametrize("fmt", FORMATS)
def test_spilled_rows_print_as_the_rows_held_in_memory(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    rows = _rows(400)
    emit(Report(data=rows, tables=[Table(rows)]), fmt, "en")
    held = capsys.readouterr().out
    # chunks that do not divide the rows, one chunk for all, rows held (never spilled)
    for limit, chunk in ((50, 37), (10, 500), (1000, 100)):
        _spooled(rows, fmt, limit, chunk)()
        assert capsys.readouterr().out == held, (limit, chunk)


def _peak(work: Callable[[], None]) -> int:
    tracemalloc.start()
    try:
        with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
            work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_spool_holds_no_more_for_ten_times_the_rows() -> None:
    small, large = _rows(2_000), _rows(20_000)
    before = _peak(_spooled(small, "json", 500, 500))
    after = _peak(_spooled(large, "json", 500, 500))
    # rows held in a list until the end would take ten times the memory
    assert after < 1.5 * before


def test_seen_ids_spill_to_a_file_and_still_find_every_reuse() -> None:
    seen = SeenIds(limit=100)
    try:
        assert [seen(f"id-{i}", i) for i in range(1, 1001)] == [None] * 1000
        assert seen.db is not None and len(seen.held) < 100
        # reuses of ids on disk and of ids still in memory, each naming the first use
        assert [seen(f"id-{i}", 2000 + i) for i in (1, 500, 999, 1000)] == [1, 500, 999, 1000]
    finally:
        seen.close()
    assert seen.spill is None


def test_seen_ids_hold_no_more_for_ten_times_the_ids() -> None:
    def remember(n: int) -> Callable[[], None]:
        def work() -> None:
            seen = SeenIds(limit=1_000)
            for i in range(n):
                seen(f"{i:064x}", i)
            seen.close()

        return work

    before, after = _peak(remember(4_000)), _peak(remember(40_000))
    assert after < 1.5 * before  # a dict of every id would take ten times the memory


@pytest.fixture
def log(store_url: str, tmp_path: Path) -> str:
    folder = batch(tmp_path / "in", 4)
    for position in ("administrator", "pengawas"):
        code, _o, err = run("check", str(folder), "--position", position, "--as-of", AS_OF, "--db", store_url)
        assert code == 0, err
    return store_url


def test_an_export_reusing_an_id_is_found_alike_spilled_or_not(log: str) -> None:
    with Store.open(log) as store, store.snapshot():
        entries, rulesets = [entry_of_row(row) for row in store.rows()], store.ruleset_bodies()
    first = orjson.loads(entries[0].record)["decision_id"]
    record = orjson.loads(entries[6].record)
    record["decision_id"] = first
    entries[6] = dataclasses.replace(entries[6], record=orjson.dumps(record).decode())
    held = verify(entries, rulesets)
    spilled = verify(entries, rulesets, spill_after=2)
    assert [(f.seq, f.code, f.args) for f in spilled.findings] == [(f.seq, f.code, f.args) for f in held.findings]
    assert ("duplicate_id", {"id": first, "other": 1}) in [(f.code, f.args) for f in spilled.findings if f.seq == 7]


@pytest.mark.parametrize("fmt", FORMATS)
def test_replay_all_prints_the_same_when_its_rows_are_spilled(
    log: str, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = run("replay", "--all", "--db", log, "--format", fmt)
    monkeypatch.setattr(spill, "SPILL_AFTER", 3)
    monkeypatch.setattr(spill, "CHUNK", 2)
    spilled = run("replay", "--all", "--db", log, "--format", fmt)
    assert held[0] == 0 and spilled == held
