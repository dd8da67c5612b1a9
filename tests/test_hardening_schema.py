"""`layak schema candidate` and the loader agree: generated documents are accepted by both or refused by both.

JSON Schema cannot state three of the loader's rules, so the schema's descriptions and the README state
them instead, and a disagreement is allowed only there, with the loader naming the rule:
- at most three decimal places (``multipleOf: 0.001`` fails 3.333 in validators that use binary floats);
- whole numbers written without a decimal point (JSON Schema counts 3.0 as an integer);
- rules across fields (an end before its start, jf_jenjang only with jenis JF).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.commands.schema import document
from engine.load.intake import load_candidate_doc
from engine.load.source import Document, parse_text

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted((ROOT / "fixtures" / "candidates").glob("*.*"))
SCHEMA = document("candidate")
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
# The loader's words for the rules the schema cannot state (see the module docstring).
UNSTATABLE = ("decimal places", "expected a whole number", "is before", "is not after", "jf_jenjang")


def _as_json(path: Path) -> Any:
    doc = parse_text(path.read_text(), str(path))
    assert isinstance(doc, Document)
    return json.loads(json.dumps(doc.data, default=str))  # YAML dates as the text they were written as


DOCS = [_as_json(p) for p in FIXTURES]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 300),
    st.integers(),
    st.sampled_from([0, 1, 5, 6, 100, 200, 201, 999_999, 1_000_000, 0.5, 5.5, 4.999, 200.001, -0.001]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False).map(float),
    st.text(max_size=12),
    st.dates().map(str),
    st.sampled_from(["2024-02-30", "20240301", "2024-3-1", "2024-03-01T00:00:00", "3", "3.5", "x" * 2001]),
    st.sampled_from(["S1", "IV/a", "BAIK", "PP30_2019", "JF", "AHLI_MUDA", "DEFINITIF", "198203152006042001"]),
)
NUMBERS = st.one_of(
    st.integers(-3, 300),
    st.sampled_from([0, 1, 5, 6, 100, 200, 201, 999_999, 1_000_000, 0.5, 5.5, 4.999, 200.001, -0.001, 3.0]),
    st.decimals(min_value=-10, max_value=300, places=3, allow_nan=False).map(float),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _paths(tree: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(tree, dict):
        for key, value in tree.items():
            out.extend(_paths(value, (*prefix, key)))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            out.extend(_paths(value, (*prefix, index)))
    return out


def _at(tree: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        tree = tree[part]
    return tree


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    data = json.loads(json.dumps(draw(st.sampled_from(DOCS))))
    for _ in range(draw(st.integers(1, 2))):
        paths = _paths(data)[1:]
        numbers = [p for p in paths if _is_number(_at(data, p))]  # half the time a number: bounds are probed
        prefer_number = draw(st.booleans())
        path = draw(st.sampled_from(numbers if numbers and prefer_number else paths))
        parent = _at(data, path[:-1])
        how = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add"]))
        if how == "replace":
            near = NUMBERS if _is_number(parent[path[-1]]) else VALUES
            parent[path[-1]] = draw(st.one_of(near, near, VALUES))
        elif how == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = draw(VALUES)
    return data


def loader_problems(data: Any) -> list[str] | None:
    """The loader's problem messages, or None when it accepts the document."""
    doc = parse_text(json.dumps(data), "candidate.json")
    if not isinstance(doc, Document):
        return [doc.message]
    result = load_candidate_doc(doc)
    return [p.message for p in result] if isinstance(result, list) else None


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_the_schema_and_the_loader_accept_the_same_documents(data: Any) -> None:
    schema_errors = [e.message for e in VALIDATOR.iter_errors(data)]
    problems = loader_problems(data)
    if problems is None:
        assert schema_errors == [], "the loader accepts what the schema refuses"
    elif not schema_errors:
        assert all(any(rule in message for rule in UNSTATABLE) for message in problems), problems


def test_the_unstatable_rules_are_the_only_disagreements_and_are_stated() -> None:
    base = json.loads(json.dumps(next(d for d in DOCS if d.get("competency_assessments"))))
    score = base["competency_assessments"][0]["scores"][0]
    for field, value, rule in (("attained", 3.3333, "decimal places"), ("standard", 3.0, "expected a whole number")):
        data = json.loads(json.dumps(base))
        data["competency_assessments"][0]["scores"][0][field] = value
        assert not list(VALIDATOR.iter_errors(data))
        assert any(rule in m for m in loader_problems(data) or [])
    assert score["attained"] is not None
    number = SCHEMA["$defs"]["Score"]["properties"]["attained"]
    assert "at most 3 decimal places" in number["description"]
    assert "3, not 3.0" in SCHEMA["description"] and "not before its start" in SCHEMA["description"]
    assert loader_problems(base) is None and not list(VALIDATOR.iter_errors(base))
