"""Replay: every recorded decision re-decided from its stored ruleset, snapshot and date, never today's rules."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from audit_support import AS_OF, ROOT, rows
from cli_runner import run
from conftest import raw_sql

from engine.audit.replay import compare
from engine.decide.record import DecisionRecord
from engine.load.intake import load_candidates

FIXTURES = ROOT / "fixtures" / "candidates"


def record_fixtures(db: str, rules: Path | None = None) -> int:
    """Decide every fixture for both positions on two dates and both engines; the number of records made."""
    made = 0
    for position, as_of, engine in (
        ("administrator", AS_OF, "durable"),
        ("pengawas", AS_OF, "reference"),
        ("administrator", "2023-11-15", "reference"),
        ("pengawas", "2025-06-30", "durable"),
    ):
        args = [
            "check",
            str(FIXTURES),
            "--position",
            position,
            "--as-of",
            as_of,
            "--engine",
            engine,
            "--db",
            db,
            "--format",
            "json",
        ]
        code, out, err = run(*args, *(["--rules", str(rules)] if rules else []))
        assert code in (0, 3), err  # 3: a fixture file is invalid; the valid ones are still decided
        made += len(json.loads(out)["decisions"])
    return made


def replay_all(db: str) -> tuple[int, list[dict[str, Any]]]:
    code, out, err = run("replay", "--all", "--db", db, "--format", "json")
    assert "Traceback" not in err
    return code, json.loads(out)


def test_replay_all_fixture_decisions_identical(store_url: str) -> None:
    made = record_fixtures(store_url)
    assert made > 0
    code, replayed = replay_all(store_url)
    assert code == 0
    assert len(replayed) == made and [r["seq"] for r in replayed] == list(range(1, made + 1))
    assert {r["result"] for r in replayed} == {"IDENTICAL"} and all(r["differences"] == [] for r in replayed)
    first = replayed[0]["decision_id"]
    code, out, err = run("replay", first, "--db", store_url)
    assert code == 0 and "IDENTICAL" in out and "1 decision replayed: 1 identical" in err
    code, out, _err = run("replay", first, "--db", store_url, "--lang", "id")
    assert code == 0 and "IDENTIK" in out
    assert len(rows(store_url)) == made  # replay never writes unless asked


def test_replay_ignores_edited_rule_files(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    db = str(tmp_path / "a.db")
    made = record_fixtures(db, rules)
    # Tighten every threshold the copy has: today's files now decide differently...
    for path in rules.rglob("*.yaml"):
        path.write_text(path.read_text().replace("value: S1", "value: S3").replace("value: 3y", "value: 9y"))
    _c, before, _e = run(
        "check", str(FIXTURES), "--position", "administrator", "--as-of", AS_OF, "--no-record", "--format", "json"
    )
    _c, after, _e = run(
        "check",
        str(FIXTURES),
        "--position",
        "administrator",
        "--as-of",
        AS_OF,
        "--no-record",
        "--format",
        "json",
        "--rules",
        str(rules),
    )
    assert json.loads(before)["ruleset"]["hash"] != json.loads(after)["ruleset"]["hash"]
    # ...and replay still gives every recorded answer, from the rulesets stored with the records.
    code, replayed = replay_all(db)
    assert code == 0 and len(replayed) == made and {r["result"] for r in replayed} == {"IDENTICAL"}
    # Decisions recorded under the edited rules replay identically too, each under its own ruleset.
    more = record_fixtures(db, rules)
    code, replayed = replay_all(db)
    assert code == 0 and len(replayed) == made + more and {r["result"] for r in replayed} == {"IDENTICAL"}
    shutil.rmtree(rules)  # the rule files are gone altogether
    code, replayed = replay_all(db)
    assert code == 0 and {r["result"] for r in replayed} == {"IDENTICAL"}


def _education_threshold(body: dict[str, Any], position: str, value: str) -> None:
    for pos in body["positions"]:
        if pos["id"] == position:
            for req in pos["requirements"]:
                if req["id"] == "education":
                    req["value"] = value
                    return
    raise AssertionError("no education requirement")


def test_changed_stored_ruleset_shows_in_replay(store_url: str) -> None:
    code, out, err = run(
        "check", str(FIXTURES), "--position", "administrator", "--as-of", AS_OF, "--db", store_url, "--format", "json"
    )
    assert code in (0, 3), err
    decisions = json.loads(out)["decisions"]
    recorded_hash = json.loads(out)["ruleset"]["hash"]
    # The candidates whose education passed at exactly S1 must fail it against S2; S2 and above still pass.
    at_s1 = {
        d["decision"]["candidate"]["nip"]
        for d in decisions
        for r in d["decision"]["requirements"]
        if r["id"] == "education" and r["status"] == "pass" and r["observed"] in ("S1", "D4")
    }
    assert at_s1, "the fixtures should hold someone with an S1"
    conn = raw_sql(store_url)
    (body_text,) = conn.exec_driver_sql("SELECT body FROM audit_rulesets").one()
    body = json.loads(body_text)
    _education_threshold(body, "administrator", "S2")
    conn.exec_driver_sql(
        "UPDATE audit_rulesets SET body = " + ("?" if conn.dialect.name == "sqlite" else "%s"), (json.dumps(body),)
    )
    conn.commit()
    conn.close()
    code, replayed = replay_all(store_url)
    assert code == 1
    by_nip = {r["candidate"]["nip"]: r for r in replayed}
    for nip, item in by_nip.items():
        assert item["result"] == "DIFFERENT"  # the ruleset hash differs for every decision
        where = {(d["where"], d["field"]): d for d in item["differences"]}
        assert where[("(ruleset)", "hash")]["recorded"] == recorded_hash
        if nip in at_s1:
            assert where[("education", "status")]["recorded"] == "pass"
            # The Administrator education floor is unconfirmed, so its failure goes to the board (on_fail: review).
            assert where[("education", "status")]["replayed"] == "missing"
        else:
            assert ("education", "status") not in where
    code, out, _err = run("replay", "--all", "--db", store_url)
    assert code == 1 and "DIFFERENT" in out and "education" in out


def test_replay_record_appends_new_records(store_url: str) -> None:
    loaded, _p = load_candidates([FIXTURES])
    code, _o, err = run("check", str(FIXTURES), "--position", "pengawas", "--as-of", AS_OF, "--db", store_url)
    made = len(rows(store_url))
    assert code in (0, 3) and made == len(loaded), err
    code, _out, err = run("replay", "--all", "--record", "--db", store_url, "--actor", "auditor")
    assert code == 0 and f"recorded {made} decisions" in err
    stored = rows(store_url)
    assert len(stored) == 2 * made
    originals = {r["decision_id"]: r for r in stored[:made]}
    for row in stored[made:]:
        record = json.loads(row["record"])
        assert record["replay_of"] in originals and record["actor"] == "auditor"
        assert row["verdict"] == originals[record["replay_of"]]["verdict"]
    code, out, _err = run("audit", "verify", "--db", store_url)
    assert code == 0


def _record(verdict: str, golongan: str, status: str, observed: str) -> DecisionRecord:
    return DecisionRecord.model_validate(
        {
            "as_of": "2026-12-01",
            "candidate": {"file": "a.yaml", "name": "A", "nip": "1"},
            "position": "administrator",
            "ruleset": {"id": "national", "version": "2020.1", "hash": "a", "layers": []},
            "verdict": verdict,
            "facts": {"as_of": "2026-12-01", "values": {"golongan": golongan}},
            "requirements": [
                {
                    "id": "experience",
                    "status": status,
                    "observed": None,
                    "note": None,
                    "children": [{"id": "experience-pengawas", "status": status, "observed": observed, "note": None}],
                }
            ],
        }
    )


def test_compare_reports_each_difference() -> None:
    recorded = _record("eligible", "III/d", "pass", "P3Y")
    replayed = _record("not_eligible", "III/c", "fail", "P2Y")
    found = {(d.where, d.field, str(d.recorded), str(d.replayed)) for d in compare(recorded, replayed)}
    assert found == {
        ("(verdict)", "value", "eligible", "not_eligible"),
        ("experience", "status", "pass", "fail"),
        ("experience/experience-pengawas", "status", "pass", "fail"),
        ("experience/experience-pengawas", "observed", "P3Y", "P2Y"),
        ("(facts)", "values.golongan", "III/d", "III/c"),
    }
    assert compare(recorded, recorded) == []


def test_replay_pauses_the_collector_and_gives_it_back(tmp_path: Path) -> None:
    """Replaying runs with the cyclic collector paused (a group's records would be rescanned by every full
    collection) and leaves it as it found it: after the last record, and when the reader stops early."""
    import gc

    from engine.audit.replay import replay
    from engine.audit.store import Store

    try:
        db = str(tmp_path / "a.db")
        assert record_fixtures(db) > 2
        with Store.open(db, read_only=True) as store:
            assert gc.isenabled()
            seen = []
            for item in replay(store.rows(), store.ruleset_body):
                seen.append(gc.isenabled())
                assert item.identical, item.differences
            assert len(seen) > 2 and not any(seen)
            assert gc.isenabled()
            stopped = replay(store.rows(), store.ruleset_body)
            next(stopped)
            assert not gc.isenabled()
            stopped.close()  # a reader that stops early (`| head`) closes the generator
            assert gc.isenabled()
            gc.disable()  # a caller that had paused it keeps it paused
            try:
                list(replay(store.rows(), store.ruleset_body))
                assert not gc.isenabled()
            finally:
                gc.enable()
    finally:
        gc.enable()  # whatever failed above, the rest of the session keeps its collector
