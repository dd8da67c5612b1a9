"""Replay: re-decide recorded decisions from their stored ruleset, dossier (or snapshot) and date, and compare."""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic import BaseModel, ValidationError
from pydantic_core import to_jsonable_python

from engine.audit.canonical import digest
from engine.audit.dossier import Dossier, dossier_of
from engine.audit.record import unseal
from engine.audit.rulesets import RulesetUnavailable, StoredRulesets
from engine.audit.snapshot import revive
from engine.audit.versions import check_version
from engine.compiler.layout import LayoutCache
from engine.decide.decision import Decision
from engine.decide.pipeline import check_with, collector_paused
from engine.decide.record import DecisionRecord, RequirementRecord
from engine.errors import EngineFault, InputError, Problem, path_text
from engine.load.intake import LoadedCandidate, json_candidate
from engine.load.rulefile import Ruleset

BATCH = 1000  # decisions re-decided per engine run


@dataclass(frozen=True)
class Difference:
    """One thing the replay decided differently: where (a requirement id, or a part in parentheses) and what."""

    where: str
    field: str
    recorded: Any
    replayed: Any


@dataclass
class Replayed:
    """One recorded decision and what replaying it gave."""

    seq: int
    decision_id: str
    nip: str
    name: str
    record: dict[str, Any]  # the whole record, personal values put back
    recorded: DecisionRecord | None = None  # its "decision" member, typed (None if it does not read as one)
    differences: list[Difference] = field(default_factory=list)
    decision: Decision | None = None
    ruleset: Ruleset | None = None
    dossier: Dossier | None = None  # what the replay decided on, as a record made of it holds it

    @property
    def identical(self) -> bool:
        return not self.differences


def opened(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored row's record with its personal values put back."""
    sealed = orjson.loads(row["record"])
    check_version(sealed, int(row["seq"]))
    record: dict[str, Any] = unseal(sealed, orjson.loads(row["personal"]))
    return record


def recorded_decision(record: Mapping[str, Any]) -> DecisionRecord:
    """The typed decision of an opened record; ``InputError`` naming the field if it does not read as one."""
    try:
        return DecisionRecord.model_validate(record.get("decision"))
    except ValidationError as error:
        first = error.errors()[0]
        raise InputError(
            [
                Problem(
                    code="record_unreadable",
                    path=path_text(("decision", *first["loc"])),
                    message=first["msg"],
                    hint="`layak audit verify` checks every record",
                )
            ]
        ) from None


def replay(
    rows: Iterable[Mapping[str, Any]], ruleset_body: Callable[[str], str | None], layouts: LayoutCache | None = None
) -> Generator[Replayed, None, None]:
    """Replay rows in order, re-deciding runs of records that share ruleset, position, date and engine together.

    Each stored ruleset is parsed once and each layout compiled once (through ``layouts``) for the whole run.
    The cyclic garbage collector is paused while it runs, as for a batch of `check`: a group holds up to 1,000
    opened records and their decisions (~10^5 objects), and each full collection rescanned them all (a third of a
    replay's time, measured). A young-generation pass follows each group, once its items are let go.
    """
    with collector_paused():
        yield from _replay_rows(rows, StoredRulesets(ruleset_body, layouts))


def _replay_rows(rows: Iterable[Mapping[str, Any]], stored: StoredRulesets) -> Iterator[Replayed]:
    group: list[Replayed] = []
    key: tuple[str, ...] = ()
    for row in rows:
        record = opened(row)
        item = Replayed(
            seq=int(row["seq"]), decision_id=row["decision_id"], nip=row["nip"], name=row["name"], record=record
        )
        try:
            item.recorded = recorded = recorded_decision(record)
        except InputError as error:
            item.differences.append(Difference("(decision)", "readable", True, str(error.problems[0])))
            yield from _replay_group(group, stored)
            group, key = [], ()
            yield item
            continue
        here = (recorded.ruleset.hash, recorded.position, recorded.as_of.isoformat(), str(record.get("engine")))
        if group and (here != key or len(group) >= BATCH):
            yield from _replay_group(group, stored)
            group = []
            gc.collect(0)
        key = here
        group.append(item)
    yield from _replay_group(group, stored)


def _recorded(item: Replayed) -> DecisionRecord:
    if item.recorded is None:
        raise EngineFault(f"record #{item.seq} was grouped for replay without a readable decision")
    return item.recorded


def _stored_ruleset(items: list[Replayed], stored: StoredRulesets) -> Ruleset | None:
    recorded = _recorded(items[0]).ruleset.hash
    try:
        return stored.ruleset(recorded)
    except RulesetUnavailable as error:
        for item in items:
            item.differences.append(
                Difference("(ruleset)", error.field, recorded, None if error.field == "stored" else error.detail)
            )
        return None


def _replay_group(items: list[Replayed], stored: StoredRulesets) -> Iterator[Replayed]:
    if not items:
        return
    first = _recorded(items[0])
    ruleset = _stored_ruleset(items, stored)
    if ruleset is None:
        yield from items
        return
    loaded: list[LoadedCandidate] = []
    unreadable: set[str] = set()
    for item in items:
        found = _candidate(item)
        if found is None:
            unreadable.add(item.decision_id)
        else:
            loaded.append(found)
    try:
        run = check_with(
            ruleset,
            first.position,
            loaded,
            first.as_of,
            backend="reference" if items[0].record.get("engine") == "reference" else "durable",
            layouts=stored.layouts,
        )
    except InputError as error:
        for item in items:
            item.differences.append(Difference("(decision)", "decided", True, str(error)))
        yield from items
        return
    by_id = {d.candidate.file: d for d in run.decisions}
    problems = {p.file: str(p) for p in run.problems}
    for item in items:
        decision = by_id.get(item.decision_id)
        if decision is None:
            if item.decision_id not in unreadable:
                item.differences.append(
                    Difference("(decision)", "decided", True, problems.get(item.decision_id, False))
                )
        else:
            recorded = _recorded(item)
            item.ruleset = ruleset
            item.decision = decision.model_copy(
                update={"candidate": decision.candidate.model_copy(update={"file": recorded.candidate.file})}
            )
            replayed = DecisionRecord.of(item.decision)
            if replayed != recorded:  # equal records differ nowhere: the walk (~200 µs) is for the others
                item.differences.extend(compare(recorded, replayed))
        yield item


def _candidate(item: Replayed) -> LoadedCandidate | None:
    """The candidate of a record, named by its decision id, with the dossier a replayed record holds (None when it
    does not read: the difference says why). Version 3 validates the dossier's text through the JSON loader as
    the check did, so numbers come back exactly as they were validated; 1 and 2 revive their snapshot."""
    part = item.record.get("candidate")
    version = item.record.get("schema_version")
    if isinstance(version, int) and version >= 3:
        text = part.get("dossier") if isinstance(part, dict) else None
        if not isinstance(part, dict) or not isinstance(text, str):
            missing = "the record's dossier is not disclosed"
            item.differences.append(Difference("(candidate)", "readable", True, missing))
            return None
        raw = text.encode("utf-8", "surrogatepass")
        found = hashlib.sha256(raw).hexdigest()
        if found != part.get("hash"):
            item.differences.append(Difference("(candidate)", "hash", part.get("hash"), found))
        loaded = json_candidate(item.decision_id, raw)
        if isinstance(loaded, list):
            item.differences.append(Difference("(candidate)", "readable", True, str(loaded[0])))
            return None
        dossier = dossier_of(loaded)
        if dict(dossier.clear) != part.get("clear"):
            item.differences.append(Difference("(candidate)", "clear", part.get("clear"), dict(dossier.clear)))
        item.dossier = dossier
        return loaded
    snap = part.get("snapshot") if isinstance(part, dict) else None
    if not isinstance(part, dict) or not isinstance(snap, dict):
        item.differences.append(Difference("(candidate)", "readable", True, "the record holds no snapshot"))
        return None
    found = digest(snap)
    if found != part.get("hash"):
        item.differences.append(Difference("(candidate)", "hash", part.get("hash"), found))
    try:
        candidate = revive(snap)
    except ValidationError as error:
        item.differences.append(Difference("(candidate)", "readable", True, str(error).splitlines()[0]))
        return None
    item.dossier = dossier_of(LoadedCandidate(item.decision_id, candidate))  # written from the candidate
    return LoadedCandidate(item.decision_id, candidate)


def compare(recorded: DecisionRecord, replayed: DecisionRecord) -> list[Difference]:
    """Every difference between two decision records: its parts, requirement by requirement, fact by fact."""
    out: list[Difference] = []
    for part in ("ruleset", "verdict", "position", "as_of", "candidate", "jpm"):
        before, after = getattr(recorded, part), getattr(replayed, part)
        if before != after:
            out.extend(_fields(f"({part})", _json(before), _json(after)))
    old, new = dict(recorded.flat()), dict(replayed.flat())
    for where in [*old, *(w for w in new if w not in old)]:
        before_req, after_req = old.get(where), new.get(where)
        if before_req is None or after_req is None or _own(before_req) != _own(after_req):
            out.extend(_fields(where, _own(before_req), _own(after_req)))
    old_facts, new_facts = recorded.facts.model_dump(mode="json"), replayed.facts.model_dump(mode="json")
    # A fact the recording engine did not know (added to the vocabulary later) is no difference: every fact the
    # record holds, as a value, as missing or as invalid, must still come out the same.
    known = {name for part in ("values", "missing", "invalid") for name in old_facts.get(part) or {}}
    for part in sorted(set(old_facts) | set(new_facts)):
        before, after = old_facts.get(part), new_facts.get(part)
        if before == after:
            continue
        if isinstance(before, dict) and isinstance(after, dict):
            for name in sorted(n for n in set(before) | set(after) if n in known):
                if before.get(name) != after.get(name):
                    out.append(Difference("(facts)", f"{part}.{name}", before.get(name), after.get(name)))
        else:
            out.append(Difference("(facts)", part, before, after))
    return out


def _json(value: Any) -> Any:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else to_jsonable_python(value)


def _own(item: RequirementRecord | None) -> dict[str, Any] | None:
    """One requirement's own members (its children are compared in their own right)."""
    if item is None:
        return None
    own: dict[str, Any] = item.model_dump(mode="json")
    own.pop("children", None)
    return own


def _fields(where: str, before: Any, after: Any) -> list[Difference]:
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return [Difference(where, "(present)" if before is None or after is None else "value", before, after)]
    return [
        Difference(where, name, before.get(name), after.get(name))
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    ]
