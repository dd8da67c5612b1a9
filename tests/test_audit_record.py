"""The audit store and record format: what `check` records, checked with hashlib and rfc8785 directly."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from audit_support import AS_OF, ROOT, batch, rows
from cli_runner import run
from conftest import raw_sql
from sqlalchemy import create_engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from engine import __version__
from engine.audit.ids import UlidFactory, timestamp
from engine.audit.location import default_path, to_url
from engine.audit.record import unseal
from engine.audit.recorder import record_run
from engine.audit.store import Store
from engine.decide.pipeline import check
from engine.load.intake import load_candidates
from engine.load.library import load_library

GENESIS = "0" * 64


def unsealed(record: dict[str, Any], personal: dict[str, list[str]], folder: Path) -> dict[str, Any]:
    """The dossier of a version-3 record, checked against its seal and its hash, as JSON (sealed whole)."""
    salt, text = personal["candidate/dossier"]
    place = record["candidate"]["dossier"]
    assert place == {"sealed": hashlib.sha256(rfc8785.dumps([salt, "candidate/dossier", text])).hexdigest()}
    assert record["candidate"]["hash"] == hashlib.sha256(text.encode()).hexdigest()
    source = folder / Path(personal["file"][1]).name
    if source.suffix == ".json":  # a JSON file is sealed as its own bytes
        assert text.encode() == source.read_bytes()
    dossier: dict[str, Any] = json.loads(text)
    return dossier


def test_check_records_every_decision_chained_and_canonical(store_url: str, tmp_path: Path) -> None:
    folder = batch(tmp_path / "in")
    code, out, err = run(
        "check",
        str(folder),
        "--position",
        "administrator",
        "--as-of",
        AS_OF,
        "--db",
        store_url,
        "--board",
        "SK-BKPSDM/2026/041",
        "--actor",
        "kepala-bidang",
        "--format",
        "json",
    )
    assert code == 0, err
    assert "recorded 4 decisions" in err and "#1-#4" in err
    shown = {d["decision"]["candidate"]["nip"]: d for d in json.loads(out)["decisions"]}
    found = rows(store_url)
    assert [r["seq"] for r in found] == [1, 2, 3, 4]
    prev = GENESIS
    for row in found:
        record = json.loads(row["record"])
        # The chain hash, computed here with nothing but hashlib and the rfc8785 package.
        assert row["prev_hash"] == prev
        assert row["chain_hash"] == hashlib.sha256(prev.encode() + rfc8785.dumps(record)).hexdigest()
        assert row["record"].encode() == rfc8785.dumps(record)  # stored canonical
        prev = row["chain_hash"]
        assert record["seq"] == row["seq"] and record["decision_id"] == row["decision_id"]
        assert record["schema_version"] == 3 and record["actor"] == "kepala-bidang"
        assert record["board"] == "SK-BKPSDM/2026/041" and record["engine"] == "durable"
        assert record["versions"] == {"layak": __version__, "durable_rules": metadata.version("durable_rules")}
        assert record["recorded_at"].endswith("Z") and record["replay_of"] is None
        decided = record["decision"]
        assert decided["as_of"] == AS_OF and decided["position"] == "administrator"
        # Personal data are sealed: each place holds sha256(rfc8785([salt, field, value])).
        personal = json.loads(row["personal"])
        for place, field in (
            (decided["candidate"], "nip"),
            (decided["candidate"], "name"),
            (decided["candidate"], "file"),
        ):
            salt, value = personal[field]
            assert place[field] == {"sealed": hashlib.sha256(rfc8785.dumps([salt, field, value])).hexdigest()}
        assert personal["nip"][1] == row["nip"] and personal["name"][1] == row["name"]
        dossier = unsealed(record, personal, folder)
        assert (dossier["nip"], dossier["name"]) == (row["nip"], row["name"])
        assert sorted(personal) == ["candidate/dossier", "file", "name", "nip"]  # four seals, no note sealed
        assert record["candidate"]["clear"] == {"employee_status": dossier.get("employee_status", "PNS")}
        # `check` printed this very record, citing it by sequence number and decision id: with the personal
        # values put back, the recorded decision and the printed one are the same canonical bytes.
        printed = shown[row["nip"]]
        assert printed["seq"] == row["seq"] and printed["decision_id"] == row["decision_id"]
        assert decided["verdict"] == printed["decision"]["verdict"] == row["verdict"]
        assert rfc8785.dumps(unseal(record, personal)["decision"]) == rfc8785.dumps(printed["decision"])
        assert decided["ruleset"]["hash"] == json.loads(out)["ruleset"]["hash"]
    ids = [r["decision_id"] for r in found]
    assert ids == sorted(ids) and len(set(ids)) == 4 and all(len(i) == 26 for i in ids)


def test_rulesets_are_stored_once_by_content_hash(store_url: str, tmp_path: Path) -> None:
    folder = batch(tmp_path / "in", 2)
    for position in ("administrator", "pengawas", "administrator"):
        code, _out, err = run("check", str(folder), "--position", position, "--as-of", AS_OF, "--db", store_url)
        assert code == 0, err
    stored = rows(store_url, "SELECT hash, body FROM audit_rulesets")
    assert len(stored) == 1  # one national ruleset serves both positions, stored once
    body = json.loads(stored[0]["body"])
    assert stored[0]["hash"] == hashlib.sha256(rfc8785.dumps(body)).hexdigest()
    _c, out, _e = run("positions", "--as-of", AS_OF, "--format", "json")
    assert stored[0]["hash"] in {r["ruleset"]["hash"] for r in json.loads(out)}
    # Edited rules are another ruleset: stored beside the first, which stays as it was.
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    for path in rules.rglob("*.yaml"):
        path.write_text(path.read_text().replace("Berstatus PNS", "Berstatus PNS (diubah)"))
    code, _out, err = run(
        "check", str(folder), "--position", "administrator", "--as-of", AS_OF, "--db", store_url, "--rules", str(rules)
    )
    assert code == 0, err
    after = rows(store_url, "SELECT hash, body FROM audit_rulesets")
    assert len(after) == 2 and stored[0] in after
    versions = rows(store_url, "SELECT version FROM audit_schema_version")
    assert versions == [{"version": 1}]


def test_no_record_writes_nothing(tmp_path: Path) -> None:
    folder = batch(tmp_path / "in", 2)
    db = str(tmp_path / "a.db")
    code, _out, err = run(
        "check", str(folder), "--position", "administrator", "--as-of", AS_OF, "--db", db, "--no-record"
    )
    assert code == 0 and "recorded" not in err and not Path(db).exists()
    code, _out, err = run("audit", "list", "--db", db)
    assert code == 3 and "no audit store here" in err and db in err


def test_default_store_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LAYAK_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_path() == tmp_path / "xdg" / "layak" / "audit.db"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_path() == tmp_path / "home" / ".local" / "share" / "layak" / "audit.db"
    code, _out, err = run("check", str(batch(tmp_path / "in", 1)), "--position", "administrator", "--as-of", AS_OF)
    assert code == 0 and "share/layak/audit.db" in err
    assert (tmp_path / "home" / ".local" / "share" / "layak" / "audit.db").is_file()


def test_injected_clock_and_ulid_known_vector(tmp_path: Path) -> None:
    # The ULID spec's example: ulid(1469918176385) starts with 01ARYZ6S41.
    moment = dt.datetime.fromtimestamp(1469918176.385, dt.UTC)
    assert UlidFactory(random=lambda n: b"\0" * n)(moment) == "01ARYZ6S41" + "0" * 16
    assert timestamp(dt.datetime(2026, 12, 1, 8, 30, tzinfo=dt.UTC)) == "2026-12-01T08:30:00.000000Z"
    loaded, _p = load_candidates([batch(tmp_path / "in", 2)])
    result = check(load_library(ROOT / "rules"), "administrator", loaded, dt.date(2026, 12, 1))
    fixed = dt.datetime(2026, 12, 1, 8, 30, tzinfo=dt.UTC)
    with Store.open(str(tmp_path / "a.db"), create=True) as store:
        appended = record_run(store, result, loaded, actor="t", clock=lambda: fixed)
        assert (appended.first, appended.last) == (1, 2)
        stored = list(store.rows())
    assert {r["recorded_at"] for r in stored} == {"2026-12-01T08:30:00.000000Z"}
    # 2026-12-01T08:30Z is 1796113800000 ms after the epoch: Crockford base 32 of it leads every id.
    millis = 1796113800000
    assert int(fixed.timestamp() * 1000) == millis
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    lead = "".join(alphabet[(millis >> (45 - 5 * i)) & 31] for i in range(10))
    assert all(r["decision_id"].startswith(lead) for r in stored)


def test_audit_list_show_head(store_url: str, tmp_path: Path) -> None:
    folder = batch(tmp_path / "in", 3)
    for position, board in (("administrator", "SK/1"), ("pengawas", "SK/2")):
        code, _o, err = run(
            "check", str(folder), "--position", position, "--as-of", AS_OF, "--db", store_url, "--board", board
        )
        assert code == 0, err
    code, out, _e = run("audit", "list", "--db", store_url, "--format", "json")
    listed = json.loads(out)
    assert code == 0 and [r["seq"] for r in listed] == [1, 2, 3, 4, 5, 6]
    code, out, _e = run("audit", "list", "--db", store_url, "--position", "pengawas", "--format", "json")
    assert {r["position"] for r in json.loads(out)} == {"pengawas"} and len(json.loads(out)) == 3
    code, out, _e = run("audit", "list", "--db", store_url, "--board", "SK/1", "--format", "json")
    assert [r["seq"] for r in json.loads(out)] == [1, 2, 3]
    verdict = listed[0]["verdict"]
    code, out, _e = run("audit", "list", "--db", store_url, "--verdict", verdict, "--format", "json")
    assert {r["verdict"] for r in json.loads(out)} == {verdict}
    assert len(json.loads(out)) == sum(1 for r in listed if r["verdict"] == verdict)
    today = dt.datetime.now(dt.UTC).date()
    code, out, _e = run(
        "audit", "list", "--db", store_url, "--since", str(today - dt.timedelta(days=1)), "--format", "json"
    )
    assert len(json.loads(out)) == 6
    code, out, _e = run(
        "audit", "list", "--db", store_url, "--since", str(today + dt.timedelta(days=2)), "--format", "json"
    )
    assert json.loads(out) == []
    code, out, _e = run("audit", "list", "--db", store_url, "--until", str(today), "--format", "json")
    assert len(json.loads(out)) == 6  # the day given is included
    code, out, _e = run(
        "audit", "list", "--db", store_url, "--until", str(today - dt.timedelta(days=2)), "--format", "json"
    )
    assert json.loads(out) == []

    def seqs(*options: str) -> list[int]:
        code, out, err = run("audit", "list", "--db", store_url, "--format", "json", *options)
        assert code == 0, err
        return [r["seq"] for r in json.loads(out)]

    # The same three people were decided for both positions: a NIP names two records.
    nip = listed[1]["nip"]
    assert seqs("--nip", nip) == [r["seq"] for r in listed if r["nip"] == nip] and len(seqs("--nip", nip)) == 2
    part = listed[0]["name"].split()[-1].upper()  # any case, any part of the name
    assert seqs("--name", part) == [r["seq"] for r in listed if part.lower() in r["name"].lower()]
    assert seqs("--name", "%") == []  # a LIKE wildcard is a plain character here
    assert seqs("--limit", "4") == [1, 2, 3, 4]
    assert seqs("--limit", "4", "--after", "4") == [5, 6]  # the next page
    assert seqs("--position", "pengawas", "--limit", "1", "--after", "4") == [5]
    code, _o, err = run("audit", "list", "--db", store_url, "--limit", "2")
    assert code == 0 and "next page: --after 2" in err  # a full page says how to get the next one
    code, out, _e = run("audit", "list", "--db", store_url, "--lang", "id")
    assert code == 0 and "id keputusan" in out and "SK/2" in out
    code, out, _e = run("audit", "list", "--db", store_url, "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("seq,decision id")

    first = listed[0]
    code, out, _e = run("audit", "show", first["decision_id"], "--db", store_url, "--format", "json")
    shown = json.loads(out)
    assert code == 0 and shown["seq"] == 1 and shown["record"]["decision"]["candidate"]["nip"] == first["nip"]
    assert all(r["text"] and r["basis"] for r in shown["requirements"])
    ids = [r["decision_id"] for r in listed]
    unique = next(n for n in range(6, 27) if sum(i.startswith(first["decision_id"][:n]) for i in ids) == 1)
    code, out, _e = run("audit", "show", first["decision_id"][:unique], "--db", store_url)
    assert code == 0 and first["name"] in out.splitlines()[0] and "SK/1" in out
    # Ids of one run share their first 20-odd characters (time first), so 6 never tell them apart: the
    # error says so, names the candidates' sequence numbers, and the sequence number works.
    assert sum(i.startswith(first["decision_id"][:6]) for i in ids) > 1
    code, _o, err = run("audit", "show", first["decision_id"][:6], "--db", store_url)
    assert code == 3 and f"'{first['decision_id'][:6]}' is the start of" in err and "#1 " in err
    assert "ambiguous_decision" in err and "in 1 file" not in err
    for reference in ("#2", "2"):
        code, out, _e = run("audit", "show", reference, "--db", store_url)
        assert code == 0 and listed[1]["name"] in out.splitlines()[0] and "(#2)" in out
    code, _o, err = run("audit", "show", "#99", "--db", store_url)
    assert code == 3 and "no decision '#99'" in err
    code, out, _e = run("audit", "show", first["decision_id"], "--db", store_url, "--lang", "id")
    assert code == 0 and "persyaratan" in out
    code, _o, err = run("audit", "show", "01NOSUCHDECISION", "--db", store_url)
    assert code == 3 and "no decision" in err

    code, out, _e = run("audit", "head", "--db", store_url, "--format", "json")
    head = json.loads(out)
    last = rows(store_url)[-1]
    assert code == 0 and head["seq"] == 6 and head["head"] == f"6:{last['chain_hash']}"
    code, out, _e = run("audit", "head", "--db", store_url)
    assert code == 0 and out == f"6:{last['chain_hash']}\n"  # nothing else: `--expect-head $(layak audit head)`
    code, out, _e = run("audit", "verify", "--db", store_url, "--expect-head", out.strip())
    assert code == 0


def test_decision_tables_refuse_update_and_delete(store_url: str, tmp_path: Path) -> None:
    code, _o, err = run(
        "check", str(batch(tmp_path / "in", 1)), "--position", "administrator", "--as-of", AS_OF, "--db", store_url
    )
    assert code == 0, err
    engine = create_engine(to_url(store_url), poolclass=NullPool)
    statements = [
        "UPDATE audit_decisions SET verdict = 'eligible'",
        "DELETE FROM audit_decisions",
        "UPDATE audit_rulesets SET body = '{}'",
        "DELETE FROM audit_rulesets",
    ]
    if engine.dialect.name == "postgresql":
        statements += ["TRUNCATE audit_decisions", "TRUNCATE audit_rulesets"]
    for statement in statements:
        with engine.connect() as conn, pytest.raises(DBAPIError, match="append-only"):
            conn.exec_driver_sql(statement)
    engine.dispose()
    assert len(rows(store_url)) == 1
    raw_sql(store_url).close()  # the tests below switch the guards off like this before tampering


def test_unreadable_stores_exit_3_naming_them(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(bytes(range(256)) * 20)
    folder = batch(tmp_path / "in", 1)
    for args in (
        ["audit", "verify"],
        ["audit", "list"],
        ["audit", "head"],
        ["replay", "--all"],
        ["check", str(folder), "--position", "administrator", "--as-of", AS_OF],
    ):
        code, _o, err = run(*args, "--db", str(garbage))
        assert code == 3, args
        assert str(garbage) in err and "audit_unreadable" in err and "Traceback" not in err
    code, _o, err = run("audit", "list", "--db", "postgresql://layak:secret@127.0.0.1:9/none")
    assert code == 3 and "127.0.0.1:9" in err and "secret" not in err
    code, _o, err = run("audit", "list", "--db", "nosuchdriver://x/y")
    assert code == 3 and "nosuchdriver" in err


def test_usage_errors_exit_2() -> None:
    for args in (
        ["replay"],
        ["replay", "01ABC", "--all"],
        ["audit", "export", "--salt", "x"],
        ["audit", "export", "--format", "xml"],
        ["audit", "verify", "--format", "xml"],
        ["audit", "list", "--since", "2026-13-01"],
    ):
        code, _o, err = run(*args)
        assert code == 2, args
        assert "Traceback" not in err
    code, _o, err = run("audit", "verify", "--expect-head", "12:nothex")
    assert code == 3 and "SEQ:HASH" in err
