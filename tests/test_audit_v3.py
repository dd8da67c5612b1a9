"""Record version 3: the dossier sealed whole, as the JSON text it was read from.

A bundle line is sealed byte for byte as read (spaces, number spellings and escapes kept) and replays IDENTICAL
from that text through the JSON loader; a YAML dossier is sealed as JSON written from the candidate, which
validates back to the same candidate; the dossier's disclosure and the record's hash of it are each checked by
`audit verify`. Expected digests are computed here with hashlib and the rfc8785 package.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from audit_support import AS_OF, FIXTURES, rows
from cli_runner import run

from engine.audit.dossier import dossier_json
from engine.load.intake import json_candidate, load_candidates

ROOT = Path(__file__).resolve().parents[1]


def _lines() -> list[bytes]:
    """Two dossiers as a bundle holds them, written by hand the way no serialiser of layak writes them: spaces
    after separators, a score of 3.5 as 35E-1 and one of 3 as 3.00, a name with an escaped and a non-ASCII letter."""
    loaded, _problems = load_candidates([FIXTURES / "budi-santoso.yaml", FIXTURES / "sri-wahyuni.yaml"])
    out = []
    for item in loaded:
        data = json.loads(dossier_json(item.candidate))
        scores = data["competency_assessments"][0]["scores"]
        text = json.dumps(data, ensure_ascii=False, separators=(", ", ": "))
        first = json.dumps(scores[1], separators=(", ", ": "))
        assert first in text  # replaced by hand below: the same value, spelled otherwise
        attained = scores[1]["attained"]
        odd = '"attained": 35E-1' if attained == 3.5 else f'"attained": {attained}.00'
        spelled = first.replace(f'"attained": {attained}', odd)
        text = text.replace(first, spelled, 1).replace(item.candidate.name, item.candidate.name[:-1] + "\\u00e9", 1)
        out.append(text.encode())
    return out


@pytest.fixture
def bundle_store(store_url: str, tmp_path: Path) -> tuple[str, list[bytes]]:
    lines = _lines()
    bundle = tmp_path / "dossiers.jsonl"
    bundle.write_bytes(b"\n".join(lines) + b"\n")
    code, _out, err = run("check", str(bundle), "--position", "administrator", "--as-of", AS_OF, "--db", store_url,
                          "--format", "jsonl", "--jobs", "1")  # fmt: skip
    assert code == 0, err
    return store_url, lines


def test_a_bundle_line_is_sealed_as_read_and_replays_identical(bundle_store: tuple[str, list[bytes]]) -> None:
    store, lines = bundle_store
    found = rows(store)
    assert len(found) == 2
    for row, line in zip(found, lines, strict=True):
        record, personal = json.loads(row["record"]), json.loads(row["personal"])
        assert record["schema_version"] == 3
        salt, text = personal["candidate/dossier"]
        assert text.encode() == line  # the bytes the candidate was validated from, not a re-serialisation
        assert record["candidate"] == {
            "clear": {"employee_status": "PNS"},
            "dossier": {"sealed": hashlib.sha256(rfc8785.dumps([salt, "candidate/dossier", text])).hexdigest()},
            "hash": hashlib.sha256(line).hexdigest(),
        }
        assert sorted(personal) == ["candidate/dossier", "file", "name", "nip"]
        assert row["name"].endswith("é")
    code, out, err = run("replay", "--all", "--db", store, "--format", "json")
    assert code == 0, err
    assert [r["result"] for r in json.loads(out)] == ["IDENTICAL", "IDENTICAL"]
    code, out, err = run("audit", "show", "#1", "--db", store, "--format", "json")
    assert code == 0, err
    shown = json.loads(out)["record"]["candidate"]
    assert shown["dossier"].encode() == lines[0] and shown["snapshot"] == json.loads(lines[0])


def test_a_replay_recorded_carries_the_dossier_of_the_record_it_replays(bundle_store: tuple[str, list[bytes]]) -> None:
    store, lines = bundle_store
    code, _out, err = run("replay", "#2", "--record", "--db", store, "--actor", "inspektorat")
    assert code == 0, err
    again = rows(store)[2]
    record, personal = json.loads(again["record"]), json.loads(again["personal"])
    assert record["replay_of"] == rows(store)[1]["decision_id"]
    assert personal["candidate/dossier"][1].encode() == lines[1]
    assert record["candidate"]["hash"] == hashlib.sha256(lines[1]).hexdigest()
    code, _out, err = run("audit", "verify", "--db", store)
    assert code == 0, err


def test_a_yaml_dossier_is_sealed_as_json_that_validates_to_the_same_candidate(store_url: str) -> None:
    source = FIXTURES / "budi-santoso.yaml"
    code, _out, err = run("check", str(source), "--position", "administrator", "--as-of", AS_OF, "--db", store_url)
    assert code == 0, err
    [row] = rows(store_url)
    text = json.loads(row["personal"])["candidate/dossier"][1]
    [loaded], _problems = load_candidates([source])
    again = json_candidate("again", text.encode())
    assert not isinstance(again, list)
    assert again.candidate.model_dump_json() == loaded.candidate.model_dump_json()
    # budi-santoso.yaml gives his first competency score as 4 and his second as 3.5: JSON numbers, not strings
    assert '"attained":4,' in text and '"attained":3.5,' in text


@pytest.mark.parametrize("folder", ["candidates", "siasn/expected"])
def test_every_fixture_written_as_json_validates_to_the_identical_candidate(folder: str) -> None:
    loaded, _problems = load_candidates([ROOT / "fixtures" / folder])
    assert len(loaded) >= 10
    for item in loaded:
        again = json_candidate(item.file, dossier_json(item.candidate))
        assert not isinstance(again, list), again
        assert again.candidate.model_dump_json() == item.candidate.model_dump_json(), item.file


def _export(store: str, path: Path) -> list[dict[str, Any]]:
    code, _out, err = run("audit", "export", "--db", store, "-o", str(path))
    assert code == 0, err
    return [json.loads(line) for line in path.read_text().splitlines()]


def _verify(lines: list[dict[str, Any]], path: Path) -> tuple[int, set[str]]:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    code, out, _err = run("audit", "verify", "--export", str(path), "--format", "json")
    return code, {problem["code"] for problem in json.loads(out)["problems"]}


def test_a_changed_dossier_disclosure_is_detected(bundle_store: tuple[str, list[bytes]], tmp_path: Path) -> None:
    store, _lines = bundle_store
    lines = _export(store, tmp_path / "plain.jsonl")
    assert _verify(lines, tmp_path / "same.jsonl") == (0, set())
    decision = next(line for line in lines if line["kind"] == "decision")
    salt, text = decision["disclosures"]["candidate/dossier"]
    decision["disclosures"]["candidate/dossier"] = [salt, text.replace('"PNS"', '"PPPK"', 1)]
    assert _verify(lines, tmp_path / "changed.jsonl") == (1, {"personal_changed", "dossier_changed"})


def test_a_changed_dossier_hash_is_detected_even_with_the_chain_rewritten(
    bundle_store: tuple[str, list[bytes]], tmp_path: Path
) -> None:
    store, _lines = bundle_store
    lines = _export(store, tmp_path / "plain.jsonl")
    decisions = [line for line in lines if line["kind"] == "decision"]
    decisions[0]["record"]["candidate"]["hash"] = hashlib.sha256(b"another dossier").hexdigest()
    prev = "0" * 64  # whoever can write the store rewrites every chain hash after the change
    for line in decisions:
        line["prev_hash"] = prev
        line["chain_hash"] = prev = hashlib.sha256(prev.encode() + rfc8785.dumps(line["record"])).hexdigest()
    assert _verify(lines, tmp_path / "rewritten.jsonl") == (1, {"dossier_changed"})


def test_the_redacted_export_leaves_the_dossier_out_and_still_generalises(
    bundle_store: tuple[str, list[bytes]], tmp_path: Path
) -> None:
    store, lines = bundle_store
    path = tmp_path / "redacted.jsonl"
    code, _out, err = run("audit", "export", "--db", store, "--redact", "--salt", "s", "-o", str(path))
    assert code == 0, err
    text = path.read_text()
    assert "candidate/dossier" not in text and "1983-05-12" not in text and "1986-02-21" not in text
    decisions = [line for line in map(json.loads, text.splitlines()) if line["kind"] == "decision"]
    # born 1983-05-12 and 1986-02-21, TMT CPNS 2008-03-01 and 2009-12-01; decided on 2026-12-01
    assert [d["generalised"] for d in decisions] == [
        {"age_years": 43, "service_months": 225},
        {"age_years": 40, "service_months": 204},
    ]
    code, out, err = run("audit", "verify", "--export", str(path), "--format", "json")
    assert code == 0, (out, err)
