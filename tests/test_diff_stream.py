"""`layak diff` over a stream of candidates keeps the NIPs it has seen on disk, not in memory, and still names the
first candidate of a NIP given twice, wherever the batches fall and whatever bad lines come before it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import orjson
import pytest
from cli_runner import run

from engine.decide import nips

ROOT = Path(__file__).parent.parent
POPULATION = sorted((ROOT / "fixtures" / "population" / "candidates").glob("*.json"))
DIFF = ("diff", "rules", "rules", "--position", "administrator", "--as-of", "2026-12-01", "--format", "json")


def line_of(path: Path) -> bytes:
    return orjson.dumps(orjson.loads(path.read_bytes())) + b"\n"


def nip_of(path: Path) -> str:
    nip: str = orjson.loads(path.read_bytes())["nip"]
    return nip


@pytest.mark.parametrize("batch", [2, 500])  # the first and the repeat in other batches, then in one
def test_a_repeated_nip_names_its_first_line_past_bad_and_blank_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    monkeypatch.setattr("engine.decide.stream.BATCH", batch)
    a, b, c = POPULATION[:3]
    bundle = tmp_path / "b.jsonl"
    # line 1 does not parse, line 3 is blank: A is on line 2, B on 4, C on 5; A again on 6, C again on 8
    bundle.write_bytes(b"{\n" + line_of(a) + b"\n" + line_of(b) + line_of(c) + line_of(a) + b"{\n" + line_of(c))
    code, out, err = run(*DIFF, "--candidates", str(bundle))
    assert code == 3, err
    report = json.loads(out)
    assert report["summary"][0]["candidates"] == 3
    got = [(p["code"], p["line"], p["message"]) for p in report["problems"]]
    assert [(code, line) for code, line, _message in got] == [
        ("syntax_error", 1),
        ("duplicate_candidate", 6),
        ("syntax_error", 7),
        ("duplicate_candidate", 8),
    ]
    assert got[1][2] == f"NIP {nip_of(a)} is also in {bundle}:2"
    assert got[3][2] == f"NIP {nip_of(c)} is also in {bundle}:5"


def test_a_repeated_file_names_the_first_across_folder_and_bundle(tmp_path: Path) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    for f in POPULATION[:3]:
        (folder / f.name).write_bytes(f.read_bytes())
    bundle = tmp_path / "b.jsonl"
    bundle.write_bytes(line_of(POPULATION[3]) + line_of(POPULATION[1]))
    code, out, err = run(*DIFF, "--candidates", str(folder), "--candidates", str(bundle))
    assert code == 3, err
    (problem,) = json.loads(out)["problems"]
    assert (problem["file"], problem["line"]) == (str(bundle), 2)
    assert problem["message"] == f"NIP {nip_of(POPULATION[1])} is also in {folder / POPULATION[1].name}"


def test_the_nips_seen_are_kept_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A dict of a million NIPs with their files costs ~200 MB: every NIP goes to ``SeenNips`` instead."""
    given: list[str] = []

    class Spied(nips.SeenNips):
        def first(self, found: Sequence[str], ordinals: Sequence[int]) -> list[int | None] | None:
            given.extend(found)
            return super().first(found, ordinals)

    monkeypatch.setattr(nips, "SeenNips", Spied)
    monkeypatch.setattr("engine.decide.stream.BATCH", 4)
    files = POPULATION[:10]
    bundle = tmp_path / "b.jsonl"
    bundle.write_bytes(b"".join(line_of(f) for f in files))
    code, out, err = run(*DIFF, "--candidates", str(bundle))
    assert code == 0, err
    assert given == [nip_of(f) for f in files]
    assert json.loads(out)["summary"][0]["candidates"] == 10
