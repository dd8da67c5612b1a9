"""`check BUNDLE.jsonl`: a JSON-lines bundle of dossiers decides exactly as the same dossiers one file each, and
every bad line is reported on its own line while the others are decided; the fast JSON path refuses what the full
loader would refuse."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import orjson
import pytest
from cli_runner import run

from engine.compiler.layout import LayoutCache
from engine.compiler.plan import encode_row
from engine.decide.decision import Decision, decide
from engine.decide.shard import WorkerLost
from engine.errors import ExitCode, ProblemCode
from engine.evaluate import reference
from engine.facts.derive import Facts, derive
from engine.load.intake import load_candidates, plain_json, read_candidate
from engine.load.library import load_library

ROOT = Path(__file__).parent.parent
POPULATION = ROOT / "fixtures" / "population" / "candidates"
FIXTURES = ROOT / "fixtures" / "candidates"
AS_OF = "2026-12-01"
CHECK = ("check", "--position", "administrator", "--as-of", AS_OF, "--no-record", "--format", "jsonl")


def bundle_of(files: list[Path], out: Path) -> Path:
    out.write_bytes(b"".join(orjson.dumps(orjson.loads(f.read_bytes())) + b"\n" for f in files))
    return out


def by_nip(out: str) -> dict[str, dict[str, object]]:
    return {record["candidate"]["nip"]: record for record in map(json.loads, out.splitlines())}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bundle_decides_as_the_same_dossiers_one_file_each(tmp_path: Path, jobs: str) -> None:
    files = sorted(POPULATION.glob("*.json"))[:600]  # two batches and a part
    bundle = bundle_of(files, tmp_path / "population.jsonl")
    code, out, err = run(*CHECK, str(bundle), "--jobs", jobs)
    assert code == 0, err
    folder = tmp_path / "files"
    folder.mkdir()
    for f in files:
        (folder / f.name).write_bytes(f.read_bytes())
    code, expected, err = run(*CHECK, str(folder), "--jobs", "1")
    assert code == 0, err
    got, want = by_nip(out), by_nip(expected)
    assert list(got) == list(want)  # the bundle's order, which is the files' order here
    for number, (nip, record) in enumerate(got.items(), 1):
        assert record["candidate"] == {**want[nip]["candidate"], "file": f"{bundle}:{number}"}  # type: ignore[dict-item]
        assert {**record, "candidate": None} == {**want[nip], "candidate": None}


def test_bad_lines_are_located_on_their_line_and_the_others_decided(tmp_path: Path) -> None:
    files = sorted(POPULATION.glob("*.json"))[:4]
    good = [orjson.dumps(orjson.loads(f.read_bytes())) for f in files]
    wrong_type = orjson.loads(good[1])
    wrong_type["birth_date"] = 19800101
    lines = [
        good[0],  # 1
        b"",  # 2: blank, skipped
        b'{"nip": "1",',  # 3: not JSON
        orjson.dumps(wrong_type),  # 4: a field of the wrong type
        good[2][:-1] + b',"name":"Twice"}',  # 5: a key given twice
        good[3],  # 6
        good[0],  # 7: the NIP of line 1 again
    ]
    bundle = tmp_path / "board.jsonl"
    bundle.write_bytes(b"\n".join(lines) + b"\n")
    code, out, err = run(*CHECK, str(bundle), "--jobs", "1")
    assert code == ExitCode.INVALID_INPUT
    decided = [json.loads(line)["candidate"]["file"] for line in out.splitlines()]
    assert decided == [f"{bundle}:1", f"{bundle}:6"]
    for number, code_name in ((3, "syntax_error"), (4, "candidate_invalid"), (5, "duplicate_key"), (7, "duplicate")):
        assert f"{bundle}:{number}" in err and code_name in err, (number, err)
    assert f"is also in {bundle}:1" in err
    assert "birth_date" in err


def test_json_output_reads_a_bundle_too(tmp_path: Path) -> None:
    files = sorted(POPULATION.glob("*.json"))[:5]
    bundle = bundle_of(files, tmp_path / "b.ndjson")
    code, out, err = run(*CHECK[:-1], "json", str(bundle))
    assert code == 0, err
    assert sorted(d["decision"]["candidate"]["file"] for d in json.loads(out)["decisions"]) == sorted(
        f"{bundle}:{n}" for n in range(1, 6)
    )


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a": 1, "a": 2}',  # a duplicate key: the full loader names it
        b'{"a": {"b": 1, "b": 1}}',
        b'{"a": "\\u003a", "a": 1}',  # an escaped colon could hide a duplicate from the count
        b'{"a": NaN}',
        b"[1, 2]",
        b"\xef\xbb\xbf{}",  # a byte-order mark
    ],
)
def test_the_fast_json_path_leaves_anything_unusual_to_the_full_loader(raw: bytes) -> None:
    assert plain_json(raw) is None


@pytest.mark.parametrize(
    "change",
    [
        b',"lhkpn_or_lhkasn_submitted_year":18446744073709551615}',  # orjson reads it, the loader's bound refuses
        b',"lhkpn_or_lhkasn_submitted_year":99999999999999999999999}',
        b',"name":"Twice"}',
        b',"talent":{"box":NaN}}',
    ],
)
def test_a_dossier_off_the_fast_path_gets_the_full_loaders_problems(tmp_path: Path, change: bytes) -> None:
    raw = next(iter(sorted(POPULATION.glob("*.json")))).read_bytes().rstrip()
    path = tmp_path / "odd.json"
    path.write_bytes(raw[:-1] + change)
    found = read_candidate(str(path))
    _loaded, expected = load_candidates([path])
    assert isinstance(found, list) and found == expected and expected


def test_the_fast_json_path_reads_plain_dossiers() -> None:
    raw = next(iter(sorted(POPULATION.glob("*.json")))).read_bytes()
    assert plain_json(raw) == json.loads(raw)
    assert plain_json(b'{"unit": "a:b", "n": 1.5}') == {"unit": "a:b", "n": 1.5}


def test_decisions_and_facts_built_without_validation_equal_the_validated_models() -> None:
    as_of = dt.date.fromisoformat(AS_OF)
    loaded, problems = load_candidates([FIXTURES])
    assert loaded and not problems
    ruleset = load_library(ROOT / "rules").for_position("administrator", None, as_of)
    position = ruleset.position("administrator")
    assert position is not None
    layout = LayoutCache().get(ruleset, "h", position)
    for item in loaded:
        facts = derive(item.candidate, as_of)
        assert Facts(**{name: getattr(facts, name) for name in Facts.model_fields}) == facts
        passed = reference.evaluate(layout.plan, [encode_row(layout.plan, facts)])[0]
        decision = decide(layout, item.candidate, facts, passed, item.file)
        assert Decision(**{name: getattr(decision, name) for name in Decision.model_fields}) == decision


def test_a_lost_worker_has_its_own_code() -> None:
    assert WorkerLost("gone").code is ProblemCode.WORKER_LOST
    assert ProblemCode.WORKER_LOST.exit_code == ExitCode.INTERNAL


def test_an_over_long_line_is_refused_on_its_line_without_being_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bundle line past the file size limit is read past in pieces and refused as too large on its own line;
    the lines around it are decided (a single line of gigabytes must not sit in memory)."""
    from engine.decide.inputs import bundle_lines

    limit = 100_000  # above every shipped rule file, which the same limit bounds
    monkeypatch.setenv("LAYAK_MAX_FILE_BYTES", str(limit))
    files = sorted(POPULATION.glob("*.json"))[:2]
    good = [orjson.dumps(orjson.loads(f.read_bytes())) for f in files]
    huge = b'{"nip": "' + b"9" * (5 * limit + 3 * (1 << 20)) + b'"}'  # longer than the limit and than a read piece
    bundle = tmp_path / "big.jsonl"
    bundle.write_bytes(b"\n".join([good[0], huge, good[1]]) + b"\n")
    with bundle.open("rb") as source:
        lengths = [len(line) for line in bundle_lines(source)]
    assert lengths == [len(good[0]) + 1, limit + 2, len(good[1]) + 1]  # the long one cut at limit + 1, plus "\n"
    code, out, err = run(*CHECK, str(bundle), "--jobs", "1")
    assert code == ExitCode.INVALID_INPUT
    assert [json.loads(line)["candidate"]["file"] for line in out.splitlines()] == [f"{bundle}:1", f"{bundle}:3"]
    assert f"{bundle}:2" in err and "file_too_large" in err, err


def test_diff_reads_a_bundle_as_it_reads_the_same_dossiers_one_file_each(tmp_path: Path) -> None:
    files = sorted(POPULATION.glob("*.json"))[:40]
    bundle = bundle_of(files + files[:2], tmp_path / "b.jsonl")  # the last two lines repeat the first two
    folder = tmp_path / "files"
    folder.mkdir()
    for f in files:
        (folder / f.name).write_bytes(f.read_bytes())
    diff = ("diff", "rules", "rules", "--position", "administrator", "--as-of", AS_OF, "--format", "json")
    code, out, err = run(*diff, "--candidates", str(bundle))
    assert code == 3, err  # the repeated NIPs are problems; the forty are compared
    code, expected, err = run(*diff, "--candidates", str(folder))
    assert code == 0, err
    got, want = json.loads(out), json.loads(expected)
    assert got["summary"] == want["summary"] and got["summary"][0]["candidates"] == 40
    assert [(p["code"], p["file"], p["line"]) for p in got["problems"]] == [
        ("duplicate_candidate", str(bundle), 41),
        ("duplicate_candidate", str(bundle), 42),
    ]


def test_a_facts_table_is_built_from_a_bundle_and_refused_when_a_line_changes(tmp_path: Path) -> None:
    files = sorted(POPULATION.glob("*.json"))[:6]
    bundle = bundle_of(files, tmp_path / "b.jsonl")
    table = tmp_path / "facts.parquet"
    code, _out, err = run("facts", str(bundle), "--as-of", AS_OF, "--out", str(table))
    assert code == 0, err
    diff = ("diff", "rules", "rules", "--facts", str(table), "--position", "administrator", "--format", "json")
    code, out, err = run(*diff, "--candidates", str(bundle))
    assert code == 0, err
    assert json.loads(out)["summary"][0]["candidates"] == 6
    lines = bundle.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace(b'"name":"', b'"name":"X')  # line 3 edited after the table was built
    bundle.write_bytes(b"".join(lines))
    code, _out, err = run(*diff, "--candidates", str(bundle))
    assert code == 3 and "stale_facts" in err and f"changed 1 ({bundle}:3)" in err


def test_explain_takes_one_line_of_a_bundle(tmp_path: Path) -> None:
    files = sorted(POPULATION.glob("*.json"))[:3]
    bundle = bundle_of(files, tmp_path / "b.jsonl")
    explain = ("explain", "--position", "administrator", "--as-of", AS_OF, "--format", "json")
    code, out, err = run(*explain, f"{bundle}:2")
    assert code == 0, err
    code, expected, err = run(*explain, str(files[1]))
    assert code == 0, err
    got, want = json.loads(out), json.loads(expected)
    assert got["decision"]["candidate"]["file"] == f"{bundle}:2"
    got["decision"]["candidate"]["file"] = want["decision"]["candidate"]["file"]
    assert got == want
    code, _out, err = run(*explain, str(bundle))  # three dossiers: which one is not guessed
    assert code == ExitCode.USAGE and f"{bundle}:LINE" in err
    code, _out, err = run(*explain, f"{bundle}:4")
    assert code == ExitCode.INVALID_INPUT and "not_found" in err and "line 4" in err
