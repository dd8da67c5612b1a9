"""`check --format jsonl` stays byte for byte what it was when tests/data/check_reference was produced.

The reference (tests/data/check_reference/expected.json, written by produce.py there before the check path was
made faster) holds a digest of every JSON line for the bundled fixtures under every position and for the
population under four; any change of any byte of any decision record fails here, naming the candidates.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from cli_runner import run

ROOT = Path(__file__).parent.parent
REFERENCE = json.loads((ROOT / "tests" / "data" / "check_reference" / "expected.json").read_text(encoding="utf-8"))
CASES = [(folder, position) for folder, by_position in REFERENCE["suites"].items() for position in by_position]


def digests(out: bytes) -> list[str]:
    return [hashlib.sha256(line).hexdigest()[:16] for line in out.splitlines()]


def check_jsonl(*args: str) -> bytes:
    code, out, err = run(
        "check", *args, "--rules", REFERENCE["rules"], "--as-of", REFERENCE["as_of"], "--no-record", "--format", "jsonl"
    )
    assert code in (0, 3), err
    return out.encode()


def drift(out: bytes, expected: list[str]) -> list[str]:
    """The candidates whose line differs from the reference (by their file), or a count mismatch."""
    lines = out.splitlines()
    found = digests(out)
    if len(found) != len(expected):
        return [f"{len(found)} lines, expected {len(expected)}"]
    return [
        json.loads(line)["candidate"]["file"]
        for line, got, want in zip(lines, found, expected, strict=True)
        if got != want
    ]


@pytest.mark.parametrize(("folder", "position"), CASES)
def test_check_jsonl_is_unchanged(folder: str, position: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the records name candidate files by the path given on the command line
    out = check_jsonl(folder, "--position", position, "--jobs", "1")
    assert drift(out, REFERENCE["suites"][folder][position]) == []


def test_the_reference_detects_a_changed_byte() -> None:
    folder, position = CASES[0]
    out = b'{"candidate":{"file":"x"},"verdict":"eligible"}\n' * len(REFERENCE["suites"][folder][position])
    assert drift(out, REFERENCE["suites"][folder][position]) != []
    assert drift(b"", REFERENCE["suites"][folder][position]) != []
