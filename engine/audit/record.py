"""The decision record: what the chain covers, personal data sealed by salted digests, and its chain hash."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from typing import Any

import orjson

from engine import __version__
from engine.audit import placing
from engine.audit.body import spliced
from engine.audit.canonical import canonical, canonical_members, canonical_pair, compose, digest, sha256_hex
from engine.audit.ids import salt_bytes
from engine.audit.sealed import NOTE_KEYS as _NOTE_KEYS
from engine.audit.sealed import Sealer, sealed_members
from engine.audit.snapshot import note_places, place_name, place_path
from engine.decide.decision import Decision
from engine.decide.record import record_line
from engine.load.rulefile import Ruleset

# 1: the NIP, name and file sealed; 2: every quasi-identifier sealed too (dates, units, free texts, document
# numbers; disclosures keyed by their place). Readers take both: a version-1 record simply has fewer sealed places.
RECORD_VERSION = 2
GENESIS = "0" * 64  # the previous hash of record 1
chain_hash, place = placing.chain_hash, placing.place  # re-exported: placing a draft in the log lives there
# Where personal data sit in a record, and which disclosed value each place holds.
SEALED: tuple[tuple[tuple[str, ...], str], ...] = (
    (("decision", "candidate", "file"), "file"),
    (("decision", "candidate", "name"), "name"),
    (("decision", "candidate", "nip"), "nip"),
    (("candidate", "snapshot", "name"), "name"),
    (("candidate", "snapshot", "nip"), "nip"),
)
PERSONAL_FIELDS = ("file", "name", "nip")


@cache
def versions() -> dict[str, str]:
    """The layak and durable-rules versions a decision was made with."""
    try:
        durable = metadata.version("durable_rules")
    except metadata.PackageNotFoundError:
        durable = "unknown"
    return {"durable_rules": durable, "layak": __version__}


@cache
def _versions_json() -> bytes:
    return canonical(versions())


@dataclass(frozen=True)
class StoredRuleset:
    """A resolved ruleset as stored once by content hash."""

    hash: str
    id: str
    version: str
    body: bytes

    @classmethod
    def of(cls, ruleset: Ruleset) -> StoredRuleset:
        body = canonical(ruleset.model_dump(mode="json"))
        return cls(hash=sha256_hex(body), id=ruleset.id, version=ruleset.version, body=body)


@dataclass(frozen=True)
class Draft:
    """A record before the store gives it a place: canonical members, sealed values, query columns."""

    parts: dict[str, bytes]
    personal: bytes
    columns: dict[str, Any]
    ruleset: StoredRuleset


def seal_digest(salt: str, field: str, value: Any) -> str:
    """The digest a record holds in place of one personal value (SD-JWT style salted disclosure)."""
    return digest([salt, field, value])


def draft(
    decision: Decision,
    snap: Mapping[str, Any],
    ruleset: StoredRuleset,
    *,
    actor: str,
    board: str | None,
    engine: str,
    run_id: str,
    replay_of: str | None = None,
    random: Callable[[int], bytes] = salt_bytes,
    decided: Mapping[str, Any] | None = None,
    line: bytes | None = None,
    members: Mapping[str, bytes] | None = None,
) -> Draft:
    """Everything of a record that does not depend on its place in the log (``snap``: the candidate snapshot).

    ``decided``: the JSON form of ``DecisionRecord.of(decision)`` when the caller has it already (it is not
    changed); ``line``: ``record_line(decision)`` when the caller has it (a streamed check prints it). Without
    ``decided``, the record is composed from the line and the members' bytes (``sealed_members``: the sealed
    decision is the line with its candidate swapped), or the line is decoded and encoded again where that
    cannot be proven byte-identical or a note may hold a quasi-identifier. ``members``: the canonical JSON of
    each member of ``snap``, when the caller has it (``snapshot_members``).
    """
    # Each value is made canonical once: its seal digest, the disclosures and the snapshot are composed
    # from these bytes (RFC 8785 output of a container is its members' output joined, keys sorted).
    members = canonical_members(dict(snap)) if members is None else members
    if decided is None:
        line = record_line(decision) if line is None else line
        made = sealed_members(decision, snap, members, line, random)  # None: not provably the same bytes
        if made is not None:
            constant = _constant_parts(actor, board, engine, run_id, replay_of)
            parts = constant | {"candidate": made[0], "decision": made[1]}
            return Draft(parts=parts, personal=made[2], columns=_columns(decision, actor, board), ruleset=ruleset)
    values = {"file": decision.candidate.file, "name": decision.candidate.name, "nip": decision.candidate.nip}
    snap = dict(snap)
    sealer = Sealer(random)
    markers = {key: {"sealed": sealer.seal(key, values[key], canonical(values[key]))} for key in PERSONAL_FIELDS}
    body = None
    if decided is None and line is not None:
        if not any(key in line for key in _NOTE_KEYS):
            body = spliced(line, decision, markers)
        if body is None:
            decided = orjson.loads(line)
    in_snapshot = {"name": markers["name"]["sealed"], "nip": markers["nip"]["sealed"]}
    in_snapshot.update(sealer.snapshot(snap, members))  # dates, units, texts, document numbers
    sealed: dict[str, Any] = {}
    if body is None:
        sealed = dict(decided or {})
        sealed["candidate"] = markers
        body = canonical(sealed)
        if any(key in body for key in _NOTE_KEYS):  # only then can a note argument hold a quasi-identifier
            for path, value in note_places(sealed):
                _put(sealed, path[1:], {"sealed": sealer.seal(place_name(path), value, canonical(value))})
            body = canonical(sealed)
    try:  # composed when every key is a plain ASCII name (the model's fields)
        whole = compose(members)
        sealed_snap = compose({**members, **{key: b'{"sealed":"%s"}' % d.encode() for key, d in in_snapshot.items()}})
    except ValueError:
        whole, sealed_snap = canonical_pair(snap, {key: {"sealed": d} for key, d in in_snapshot.items()})
    parts = _constant_parts(actor, board, engine, run_id, replay_of) | {
        "candidate": compose({"hash": canonical(sha256_hex(whole)), "snapshot": sealed_snap}),
        "decision": body,
    }
    return Draft(parts=parts, personal=sealer.disclosed(), columns=_columns(decision, actor, board), ruleset=ruleset)


_CONSTANT: dict[tuple[str, str | None, str, str, str | None], dict[str, bytes]] = {}


def _constant_parts(actor: str, board: str | None, engine: str, run_id: str, replay_of: str | None) -> dict[str, bytes]:
    """The members every record of a run shares (its actor, board, engine, run id, versions), composed once."""
    key = (actor, board, engine, run_id, replay_of)
    found = _CONSTANT.get(key)
    if found is None:
        if len(_CONSTANT) > 100:  # a run has one; replays one per replayed record
            _CONSTANT.clear()
        found = _CONSTANT[key] = {
            "actor": canonical(actor),
            "board": canonical(board),
            "engine": canonical(engine),
            "replay_of": canonical(replay_of),
            "run_id": canonical(run_id),
            "schema_version": canonical(RECORD_VERSION),
            "versions": _versions_json(),
        }
    return found


def _columns(decision: Decision, actor: str, board: str | None) -> dict[str, Any]:
    ref = decision.candidate
    return {
        "as_of": decision.as_of.isoformat(),
        "position": decision.position,
        "verdict": decision.verdict,
        "board": board,
        "actor": actor,
        "nip": ref.nip,
        "name": ref.name,
        "ruleset_hash": decision.ruleset.hash,
    }


def sealed_problems(record: Mapping[str, Any], disclosures: Mapping[str, Any]) -> list[str]:
    """Places where a disclosed personal value does not match the digest the record holds."""
    problems = []
    for path, field in SEALED:
        marker = _at(record, path)
        disclosure = disclosures.get(field)
        if not (isinstance(disclosure, list) and len(disclosure) == 2 and all(isinstance(x, str) for x in disclosure)):
            problems.append(f"the sealed value of '{field}' is not disclosed")
            continue
        if not isinstance(marker, dict) or marker.get("sealed") != seal_digest(disclosure[0], field, disclosure[1]):
            problems.append(f"'{'.'.join(path)}' does not match its sealed digest")
    for name, disclosure in disclosures.items():
        if "/" in name and (
            not isinstance(disclosure, list)
            or len(disclosure) != 2
            or not isinstance(_at(record, place_path(name)), dict)
            or _at(record, place_path(name)).get("sealed") != seal_digest(disclosure[0], name, disclosure[1])
        ):
            problems.append(f"'{name}' does not match its sealed digest")
    return problems


def unseal(record: Mapping[str, Any], disclosures: Mapping[str, Any]) -> dict[str, Any]:
    """The record with personal values put back (a deep copy; the input is left as it is)."""
    out: dict[str, Any] = orjson.loads(orjson.dumps(record))
    for path, field in SEALED:
        disclosure = disclosures.get(field)
        parent = _at(out, path[:-1])
        if isinstance(parent, dict) and isinstance(disclosure, list) and len(disclosure) == 2:
            parent[path[-1]] = disclosure[1]
    for name, disclosure in disclosures.items():
        place = place_path(name) if "/" in name else ()
        parent = _at(out, place[:-1]) if place else None
        if isinstance(parent, dict | list) and isinstance(disclosure, list) and len(disclosure) == 2:
            try:
                parent[place[-1]] = disclosure[1]  # type: ignore[index]
            except (IndexError, TypeError):
                continue
    return out


def redact(record: Mapping[str, Any], tokens: Mapping[str, str]) -> dict[str, Any]:
    """The record with each sealed place showing its pseudonym token (for reading; not what is hashed)."""
    return unseal(record, {field: ["", token] for field, token in tokens.items()})


def _put(tree: Any, path: tuple[str | int, ...], value: Any) -> None:
    """Set ``value`` at ``path`` under ``tree``, copying each container on the way (the caller's stays as it was)."""
    for key in path[:-1]:
        child = tree[key]
        tree[key] = child = dict(child) if isinstance(child, dict) else list(child)
        tree = child
    tree[path[-1]] = value


def _at(tree: Any, path: tuple[str | int, ...]) -> Any:
    for key in path:
        if isinstance(tree, list) and isinstance(key, int):
            tree = tree[key] if 0 <= key < len(tree) else None
        else:
            tree = tree.get(key) if isinstance(tree, dict) else None
    return tree
