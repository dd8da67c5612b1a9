"""Exports for external auditors: complete or pseudonymised, and verifiable either way."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
from pathlib import Path

import pytest
from audit_support import recorded_log, rows
from cli_runner import run


@pytest.fixture
def log(store_url: str, tmp_path: Path) -> str:
    return recorded_log(store_url, tmp_path / "in", 3)


def export(db: str, path: Path, *args: str) -> str:
    code, _out, err = run("audit", "export", "--db", db, "-o", str(path), *args)
    assert code == 0, err
    return err


def verify_export(path: Path, *args: str) -> tuple[int, dict[str, object]]:
    code, out, err = run("audit", "verify", "--export", str(path), "--format", "json", *args)
    assert "Traceback" not in err
    return code, json.loads(out)


def test_jsonl_export_verifies_and_carries_the_chain(log: str, tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    export(log, path)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines[0]["kind"] == "header" and lines[0]["redacted"] is False
    stored = rows(log)
    decisions = [line for line in lines if line["kind"] == "decision"]
    assert [(d["seq"], d["chain_hash"]) for d in decisions] == [(r["seq"], r["chain_hash"]) for r in stored]
    assert {line["hash"] for line in lines if line["kind"] == "ruleset"} == {r["ruleset_hash"] for r in stored}
    assert decisions[0]["disclosures"]["nip"][1] == stored[0]["nip"]
    code, report = verify_export(path, "--expect-head", f"6:{stored[-1]['chain_hash']}")
    assert code == 0 and report["records"] == 6


def test_redacted_export_hides_names_and_nips_and_still_verifies(log: str, tmp_path: Path) -> None:
    path = tmp_path / "redacted.jsonl"
    err = export(log, path, "--redact", "--salt", "s3cret")
    assert "salt" not in err  # a given salt is not echoed
    text = path.read_text()
    stored = rows(log)
    for row in stored:
        assert row["nip"] not in text and row["name"] not in text
        assert Path(json.loads(row["personal"])["file"][1]).name not in text
    decisions = [json.loads(line) for line in text.splitlines() if '"kind":"decision"' in line]
    for line, row in zip(decisions, stored, strict=True):
        assert "disclosures" not in line
        # pseudonym = HMAC-SHA256(salt, "field:value"), first 32 hex digits: the same person, the same pseudonym
        assert (
            line["pseudonyms"]["nip"]
            == hmac.new(b"s3cret", f"nip:{row['nip']}".encode(), hashlib.sha256).hexdigest()[:32]
        )
    by_nip: dict[str, set[str]] = {}
    for line, row in zip(decisions, stored, strict=True):
        by_nip.setdefault(row["nip"], set()).add(json.dumps(line["pseudonyms"], sort_keys=True))
    assert len(by_nip) == 3 and all(len(p) == 1 for p in by_nip.values())  # one person, one pseudonym
    assert len(set.union(*by_nip.values())) == 3
    code, report = verify_export(path)
    assert code == 0 and report["records"] == 6
    code, _out, err = run("audit", "export", "--db", log, "--redact")
    assert code == 0 and "salt: " in err  # generated, and told


def test_csv_export_verifies_redacted_or_not(log: str, tmp_path: Path) -> None:
    for args in ((), ("--redact", "--salt", "x")):
        path = tmp_path / f"audit{len(args)}.csv"
        export(log, path, "--format", "csv", *args)
        table = list(csv.DictReader(io.StringIO(path.read_text())))
        assert [int(r["seq"]) for r in table] == [1, 2, 3, 4, 5, 6]
        assert (table[0]["disclosures"] == "") == bool(args)
        code, report = verify_export(path)
        assert code == 0 and report["records"] == 6


@pytest.mark.parametrize("redact", [False, True])
def test_tampered_export_names_the_first_bad_record(log: str, tmp_path: Path, redact: bool) -> None:
    path = tmp_path / "audit.jsonl"
    export(log, path, *(["--redact", "--salt", "x"] if redact else []))
    lines = path.read_text().splitlines()
    decisions = [i for i, line in enumerate(lines) if '"kind":"decision"' in line]
    edited = json.loads(lines[decisions[3]])
    edited["record"]["decision"]["verdict"] = (
        "eligible" if edited["record"]["decision"]["verdict"] != "eligible" else "not_eligible"
    )
    lines[decisions[3]] = json.dumps(edited)
    path.write_text("\n".join(lines) + "\n")
    code, report = verify_export(path)
    assert code == 1 and report["first_bad"] == 4
    del lines[decisions[1]]  # a record dropped from the file as well
    path.write_text("\n".join(lines) + "\n")
    code, report = verify_export(path)
    assert code == 1 and report["first_bad"] == 2
    if not redact:
        line = json.loads(lines[decisions[0]])
        line["disclosures"]["name"][1] = "Orang Lain"
        lines[decisions[0]] = json.dumps(line)
        path.write_text("\n".join(lines) + "\n")
        code, report = verify_export(path)
        assert code == 1 and report["first_bad"] == 1


def test_unreadable_export_exits_3(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"kind": "decision"}\n')
    code, _out, err = run("audit", "verify", "--export", str(path))
    assert code == 3 and f"{path}:1" in err
    path.write_text("just,some,csv\n1,2,3\n")
    code, _out, err = run("audit", "verify", "--export", str(path))
    assert code == 3 and "columns" in err
