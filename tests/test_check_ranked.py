"""`check --format csv|json` streamed: byte for byte the in-memory run's report, the full ranking spilled to disk."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
from pathlib import Path

import orjson
import pytest
from audit_support import rows
from cli_runner import run
from hypothesis import given
from hypothesis import strategies as st

from engine.commands.candidates import read_candidates
from engine.decide.pipeline import check
from engine.load.library import load_library
from engine.present import ranking, spill
from engine.present.ranking import ExternalSort
from engine.present.render import render
from engine.present.views import check_output

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "fixtures" / "candidates"
POPULATION = ROOT / "fixtures" / "population" / "candidates"
AS_OF = dt.date(2026, 12, 1)
CHECK = ("check", "--position", "administrator", "--as-of", str(AS_OF), "--no-record")


def in_memory(paths: list[Path], fmt: str, lang: str = "en") -> str:
    """What `check` printed before it streamed csv and json: every candidate read, decided, ranked, rendered."""
    candidates, problems = read_candidates(paths)
    whole = check(load_library(ROOT / "rules"), "administrator", candidates, AS_OF)
    whole.problems[:0] = problems
    return render(check_output(whole, lang), fmt, lang) + "\n"


def mixed(folder: Path) -> list[Path]:
    """Inputs with every kind of problem the report lists: a file that does not parse, a NIP given twice (in
    files and in a bundle, and after a file refused for its waiver), a waiver of no requirement, an invalid bundle
    line; a bundle between two folders."""
    first, second = folder / "a", folder / "z"
    first.mkdir()
    second.mkdir()
    for source in sorted(FIXTURES.glob("*.yaml"))[:12]:
        shutil.copy(source, first / source.name)
    shutil.copy(FIXTURES / "indra-kurniawan.yaml", first / "indra-kurniawan.yaml")
    (first / "broken.yaml").write_text("nip: [broken\n")
    text = (FIXTURES / "indra-kurniawan.yaml").read_text()
    waiver = text.replace("position: jpt-pratama", "position: administrator").replace("max-age", "no-such-rule")
    (first / "zz-waiver.yaml").write_text(re.sub(r"^nip: .*$", "nip: '199001012015011999'", waiver, flags=re.M))
    shutil.copy(first / "indra-kurniawan.yaml", second / "copy.yaml")
    # a valid dossier under the NIP of the one refused for its waiver: given twice all the same
    (second / "waiver-copy.yaml").write_text(re.sub(r"^nip: .*$", "nip: '199001012015011999'", text, flags=re.M))
    dossiers = sorted(POPULATION.iterdir())[:30]
    lines = [orjson.dumps(orjson.loads(p.read_bytes())) for p in dossiers if p.suffix == ".json"]
    assert len(lines) > 10, "the population fixture holds JSON dossiers"
    bundle = folder / "b.jsonl"
    bundle.write_bytes(b"\n".join([*lines, b'{"nip": 3}', lines[4]]) + b"\n")
    return [first, bundle, second]


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_fixtures_print_the_in_memory_report(monkeypatch: pytest.MonkeyPatch, fmt: str, jobs: str) -> None:
    monkeypatch.setattr(ranking, "RUN", 5)  # ten runs on disk, merged
    code, out, err = run(*CHECK, str(FIXTURES), "--format", fmt, "--jobs", jobs)
    assert code == 0, err
    assert out == in_memory([FIXTURES], fmt)


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_a_table_of_every_row_is_spooled(monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    """``--top 0``: every row, ranked on disk and rendered from the spool, as the in-memory table is."""
    monkeypatch.setattr(ranking, "RUN", 6)
    monkeypatch.setattr(spill, "SPILL_AFTER", 10)
    monkeypatch.setattr(spill, "CHUNK", 7)
    code, out, err = run(*CHECK, str(FIXTURES), "--format", fmt, "--top", "0", "--jobs", "2")
    assert code == 0, err
    assert out == in_memory([FIXTURES], fmt)
    assert "showing the best" not in err


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_problems_come_in_the_in_memory_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fmt: str) -> None:
    monkeypatch.setattr(ranking, "RUN", 4)
    paths = mixed(tmp_path)
    code, out, err = run(*CHECK, *map(str, paths), "--format", fmt, "--jobs", "2", "--lang", "id")
    assert code == 3, err
    assert out == in_memory(paths, fmt, "id")
    if fmt == "json":
        codes = [p["code"] for p in json.loads(out)["problems"]]
        assert codes[-1] == "bad_waiver" and codes.count("duplicate_candidate") == 3
        assert "syntax_error" in codes and "candidate_invalid" in codes


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_generated_population_spilled_in_runs(monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    monkeypatch.setattr(ranking, "RUN", 150)
    code, out, err = run(*CHECK, str(POPULATION), "--format", fmt, "--jobs", "2")
    assert code == 0, err
    expected = in_memory([POPULATION], fmt)
    assert out == expected
    assert len(expected.splitlines()) > 2000


def test_spilling_changes_nothing() -> None:
    """The same population held whole in memory and spilled every three entries gives the same bytes."""
    whole = run(*CHECK, str(FIXTURES), "--format", "json", "--jobs", "1")
    ranking.RUN, kept = 3, ranking.RUN
    try:
        spilled = run(*CHECK, str(FIXTURES), "--format", "json", "--jobs", "1")
    finally:
        ranking.RUN = kept
    assert whole == spilled


@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(-2, 2)), max_size=60),
    st.integers(1, 8),
)
def test_external_sort_is_the_stable_sort(keys: list[tuple[int, int]], limit: int) -> None:
    """Best first by key; equal keys in arrival order, across the runs on disk and the list in memory."""
    entries = ExternalSort(limit)
    for index, key in enumerate(keys):
        entries.add(key, index)
    try:
        assert list(entries.sorted()) == sorted(range(len(keys)), key=lambda i: keys[i])
        assert len(entries.runs) == len(keys) // limit
    finally:
        entries.close()


def test_ties_across_runs_keep_arrival_order() -> None:
    entries = ExternalSort(2)
    for name in "abcdefg":
        entries.add((0,), name)
    entries.add((-1,), "first")
    assert list(entries.sorted()) == ["first", *"abcdefg"]
    entries.close()


@pytest.mark.parametrize("folder", [FIXTURES, POPULATION], ids=["in-process", "workers"])
def test_recorded_json_gives_each_entry_its_own_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: Path
) -> None:
    """Recorded batch by batch in file order, each entry still names the record of its own decision."""
    monkeypatch.setattr(ranking, "RUN", 7 if folder == FIXTURES else 300)
    db = str(tmp_path / "a.db")
    args = ("check", str(folder), "--position", "administrator", "--as-of", str(AS_OF), "--db", db)
    code, out, err = run(*args, "--format", "json", "--jobs", "2")
    assert code == 0, err
    entries = json.loads(out)["decisions"]
    stored = {int(r["seq"]): r for r in rows(db)}
    assert sorted(e["seq"] for e in entries) == sorted(stored) == list(range(1, len(entries) + 1))
    for entry in entries:
        record = stored[entry["seq"]]
        assert record["decision_id"] == entry["decision_id"]
        assert record["nip"] == entry["decision"]["candidate"]["nip"]
        assert record["verdict"] == entry["decision"]["verdict"]
    # the records are in file order, as a streamed run appends them
    file_of = {e["decision"]["candidate"]["nip"]: e["decision"]["candidate"]["file"] for e in entries}
    files = [file_of[stored[seq]["nip"]] for seq in sorted(stored)]
    assert files == sorted(files)
    # apart from where each decision is recorded, the report is the unrecorded one
    _code, plain, _err = run(*CHECK, str(folder), "--format", "json")
    for entry in entries:
        entry["seq"] = entry["decision_id"] = None
    assert entries == json.loads(plain)["decisions"]


def test_shuffled_arrival_ranks_the_same() -> None:
    """The ranking depends on the keys, not on the order the batches bring them (distinct keys)."""
    keys = [(v, n) for v in range(3) for n in range(20)]
    shuffled = random.Random(7).sample(keys, len(keys))
    entries = ExternalSort(6)
    for key in shuffled:
        entries.add(key, key)
    assert list(entries.sorted()) == sorted(keys)
    entries.close()
