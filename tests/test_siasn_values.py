"""Reading single SIASN values, the schema additions, and how unrecorded histories reach the facts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cli_runner import run
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from engine.facts.derive import derive
from engine.load.candidate import Candidate
from engine.siasn.histories import Import, ranks
from engine.siasn.inputs import Response
from engine.siasn.values import Finding, Reader

ROOT = Path(__file__).resolve().parent.parent


def _reader(record: dict[str, object]) -> tuple[Reader, list[Finding]]:
    findings: list[Finding] = []
    return Reader("199001012015031001", "x/rw-golongan.json", record, findings), findings


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("29-01-2024", dt.date(2024, 1, 29)),
        ("2022-04-01T00:00:00Z", dt.date(2022, 4, 1)),
        ("2022-04-01", dt.date(2022, 4, 1)),
        ("", None),
        (None, None),
        ("-", None),
        ("01-01-0001", None),
        ("0001-01-01T00:00:00Z", None),
    ],
)
def test_dates_in_every_siasn_form(raw: str | None, expected: dt.date | None) -> None:
    reader, findings = _reader({"id": "R1", "tmt": raw})
    assert reader.date("tmt") == expected
    assert findings == []


@pytest.mark.parametrize("raw", ["31-02-2024", "2024/01/29", "29-01-24", "2022-04-01T07:00:00+07:00"])
def test_unreadable_dates_are_reported_not_guessed(raw: str) -> None:
    reader, findings = _reader({"id": "R1", "tmt": raw})
    assert reader.date("tmt") is None
    assert [(f.code, f.record_id, f.key, f.args["value"]) for f in findings] == [("bad_date", "R1", "tmt", raw)]


def test_codes_in_decimal_form_and_unknown_codes() -> None:
    table = {"1": "DI_ATAS", "2": "SESUAI", "05": "SD"}
    reader, findings = _reader({"id": "R2", "a": "2.00", "b": "5", "c": "7", "d": 2})
    assert reader.code("a", table, "rating") == ("2", "SESUAI")
    assert reader.code("b", table, "tk") == ("05", "SD")
    assert reader.code("c", table, "rating") == ("7", None)
    assert reader.code("d", table, "rating") == (None, None)
    assert [(f.kind, f.code, f.key) for f in findings] == [
        ("inferred", "code_normalised", "a"),
        ("inferred", "code_normalised", "b"),
        ("unmapped", "unknown_code", "c"),
        ("unmapped", "not_a_string", "d"),
    ]


def test_schema_documents_the_import_fields() -> None:
    code, stdout, _err = run("schema", "candidate")
    assert code == 0
    schema = json.loads(stdout)
    props = schema["properties"]
    assert {"provenance", "legal_position"} <= set(props)
    assert "not_recorded" in schema["$defs"]["Provenance"]["properties"]
    inferred = schema["$defs"]["SourceRef"]["properties"]["inferred"]
    assert "assumed DEFINITIF" in inferred["description"]
    assert "SOURCE_CONFLICT" in json.dumps(schema["$defs"]["Performance"])
    assert "provenance" not in schema.get("required", [])


def _budi() -> dict[str, object]:
    data: dict[str, object] = YAML(typ="safe", pure=True).load(
        (ROOT / "fixtures" / "candidates" / "budi-santoso.yaml").read_text()
    )
    return data


def test_unrecorded_histories_make_their_facts_missing() -> None:
    as_of = dt.date(2026, 12, 1)
    plain = derive(Candidate.model_validate(_budi()), as_of)
    assert plain.values["training.PKP"] is True and plain.values["sanction_active"] is False
    doc = _budi()
    doc["provenance"] = {
        "system": "SIASN",
        "importer": "layak 0.1.0",
        "not_recorded": ["trainings", "discipline", "performance", "pangkat"],
    }
    facts = derive(Candidate.model_validate(doc), as_of)
    for name in (
        "training.PKP",
        "training.LATSAR",
        "sanction_active",
        "sanction_pending",
        "worst_sanction_last_24m",
        "rating_min_last_1y",
        "rating_min_last_2y",
        "golongan",
        "months_in_rank",
        "below_education_ceiling",
    ):
        assert name not in facts.values
        assert facts.missing[name].code == "not_recorded"
    assert facts.missing["golongan"].args == {"history": "pangkat", "source": "SIASN"}
    assert facts.values["education"] == plain.values["education"]


def test_unknown_provenance_fields_are_refused() -> None:
    doc = _budi()
    doc["provenance"] = {"system": "SIASN", "importer": "x", "not_recorded": ["everything"]}
    with pytest.raises(ValueError, match="not_recorded"):
        Candidate.model_validate(doc)
    doc["provenance"] = {"system": "SIASN", "importer": "x", "files": [{"name": "a", "endpoint": "b", "sha256": "xyz"}]}
    with pytest.raises(ValueError, match="sha256"):
        Candidate.model_validate(doc)


GOLONGAN = {
    "I/a",
    "I/b",
    "I/c",
    "I/d",
    "II/a",
    "II/b",
    "II/c",
    "II/d",
    "III/a",
    "III/b",
    "III/c",
    "III/d",
    "IV/a",
    "IV/b",
    "IV/c",
    "IV/d",
    "IV/e",
}
_VALUES = st.one_of(
    st.none(),
    st.integers(),
    st.sampled_from(
        ["", "-", "01-01-0001", "34", "46", "2.00", "101", "2022-04-01T00:00:00Z", "31-03-2022", "2022-04-01"]
    ),
    st.text(max_size=12),
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {"golonganId": _VALUES, "tmtGolongan": _VALUES, "jenisKPId": _VALUES, "skNomor": _VALUES}
        ),
        max_size=5,
    )
)
def test_no_rank_record_is_dropped_silently(records: list[dict[str, object]]) -> None:
    data = [{"id": f"ROW{i}", **r} for i, r in enumerate(records)]
    imp = Import("199001012015031001")
    mapped = ranks(imp, Response("rw-golongan", "x/rw-golongan.json", "0" * 64, data))
    kept = {entry["source"]["record_id"] for entry in mapped}
    reported = {f.record_id for f in imp.findings if f.code == "row_skipped"}
    assert kept | reported == {row["id"] for row in data} and not kept & reported
    for entry in mapped:
        assert isinstance(entry["tmt"], dt.date) and entry["golongan"] in GOLONGAN
    assert bool(reported) == ("pangkat" in imp.not_recorded)
