"""Audit drafts composed from canonical parts equal the plain definition: each piece is RFC 8785 of its value."""

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

from engine.audit.canonical import canonical_members, compose
from engine.audit.record import Draft, StoredRuleset, draft, seal_digest, sealed_problems
from engine.audit.snapshot import note_places, quasi_places, snapshot
from engine.decide.pipeline import check_with
from engine.decide.record import DecisionRecord
from engine.load.intake import load_candidates
from engine.load.library import load_library

ROOT = Path(__file__).parent.parent
AS_OF = dt.date(2026, 12, 1)

_names = st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_names, json_values, max_size=6))
def test_members_compose_to_the_canonical_object(value: dict[str, Any]) -> None:
    members = canonical_members(value)
    assert all(members[key] == rfc8785.dumps(item) for key, item in value.items())
    assert compose(members) == rfc8785.dumps(value)


def _drafts(position: str, files: list[Path]) -> list[tuple[Any, dict[str, Any], Draft, Draft, dict[str, Any]]]:
    loaded, _problems = load_candidates(files)
    ruleset = load_library(ROOT / "rules").for_position(position, None, AS_OF)
    run = check_with(ruleset, position, loaded, AS_OF)
    by_file = {item.file: item.candidate for item in loaded}
    stored = StoredRuleset.of(ruleset)
    out = []
    for decision in run.decisions:
        snap = snapshot(by_file[decision.candidate.file])
        decided = DecisionRecord.of(decision).model_dump(mode="json")
        before = orjson.dumps(decided)
        made = [
            draft(
                decision,
                snap,
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
        out.append((decision, snap, made[0], made[1], decided))
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
    for _decision, snap, plain, shared, decided in drafts:
        assert plain == shared  # passing the decision's JSON changes nothing
        disclosures = orjson.loads(plain.personal)
        assert plain.personal == rfc8785.dumps(disclosures)
        candidate = orjson.loads(plain.parts["candidate"])
        assert candidate["hash"] == hashlib.sha256(rfc8785.dumps(snap)).hexdigest()
        assert plain.parts["candidate"] == rfc8785.dumps(candidate)
        body = orjson.loads(plain.parts["decision"])
        assert plain.parts["decision"] == rfc8785.dumps(body)
        record = {"candidate": candidate, "decision": body}
        assert sealed_problems(record, disclosures) == []
        # every quasi-identifier is sealed: the snapshot's and the notes' (found by a full walk)
        places = quasi_places(snap, {**decided, "candidate": {}})
        noted += len(note_places(decided))
        for path, value in places:
            name = "/".join(str(part) for part in path)
            salt, held = disclosures[name]
            assert held == value
            tree: Any = record
            for part in path:
                tree = tree[part]
            assert tree == {"sealed": seal_digest(salt, name, value)}
        assert len(disclosures) == len(places) + 3
    assert (noted > 0) == notes
