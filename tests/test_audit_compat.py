"""Stores written before DecisionRecord existed (record version 1) still verify, show and replay IDENTICAL.

tests/data/audit_v1/store.json holds every row of such a store, verbatim: 13 records from three `check`
runs (administrator with a waiver and notes, pengawas on the reference engine, kenaikan-pangkat-reguler
with nested any_of/all_of) and one `replay --record`, with the two resolved rulesets they name.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from cli_runner import run

from engine.audit.canonical import canonical
from engine.audit.record import RECORD_VERSION, unseal
from engine.audit.rulesets import StoredRulesets
from engine.audit.schema import decisions, rulesets
from engine.audit.store import Store
from engine.compiler.layout import LayoutCache
from engine.decide.record import DecisionRecord

FROZEN = Path(__file__).parent / "data" / "audit_v1" / "store.json"
HEAD = "13:6aa80514adfc6e133a57b14c6b314665eeff63f0de6a4241d5fd2a8a2ea8dbeb"


def frozen() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FROZEN.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def old_store(store_url: str) -> str:
    data = frozen()
    with Store.open(store_url, create=True) as store, store.engine.begin() as conn:
        conn.execute(rulesets.insert(), data["rulesets"])
        conn.execute(decisions.insert(), data["decisions"])
    return store_url


def test_old_records_keep_version_1_while_new_ones_are_version_3() -> None:
    # version 3 seals the dossier whole; the frozen records, hashed as written, stay version 1 and verify
    assert RECORD_VERSION == 3
    assert {json.loads(row["record"])["schema_version"] for row in frozen()["decisions"]} == {1}


def test_every_old_record_reads_as_a_decision_record_byte_for_byte() -> None:
    data = frozen()
    bodies = {r["hash"]: r["body"] for r in data["rulesets"]}
    stored = StoredRulesets(bodies.get, LayoutCache())
    for row in data["decisions"]:
        decided = unseal(json.loads(row["record"]), json.loads(row["personal"]))["decision"]
        record = DecisionRecord.model_validate(decided)
        assert canonical(record.model_dump(mode="json")) == rfc8785.dumps(decided)
        # ... and turns back into a Decision under its stored ruleset, which records as the same bytes.
        layout = stored.layout(record.ruleset.hash, record.position)
        again = record.decision(layout)
        assert again.layout is layout and again.verdict == row["verdict"]
        assert DecisionRecord.of(again) == record
        assert [o.id for o in record.outcomes(layout)] == [r.id for r in record.requirements]
    # one layout per (ruleset, position): administrator and pengawas (one national ruleset), kenaikan-pangkat
    assert len(stored.layouts) == 3


def test_old_store_verifies_and_replays_identical(old_store: str) -> None:
    code, out, err = run("audit", "verify", "--db", old_store, "--expect-head", HEAD, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["ok"] and json.loads(out)["records"] == 13
    code, out, err = run("audit", "head", "--db", old_store)
    assert code == 0 and out.strip() == HEAD
    code, out, err = run("replay", "--all", "--db", old_store, "--format", "json")
    assert code == 0, err
    replayed = json.loads(out)
    assert [r["seq"] for r in replayed] == list(range(1, 14))
    assert all(r["result"] == "IDENTICAL" and r["differences"] == [] for r in replayed)


def test_old_store_shows_with_the_stored_rules(old_store: str) -> None:
    # #3 is Sri Wahyuni for administrator: her 2024 rating is missing (study leave), so she needs review.
    code, out, err = run("audit", "show", "01M8M44Z9MTBP8PRQNA8D9V95Y", "--db", old_store, "--format", "markdown")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[:3] == [
        "- **candidate**: Sri Wahyuni (198602212009122004)",
        "- **position**: administrator",
        "- **verdict**: needs review",
    ]
    assert "- **ruleset**: national 2020.1 (725a7cb3ac1e)" in lines and "- **passed**: 13/14" in lines
    assert "(#3)" in out and "sekretariat-bkd" in out and "SK 821/2026" in out
    assert [c.strip() for c in lines[lines.index("- **passed**: 13/14") + 2].strip("|").split("|")] == [
        "requirement",
        "status",
        "has",
        "needs",
        "gap",
        "basis",
        "description",
    ]
    performance = next(line for line in lines if line.startswith("| performance "))
    assert "missing" in performance and "no usable rating for 2024 (reason: TUGAS_BELAJAR)" in performance
    assert "≥ BAIK" in performance and "PP 11/2017 Pasal 54; PP 100/2000 Pasal 5" in performance
    child = next(line for line in lines if line.startswith("| └ experience-ahli-muda"))
    assert "needs ≥ 3 years, has 0 months (3 years short)" in child
    # The same record by sequence number, and as JSON: the record as stored, plus the stored texts.
    code, again, _e = run("audit", "show", "#3", "--db", old_store, "--format", "markdown")
    assert code == 0 and again == out
    code, out, _e = run("audit", "show", "3", "--db", old_store, "--format", "json")
    shown = json.loads(out)
    assert shown["record"]["decision"]["candidate"]["name"] == "Sri Wahyuni"
    assert (shown["passed"], shown["total"]) == (13, 14)
    assert [r["id"] for r in shown["requirements"]] == [r["id"] for r in shown["record"]["decision"]["requirements"]]


def test_old_ids_stay_valid_and_prefixes_say_what_they_match(old_store: str) -> None:
    # The two kenaikan-pangkat records (#11, #12) were made in one run: their ids differ in the last character.
    code, out, _e = run("audit", "show", "01M8M450NHST32PB696W39YD0Z", "--db", old_store)
    assert code == 0 and out.startswith("candidate: Wulan Sari")
    code, out, _e = run("audit", "show", "01m8m450nhst32pb696w39yd0", "--db", old_store)  # case does not matter
    assert code == 3
    assert "is the start of 2 decision ids" in _e and "#11 01M8M450NHST32PB696W39YD0Y" in _e and "e.g. #11" in _e
    code, _o, err = run("audit", "show", "01M8M4", "--db", old_store)
    assert code == 3 and "at least 4 decision ids" in err and "ambiguous_decision" in err
    code, _o, err = run("audit", "show", "01M8", "--db", old_store)
    assert code == 3 and "too short" in err
    code, out, _e = run("replay", "#12", "--db", old_store, "--format", "json")
    assert code == 0 and [r["seq"] for r in json.loads(out)] == [12]


def test_a_record_whose_ruleset_is_not_stored_is_shown_as_recorded_and_replays_different(tmp_path: Path) -> None:
    db = str(tmp_path / "no-rulesets.db")
    with Store.open(db, create=True) as store, store.engine.begin() as conn:
        conn.execute(decisions.insert(), frozen()["decisions"][:2])
    code, _out, err = run("audit", "show", "#1", "--db", db)
    assert code == 3 and "ruleset_unavailable" in err and "725a7cb3ac1e is not stored" in err
    assert "Traceback" not in err and "internal error" not in err
    code, out, err = run("audit", "show", "#1", "--db", db, "--format", "json")  # the record itself still shows
    assert code == 0, err
    shown = json.loads(out)
    assert shown["requirements"] is None and shown["record"]["decision"]["candidate"]["name"] == "Budi Santoso"
    code, out, _e = run("replay", "--all", "--db", db, "--format", "json")
    assert code == 1
    assert [d["where"] + " " + d["field"] for r in json.loads(out) for d in r["differences"]] == [
        "(ruleset) stored",
        "(ruleset) stored",
    ]
