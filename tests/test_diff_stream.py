"""`layak diff` over a stream of candidates keeps the NIPs it has seen on disk, not in memory, and still names the
first candidate of a NIP given twice, wherever the batches fall and whatever bad lines come before it."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import orjson
import pytest
from cli_runner import run
from rules_support import RULES, raise_experience

from engine.decide import nips
from engine.load.intake import LoadedCandidate, load_candidates
from engine.load.library import load_library
from engine.present.render import render
from engine.present.tools_view import diff_report
from engine.tools.diff import DiffReport, Flips, diff_batches

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


def _flipping(tmp_path: Path, count: int) -> tuple[Path, Path]:
    """The rules with Administrator's experience raised to 4 years, and a folder of ``count`` dossiers."""
    proposed = tmp_path / "proposed"
    shutil.copytree(RULES, proposed)
    managerial = proposed / "national" / "managerial.yaml"
    managerial.write_text(raise_experience(managerial.read_text()))
    folder = tmp_path / "files"
    folder.mkdir()
    for f in POPULATION[:count]:
        (folder / f.name).write_bytes(f.read_bytes())
    return proposed, folder


def test_flips_past_the_limit_wait_on_disk_and_come_back_by_name_then_nip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("engine.tools.diff.FLIPS_HELD", 2)
    proposed, bundle = _flipping(tmp_path, 600)
    loaded, problems = load_candidates([bundle])
    assert not problems
    as_of = dt.date(2026, 12, 1)
    report = diff_batches(
        load_library(RULES), load_library(proposed), ["administrator"], [loaded[:250], loaded[250:]], as_of
    )
    assert isinstance(report.flips, Flips)
    assert all(len(part.held) <= 2 for part in report.flips.parts)  # the rest in sorted runs on disk
    # by hand: a flip is a candidate the 3-year rule let through and the 4-year rule stops (other verdicts stay)
    one = diff_batches(load_library(RULES), load_library(proposed), ["administrator"], [loaded], as_of)
    assert len(report.flips) == len(one.flips) > 4
    got = [(f.candidate.name, f.candidate.nip) for f in report.flips]
    assert got == sorted(got)
    assert set(got) == {(f.candidate.name, f.candidate.nip) for f in one.flips}


@pytest.mark.parametrize("fmt", ["json", "table", "csv", "markdown"])
def test_the_streamed_output_is_what_the_whole_report_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """Flips spilled to disk (2 held) and their rows spooled to disk (2 held, read back 3 at a time) print byte
    for byte what rendering the whole report at once prints."""
    proposed, bundle = _flipping(tmp_path, 600)
    loaded, _problems = load_candidates([bundle])
    report = diff_batches(
        load_library(RULES), load_library(proposed), ["administrator"], [loaded], dt.date(2026, 12, 1)
    )
    whole = DiffReport(as_of=report.as_of, summaries=report.summaries, flips=list(report.flips))
    assert len(whole.flips) > 4
    expected = render(diff_report(whole, "id", "rules", str(proposed)), fmt, "id") + "\n"
    monkeypatch.setattr("engine.tools.diff.FLIPS_HELD", 2)
    monkeypatch.setattr("engine.present.spill.SPILL_AFTER", 2)
    monkeypatch.setattr("engine.present.spill.CHUNK", 3)
    code, out, err = run(*DIFF[:2], str(proposed), *DIFF[3:-1], fmt, "--lang", "id", "--candidates", str(bundle))
    assert code == 1, err
    assert out == expected


def test_the_collector_is_paused_while_batches_are_read_and_decided(tmp_path: Path) -> None:
    """The batches are read (the loader runs between them) and decided with the cyclic collector paused, as a
    batch of `check` is, and it is given back as it was found, also when reading a batch fails."""
    import gc

    loaded, problems = load_candidates(POPULATION[:6])
    assert not problems and len(loaded) == 6
    states: list[bool] = []

    def batches(fail: bool = False) -> Iterator[Sequence[LoadedCandidate]]:
        for start in (0, 3):
            states.append(gc.isenabled())
            if fail and start:
                raise OSError("the bundle went away")
            yield loaded[start : start + 3]

    library = load_library(RULES)
    try:
        report = diff_batches(library, library, ["administrator"], batches(), dt.date(2026, 12, 1))
        assert [s.candidates for s in report.summaries] == [6]
        assert states == [False, False] and gc.isenabled()
        with pytest.raises(OSError):
            diff_batches(library, library, ["administrator"], batches(fail=True), dt.date(2026, 12, 1))
        assert gc.isenabled()
    finally:
        gc.enable()  # whatever failed above, the rest of the session keeps its collector


def test_nip_files_is_a_mapping_on_disk() -> None:
    """``NipFiles`` answers as a dict does, for a run of sets, look-ups, replacements and deletions."""
    import random

    files, plain = nips.NipFiles(), dict[str, str]()
    rng = random.Random(7)
    try:
        for step in range(400):
            nip = f"1990010120150110{rng.randrange(40):02d}"
            if step % 7 == 3 and nip in plain:
                del files[nip], plain[nip]
            elif step % 2:
                files[nip] = plain[nip] = f"b.jsonl:{step}"
            assert (nip in files) == (nip in plain)
            assert files.get(nip) == plain.get(nip)
        assert len(files) == len(plain) and sorted(files) == sorted(plain)
        with pytest.raises(KeyError):
            del files["not a nip"]
    finally:
        files.close()


def test_the_change_dossier_keeps_its_nips_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`diff --report` (and stdin) read candidates one by one: their NIPs go to ``NipFiles``, not a dict, and a
    repeat still names the file that first gave its NIP."""
    given: list[str] = []

    class Spied(nips.NipFiles):
        def __setitem__(self, nip: str, file: str) -> None:
            given.append(nip)
            super().__setitem__(nip, file)

    monkeypatch.setattr("engine.commands.candidates.NipFiles", Spied)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(POPULATION[0], folder / "first.json")
    bundle = tmp_path / "b.jsonl"
    bundle.write_bytes(b"".join(line_of(f) for f in POPULATION[:4]))  # its line 1 repeats first.json's NIP
    code, out, err = run(
        *DIFF, "--candidates", str(folder), "--candidates", str(bundle), "--report", str(tmp_path / "r.json")
    )
    assert code == 3, err
    assert given == [nip_of(f) for f in POPULATION[:4]]
    (problem,) = json.loads(out)["problems"]
    assert problem["code"] == "duplicate_candidate" and problem["line"] == 1
    assert problem["message"] == f"NIP {nip_of(POPULATION[0])} is also in {folder / 'first.json'}"
    assert json.loads(out)["summary"][0]["candidates"] == 4
