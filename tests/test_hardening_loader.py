"""Hostile candidate files are refused with file, line and field, within bounded time and memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import run

from engine.load import source
from engine.load.intake import load_candidates

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "fixtures" / "candidates" / "dimas-saputra.yaml"
AS_OF = ("--as-of", "2026-12-01")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def problems_of(path: Path) -> list[tuple[str, int | None, str]]:
    loaded, problems = load_candidates([path])
    assert loaded == []
    return [(p.code, p.line, p.path) for p in problems]


def with_credit(value: str) -> str:
    text = BASE.read_text()
    start = text.index("cumulative_for_pangkat: ") + len("cumulative_for_pangkat: ")
    return text[:start] + value + text[text.index(",", start) :]


@pytest.mark.parametrize(
    "value", ["5.0001", "5.000001", "1e308", "1e39", "-1e30", ".nan", ".inf", "-.inf", "9223372036854775808", "1000000"]
)
def test_unusable_credit_points_are_located_invalid_input(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, "c.yaml", with_credit(value))
    line = (
        with_credit(value)
        .splitlines()
        .index(next(x for x in with_credit(value).splitlines() if x.startswith("angka_kredit")))
        + 1
    )
    got = problems_of(path)
    assert len(got) == 1
    code, at, field = got[0]
    assert code in ("candidate_invalid", "number_out_of_range")
    assert at == line
    assert field.startswith("angka_kredit")
    exit_code, _out, err = run("check", str(path), "--position", "administrator", *AS_OF)
    assert exit_code == 3 and "internal error" not in err and "c.yaml:" in err


@pytest.mark.parametrize("value", ["912.25", "3.333", "999999.999"])
def test_three_decimals_and_large_real_values_still_load(tmp_path: Path, value: str) -> None:
    loaded, problems = load_candidates([write(tmp_path, "c.yaml", with_credit(value))])
    assert problems == []
    credit = loaded[0].candidate.angka_kredit
    assert credit is not None
    assert str(credit.cumulative_for_pangkat) == value
    code, _out, err = run("check", str(tmp_path / "c.yaml"), "--position", "administrator", *AS_OF, "--no-record")
    assert code == 0, err


@pytest.mark.parametrize("depth", [2_000, 100_000])
def test_deep_nesting_is_refused_with_its_line(tmp_path: Path, depth: int) -> None:
    text = BASE.read_text() + "extra: " + "[" * depth + "]" * depth + "\n"
    path = write(tmp_path, "deep.yaml", text)
    line = text.count("\n")
    assert problems_of(path) == [("too_deep", line, "extra[0][0][0][0][0]...")]


def test_deep_json_is_refused_in_a_fresh_process(tmp_path: Path) -> None:
    """100,000 levels used to kill the process by SIGSEGV: run it where a death would show."""
    path = write(tmp_path, "deep.json", '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}")
    code = (
        "from engine.load.intake import load_candidates; from pathlib import Path; "
        f"print([str(p.code) for p in load_candidates([Path({str(path)!r})])[1]])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "['too_deep']"


@pytest.mark.parametrize(
    "tag", ["!!python/object/apply:os.system ['true']", "!!binary aGVsbG8=", "!custom x", "!!set {a, b}"]
)
def test_tags_are_refused_as_input_problems(tmp_path: Path, tag: str) -> None:
    text = BASE.read_text() + f"extra: {tag}\n"
    path = write(tmp_path, "tag.yaml", text)
    assert problems_of(path) == [("unsupported_tag", text.count("\n"), "extra")]
    code, _out, err = run("check", str(path), "--position", "administrator", *AS_OF)
    assert code == 3 and "unsupported_tag" in err


def test_an_alias_bomb_is_refused_before_expansion(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefg", "bcdefgh", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    path = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    ((code, line, _field),) = problems_of(path)
    assert code == "too_large" and line is not None and line <= 8


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "big.yaml", BASE.read_text() + "#" + "x" * 5000 + "\n")
    monkeypatch.setenv(source.MAX_FILE_BYTES_ENV, "4096")
    loaded, problems = load_candidates([path])
    assert loaded == [] and [p.code for p in problems] == ["file_too_large"]
    assert "4,096" in problems[0].message and source.MAX_FILE_BYTES_ENV in problems[0].hint
    monkeypatch.setenv(source.MAX_FILE_BYTES_ENV, "100000")
    assert load_candidates([path])[1] == []


def test_a_history_duplicated_to_thousands_of_entries_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = source.read_document(ROOT / "fixtures" / "candidates" / "hendra-gunawan.json")
    assert isinstance(data, source.Document)
    doc = dict(data.data)
    doc["performance"] = list(doc.get("performance") or [{"period": "2020", "scheme": "PP30_2019"}]) * 20_000
    path = write(tmp_path, "long.json", json.dumps(doc))
    assert [code for code, _l, _f in problems_of(path)] == ["file_too_large"]  # the default limit
    monkeypatch.setenv(source.MAX_FILE_BYTES_ENV, str(100 << 20))
    codes = {(code, field) for code, _line, field in problems_of(path)}
    assert codes == {("candidate_invalid", "performance")}


def test_integers_past_64_bits_are_refused_where_written(tmp_path: Path) -> None:
    text = BASE.read_text() + "lhkpn_or_lhkasn_submitted_year: 92233720368547758080\n"
    path = write(tmp_path, "big-int.yaml", text)
    assert problems_of(path) == [("number_out_of_range", text.count("\n"), "lhkpn_or_lhkasn_submitted_year")]


def test_duplicate_keys_and_second_documents_are_located(tmp_path: Path) -> None:
    text = BASE.read_text()
    assert problems_of(write(tmp_path, "dup.yaml", text + "name: Again\n")) == [
        ("duplicate_key", text.count("\n") + 1, "name")
    ]
    assert problems_of(write(tmp_path, "two.yaml", text + "---\nname: x\n"))[0][:2] == (
        "syntax_error",
        text.count("\n") + 1,
    )


def test_the_published_schema_and_the_loader_agree_on_numbers() -> None:
    code, out, _err = run("schema", "candidate")
    assert code == 0
    schema = json.loads(out)
    for model, field in (("Score", "attained"), ("CreditPoints", "cumulative_for_pangkat")):
        prop = schema["$defs"][model]["properties"][field]
        assert prop["type"] == "number" and "anyOf" not in prop  # a quoted "3.5" is refused by the loader
    score = schema["$defs"]["Score"]["properties"]["attained"]
    assert (score["minimum"], score["maximum"]) == (0, 5)


JSON_BASE = ROOT / "fixtures" / "candidates" / "hendra-gunawan.json"


@pytest.mark.parametrize(
    ("value", "code", "words"),
    [
        ("3.0001", "candidate_invalid", "at most 3 decimal places, got 3.0001"),
        ("5.000001", "candidate_invalid", "decimal places"),
        ("1e308", "candidate_invalid", "out of range"),
        ("1e39", "candidate_invalid", "out of range"),
        ("-1e30", "candidate_invalid", "out of range"),
        ("1e400", "candidate_invalid", "finite"),  # JSON's reader makes it infinity
        ("NaN", "candidate_invalid", "finite"),
        ("Infinity", "candidate_invalid", "finite"),
        ("9223372036854775808", "number_out_of_range", "64-bit"),
        ('"3"', "candidate_invalid", "expected a number"),
        ("true", "candidate_invalid", "expected a number"),
    ],
)
def test_unusable_numbers_in_json_are_located(tmp_path: Path, value: str, code: str, words: str) -> None:
    text = JSON_BASE.read_text()
    old = '{"code": "M01", "attained": 3,'
    line = text[: text.index(old)].count("\n") + 1
    path = write(tmp_path, "c.json", text.replace(old, old.replace("3,", f"{value},"), 1))
    ((got_code, got_line, field),) = problems_of(path)
    assert (got_code, got_line, field) == (code, line, "competency_assessments[0].scores[0].attained")
    message = load_candidates([path])[1][0].message
    assert words in message and message.count("got") <= 1


def test_a_control_character_is_refused_with_its_line(tmp_path: Path) -> None:
    lines = BASE.read_text().splitlines()
    lines[4] = lines[4] + "\x1b[31m"
    path = write(tmp_path, "ctl.yaml", "\n".join(lines) + "\n")
    assert problems_of(path) == [("syntax_error", 5, "")]


@pytest.mark.parametrize("ident", ["[]", "[national]", "{a: 1}"])
def test_a_rule_file_whose_ruleset_id_is_not_text_is_refused_not_a_crash(tmp_path: Path, ident: str) -> None:
    """Found by the full fuzz run: a list as ruleset.id ended in an internal error (unhashable type)."""
    source = ROOT / "rules" / "national" / "managerial.yaml"
    text = source.read_text()
    start = text.index("  id: ", text.index("ruleset:"))
    end = text.index("\n", start)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "managerial.yaml").write_text(text[:start] + f"  id: {ident}" + text[end:])
    code, out, err = run("validate", str(tmp_path / "rules"), "--format", "json")
    assert code == 3, err
    found = {(f["code"], f["field"]) for f in json.loads(out)}
    assert ("rule_invalid", "ruleset.id") in found
