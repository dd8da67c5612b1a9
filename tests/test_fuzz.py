"""A bounded slice of the fuzz harness (bench/fuzz.py runs the full one): no input is a bug in layak."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from fuzz_checks import _compare, coercion, unlocated  # noqa: E402
from fuzz_inputs import make_case, run_case  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = 20261129


@pytest.mark.parametrize(("kind", "count"), [("candidate", 60), ("rules", 15)])
def test_mutated_inputs_are_answered_or_refused_never_crash(kind: str, count: int, tmp_path: Path) -> None:
    bad = []
    codes = set()
    for number in range(count):
        outcome = run_case(make_case(SEED, number, kind), tmp_path)
        codes.add(int(outcome.code))
        if outcome.internal_error or outcome.traceback or outcome.unlocated or outcome.coerced:
            bad.append((number, outcome))
    assert bad == []
    # the slice exercises both answers and refusals, so it is not vacuous
    assert 3 in codes or 1 in codes
    assert codes <= {0, 1, 3}


def test_the_generator_is_seeded() -> None:
    assert make_case(SEED, 5, "candidate") == make_case(SEED, 5, "candidate")
    assert make_case(SEED, 5, "candidate") != make_case(SEED + 1, 5, "candidate")


def test_a_problem_must_name_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "input.yaml"
    good = {"code": "candidate_invalid", "file": str(path), "line": 3, "path": "nip", "message": "x"}
    assert unlocated(good, path, 10) == ""
    assert "file" in unlocated({**good, "file": "other.yaml"}, path, 10)
    assert "line" in unlocated({**good, "line": None}, path, 10)
    assert "line" in unlocated({**good, "line": 40}, path, 10)  # past the end of the file
    assert "field" in unlocated({**good, "path": ""}, path, 10)
    # a syntax error has a line but no field yet; a file that is not text has neither
    assert unlocated({**good, "code": "syntax_error", "path": ""}, path, 10) == ""
    assert unlocated({**good, "code": "not_text", "line": None, "path": ""}, path, 10) == ""
    # a document that is one bare value has only the root to name, on line 1
    root = {**good, "code": "number_out_of_range", "line": 1, "path": ""}
    assert unlocated(root, path, 2, root_scalar=True) == "" and "field" in unlocated(root, path, 2)


def test_a_silent_coercion_is_detected(tmp_path: Path) -> None:
    base = (ROOT / "fixtures" / "candidates" / "hendra-gunawan.json").read_text()
    path = tmp_path / "c.json"
    path.write_text(base)
    assert coercion(path) == ""
    # the loader refuses a quoted number; were it to accept one, the check would name the field
    data = json.loads(base)
    kept = json.loads(base)
    kept["competency_assessments"][0]["scores"][0]["attained"] = "3"
    assert "attained" in _compare(data, kept, "")
    kept = json.loads(base)
    del kept["name"]
    assert "name: dropped" in _compare(data, kept, "")
