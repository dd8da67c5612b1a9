"""How a streamed check moves work between processes: bundle batches as byte ranges found by scanning for line
breaks, a worker's lines through a file and copied to stdout by the kernel, repeated NIPs dropped from a batch."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from engine.decide import inputs
from engine.decide.inputs import Lines, bundle_batches, loaded
from engine.decide.shard import check_files, file_copier
from engine.decide.stream import Setup, release
from engine.load.library import load_library

ROOT = Path(__file__).parent.parent
POPULATION = ROOT / "fixtures" / "population" / "candidates"
AS_OF = dt.date(2026, 12, 1)


def dossiers(count: int) -> list[bytes]:
    return [orjson.dumps(orjson.loads(f.read_bytes())) for f in sorted(POPULATION.glob("*.json"))[:count]]


def setup() -> Setup:
    ruleset = load_library(ROOT / "rules").for_position("administrator", None, AS_OF)
    return Setup(ruleset=ruleset, position_id="administrator", as_of=AS_OF)


@pytest.mark.parametrize("block", [1, 2, 7, 1 << 20])
@pytest.mark.parametrize("whole", [0, 16 << 20])
def test_bundle_batches_count_dossiers_and_skip_blank_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int, whole: int
) -> None:
    """Blank and white-space lines are no dossier but keep their numbers; a line longer than the scan's block and
    a last line without a break are found whole, whichever way a worker reads its range."""
    monkeypatch.setattr(inputs, "_BLOCK", block)
    monkeypatch.setattr(inputs, "_WHOLE", whole)
    lines = [b"{1}", b"", b" \t\r", b"{2}\r", b"  {3}", b"{" + b"4" * 40 + b"}", b"\x0b", b"{5}"]
    bundle = tmp_path / "b.jsonl"
    bundle.write_bytes(b"\n".join(lines))  # no break after the last line
    batches = list(bundle_batches(str(bundle), 2))
    assert [(b.first, len(b)) for b in batches] == [(1, 2), (5, 2), (7, 1)]
    got = [(n, line) for b in batches for n, line in enumerate(b.lines(), b.first) if line.strip()]
    assert got == [(1, b"{1}"), (4, b"{2}\r"), (5, b"  {3}"), (6, lines[5]), (8, b"{5}")]
    # the ranges cover the file, end to end
    assert batches[0].start == 0 and batches[-1].end == len(bundle.read_bytes())
    assert all(a.end == b.start for a, b in zip(batches, batches[1:], strict=False))


def test_a_range_is_read_with_its_over_long_line_cut_as_the_loader_expects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LAYAK_MAX_FILE_BYTES", "10")
    bundle = tmp_path / "b.jsonl"
    bundle.write_bytes(b"{" + b"x" * 30 + b"}\n{1}\n")
    for whole in (0, 1 << 20):
        monkeypatch.setattr(inputs, "_WHOLE", whole)
        (batch,) = bundle_batches(str(bundle), 5)
        assert list(batch.lines())[:2] == [b"{" + b"x" * 10, b"{1}"]  # the limit and one byte: refused as too large
        first, second = loaded(batch)
        assert isinstance(first, list) and first[0].code == "file_too_large" and first[0].line == 1
        assert isinstance(second, list) and second[0].line == 2  # "{1}" is no JSON: its own problem, on its line


def test_a_batch_is_sent_as_its_place_in_the_bundle(tmp_path: Path) -> None:
    bundle = tmp_path / "b.jsonl"
    bundle.write_bytes(b"\n".join(dossiers(3)) + b"\n")
    (batch,) = bundle_batches(str(bundle), 10)
    assert batch == Lines(str(bundle), 1, 0, bundle.stat().st_size, 3)


def test_two_jobs_drop_repeated_nips_inside_and_across_batches(tmp_path: Path) -> None:
    good = dossiers(5)
    lines = [good[0], good[1], good[2], good[1], good[3], good[0], good[4]]  # 4 repeats 2 (same batch), 6 repeats 1
    bundle = tmp_path / "b.jsonl"
    bundle.write_bytes(b"\n".join(lines) + b"\n")
    written: list[bytes] = []
    result = check_files(setup(), [bundle], jobs=2, batch=2, write=written.append, copy=file_copier(io.BytesIO()))
    files = [orjson.loads(line)["candidate"]["file"] for line in b"".join(written).splitlines()]
    assert files == [f"{bundle}:{n}" for n in (1, 2, 3, 5, 7)]
    assert [(p.code, p.line, p.message.rsplit(" ", 1)[-1]) for p in result.problems] == [
        ("duplicate_candidate", 4, f"{bundle}:2"),
        ("duplicate_candidate", 6, f"{bundle}:1"),
    ]
    assert result.decided == 5


def test_a_copier_writes_a_file_whole_and_declines_a_stream_without_descriptor(tmp_path: Path) -> None:
    source = tmp_path / "lines"
    source.write_bytes(b"a\n" * 100_000)
    target = tmp_path / "out"
    with source.open("rb") as src, target.open("wb") as out:
        out.write(b"first\n")
        assert file_copier(out)(src.fileno())  # what was buffered goes first
    assert target.read_bytes() == b"first\n" + b"a\n" * 100_000
    with source.open("rb") as src:
        assert not file_copier(io.BytesIO())(src.fileno())


def test_two_jobs_to_a_real_stdout_write_what_one_job_writes(tmp_path: Path) -> None:
    """In a child process stdout is a file descriptor, so the workers' batches are copied by the kernel."""
    bundle = tmp_path / "b.jsonl"
    bundle.write_bytes(b"\n".join(dossiers(1100)) + b"\n")  # three batches
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.jsonl"
        with out.open("wb") as stdout:
            done = subprocess.run(
                [sys.executable, "-c", "from cli import cli; cli()", "check", str(bundle), "--position"]
                + ["administrator", "--as-of", str(AS_OF), "--no-record", "--format", "jsonl", "--jobs", jobs],
                cwd=ROOT,
                stdout=stdout,
                stderr=subprocess.PIPE,
                check=False,
                timeout=600,
            )
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and outputs[0].count(b"\n") == 1100


def test_seen_nips_answer_none_for_a_batch_of_new_ones_and_the_first_ordinal_of_a_repeat() -> None:
    from engine.decide.nips import SeenNips

    with SeenNips() as seen:
        assert seen.first(["1", "2"], [0, 1]) is None
        assert seen.first(["3", "1", "3", "4"], [2, 3, 4, 5]) == [None, 0, 2, None]
        assert seen.first(["4", "5"], [6, 7]) == [5, None]
        assert seen.first(["6"], [8]) is None


def test_a_worker_that_cannot_write_its_file_sends_the_lines_through_the_pipe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from engine.decide import shard

    bundle = tmp_path / "b.jsonl"
    bundle.write_bytes(b"\n".join(dossiers(2)) + b"\n")
    (batch,) = bundle_batches(str(bundle), 10)
    worker = setup()
    monkeypatch.setattr(shard, "_setup", worker)
    monkeypatch.setattr(shard, "_spill", str(tmp_path / "gone"))  # no such folder
    try:
        result = shard._work(0, batch)
        assert result.spilled == "" and result.lines.count(b"\n") == 2
        (tmp_path / "spill").mkdir()
        monkeypatch.setattr(shard, "_spill", str(tmp_path / "spill"))
        result = shard._work(1, batch)
        assert result.lines == b"" and Path(result.spilled).read_bytes().count(b"\n") == 2
    finally:
        release(worker)
