"""Content identity: RFC 8785 canonical JSON (RFC test vectors and the reference package), ULIDs, snapshots."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest
import rfc8785
from audit_support import json_values
from hypothesis import given, settings

from engine.audit.canonical import canonical, compose
from engine.audit.ids import UlidFactory, encode
from engine.audit.snapshot import revive, snapshot
from engine.load.intake import load_candidates

FIXTURES = Path(__file__).parent.parent / "fixtures" / "candidates"


def test_rfc8785_section_3_2_2_example() -> None:
    value = json.loads(
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], '
        '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", '
        '"literals": [null, true, false]}'
    )
    expected = (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
    assert canonical(value) == expected.encode()


def test_rfc8785_section_3_2_3_sorts_by_utf16_units() -> None:
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    keys = list(orjson.loads(canonical(value)))
    assert keys == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


def test_integral_and_tiny_floats_take_the_reference_path() -> None:
    assert canonical({"a": 100.0, "b": -0.0, "c": 1e-7, "d": 1e21}) == b'{"a":100,"b":0,"c":1e-7,"d":1e+21}'
    with pytest.raises(ValueError):  # beyond 2**53 RFC 8785 has no exact number
        canonical([2**53 + 1])


@settings(max_examples=1500, deadline=None)
@given(json_values)
def test_fast_path_is_byte_identical_to_the_rfc8785_package(value: Any) -> None:
    assert canonical(value) == rfc8785.dumps(value)


def test_ulid_encoding_and_order() -> None:
    assert encode(0) == "0" * 26
    assert encode(2**128 - 1) == "7" + "Z" * 25
    moment = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    same_ms = UlidFactory(random=lambda n: b"\xff" * n)  # the random part cannot grow: the id must still
    ids = [same_ms(moment) for _ in range(3)]  # increase within one millisecond
    assert ids == sorted(ids) and len(set(ids)) == 3
    later = UlidFactory()(moment + dt.timedelta(milliseconds=1))
    assert later[:10] > ids[0][:10]


def test_snapshots_rebuild_the_identical_candidate() -> None:
    loaded, _problems = load_candidates([FIXTURES])
    assert loaded
    for item in loaded:
        snap = snapshot(item.candidate)
        again = revive(orjson.loads(orjson.dumps(snap)))
        assert again == item.candidate and snapshot(again) == snap, item.file


def test_snapshot_keeps_decimal_digits() -> None:
    loaded, _problems = load_candidates([FIXTURES])
    data = loaded[0].candidate.model_dump()
    data["competency_assessments"] = [
        {
            "assessment_id": "X-1",
            "provider": "P",
            "provider_accredited": True,
            "date": dt.date(2025, 1, 2),
            "purpose": "PEMETAAN",
            "scores": [{"code": "M01", "attained": Decimal("3.50")}],
            "jpm_percent": Decimal("86.10"),
        }
    ]
    candidate = type(loaded[0].candidate).model_validate(data)
    snap = snapshot(candidate)
    assert snap["competency_assessments"][0]["scores"][0]["attained"] == "3.50"
    again = revive(orjson.loads(orjson.dumps(snap)))
    score = again.competency_assessments[0].scores[0].attained
    assert str(score) == "3.50" and str(again.competency_assessments[0].jpm_percent) == "86.10"


def test_compose_equals_canonical_of_the_whole_object() -> None:
    value: dict[str, Any] = {"seq": 3, "decision": {"b": [1.5, "x"], "a": None}, "actor": "siti", "board": None}
    members = {key: canonical(item) for key, item in value.items()}
    assert compose(members) == rfc8785.dumps(value)
    with pytest.raises(ValueError):
        compose({"not a name": b"1"})
