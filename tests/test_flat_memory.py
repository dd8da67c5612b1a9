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
from audit_support import recorded_log
from cli_runner import run

from engine.audit.store import Store
from engine.audit.verify import SeenIds, entry_of_row, verify
from engine.errors import Problem
from engine.load.intake import plain_candidate
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
    return recorded_log(store_url, tmp_path / "in", 4)


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


FIXTURES = Path(__file__).parent.parent / "fixtures" / "candidates"


def _dossiers(n: int) -> list[dict[str, Any]]:
    """n dossiers under NIPs of their own, from the fixtures."""
    from engine.load.intake import load_candidates
    from engine.load.source import read_document

    loaded, _problems = load_candidates([FIXTURES])
    docs = [read_document(Path(c.file)) for c in loaded]
    data = [orjson.dumps(doc.data) for doc in docs if not isinstance(doc, Problem)]
    base = [orjson.loads(raw) for raw in data if plain_candidate("x.json", raw) is not None]
    return [{**base[i % len(base)], "nip": f"{199001012015011000 + i:018d}"} for i in range(n)]


def _stdin_text(n: int, newline: str = "\n") -> str:
    lines = [orjson.dumps(d).decode() for d in _dossiers(n)]
    lines[1] = '{"nip": 12}'  # a bad line: its problem names its line
    return newline.join(["", *lines[:3], "", *lines[3:]]) + newline


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("chunk", [7, 1000, 1 << 22])
def test_stdin_read_in_chunks_is_read_as_a_whole(newline: str, chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from engine.commands import candidates

    text = _stdin_text(12, newline)
    whole, whole_problems = candidates.parse_stream(text.replace("\r\n", "\n"))  # as sys.stdin reads it
    monkeypatch.setattr(candidates, "STDIN_CHUNK", chunk)
    monkeypatch.setattr("sys.stdin", io.StringIO(text.replace("\r\n", "\n")))
    problems: list[Any] = []
    streamed = list(candidates.stream_candidates([Path("-")], problems))
    assert [c.candidate for c in streamed] == [c.candidate for c in whole]
    assert problems == whole_problems and problems[0].line == 3  # the bad line, counted with the blank one


def test_stdin_is_decided_as_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from engine.commands import candidates

    monkeypatch.setattr(candidates, "STDIN_CHUNK", 1 << 16)

    def peak(n: int) -> int:
        text = _stdin_text(n)
        monkeypatch.setattr("sys.stdin", io.StringIO(text))

        def work() -> None:
            for _candidate in candidates.stream_candidates([Path("-")], []):
                pass

        sys_text = len(text)
        tracemalloc.start()
        try:
            work()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            assert sys_text

    # The text itself sits in a stream made before counting. What grows is the NIPs kept to refuse one given
    # twice, under a kilobyte a candidate; a candidate held costs about 17 kB (its validated model).
    assert peak(400) - peak(40) < 360 * 1_000


def test_a_population_hashed_on_disk_is_hashed_as_in_memory() -> None:
    from engine.commands.candidates import read_candidates
    from engine.report.dossier import Population, population_hash

    loaded, _problems = read_candidates([FIXTURES])
    population = Population()
    try:
        for start in range(0, len(loaded), 7):
            population.add(loaded[start : start + 7])
        assert population.count == len(loaded)
        assert population.digest() == population_hash(loaded)
    finally:
        population.close()
    empty = Population()
    try:
        assert empty.digest() == population_hash([])
    finally:
        empty.close()
