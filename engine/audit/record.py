"""The decision record: what the chain covers, personal data sealed by salted digests, and its chain hash."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from typing import Any

import orjson

from engine import __version__
from engine.audit import placing
from engine.audit.canonical import canonical, digest, sha256_hex
from engine.audit.dossier import PLACE as DOSSIER
from engine.audit.dossier import Dossier
from engine.audit.ids import salt_bytes
from engine.audit.sealed import sealed_members
from engine.audit.snapshot import note_places, place_name, place_path
from engine.decide.decision import Decision
from engine.decide.record import record_line
from engine.load.rulefile import Ruleset

# 1: the NIP, name and file sealed; 2: every quasi-identifier sealed too (dates, units, free texts, document
# numbers; disclosures keyed by their place); 3: the dossier sealed whole, as the JSON text it was read from
# (its clear categories shown beside it). Readers take all three: each holds its sealed places.
RECORD_VERSION = 3
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
# Version 3: the decision's three, and the dossier (its disclosure keyed by its place).
SEALED_V3: tuple[tuple[tuple[str, ...], str], ...] = (*SEALED[:3], (("candidate", "dossier"), DOSSIER))


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
    dossier: Dossier,
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
) -> Draft:
    """Everything of a record that does not depend on its place in the log (``dossier``: the candidate's).

    ``decided``: the JSON form of ``DecisionRecord.of(decision)`` when the caller has it already (it is not
    changed); ``line``: ``record_line(decision)`` when the caller has it (a streamed check prints it). Without
    ``decided``, the record is composed from the line and the dossier's bytes (``sealed_members``: the sealed
    decision is the line with its candidate swapped); the general path, from the decision's JSON form, takes
    what that cannot prove byte-identical and notes that may hold a quasi-identifier. Both draw the salts in
    the same order (the file's, the name's, the NIP's, the dossier's, then each sealed note argument's), so
    for the same salts they give the same bytes.
    """
    columns = _columns(decision, actor, board)
    constant = constant_parts(actor, board, engine, run_id, replay_of)
    if decided is None:
        line = record_line(decision) if line is None else line
        made = sealed_members(decision, dossier, line, random)  # None: not provably the same bytes
        if made is not None:
            parts = constant | {"candidate": made[0], "decision": made[1]}
            return Draft(parts=parts, personal=made[2], columns=columns, ruleset=ruleset)
        decided = orjson.loads(line)
    ref = decision.candidate
    disclosures: dict[str, list[Any]] = {}

    def seal(name: str, value: Any) -> dict[str, str]:
        salt = random(16).hex()
        disclosures[name] = [salt, value]
        return {"sealed": seal_digest(salt, name, value)}

    markers = {"file": seal("file", ref.file), "name": seal("name", ref.name), "nip": seal("nip", ref.nip)}
    text = dossier.text.decode("utf-8")
    candidate = {"clear": dict(dossier.clear), "dossier": seal(DOSSIER, text), "hash": dossier.hash}
    sealed = dict(decided)
    sealed["candidate"] = markers
    for path, value in note_places(sealed):  # note arguments that carry a quasi-identifier, sealed by place
        _put(sealed, path[1:], seal(place_name(path), value))
    parts = constant | {"candidate": canonical(candidate), "decision": canonical(sealed)}
    return Draft(parts=parts, personal=canonical(disclosures), columns=columns, ruleset=ruleset)


_CONSTANT: dict[tuple[str, str | None, str, str, str | None], dict[str, bytes]] = {}


def constant_parts(actor: str, board: str | None, engine: str, run_id: str, replay_of: str | None) -> dict[str, bytes]:
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


def _sealed_places(record: Mapping[str, Any]) -> tuple[tuple[tuple[str, ...], str], ...]:
    version = record.get("schema_version")
    return SEALED_V3 if isinstance(version, int) and version >= 3 else SEALED


def sealed_problems(record: Mapping[str, Any], disclosures: Mapping[str, Any]) -> list[str]:
    """Places where a disclosed personal value does not match the digest the record holds."""
    problems = []
    fixed = _sealed_places(record)
    for path, field in fixed:
        marker = _at(record, path)
        disclosure = disclosures.get(field)
        if not (isinstance(disclosure, list) and len(disclosure) == 2 and all(isinstance(x, str) for x in disclosure)):
            problems.append(f"the sealed value of '{field}' is not disclosed")
            continue
        if not isinstance(marker, dict) or marker.get("sealed") != seal_digest(disclosure[0], field, disclosure[1]):
            problems.append(f"'{'.'.join(path)}' does not match its sealed digest")
    named = {field for _path, field in fixed}
    for name, disclosure in disclosures.items():
        if "/" not in name or name in named:
            continue
        if (
            not isinstance(disclosure, list)
            or len(disclosure) != 2
            or not isinstance(_at(record, place_path(name)), dict)
            or _at(record, place_path(name)).get("sealed") != seal_digest(disclosure[0], name, disclosure[1])
        ):
            problems.append(f"'{name}' does not match its sealed digest")
    return problems


def dossier_problem(record: Mapping[str, Any], disclosures: Mapping[str, Any]) -> tuple[str, str] | None:
    """(the hash the record holds, the sha256 of the disclosed dossier's text) when they differ (version 3)."""
    if _sealed_places(record) is not SEALED_V3:
        return None
    disclosure = disclosures.get(DOSSIER)
    held = _at(record, ("candidate", "hash"))
    if not (isinstance(disclosure, list) and len(disclosure) == 2 and isinstance(disclosure[1], str)):
        return None  # not disclosed: ``sealed_problems`` says so
    actual = hashlib.sha256(disclosure[1].encode("utf-8", "surrogatepass")).hexdigest()
    return None if actual == held else (str(held), actual)


def unseal(record: Mapping[str, Any], disclosures: Mapping[str, Any]) -> dict[str, Any]:
    """The record with personal values put back (a deep copy; the input is left as it is). A version-3 record's
    dossier is put back as its text (``candidate.dossier``) and as the JSON value that text holds
    (``candidate.snapshot``, where versions 1 and 2 keep their snapshot), for readers of either."""
    out: dict[str, Any] = orjson.loads(orjson.dumps(record))
    for path, field in _sealed_places(record):
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
    part = out.get("candidate")
    if _sealed_places(record) is SEALED_V3 and isinstance(part, dict) and isinstance(part.get("dossier"), str):
        with contextlib.suppress(orjson.JSONDecodeError):
            part["snapshot"] = orjson.loads(part["dossier"])
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
