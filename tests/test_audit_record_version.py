"""A record written by a newer layak (schema_version above RECORD_VERSION) is refused by every reader, never misread."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from audit_support import AS_OF, batch
from cli_runner import run
from conftest import raw_sql

import engine.audit.record as record_module
from engine.audit.record import RECORD_VERSION

NEWER = RECORD_VERSION + 1


@pytest.fixture
def mixed(store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Records 1..4 of this version, then 5..8 written as a newer layak would stamp them (chain intact)."""
    folder = batch(tmp_path / "in", 4)
    args = ("check", str(folder), "--position", "administrator", "--as-of", AS_OF, "--db", store_url)
    assert run(*args)[0] == 0
    monkeypatch.setattr(record_module, "RECORD_VERSION", NEWER)  # the writer's stamp only; readers keep theirs
    assert run(*args)[0] == 0
    monkeypatch.undo()
    return store_url


def test_verify_reports_newer_records_as_not_verifiable_by_this_version(mixed: str) -> None:
    code, out, err = run("audit", "verify", "--db", mixed, "--format", "json")
    assert code == 1 and "Traceback" not in err
    report = json.loads(out)
    assert report["ok"] is False and report["first_bad"] == 5 and report["records"] == 8
    assert [(p["seq"], p["code"]) for p in report["problems"]] == [(seq, "too_new") for seq in range(5, 9)]
    message = report["problems"][0]["message"]
    assert f"record version {NEWER}" in message and f"reads 1 to {RECORD_VERSION}" in message
    assert "upgrade layak" in message
    code, out, err = run("audit", "verify", "--db", mixed)
    assert code == 1 and "UNVERIFIABLE" in out and "DAMAGED" not in out + err
    assert "4 records of a newer version, the first 5; upgrade layak" in err


def test_verify_still_sees_a_newer_record_changed_after_the_fact(mixed: str) -> None:
    conn = raw_sql(mixed)
    conn.exec_driver_sql("UPDATE audit_decisions SET record = REPLACE(record, '\"seq\":6', '\"seq\":60') WHERE seq = 6")
    conn.commit()
    conn.close()
    code, out, _err = run("audit", "verify", "--db", mixed, "--format", "json")
    assert code == 1
    assert {"content_changed", "too_new"} == {p["code"] for p in json.loads(out)["problems"] if p["seq"] == 6}


@pytest.mark.parametrize(
    "args",
    [
        ("audit", "show", "#5"),
        ("replay", "#6"),
        ("replay", "--all"),
        ("audit", "export"),
        ("audit", "export", "--format", "csv"),
    ],
)
def test_readers_refuse_a_newer_record(mixed: str, args: tuple[str, ...]) -> None:
    code, _out, err = run(*args, "--db", mixed)
    assert code == 3, err
    assert "record_too_new" in err and f"version {NEWER}" in err and "upgrade layak" in err
    assert "record #" in err and "Traceback" not in err


def test_an_export_file_is_not_left_half_written(mixed: str, tmp_path: Path) -> None:
    target = tmp_path / "export.jsonl"
    code, _out, err = run("audit", "export", "--db", mixed, "--output", str(target))
    assert code == 3 and "record #5" in err
    assert not target.exists() and not list(tmp_path.glob("export.jsonl*"))


def test_records_of_this_version_still_read(mixed: str) -> None:
    assert run("audit", "show", "#4", "--db", mixed)[0] == 0
    assert run("replay", "#4", "--db", mixed)[0] == 0
