"""Replay: re-decide recorded decisions from their stored ruleset, snapshot and date, and compare."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from pydantic import ValidationError

from engine.audit.canonical import digest
from engine.audit.record import decision_json, unseal
from engine.audit.snapshot import revive
from engine.decide.decision import Decision
from engine.decide.pipeline import check_with
from engine.errors import InputError
from engine.load.intake import LoadedCandidate
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
    record: dict[str, Any]
    differences: list[Difference] = field(default_factory=list)
    decision: Decision | None = None
    ruleset: Ruleset | None = None

    @property
    def identical(self) -> bool:
        return not self.differences


def opened(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored row's record with its personal values put back."""
    record: dict[str, Any] = unseal(orjson.loads(row["record"]), orjson.loads(row["personal"]))
    return record


def replay(rows: Iterable[Mapping[str, Any]], ruleset_body: Callable[[str], str | None]) -> Iterator[Replayed]:
    """Replay rows in order, re-deciding runs of records that share ruleset, position, date and engine together."""
    group: list[Replayed] = []
    key: tuple[str, ...] = ()
    for row in rows:
        record = opened(row)
        decided = record["decision"]
        item = Replayed(seq=int(row["seq"]), decision_id=row["decision_id"], nip=row["nip"], name=row["name"],
                        record=record)
        here = (decided["ruleset"]["hash"], decided["position"], decided["as_of"], record["engine"])
        if group and (here != key or len(group) >= BATCH):
            yield from _replay_group(group, ruleset_body)
            group = []
        key = here
        group.append(item)
    if group:
        yield from _replay_group(group, ruleset_body)


def _stored_ruleset(items: list[Replayed], body: str | None) -> Ruleset | None:
    recorded = items[0].record["decision"]["ruleset"]["hash"]
    if body is None:
        for item in items:
            item.differences.append(Difference("(ruleset)", "stored", recorded, None))
        return None
    try:
        return Ruleset.model_validate(orjson.loads(body))
    except (orjson.JSONDecodeError, ValidationError) as error:
        for item in items:
            item.differences.append(Difference("(ruleset)", "readable", recorded, str(error).splitlines()[0]))
        return None


def _replay_group(items: list[Replayed], ruleset_body: Callable[[str], str | None]) -> Iterator[Replayed]:
    first = items[0].record
    ruleset = _stored_ruleset(items, ruleset_body(first["decision"]["ruleset"]["hash"]))
    if ruleset is None:
        yield from items
        return
    loaded: list[LoadedCandidate] = []
    unreadable: set[str] = set()
    for item in items:
        snap = item.record["candidate"]["snapshot"]
        found = digest(snap)
        if found != item.record["candidate"]["hash"]:
            item.differences.append(Difference("(candidate)", "hash", item.record["candidate"]["hash"], found))
        try:
            loaded.append(LoadedCandidate(item.decision_id, revive(snap)))
        except ValidationError as error:
            item.differences.append(Difference("(candidate)", "readable", True, str(error).splitlines()[0]))
            unreadable.add(item.decision_id)
    try:
        run = check_with(ruleset, first["decision"]["position"], loaded,
                         dt.date.fromisoformat(first["decision"]["as_of"]),
                         backend="reference" if first["engine"] == "reference" else "durable")
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
                item.differences.append(Difference("(decision)", "decided", True,
                                                   problems.get(item.decision_id, False)))
        else:
            recorded_ref = item.record["decision"]["candidate"]
            item.ruleset = ruleset
            item.decision = decision.model_copy(update={"candidate": decision.candidate.model_copy(
                update={"file": recorded_ref["file"]})})
            item.differences.extend(compare(item.record["decision"], decision_json(item.decision)))
        yield item


def compare(recorded: Mapping[str, Any], replayed: Mapping[str, Any]) -> list[Difference]:
    """Every difference between two recorded decisions, requirement by requirement."""
    out: list[Difference] = []
    for part in ("ruleset", "verdict", "position", "as_of", "candidate", "jpm"):
        if recorded.get(part) != replayed.get(part):
            out.extend(_fields(f"({part})", recorded.get(part), replayed.get(part)))
    old, new = _flatten(recorded.get("requirements", [])), _flatten(replayed.get("requirements", []))
    for where in [*old, *(w for w in new if w not in old)]:
        if old.get(where) != new.get(where):
            out.extend(_fields(where, old.get(where), new.get(where)))
    old_facts, new_facts = recorded.get("facts") or {}, replayed.get("facts") or {}
    for part in sorted(set(old_facts) | set(new_facts)):
        before, after = old_facts.get(part), new_facts.get(part)
        if before == after:
            continue
        if isinstance(before, dict) and isinstance(after, dict):
            for name in sorted(set(before) | set(after)):
                if before.get(name) != after.get(name):
                    out.append(Difference("(facts)", f"{part}.{name}", before.get(name), after.get(name)))
        else:
            out.append(Difference("(facts)", part, before, after))
    return out


def _fields(where: str, before: Any, after: Any) -> list[Difference]:
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return [Difference(where, "(present)" if before is None or after is None else "value", before, after)]
    return [Difference(where, name, before.get(name), after.get(name))
            for name in sorted(set(before) | set(after)) if before.get(name) != after.get(name)]


def _flatten(outcomes: list[Any], prefix: str = "") -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for outcome in outcomes:
        where = f"{prefix}{outcome.get('id')}"
        out[where] = {k: v for k, v in outcome.items() if k != "children"}
        out.update(_flatten(outcome.get("children") or [], where + "/"))
    return out
