"""Streamed `check`: the same decisions as the in-memory run, batch recording, worker processes and their failure."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
from pathlib import Path

import orjson
import pytest
from cli_runner import run

from engine.audit.recorder import batch_recorder
from engine.audit.store import Store
from engine.decide import shard
from engine.decide.pipeline import check
from engine.decide.record import DecisionRecord
from engine.decide.shard import WorkerLost, check_files
from engine.decide.stream import BatchResult, Setup, TopN, decide_batch
from engine.load.intake import load_candidates
from engine.load.library import load_library

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "fixtures" / "candidates"
# One valid dossier per fixture file (each has its own NIP), so the files are the candidates.
N_FIXTURES = len([p for p in FIXTURES.iterdir() if p.suffix in (".yaml", ".json")])
POPULATION = ROOT / "fixtures" / "population" / "candidates"
AS_OF = dt.date(2026, 12, 1)
CHECK = ("check", "--position", "administrator", "--as-of", str(AS_OF), "--no-record")


def setup(**changes: object) -> Setup:
    ruleset = load_library(ROOT / "rules").for_position("administrator", None, AS_OF)
    return Setup(ruleset=ruleset, position_id="administrator", as_of=AS_OF, **changes)  # type: ignore[arg-type]


def test_streamed_records_are_byte_identical_to_the_in_memory_run() -> None:
    candidates, _problems = load_candidates([FIXTURES])
    whole = check(load_library(ROOT / "rules"), "administrator", candidates, AS_OF)
    expected = {
        d.candidate.nip: orjson.dumps(DecisionRecord.of(d).model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
        for d in whole.decisions
    }
    code, out, err = run(*CHECK, str(FIXTURES), "--format", "jsonl", "--jobs", "1")
    assert code == 0, err
    lines = out.encode().splitlines()
    streamed = {orjson.loads(line)["candidate"]["nip"]: line for line in lines}
    assert len(lines) == len(streamed) == len(expected) == len(whole.decisions)
    assert streamed == expected
    # ...and each line is the "decision" member of `check --format json`, in file order
    code, out, _err = run(*CHECK, str(FIXTURES), "--format", "json")
    shown = {d["decision"]["candidate"]["nip"]: d["decision"] for d in json.loads(out)["decisions"]}
    assert {nip: orjson.loads(line) for nip, line in streamed.items()} == shown
    files = [orjson.loads(line)["candidate"]["file"] for line in lines]
    assert files == sorted(files)


def test_one_and_two_jobs_write_the_same_bytes() -> None:
    args = (*CHECK, str(FIXTURES), str(POPULATION), "--format", "jsonl")
    one = run(*args, "--jobs", "1")
    two = run(*args, "--jobs", "2")
    assert one == two
    assert len(one[1].splitlines()) > 2000


def test_table_keeps_the_best_n_of_the_full_ranking() -> None:
    _code, full, _err = run(*CHECK, str(FIXTURES), "--format", "csv")
    code, top, err = run(*CHECK, str(FIXTURES), "--format", "table", "--top", "5", "--jobs", "2")
    assert code == 0
    assert f"showing the best 5 of {N_FIXTURES} by rank" in err
    assert f"{N_FIXTURES} candidates for administrator" in err
    full_nips = [line.split(",")[1] for line in full.splitlines()[1:6]]
    top_nips = [line.split()[1] for line in top.splitlines()[2:]]
    assert top_nips == full_nips


def test_top_n_breaks_ties_by_arrival() -> None:
    top = TopN(2)
    for key, name in [((1,), "a"), ((0,), "b"), ((1,), "c"), ((2,), "d"), ((0,), "e")]:
        top.add(key, {"name": name})
    assert [r["name"] for r in top.rows("rank")] == ["b", "e"]
    top = TopN(3)
    for key, name in [((1,), "a"), ((1,), "c"), ((2,), "d"), ((1,), "f")]:
        top.add(key, {"name": name})
    assert [(r["rank"], r["name"]) for r in top.rows("rank")] == [(1, "a"), (2, "c"), (3, "f")]


def test_a_later_file_with_the_same_nip_is_refused_across_batches(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("siti-rahma.yaml", "budi-santoso.yaml"):
        shutil.copy(FIXTURES / name, folder / name)
    shutil.copy(FIXTURES / "siti-rahma.yaml", folder / "zz-copy.yaml")
    result = check_files(setup(), [folder], batch=1, jobs=1, top=10)
    assert result.decided == 2
    assert [(p.code, Path(p.file).name, p.path) for p in result.problems] == [
        ("duplicate_candidate", "zz-copy.yaml", "nip")
    ]
    assert result.problems[0].line is not None


def _waiver_copies(folder: Path) -> str:
    """Three files with one NIP: a waiver of no requirement, a valid copy, the bad waiver again; then another
    civil servant. Returns the NIP they share."""
    folder.mkdir()
    text = (FIXTURES / "indra-kurniawan.yaml").read_text()
    bad = text.replace("position: jpt-pratama", "position: administrator").replace("max-age", "no-such-rule")
    assert bad != text, "the fixture holds a waiver for jpt-pratama's max-age"
    (folder / "a-waiver.yaml").write_text(bad)
    (folder / "b-copy.yaml").write_text(text)
    (folder / "c-copy.yaml").write_text(bad)
    shutil.copy(FIXTURES / "budi-santoso.yaml", folder / "d.yaml")
    return str(yaml_nip(text))


def yaml_nip(text: str) -> str:
    return next(line.split(":", 1)[1].strip().strip("'\"") for line in text.splitlines() if line.startswith("nip:"))


@pytest.mark.parametrize("batch", [1, 2, 10])
def test_a_nip_refused_for_its_waiver_stays_taken(tmp_path: Path, batch: int) -> None:
    """The first file given with a NIP holds it even when it is refused for a waiver of no requirement: the later
    files with that NIP are given twice (and the third's own bad waiver is never looked at), as when the input is
    read whole; before, the valid copy after the refused one was decided."""
    nip = _waiver_copies(tmp_path / "in")
    result = check_files(setup(want="rows"), [tmp_path / "in"], batch=batch, jobs=1, top=10)
    assert result.decided == 1  # d.yaml only
    found = sorted((Path(p.file).name, p.code, p.message) for p in result.problems)
    assert [(name, code) for name, code, _message in found] == [
        ("a-waiver.yaml", "bad_waiver"),
        ("b-copy.yaml", "duplicate_candidate"),
        ("c-copy.yaml", "duplicate_candidate"),
    ]
    assert found[1][2].startswith(f"NIP {nip} is also in ") and found[1][2].endswith("a-waiver.yaml")


def test_streamed_recording_appends_every_decision_once(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    code, _out, err = run(
        "check",
        str(FIXTURES),
        "--position",
        "administrator",
        "--as-of",
        str(AS_OF),
        "--db",
        db,
        "--format",
        "jsonl",
        "--jobs",
        "2",
    )
    assert code == 0 and f"recorded {N_FIXTURES} decisions" in err and f"#1-#{N_FIXTURES}" in err
    code, _out, err = run("audit", "verify", "--db", db)
    assert code == 0, err


def _dies_on_second_batch(s: Setup, index: int, files: list[str]) -> BatchResult:
    if index == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    return decide_batch(s, index, files)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL") or os.name != "posix", reason="needs fork and SIGKILL")
def test_a_killed_worker_fails_its_batch_and_the_store_stays_whole(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(shard, "decide_batch", _dies_on_second_batch)  # the forked workers inherit it
    files = sorted(p for p in FIXTURES.glob("*.yaml"))[:12]
    folder = tmp_path / "in"
    folder.mkdir()
    for f in files:
        shutil.copy(f, folder / f.name)
    db = str(tmp_path / "a.db")
    written: list[bytes] = []
    with Store.open(db, create=True) as store:
        with pytest.raises(WorkerLost) as caught:
            check_files(
                setup(want="lines", record=True, actor="t", run_id="r"),
                [folder],
                jobs=2,
                batch=4,
                write=written.append,
                record=batch_recorder(store),
            )
        head = store.head()
    message = str(caught.value)
    assert "signal 9" in message
    # The first batch not received is named with its files: the killed one, or the first one (a healthy
    # worker's batch still in flight when the pool broke is failed with it and never half-written).
    named = 2 if message.startswith("batch 2 ") else 1
    assert message.startswith(
        f"batch {named} ({folder / files[4 * named - 4].name} … {folder / files[4 * named - 1].name}, 4 files)"
    )
    printed = sum(chunk.count(b"\n") for chunk in written)
    assert printed == head.seq  # what was printed is exactly what was recorded, each once
    assert head.seq <= 4 and (named == 1) == (head.seq == 0)
    code, _out, err = run("audit", "verify", "--db", db)
    assert code == 0, err


def test_files_are_walked_in_the_order_of_expand_paths(tmp_path: Path) -> None:
    from engine.decide.stream import candidate_files
    from engine.load.library import CASES_SUFFIX
    from engine.load.source import expand_paths

    for name in (
        "a/x.yaml",
        "a-b.json",
        "a/b/c.yml",
        "a.yaml",
        "B.json",
        ".hidden.yaml",
        "notes.txt",
        f"case{CASES_SUFFIX}",
        "z/.h/y.yaml",
        "a0/q.json",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}")
    single = tmp_path / "a-b.json"
    expected = [str(p) for p in expand_paths([tmp_path, single], exclude_suffix=CASES_SUFFIX)]
    assert list(candidate_files([tmp_path, single])) == expected
    assert len(expected) == 8  # 7 under the folder (a hidden folder is walked, hidden files are not), 1 named
