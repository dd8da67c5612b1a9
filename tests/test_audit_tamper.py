"""Tampering with the store directly in SQL: `audit verify` names the first bad record and exits 1."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import rfc8785
from audit_support import AS_OF, batch, rows
from cli_runner import run
from conftest import raw_sql
from sqlalchemy import Connection

COLUMNS = (
    "seq, decision_id, recorded_at, as_of, position, verdict, board, actor, nip, name, ruleset_hash, record, "
    "personal, prev_hash, chain_hash"
)


@pytest.fixture
def log8(store_url: str, tmp_path: Path) -> str:
    """A store holding records 1..8 (two runs of four candidates)."""
    folder = batch(tmp_path / "in", 4)
    for board in ("SK/1", "SK/2"):
        code, _o, err = run(
            "check", str(folder), "--position", "administrator", "--as-of", AS_OF, "--db", store_url, "--board", board
        )
        assert code == 0, err
    return store_url


def verify(url: str, *extra: str) -> tuple[int, dict[str, object]]:
    code, out, err = run("audit", "verify", "--db", url, "--format", "json", *extra)
    assert "Traceback" not in err
    return code, json.loads(out)


def tamper(url: str, *statements: str) -> None:
    conn = raw_sql(url)
    for statement in statements:
        conn.exec_driver_sql(statement)
    conn.commit()
    conn.close()


def codes(report: dict[str, object]) -> set[str]:
    problems = report["problems"]
    assert isinstance(problems, list)
    return {p["code"] for p in problems}


def test_intact_log_verifies(log8: str) -> None:
    code, report = verify(log8)
    assert code == 0 and report["ok"] is True and report["records"] == 8 and report["first_bad"] is None
    last = rows(log8)[-1]["chain_hash"]
    assert report["head"] == f"8:{last}"
    code, report = verify(log8, "--expect-head", f"8:{last}")
    assert code == 0
    code, report = verify(log8, "--expect-head", f"5:{rows(log8)[4]['chain_hash']}")  # an older head: still fine
    assert code == 0


def test_modified_record_field(log8: str) -> None:
    verdict = rows(log8)[2]["verdict"]
    other = "eligible" if verdict != "eligible" else "not_eligible"
    tamper(
        log8,
        f"""UPDATE audit_decisions SET record = REPLACE(record, '"verdict":"{verdict}"',
                     '"verdict":"{other}"') WHERE seq = 3""",
    )
    code, report = verify(log8)
    assert code == 1 and report["first_bad"] == 3
    assert "content_changed" in codes(report)  # the chain hash no longer matches
    problems = report["problems"]
    assert isinstance(problems, list)
    assert {p["seq"] for p in problems} == {3}


def test_modified_column(log8: str) -> None:
    verdict = rows(log8)[3]["verdict"]
    other = "eligible" if verdict != "eligible" else "not_eligible"
    tamper(log8, f"UPDATE audit_decisions SET verdict = '{other}' WHERE seq = 4")
    code, report = verify(log8)
    assert code == 1 and report["first_bad"] == 4 and codes(report) == {"column_changed"}


def test_modified_personal_data(log8: str) -> None:
    name = rows(log8)[1]["name"]
    tamper(
        log8,
        f"UPDATE audit_decisions SET personal = REPLACE(personal, '\"{name}\"', '\"Orang Lain\"'), "
        f"name = 'Orang Lain' WHERE seq = 2",
    )
    code, report = verify(log8)
    assert code == 1 and report["first_bad"] == 2 and codes(report) == {"personal_changed"}


def test_deleted_record(log8: str) -> None:
    tamper(log8, "DELETE FROM audit_decisions WHERE seq = 4")
    code, report = verify(log8)
    assert code == 1 and report["first_bad"] == 4 and report["records"] == 7
    assert codes(report) == {"missing", "chain_broken"}  # 4 is missing; 5 no longer links to 3
    code, out, _err = run("audit", "verify", "--db", log8, "--lang", "id")
    assert code == 1 and "catatan 4 hilang" in out


def test_reordered_records(log8: str) -> None:
    tamper(
        log8,
        "UPDATE audit_decisions SET seq = -6 WHERE seq = 6",
        "UPDATE audit_decisions SET seq = 6 WHERE seq = 5",
        "UPDATE audit_decisions SET seq = 5 WHERE seq = -6",
    )
    code, report = verify(log8)
    assert code == 1 and report["first_bad"] == 5 and {"moved", "chain_broken"} <= codes(report)


def test_inserted_record_at_the_end(log8: str) -> None:
    tamper(
        log8,
        f"""INSERT INTO audit_decisions ({COLUMNS})
        SELECT 9, 'FAKE00000000000000000000AA', recorded_at, as_of, position, verdict, board, actor, nip, name,
               ruleset_hash, record, personal, prev_hash, chain_hash FROM audit_decisions WHERE seq = 2""",
    )
    code, report = verify(log8)
    assert code == 1 and report["first_bad"] == 9 and {"moved", "chain_broken"} <= codes(report)


def test_inserted_record_in_the_middle(log8: str) -> None:
    tamper(
        log8,
        *(f"UPDATE audit_decisions SET seq = seq + 1 WHERE seq = {n}" for n in (8, 7, 6)),
        f"""INSERT INTO audit_decisions ({COLUMNS})
        SELECT 6, 'FAKE00000000000000000000BB', recorded_at, as_of, position, verdict, board, actor, nip, name,
               ruleset_hash, record, personal, prev_hash, chain_hash FROM audit_decisions WHERE seq = 2""",
    )
    code, report = verify(log8)
    assert code == 1 and report["first_bad"] == 6 and report["records"] == 9


def test_truncation_needs_the_expected_head(log8: str) -> None:
    head = f"8:{rows(log8)[-1]['chain_hash']}"
    tamper(log8, "DELETE FROM audit_decisions WHERE seq > 5")
    code, report = verify(log8)
    assert code == 0 and report["records"] == 5  # a shorter log is a valid log...
    code, report = verify(log8, "--expect-head", head)
    assert code == 1 and report["first_bad"] == 6 and codes(report) == {"truncated"}  # ...unless its head was noted


def _rewrite_from(conn: Connection, start: int) -> None:
    """What an attacker with write access does: change a record and recompute every later chain hash."""
    found = conn.exec_driver_sql("SELECT seq, record, prev_hash FROM audit_decisions ORDER BY seq").all()
    prev = found[start - 1][2]  # record start's own previous hash: the chain up to it is kept
    for seq, record, _prev in found[start - 1 :]:
        if seq == start:
            record = record.replace('"board":"SK/1"', '"board":"SK/9"')
        chain = hashlib.sha256(prev.encode() + rfc8785.dumps(json.loads(record))).hexdigest()
        conn.exec_driver_sql(
            "UPDATE audit_decisions SET record = %s, prev_hash = %s, chain_hash = %s, board = %s "
            "WHERE seq = %s".replace("%s", "?" if conn.dialect.name == "sqlite" else "%s"),
            (record, prev, chain, json.loads(record)["board"], seq),
        )
        prev = chain
    conn.commit()


def test_rewritten_chain_is_caught_only_by_the_expected_head(log8: str) -> None:
    head = f"8:{rows(log8)[-1]['chain_hash']}"
    conn = raw_sql(log8)
    _rewrite_from(conn, 3)
    conn.close()
    code, report = verify(log8)
    assert code == 0, report  # internally consistent again: this is what writing the head into the minutes is for
    code, report = verify(log8, "--expect-head", head)
    assert code == 1 and report["first_bad"] == 8 and codes(report) == {"head_mismatch"}


def test_changed_stored_ruleset(log8: str) -> None:
    tamper(log8, "UPDATE audit_rulesets SET body = REPLACE(body, 'Berstatus PNS', 'Berstatus CPNS')")
    code, report = verify(log8)
    assert code == 1 and report["first_bad"] == 1 and codes(report) == {"ruleset_changed"}
    assert report["problems_total"] == 8  # every record decided under it


def test_unparseable_record(log8: str) -> None:
    tamper(log8, "UPDATE audit_decisions SET record = '{not json' WHERE seq = 7")
    code, report = verify(log8)
    assert code == 1 and report["first_bad"] == 7 and codes(report) == {"unreadable"}
    code, out, err = run("audit", "verify", "--db", log8)
    assert code == 1 and "first bad record 7" in err and "DAMAGED" in out
