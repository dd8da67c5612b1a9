"""Reading the log as a stream: verify with store-found duplicates, exports read lazily, replay --all as JSON lines."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import orjson
import pytest
from audit_support import recorded_log
from cli_runner import run

from engine.audit.export import read_export
from engine.audit.store import Store
from engine.audit.verify import Entry, entry_of_row, verify
from engine.errors import InputError


@pytest.fixture
def log(store_url: str, tmp_path: Path) -> str:
    return recorded_log(store_url, tmp_path / "in", 4)


def _entries(url: str) -> tuple[list[Entry], dict[str, str]]:
    with Store.open(url) as store, store.snapshot():
        assert store.duplicate_ids() == {}  # the schema keeps ids unique
        return [entry_of_row(row) for row in store.rows()], store.ruleset_bodies()


def test_a_reused_decision_id_is_found_alike_in_memory_and_by_the_store(log: str) -> None:
    entries, rulesets = _entries(log)
    first = orjson.loads(entries[0].record)["decision_id"]
    record = orjson.loads(entries[4].record)
    record["decision_id"] = first
    entries[4] = dataclasses.replace(entries[4], record=orjson.dumps(record).decode())
    remembered = verify(entries, rulesets)
    found = verify(entries, rulesets, duplicates={5: (first, 1)})
    assert [(f.seq, f.code, f.args) for f in remembered.findings] == [(f.seq, f.code, f.args) for f in found.findings]
    assert ("duplicate_id", {"id": first, "other": 1}) in [(f.code, f.args) for f in found.findings if f.seq == 5]
    assert verify(entries[:4], rulesets, duplicates={}).ok


def test_an_export_is_read_as_it_is_verified(log: str, tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    code, _out, err = run("audit", "export", "--db", log, "-o", str(path))
    assert code == 0, err
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines, '{"kind": "decision", "seq": "x"}']) + "\n")
    entries, rulesets = read_export(path)
    assert rulesets is not None and set(rulesets) == set(_entries(log)[1])
    assert [next(entries).seq for _ in range(8)] == list(range(1, 9))  # read before the bad line is reached
    with pytest.raises(InputError) as raised:
        next(entries)
    assert raised.value.problems[0].line == len(lines) + 1
    code, _out, err = run("audit", "verify", "--export", str(path))
    assert code == 3 and f"{path}:{len(lines) + 1}" in err and "export_unreadable" in err


def test_replay_all_writes_one_json_line_per_record(log: str) -> None:
    code, out, err = run("replay", "--all", "--db", log, "--format", "jsonl")
    assert code == 0, err
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["seq"] for r in results] == list(range(1, 9))
    assert {r["result"] for r in results} == {"IDENTICAL"}
    code, table, _err = run("replay", "--all", "--db", log, "--format", "json")
    assert code == 0 and json.loads(table) == results


def test_replay_all_record_appends_every_replay(log: str) -> None:
    code, _out, err = run("replay", "--all", "--db", log, "--record", "--format", "jsonl")
    assert code == 0, err
    code, out, _err = run("audit", "verify", "--db", log, "--format", "json")
    assert code == 0 and json.loads(out)["records"] == 16
