"""Stores written with record version 2 (every quasi-identifier sealed one by one) still verify, show, replay
IDENTICAL and export, plain and redacted.

tests/data/audit_v2/store.json holds every row of such a store, verbatim: 12 records from four `check` runs
(administrator from three YAML dossiers and a JSON file, one of them a variant of sri-wahyuni.yaml whose last
assessment has no scores, so the "no_jpm" notes carry its id, sealed by place; pengawas on the reference engine;
kenaikan-pangkat-reguler from three lines of a bundle; jf-ahli-muda) and two `replay --record` (of #2 and #4),
with the resolved rulesets they name.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from audit_support import rows
from cli_runner import run

from engine.audit.record import unseal
from engine.audit.schema import decisions, rulesets
from engine.audit.snapshot import revive
from engine.audit.store import Store
from engine.load.intake import json_candidate

FROZEN = Path(__file__).parent / "data" / "audit_v2" / "store.json"
HEAD = "12:a9c4a2eec1f5cf117ad69abc5a4bc1e124e2f92acb41af2e494191ceddc76af2"
ASSESSMENT = "UPTPK-JTG-2025-1021"  # the id of the assessment without a JPM (#4 and its replay #12)


def frozen() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FROZEN.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def v2_store(store_url: str) -> str:
    data = frozen()
    with Store.open(store_url, create=True) as store, store.engine.begin() as conn:
        conn.execute(rulesets.insert(), data["rulesets"])
        conn.execute(decisions.insert(), data["decisions"])
    return store_url


def test_the_frozen_records_are_version_2_and_seal_their_note_arguments_by_place() -> None:
    rows = frozen()["decisions"]
    assert {json.loads(row["record"])["schema_version"] for row in rows} == {2}
    notes = {row["seq"]: sorted(k for k in json.loads(row["personal"]) if k.startswith("decision/")) for row in rows}
    places = ["decision/facts/missing/jpm/args/assessment", "decision/facts/missing/jpm_capped/args/assessment"]
    assert {seq: found for seq, found in notes.items() if found} == {4: places, 12: places}
    assert [json.loads(row["record"])["replay_of"] is not None for row in rows].count(True) == 2
    # the unsealed record holds the assessment's id where the note names it
    row = rows[3]
    record = unseal(json.loads(row["record"]), json.loads(row["personal"]))
    assert record["decision"]["facts"]["missing"]["jpm"] == {"args": {"assessment": ASSESSMENT}, "code": "no_jpm"}
    assert record["candidate"]["snapshot"]["name"] == "Rini Astuti"


def test_v2_store_verifies_and_replays_identical(v2_store: str) -> None:
    code, out, err = run("audit", "verify", "--db", v2_store, "--expect-head", HEAD, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["ok"] and json.loads(out)["records"] == 12
    code, out, err = run("audit", "head", "--db", v2_store)
    assert code == 0 and out.strip() == HEAD
    code, out, err = run("replay", "--all", "--db", v2_store, "--format", "json")
    assert code == 0, err
    replayed = json.loads(out)
    assert [r["seq"] for r in replayed] == list(range(1, 13))
    assert all(r["result"] == "IDENTICAL" and r["differences"] == [] for r in replayed)


def test_v2_store_shows_with_the_stored_rules(v2_store: str) -> None:
    # #2 is Sri Wahyuni for administrator: her 2024 rating is missing (study leave) and she has no health
    # certificate on file, so 18 of the 20 requirements pass and she needs review.
    code, out, err = run("audit", "show", "#2", "--db", v2_store, "--format", "markdown")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[:3] == [
        "- **candidate**: Sri Wahyuni (198602212009122004)",
        "- **position**: administrator",
        "- **verdict**: needs review",
    ]
    assert "- **passed**: 18/20" in lines and "sekretariat-bkd" in out and "SK 900/2026" in out
    performance = next(line for line in lines if line.startswith("| performance "))
    assert "missing" in performance and "no usable rating for 2024 (reason: TUGAS_BELAJAR)" in performance
    code, out, err = run("audit", "show", "#12", "--db", v2_store, "--format", "json")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["record"]["decision"]["candidate"]["name"] == "Rini Astuti"
    assert shown["record"]["decision"]["facts"]["missing"]["jpm"]["args"] == {"assessment": ASSESSMENT}
    assert shown["record"]["candidate"]["snapshot"]["birth_date"] == "1986-02-21"
    assert shown["record"]["actor"] == "auditor-inspektorat" and shown["record"]["replay_of"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_v2_store_exports_plain_and_redacted_and_the_redacted_export_verifies(
    v2_store: str, tmp_path: Path, fmt: str
) -> None:
    plain, redacted = tmp_path / f"plain.{fmt}", tmp_path / f"redacted.{fmt}"
    assert run("audit", "export", "--db", v2_store, "--format", fmt, "-o", str(plain))[0] == 0
    redact = ("--redact", "--salt", "s")
    code, _o, err = run("audit", "export", "--db", v2_store, *redact, "--format", fmt, "-o", str(redacted))
    assert code == 0, err
    assert ASSESSMENT in plain.read_text() and "1986-02-21" in plain.read_text()
    text = redacted.read_text()
    assert ASSESSMENT not in text and "1986-02-21" not in text and "Rini Astuti" not in text
    for path in (plain, redacted):
        code, out, err = run("audit", "verify", "--export", str(path), "--format", "json")
        assert code == 0, (out, err)
    if fmt == "jsonl":
        lines = [json.loads(line) for line in text.splitlines()]
        ages = {d["record"]["seq"]: d["generalised"]["age_years"] for d in lines if d["kind"] == "decision"}
        assert ages[2] == ages[4] == 40  # born 1986-02-21, decided on 2026-12-01


def test_a_v2_record_replayed_with_record_gives_a_v3_record_of_the_same_candidate(v2_store: str) -> None:
    code, _out, err = run("replay", "#3", "--record", "--db", v2_store, "--actor", "inspektorat")
    assert code == 0, err
    data = frozen()["decisions"]
    [row] = rows(v2_store, "SELECT * FROM audit_decisions WHERE seq = 13")
    record, personal = json.loads(row["record"]), json.loads(row["personal"])
    assert record["schema_version"] == 3 and record["replay_of"] == data[2]["decision_id"]
    # #3 was a JSON file; its v2 record kept a snapshot, which the new record seals as JSON validating to it
    text = personal["candidate/dossier"][1]
    assert record["candidate"]["hash"] == hashlib.sha256(text.encode()).hexdigest()
    old = unseal(json.loads(data[2]["record"]), json.loads(data[2]["personal"]))["candidate"]["snapshot"]
    again = json_candidate("again", text.encode())
    assert not isinstance(again, list) and again.candidate == revive(old)
    assert again.candidate.name == "Hendra Gunawan"
    code, out, err = run("audit", "verify", "--db", v2_store, "--format", "json")
    assert code == 0 and json.loads(out)["records"] == 13, err
    code, out, err = run("replay", "#13", "--db", v2_store, "--format", "json")
    assert code == 0 and json.loads(out)[0]["result"] == "IDENTICAL", err
