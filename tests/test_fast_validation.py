"""The native fast path of plain JSON dossiers: it never accepts what the full loader refuses, and what it
accepts equals the full loader's candidate (value, JSON bytes, fields set), on real and mutated dossiers."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from dossier_support import PERSON
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter
from pydantic_core import SchemaValidator

from engine.errors import Problem
from engine.load import fast
from engine.load.candidate import Candidate
from engine.load.intake import load_candidate_doc, plain_candidate, plain_json
from engine.load.source import long_numbers, parse_text, read_document
from engine.load.values import _HIGH, _LOW, Attained, Number, date_before, decimal_before

ROOT = Path(__file__).resolve().parents[1]


def full(raw: bytes) -> Candidate | None:
    """What the full loader makes of the bytes (the path every file the fast path declines takes)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    doc = parse_text(text, "dossier.json")
    if isinstance(doc, Problem):
        return None
    result = load_candidate_doc(doc)
    return None if isinstance(result, list) else result.candidate


def assert_same(got: Any, expected: Any) -> None:
    """Equal, of the same types all the way down, with the same fields set and the same text of every value."""
    assert type(got) is type(expected)
    if isinstance(got, BaseModel):
        assert got.model_fields_set == expected.model_fields_set
        for name in type(got).model_fields:
            assert_same(getattr(got, name), getattr(expected, name))
    elif isinstance(got, list):
        assert len(got) == len(expected)
        for one, other in zip(got, expected, strict=True):
            assert_same(one, other)
    else:
        assert got == expected
        assert repr(got) == repr(expected)  # Decimal('5') is not Decimal('5.0')


def assert_differential(raw: bytes) -> Candidate | None:
    """Every fast route either declines or gives exactly the full loader's candidate; returns the latter."""
    expected = full(raw)
    data = plain_json(raw)
    loaded = plain_candidate("x", raw)
    parsed = fast.from_data(data) if data is not None else None
    routes = [fast.from_json(raw), parsed, loaded.candidate if loaded else None]
    for got in routes:
        if got is not None:
            assert expected is not None, raw[:300]
            assert_same(got, expected)
            assert got.model_dump_json() == expected.model_dump_json()
    # plain_candidate declines only what the full loader refuses, what orjson cannot read, and numbers orjson
    # would round (long_numbers: the full loader reads them exactly)
    assert (loaded is None) == (expected is None) or data is None or long_numbers(raw), raw[:300]
    return expected


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def _seeds() -> list[Any]:
    """Real dossiers as JSON data: the hand-written and SIASN-imported fixtures, and a slice of the population."""
    yaml_files = sorted((ROOT / "fixtures" / "candidates").glob("*.yaml"))
    yaml_files += sorted((ROOT / "fixtures" / "siasn").glob("expected*/*.yaml"))
    seeds = []
    for path in yaml_files:
        doc = read_document(path)
        assert not isinstance(doc, Problem)
        seeds.append(_jsonable(doc.data))
    population = sorted((ROOT / "fixtures" / "population" / "candidates").glob("*.json"))
    seeds += [json.loads(path.read_bytes()) for path in population[::25]]
    return seeds


SEEDS = _seeds()


def test_every_real_dossier_takes_the_fast_path_and_equals_the_full_loader() -> None:
    population = sorted((ROOT / "fixtures" / "population" / "candidates").glob("*.json"))
    raws = [path.read_bytes() for path in population[::5]]
    raws += [json.dumps(seed, ensure_ascii=False).encode() for seed in SEEDS]
    for raw in raws:
        expected = full(raw)
        assert expected is not None
        got = fast.from_json(raw)
        assert got is not None, raw[:200]
        assert_same(got, expected)


def test_the_native_schema_keeps_only_the_model_validators_in_python() -> None:
    schema = fast.native(Candidate.__pydantic_core_schema__)
    functions: list[Any] = []
    kinds: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            kinds.add(str(node.get("type")))
            if isinstance(node.get("function"), dict):
                functions.append(node["function"]["function"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    # C builtins (a float's text, then the shared number of a checked text or of an integer) and the models' own
    native_steps = {repr, fast._of_text, fast._of_integer}
    assert {getattr(f, "__name__", "") for f in functions if f not in native_steps} == {"_consistent", "_dated"}
    assert fast._of_text.__wrapped__ is Decimal and fast._of_integer.__wrapped__ is Decimal
    # every JSON object of an accepted dossier is a model (the colon count of from_json relies on it), and no
    # before-validator can add fields the input did not set
    assert not kinds & {"dict", "any", "typed-dict", "function-before", "function-wrap"}
    # the model's own schema and validator are untouched, and its classes complete again
    walk(Candidate.__pydantic_core_schema__)
    assert date_before in functions and decimal_before in functions
    fast.fast_validator()
    assert all(cls.__dict__["__pydantic_complete__"] is True for cls in fast._NESTED)
    assert "Prebuilt" not in repr(fast.fast_validator())[:200]


MINIMAL: dict[str, Any] = {
    **PERSON,
    "performance": [{"period": "2024", "scheme": "PP30_2019", "numeric_score": "SCORE"}],
    "competency_assessments": [
        {
            "assessment_id": "A1",
            "provider": "BKN",
            "provider_accredited": True,
            "date": "2024-05-02",
            "purpose": "PEMETAAN",
            "scores": [{"code": "M01", "attained": "ATTAINED"}],
        }
    ],
}


def _with(**texts: str) -> bytes:
    raw = json.dumps(MINIMAL, separators=(",", ":"))
    raw = raw.replace('"SCORE"', texts.get("score", "80")).replace('"ATTAINED"', texts.get("attained", "3"))
    return raw.replace('"1980-01-01"', texts.get("birth", '"1980-01-01"')).encode()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5", "5"),
        ("84.34", "84.34"),
        ("84.0", "84.0"),
        ("84.340", "84.34"),
        ("8434e-2", "84.34"),
        ("1e-3", "0.001"),
        ("1E2", "100.0"),
        ("-0", "0"),
        ("-0.0", "-0.0"),
        ("999999.999", "999999.999"),
        ("-999999.999", "-999999.999"),
        ("null", None),
        ("1000000", "refused"),
        ("999999.9995", "refused"),
        ("84.3456", "refused"),
        ("1e-05", "refused"),
        ('"84.34"', "refused"),
        ('"5"', "refused"),
        ("true", "refused"),
        ("NaN", "refused"),
        ("-Infinity", "refused"),
        ("1e400", "refused"),
        ("1" + "0" * 30, "refused"),
        ("[]", "refused"),
    ],
)
def test_numbers_from_json(text: str, expected: str | None) -> None:
    raw = _with(score=text)
    found = assert_differential(raw)
    if expected == "refused":
        assert found is None
    else:
        assert found is not None and fast.from_json(raw) is not None
        score = found.performance[0].numeric_score
        assert (repr(score) if score is not None else None) == (f"Decimal('{expected}')" if expected else None)


@pytest.mark.parametrize(
    ("text", "accepted"),
    [("0", True), ("5", True), ("4.999", True), ("5.0", True), ("5.001", False), ("-0.001", False), ("6", False)],
)
def test_bounded_numbers_from_json(text: str, accepted: bool) -> None:
    raw = _with(attained=text)
    assert (assert_differential(raw) is not None) == accepted
    assert (fast.from_json(raw) is not None) == accepted


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ('"2024-02-29"', True),
        ('"0001-01-01"', True),
        ('"9999-12-31"', True),
        ('"2023-02-29"', False),
        ('"2024-02-30"', False),
        ('"2024-13-01"', False),
        ('"2024-00-10"', False),
        ('"2024-01-00"', False),
        ('"0000-01-01"', False),
        ('"2024-1-1"', False),
        ('"2024-01-01T00:00:00"', False),
        ('"2024-01-01Z"', False),
        ('" 2024-01-01"', False),
        ('"2024-01-01\\n"', False),
        ('"\uff12\uff10\uff12\uff14-01-01"', False),
        ('"20240101"', False),
        ("20240101", False),
        ("null", False),
        ("true", False),
    ],
)
def test_dates_from_json(text: str, accepted: bool) -> None:
    raw = _with(birth=text)
    found = assert_differential(raw)
    assert (found is not None) == accepted
    assert (fast.from_json(raw) is not None) == accepted
    if found is not None:
        assert found.birth_date == dt.date.fromisoformat(json.loads(text))


@pytest.mark.parametrize(
    ("field", "text", "accepted"),
    [
        ("lhkpn_or_lhkasn_submitted_year", "2020", True),
        ("lhkpn_or_lhkasn_submitted_year", "2020.0", False),
        ("lhkpn_or_lhkasn_submitted_year", "2e3", False),
        ("lhkpn_or_lhkasn_submitted_year", '"2020"', False),
        ("lhkpn_or_lhkasn_submitted_year", "true", False),
        ("lhkpn_or_lhkasn_submitted_year", "1" + "0" * 25, False),
        ("provider_accredited", "false", True),
        ("provider_accredited", "0", False),
        ("provider_accredited", '"true"', False),
        ("name", '"Sri\\tWahyuni"', True),
        ("name", '"Sri\tWahyuni"', False),  # a raw tab inside a string is not JSON
        ("name", '"' + "x" * 2000 + '"', True),
        ("name", '"' + "x" * 2001 + '"', False),
        ("name", "12", False),
        ("employee_status", '"pns"', False),
        ("nip", '"19800101200501100"', False),
    ],
)
def test_other_values_from_json(field: str, text: str, accepted: bool) -> None:
    old = {"lhkpn_or_lhkasn_submitted_year": '"tmt_cpns"', "provider_accredited": "true"}.get(field)
    raw = _with()
    if old == '"tmt_cpns"':
        raw = raw.replace(b'"tmt_cpns"', f'"{field}":{text},"tmt_cpns"'.encode())
    elif old is not None:
        raw = raw.replace(f'"{field}":{old}'.encode(), f'"{field}":{text}'.encode())
    else:
        value = json.dumps(MINIMAL[field]).encode()
        raw = raw.replace(f'"{field}":'.encode() + value, f'"{field}":{text}'.encode())
    assert raw != _with()
    assert (assert_differential(raw) is not None) == accepted
    assert (fast.from_json(raw) is not None) == accepted


def _date_or_none(validate: Any, value: Any) -> dt.date | None:
    try:
        found: dt.date = validate(value)
    except ValueError:
        return None
    return found


def test_every_calendar_text_reads_as_the_model_reads_it() -> None:
    native = SchemaValidator(fast._DATE)
    for year in ("0000", "0001", "1900", "2000", "2023", "2024", "9999"):
        for month in range(100):
            for day in range(100):
                text = f"{year}-{month:02d}-{day:02d}"
                expected = _date_or_none(date_before, text)
                assert _date_or_none(native.validate_python, text) == expected, text
                assert _date_or_none(native.validate_json, json.dumps(text)) == expected, text


DATE = SchemaValidator(fast._DATE)


@settings(max_examples=3000, deadline=None)
@given(
    st.one_of(
        st.text(alphabet="0123456789-:TtZz+ .W/\u00a0\uff10\u0660", min_size=6, max_size=26),
        st.datetimes().map(str),
        st.datetimes().map(dt.datetime.isoformat),
        st.integers(-(10**11), 10**11),
        st.floats(),
    )
)
def test_a_json_date_is_taken_only_as_the_model_takes_it(value: Any) -> None:
    # the model's date reads only "YYYY-MM-DD" text of a real date; the native date must refuse every other text
    # (times, zones, ordinal and week dates, other digits, a string of digits pydantic-core reads as a timestamp)
    # and every number
    expected = _date_or_none(date_before, value)
    got = _date_or_none(DATE.validate_json, json.dumps(value))
    assert got == expected


def test_a_repeated_key_is_refused_as_the_full_loader_refuses_it() -> None:
    raw = _with().replace(b'"name":"Sri Wahyuni"', b'"name":"Sri Wahyuni","name":"Sri Wahyuni"')
    assert fast.from_json(raw) is None
    assert plain_candidate("x", raw) is None
    assert full(raw) is None
    inner = _with().replace(b'"tmt":"2005-01-01"}', b'"tmt":"2005-01-01","tmt":"2005-01-01"}')
    assert fast.from_json(inner) is None and plain_candidate("x", inner) is None and full(inner) is None
    # inside a model inside a list item (the count walks into an item only when it sets such a field)
    sourced = _with().replace(b'"tmt":"2005-01-01"}', b'"tmt":"2005-01-01","source":{"system":"SIASN"}}')
    assert fast.from_json(sourced) is not None
    for twice in (b'"source":{"system":"SIASN","system":"SIASN"}', b'"source":{"system":"SIASN"},"source":null'):
        raw = sourced.replace(b'"source":{"system":"SIASN"}', twice)
        assert fast.from_json(raw) is None and plain_candidate("x", raw) is None and full(raw) is None


def test_a_colon_inside_a_string_takes_the_parsed_path() -> None:
    raw = _with().replace(b'"Sri Wahyuni"', b'"Sri: Wahyuni"')
    assert fast.from_json(raw) is None  # the colon count cannot tell it from a repeated key
    found = plain_candidate("x", raw)
    expected = full(raw)
    assert found is not None and expected is not None and found.candidate.name == "Sri: Wahyuni"
    assert_same(found.candidate, expected)


@pytest.mark.parametrize(
    ("written", "name"),
    [
        (b"Sri \\u0057ahyuni", "Sri Wahyuni"),
        (b"Sr\\u00ed Wahyuni", "Sr\u00ed Wahyuni"),
        (b"Sri \\ud83d\\ude00", "Sri \U0001f600"),
        (b"Sri\\u003a Wahyuni", "Sri: Wahyuni"),
    ],
)
def test_escapes_read_as_the_full_loader_reads_them(written: bytes, name: str) -> None:
    raw = _with().replace(b"Sri Wahyuni", written)
    found = fast.from_json(raw)
    expected = full(raw)
    assert found is not None and expected is not None and found.name == name
    assert_same(found, expected)


def test_an_escaped_key_written_twice_is_refused() -> None:
    raw = _with().replace(b'"name":"Sri Wahyuni"', b'"name":"Sri Wahyuni","n\\u0061me":"Sri Wahyuni"')
    assert fast.from_json(raw) is None and plain_candidate("x", raw) is None and full(raw) is None


def test_a_lone_surrogate_is_left_to_the_full_loader() -> None:
    raw = _with().replace(b"Sri Wahyuni", b"Sri \\ud800")
    assert fast.from_json(raw) is None and plain_candidate("x", raw) is None
    assert full(raw) is None  # parsed by the full loader, then refused by the model as no valid text


# ---------------------------------------------------------------- differential over mutated real dossiers


class Raw(str):
    """JSON text written as it is (NaN, huge numbers, escapes, exponents)."""


class Pairs(list[tuple[str, Any]]):
    """A JSON object that may repeat a key."""


def dump(value: Any, item: str, colon: str, ascii_only: bool) -> str:
    if isinstance(value, Raw):
        return str(value)
    pairs = value.items() if isinstance(value, dict) else value if isinstance(value, Pairs) else None
    if pairs is not None:
        return "{" + item.join(json.dumps(k) + colon + dump(v, item, colon, ascii_only) for k, v in pairs) + "}"
    if isinstance(value, list):
        return "[" + item.join(dump(v, item, colon, ascii_only) for v in value) + "]"
    return json.dumps(value, ensure_ascii=ascii_only)


ODD: list[Any] = [
    *map(
        Raw,
        [
            "NaN",
            "Infinity",
            "-Infinity",
            "1e400",
            "-0",
            "1E2",
            "84.340",
            "8434e-2",
            "1.0",
            "0.1e1",
            "9" * 25,
            "1" + "0" * 400,
            '"\\u0032024-01-01"',
            '"\\ud800"',
            '"a\\u003ab"',
            '"\\u0041"',
        ],
    ),
    "84.34",
    "5",
    True,
    False,
    None,
    84.3456,
    1e-05,
    0.001,
    999999.999,
    1000000,
    -999999.999,
    10**20,
    5,
    0,
    -0.0,
    84.0,
    "2024-02-30",
    "2024-1-1",
    "2024-01-01T00:00:00",
    20240101,
    "2024-02-29",
    "0000-01-01",
    "\uff12\uff10\uff12\uff14-01-01",
    "2024-01-01 ",
    "a:b",
    "",
    "x" * 2001,
    [],
    {},
    "SANGAT_BAIK",
    "JF",
    "III/a",
    "PNS",
]
VALUES = st.one_of(
    st.sampled_from(ODD),
    st.integers(-(10**7), 10**7),
    st.floats(),
    st.decimals(min_value=-(10**7), max_value=10**7, places=4).map(lambda d: Raw(str(d))),
    st.dates().map(dt.date.isoformat),
    st.text(max_size=12),
)
KEYS = st.sampled_from(["extra", "nip", "tmt", "source", "numeric_score", "name", "Name", "date", "scores"])


def _alike(value: Any) -> st.SearchStrategy[Any]:
    """Values of the same kind as a real one, mostly ones the model accepts: the differential then compares
    accepted dossiers, not only refusals."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int | float):
        return st.one_of(
            st.integers(0, 100),
            st.decimals(min_value=0, max_value=100, places=3).map(lambda d: Raw(str(d))),
            st.floats(0, 100).map(lambda f: round(f, 2)),
            st.sampled_from([Raw("1E1"), Raw("2.50"), Raw("0.0"), Raw("-0"), 1e-05, 84.3456]),
        )
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-":
        return st.dates(dt.date(1950, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat)
    if isinstance(value, str):
        return st.one_of(st.text(max_size=20), st.just(value + ":"), st.just(value + "\u00e9"))
    return st.just(value)


def _places(tree: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [at]
    children = tree.items() if isinstance(tree, dict) else enumerate(tree) if isinstance(tree, list) else []
    for key, child in children:
        out += _places(child, (*at, key))
    return out


def _at(tree: Any, at: tuple[Any, ...]) -> Any:
    for part in at:
        tree = tree[part]
    return tree


def _mutate(tree: Any, data: st.DataObject) -> tuple[Any, bool]:
    """The tree mutated once, and whether it can take another mutation (not after a key is repeated)."""
    kinds = ["alike"] * 6 + ["value", "value", "value", "delete", "extra", "repeat", "repeat same"]
    kind = data.draw(st.sampled_from(kinds))
    if kind == "alike":
        at = data.draw(st.sampled_from(_places(tree)[1:]))
        _at(tree, at[:-1])[at[-1]] = data.draw(_alike(_at(tree, at)))
        return tree, True
    if kind == "value":
        at = data.draw(st.sampled_from(_places(tree)[1:]))
        _at(tree, at[:-1])[at[-1]] = data.draw(VALUES)
        return tree, True
    objects = [at for at in _places(tree) if isinstance(_at(tree, at), dict) and _at(tree, at)]
    at = data.draw(st.sampled_from(objects))
    node = _at(tree, at)
    if kind == "delete":
        del node[data.draw(st.sampled_from(sorted(node)))]
        return tree, True
    if kind == "extra":
        node[data.draw(KEYS)] = data.draw(VALUES)
        return tree, True
    # the same key twice: the full loader refuses the file whatever the values
    key = data.draw(st.sampled_from(sorted(node)))
    pairs = Pairs(node.items())
    pairs.insert(data.draw(st.integers(0, len(pairs))), (key, node[key] if kind == "repeat same" else 1))
    if not at:
        return pairs, False
    _at(tree, at[:-1])[at[-1]] = pairs
    return tree, False


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_dossiers_fast_accepts_only_what_the_full_loader_accepts_and_equally(data: st.DataObject) -> None:
    tree = copy.deepcopy(data.draw(st.sampled_from(SEEDS)))
    for _ in range(data.draw(st.integers(0, 3))):
        tree, more = _mutate(tree, data)
        if not more:
            break
    item = data.draw(st.sampled_from([",", ", ", ",\n  "]))
    colon = data.draw(st.sampled_from([":", ": ", " : "]))
    raw = dump(tree, item, colon, data.draw(st.booleans())).encode("utf-8")
    assert_differential(raw)


def test_the_fuzz_corpus_through_the_differential() -> None:
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from fuzz_inputs import make_case

    for number in range(80):
        assert_differential(make_case(20261129, number, "candidate").content)


NUMBER_SCHEMAS = [
    (TypeAdapter(Number), SchemaValidator(fast._number(_LOW, _HIGH))),
    (TypeAdapter(Attained), SchemaValidator(fast._number(Decimal(0), Decimal(5)))),
]


@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.floats(), st.integers(-(10**7), 10**7), st.booleans(), st.text(max_size=8)))
def test_numbers_read_as_the_model_reads_them(value: Any) -> None:
    for model, native in NUMBER_SCHEMAS:
        try:
            expected: Decimal | None = model.validate_python(value)
        except ValueError:
            expected = None
        try:
            got: Decimal | None = native.validate_python(value)
        except ValueError:
            got = None
        # the same numbers, the same Decimal text; a refusal only where the model refuses too
        assert repr(got) == repr(expected) or (got is None and isinstance(value, str))


# ---------------------------------------------------------------- every field, every kind of JSON value


def _fields(tree: Any, seen: set[tuple[Any, ...]] | None = None) -> list[tuple[Any, ...]]:
    """One place of each field (and of each list and its first item): the other items of a list are alike; none
    of the shapes in ``seen``, which gets those found."""
    seen = set() if seen is None else seen
    found = []
    for at in _places(tree)[1:]:
        shape = tuple(part if isinstance(part, str) else 0 for part in at)
        if shape not in seen and all(part == 0 for part in at if not isinstance(part, str)):
            seen.add(shape)
            found.append(at)
    return found


def _models_met(tree: Any) -> set[type]:
    found = fast.from_json(json.dumps(tree).encode())
    assert found is not None
    met = set()
    stack: list[Any] = [found]
    while stack:
        value = stack.pop()
        if isinstance(value, BaseModel):
            met.add(type(value))
            stack.extend(getattr(value, name) for name in type(value).model_fields)
        elif isinstance(value, list):
            stack.extend(value)
    return met


def _rich_dossiers() -> list[Any]:
    """Seeds that together meet every model of Candidate, the one with the most fields first; no seed lists the
    files of its provenance, so one is given a file."""
    seeds = copy.deepcopy(SEEDS)
    for seed in seeds:
        if "provenance" in seed:
            seed["provenance"]["files"] = [{"name": "a.json", "endpoint": "rw-golongan", "sha256": "0" * 64}]
            break
    chosen: list[Any] = []
    met: set[type] = set()
    while met != set(fast._NESTED):
        best = max(seeds, key=lambda seed: (len(_models_met(seed) - met), len(_fields(seed))))
        assert _models_met(best) - met, set(fast._NESTED) - met
        chosen.append(best)
        met |= _models_met(best)
    return chosen


RICH = _rich_dossiers()
_SEEN: set[tuple[Any, ...]] = set()
RICH_FIELDS = [_fields(tree, _SEEN) for tree in RICH]  # each field once, in the first dossier that has it

# One value of every JSON kind and of the forms the model treats apart: bools where numbers are expected and
# numbers where strings, dates or codes are, integers past 64 bits, exponents, negative zero, floats with more
# places than the model takes, NaN, and texts of the model's own kinds (a date, a code, an escaped one).
EVERY_KIND: list[Any] = [
    True,
    None,
    0,
    5,
    -0.0,
    2.5,
    84.3456,
    Raw("1E1"),
    Raw("1" + "0" * 20),
    Raw("NaN"),
    "",
    "5",
    "2024-02-29",
    "PNS",
    "III/a",
    "M01",
    Raw('"\\u0050NS"'),
    [],
    [1],
    {},
]


@pytest.mark.parametrize("seed", range(len(RICH)))
def test_every_field_takes_every_kind_of_value_only_as_the_full_loader_does(seed: int) -> None:
    # the bytes (validate_json) and the parsed data (validate_python: the lax and strict rules differ between JSON
    # and Python input) are both judged by the model's own validator, for every field of every model of Candidate
    tree = RICH[seed]
    for at in RICH_FIELDS[seed]:
        for value in EVERY_KIND:
            mutated = copy.deepcopy(tree)
            _at(mutated, at[:-1])[at[-1]] = value
            assert_differential(dump(mutated, ",", ":", False).encode("utf-8"))


def test_the_rich_dossiers_meet_every_model_of_the_candidate() -> None:
    assert set().union(*map(_models_met, RICH)) == set(fast._NESTED)
    assert all(fast.from_json(dump(tree, ",", ":", False).encode()) is not None for tree in RICH)


@pytest.mark.parametrize(
    "raw",
    [
        b"\xef\xbb\xbf" + _with(),  # a byte order mark: the full loader refuses it
        _with().replace(b"Sri Wahyuni", b"Sri \xff Wahyuni"),  # not UTF-8
        _with().replace(b"Sri Wahyuni", b"Sri \xed\xa0\x80"),  # a surrogate written as UTF-8
        _with().replace(b"Sri Wahyuni", b"Sri \xc0\xaf"),  # an overlong form
        _with()[:-1],  # cut short
        _with() + b"{}",  # two documents
    ],
)
def test_bytes_the_full_loader_refuses_are_refused(raw: bytes) -> None:
    assert full(raw) is None
    assert fast.from_json(raw) is None and plain_candidate("x", raw) is None


@pytest.mark.parametrize("raw", [_with() + b"\n", b" \t" + _with() + b"\r\n", _with().replace(b":", b" : ")])
def test_white_space_around_the_dossier_is_read_as_the_full_loader_reads_it(raw: bytes) -> None:
    found, expected = fast.from_json(raw), full(raw)
    assert found is not None and expected is not None
    assert_same(found, expected)


def test_equal_numbers_keep_their_own_text_when_numbers_are_shared() -> None:
    # numbers are made once per integer or text and shared between dossiers: equal values of another text (5 and
    # 5.0, 0 and -0.0) must still each read as the full loader reads them, whatever came before
    texts = ["5", "5.0", "5", "0", "-0.0", "0.0", "-0", "84.340", "84.34", "84.3", "84.30", "1E2", "100"]
    for text in texts + texts[::-1]:
        raw = _with(score=text)
        found, expected = fast.from_json(raw), full(raw)
        assert found is not None and expected is not None, text
        assert repr(found.performance[0].numeric_score) == repr(expected.performance[0].numeric_score), text
    one, other = fast.from_json(_with(score="84.34")), fast.from_json(_with(score="84.34"))
    assert one is not None and other is not None
    assert one.performance[0].numeric_score is other.performance[0].numeric_score  # shared: hashed once
