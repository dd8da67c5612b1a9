"""Numbers are read as written: a literal a double would round (more than 15 significant digits) is never
compared rounded, whichever way the dossier arrives (YAML, a JSON file, a bundle line, stdin)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from cli_runner import run
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.load.events import exact_number
from engine.load.source import Document, long_numbers, read_document

ROOT = Path(__file__).resolve().parents[1]
AGUS = ROOT / "fixtures" / "candidates" / "agus-setiawan.yaml"
# Agus Setiawan's third managerial score (M03) is written "attained: 3.5, standard: 3". Written as nineteen 9s
# after "2.", it is below the standard of 3 by 1e-19, and a double reads it as exactly 3.0: rounded, it would
# pass the M03 requirement. It has 19 decimal places where a score has at most 3, so it must be refused.
WRITTEN = "attained: 3.5, standard: 3}"
LONG = "2.9999999999999999999"
ARGS = ("--position", "administrator", "--as-of", "2026-12-01")


def _yaml(tmp_path: Path, value: str) -> Path:
    text = AGUS.read_text(encoding="utf-8")
    assert WRITTEN in text
    path = tmp_path / "agus.yaml"
    path.write_text(text.replace(WRITTEN, f"attained: {value}, standard: 3}}"), encoding="utf-8")
    return path


def _json_text(value: str) -> str:
    """Agus's dossier as one JSON line, its M03 score written ``value`` exactly as given."""
    data = _plain(AGUS)
    scores = data["competency_assessments"][0]["scores"]
    assert scores[2]["code"] == "M03"
    scores[2]["attained"] = "@@"
    return json.dumps(data, separators=(",", ":")).replace('"@@"', value)


def _plain(path: Path) -> Any:
    doc = read_document(path)
    assert isinstance(doc, Document), doc
    return json.loads(json.dumps(doc.data, default=str))


def _refused(code: int, err: str, where: str) -> None:
    assert code == 3, err
    assert where in err
    assert "competency_assessments[0].scores[2].attained" in err
    assert f"at most 3 decimal places, got {LONG}" in err


def test_a_yaml_score_past_a_doubles_precision_is_refused_with_its_line(tmp_path: Path) -> None:
    code, _out, err = run("explain", str(_yaml(tmp_path, LONG)), *ARGS)
    _refused(code, err, "agus.yaml:39:")


def test_a_json_file_score_past_a_doubles_precision_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "agus.json"
    path.write_text(_json_text(LONG), encoding="utf-8")
    code, _out, err = run("explain", str(path), *ARGS)
    _refused(code, err, "agus.json:1:")


def test_a_bundle_line_past_a_doubles_precision_is_refused_on_its_line(tmp_path: Path) -> None:
    bundle = tmp_path / "people.jsonl"
    bundle.write_text(_json_text("3.5") + "\n" + _json_text(LONG) + "\n", encoding="utf-8")
    code, out, err = run("check", str(bundle), *ARGS, "--no-record", "--format", "jsonl")
    assert code == 3, err
    _refused(code, err, "people.jsonl:2:")
    assert "people.jsonl:1" not in err
    assert len(out.splitlines()) == 1  # the good line is still decided


def test_a_score_a_double_holds_is_read_as_before(tmp_path: Path) -> None:
    # 2.99 (a competency level is compared to two places) is exact as a double's shortest text, so it is read
    # and compared as written: it fails M03 ≥ 3.
    code, out, err = run("explain", str(_yaml(tmp_path, "2.99")), *ARGS, "--format", "json")
    assert code == 0, err
    decision = json.loads(out)["decision"]
    assert decision["facts"]["values"]["competency.M03"] == "2.99"
    assert [r["status"] for r in decision["requirements"] if r["id"] == "competency-m03"] == ["fail"]


def test_long_numbers_sees_numbers_not_strings_of_digits() -> None:
    assert long_numbers(b'{"a":2.9999999999999999999}')
    assert long_numbers(b'{"a": [1, -29999999999999999999e-19]}')
    assert long_numbers(b'{"a":2.99999999999999999E0}')
    assert not long_numbers(b'{"nip":"198607092017081004","b":[86.10,1000000,214.35]}')
    assert not long_numbers(b'{"a":123456789012345}')  # fifteen digits: exact as a double


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.integers(min_value=0, max_value=10**15 - 1), st.integers(min_value=0, max_value=15))
def test_up_to_fifteen_digits_read_as_the_float_they_write(digits: int, places: int) -> None:
    text = str(digits).rjust(places + 1, "0")
    text = f"{text[: len(text) - places]}.{text[len(text) - places :]}" if places else text + ".0"
    number = exact_number(text)
    assert isinstance(number, float)
    assert Decimal(repr(number)) == Decimal(text)  # nothing rounded


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=20, min_value=-(10**6), max_value=10**6))
def test_any_literal_reads_as_its_exact_value_or_a_float_equal_to_it(value: Decimal) -> None:
    text = format(value, "f")
    number = exact_number(text)
    if isinstance(number, float):
        assert Decimal(repr(number)) == Decimal(text)
    else:
        assert number == Decimal(text)
    if len(text.lstrip("-").replace(".", "").lstrip("0")) > 15 and Decimal(repr(float(text))) != Decimal(text):
        assert long_numbers(b'{"a":' + text.encode() + b"}")  # and the fast path leaves it to the full loader
