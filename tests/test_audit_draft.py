"""Audit drafts equal the plain definition: each piece is RFC 8785 of its value, the dossier sealed whole (v3)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from pathlib import Path
from typing import Any

import orjson
import pytest
import rfc8785
from audit_support import json_values
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.audit.canonical import canonical, compose
from engine.audit.dossier import dossier_json, dossier_of
from engine.audit.record import Draft, StoredRuleset, draft, seal_digest, sealed_problems
from engine.audit.snapshot import CLEAR, note_places, snapshot
from engine.decide.pipeline import check_with
from engine.decide.record import DecisionRecord
from engine.load.intake import LoadedCandidate, load_candidates
from engine.load.library import load_library

ROOT = Path(__file__).parent.parent
AS_OF = dt.date(2026, 12, 1)

_names = st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_names, json_values, max_size=6))
def test_members_compose_to_the_canonical_object(value: dict[str, Any]) -> None:
    members = {key: canonical(item) for key, item in value.items()}
    assert all(members[key] == rfc8785.dumps(item) for key, item in value.items())
    assert compose(members) == rfc8785.dumps(value)


def _drafts(position: str, files: list[Path]) -> list[tuple[Any, LoadedCandidate, Draft, Draft, dict[str, Any]]]:
    loaded, _problems = load_candidates(files)
    ruleset = load_library(ROOT / "rules").for_position(position, None, AS_OF)
    run = check_with(ruleset, position, loaded, AS_OF)
    by_file = {item.file: item for item in loaded}
    stored = StoredRuleset.of(ruleset)
    out = []
    for decision in run.decisions:
        item = by_file[decision.candidate.file]
        decided = DecisionRecord.of(decision).model_dump(mode="json")
        before = orjson.dumps(decided)
        made = [
            draft(
                decision,
                dossier_of(item),
                stored,
                actor="siti",
                board="BAPERJAKAT",
                engine="durable",
                run_id="01J",
                random=random.Random(7).randbytes,
                decided=given,
            )
            for given in (None, decided)
        ]
        assert orjson.dumps(decided) == before  # the caller's decision is left as it was
        out.append((decision, item, made[0], made[1], decided))
    return out


HAND_MADE = [ROOT / "fixtures" / "candidates"]
# The first 400 of the generated population include assessments without a JPM: notes that name the
# assessment number, sealed inside the decision itself.
GENERATED = sorted((ROOT / "fixtures" / "population" / "candidates").glob("*.json"))[:400]


@pytest.mark.parametrize(
    ("position", "files", "notes"),
    [("administrator", HAND_MADE, False), ("pengawas", HAND_MADE, False), ("administrator", GENERATED, True)],
)
def test_draft_pieces_are_the_canonical_forms_of_what_they_hold(position: str, files: list[Path], notes: bool) -> None:
    drafts = _drafts(position, files)
    assert drafts
    noted = 0
    for decision, item, plain, shared, decided in drafts:
        assert plain == shared  # passing the decision's JSON changes nothing
        disclosures = orjson.loads(plain.personal)
        assert plain.personal == rfc8785.dumps(disclosures)
        # the dossier: a JSON file's own bytes, else written from the candidate; sealed whole, hashed as bytes
        path = Path(item.file)
        text = path.read_bytes() if path.suffix == ".json" else dossier_json(item.candidate)
        clear = {key: value for key, value in snapshot(item.candidate).items() if key in CLEAR}
        salt, held = disclosures.pop("candidate/dossier")
        assert held == text.decode()
        expected: dict[str, Any] = {
            "clear": clear,
            "dossier": {"sealed": hashlib.sha256(rfc8785.dumps([salt, "candidate/dossier", held])).hexdigest()},
            "hash": hashlib.sha256(text).hexdigest(),
        }
        assert plain.parts["candidate"] == rfc8785.dumps(expected)
        body = orjson.loads(plain.parts["decision"])
        assert plain.parts["decision"] == rfc8785.dumps(body)
        record = {"schema_version": 3, "candidate": expected, "decision": body}
        assert sealed_problems(record, {**disclosures, "candidate/dossier": [salt, held]}) == []
        for field in ("file", "name", "nip"):
            salt, value = disclosures.pop(field)
            assert value == getattr(decision.candidate, field)
            assert body["candidate"][field] == {"sealed": seal_digest(salt, field, value)}
        # what is left are the notes' quasi-identifiers (found by a full walk), each sealed by place
        places = note_places(decided)
        noted += len(places)
        assert sorted(disclosures) == sorted("/".join(str(part) for part in place) for place, _v in places)
        for place, value in places:
            salt, held = disclosures["/".join(str(part) for part in place)]
            assert held == value
            tree: Any = {"decision": body}
            for part in place:
                tree = tree[part]
            assert tree == {"sealed": seal_digest(salt, "/".join(str(part) for part in place), value)}
    assert (noted > 0) == notes
