"""Placing drafts in the log: each record composed with its sequence number, decision id and time, then chained;
where an append put them (``Appended``) and the log's last record (``Head``)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from engine.audit.canonical import compose

if TYPE_CHECKING:  # record.py re-exports this module's functions
    from engine.audit.batch import DraftBatch
    from engine.audit.record import Draft

# The columns of audit_decisions, in the order of the rows ``placed`` makes (tests hold it to the schema).
COLUMNS = (
    "seq", "decision_id", "recorded_at", "as_of", "position", "verdict", "board", "actor", "nip", "name",
    "ruleset_hash", "record", "personal", "prev_hash", "chain_hash",
)  # fmt: skip
# The members of every draft, and so their order among the placed ones in a record (RFC 8785 sorts).
_DRAFTED = frozenset(
    ("actor", "board", "candidate", "decision", "engine", "replay_of", "run_id", "schema_version", "versions")
)


@dataclass(frozen=True)
class Head:
    """The last record: its sequence number and chain hash (0 and the genesis hash when empty)."""

    seq: int
    chain_hash: str
    decision_id: str = ""
    recorded_at: str = ""

    @property
    def token(self) -> str:
        """``SEQ:HASH``, what ``audit verify --expect-head`` takes."""
        return f"{self.seq}:{self.chain_hash}"


@dataclass(frozen=True)
class Appended:
    """Where one append put its records."""

    first: int
    last: int
    head: str
    ids: tuple[str, ...] = ()  # the decision ids of first..last, in order

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    @property
    def records(self) -> tuple[tuple[int, str], ...]:
        """(sequence number, decision id) of each record appended, in order."""
        return tuple(zip(range(self.first, self.last + 1), self.ids, strict=False))


def place(draft: Draft, seq: int, decision_id: str, recorded_at: str, prev_hash: str) -> dict[str, Any]:
    """The row of a draft at ``seq`` after ``prev_hash``: the record and its chain hash."""
    rows, _ = placed([draft], seq - 1, [decision_id], recorded_at, prev_hash)
    return dict(zip(COLUMNS, rows[0], strict=True))


def placed(
    drafts: Sequence[Draft], after: int, ids: Sequence[str], recorded_at: str, prev_hash: str
) -> tuple[list[tuple[Any, ...]], str]:
    """The rows of ``drafts`` (tuples in ``COLUMNS`` order) at ``after`` + 1, + 2, … chained after
    ``prev_hash``, each with its decision id of ``ids``; and the chain hash of the last."""
    moment = orjson.dumps(recorded_at)  # canonical, like the id below and the sequence number
    drafted, rows = _DRAFTED, []
    seq = after
    for draft, ident in zip(drafts, ids, strict=True):
        seq += 1
        parts, columns = draft.parts, draft.columns
        if parts.keys() == drafted:  # = compose() of the members with these three, written out in their order
            head, before_seq, after_seq = _frame(parts, moment)
            record = b"".join(
                (
                    head, parts["candidate"], b',"decision":', parts["decision"], b',"decision_id":',
                    orjson.dumps(ident), before_seq, b"%d" % seq, after_seq,
                )
            )  # fmt: skip
        else:
            record = compose({**parts, "decision_id": orjson.dumps(ident), "recorded_at": moment, "seq": b"%d" % seq})
        chained = chain_hash(prev_hash, record)
        rows.append(
            (
                seq, ident, recorded_at, columns["as_of"], columns["position"], columns["verdict"], columns["board"],
                columns["actor"], columns["nip"], columns["name"], columns["ruleset_hash"], record.decode(),
                draft.personal.decode(), prev_hash, chained,
            )
        )  # fmt: skip
        prev_hash = chained
    return rows, prev_hash


def _frame(parts: dict[str, bytes], moment: bytes) -> tuple[bytes, bytes, bytes]:
    """A record's members but its candidate, decision, decision id and sequence number, in their order (RFC 8785
    sorts them), joined in the three pieces around those: before the candidate, between the decision id and the
    sequence number, after it. ``moment``: the time recorded, as JSON."""
    head = b'{"actor":%s,"board":%s,"candidate":' % (parts["actor"], parts["board"])
    before_seq = b',"engine":%s,"recorded_at":%s,"replay_of":%s,"run_id":%s,"schema_version":%s,"seq":' % (
        parts["engine"], moment, parts["replay_of"], parts["run_id"], parts["schema_version"]
    )  # fmt: skip
    return head, before_seq, b',"versions":%s}' % parts["versions"]


def chain_hash(prev_hash: str, record: bytes) -> str:
    """sha256(previous chain hash, as 64 hex characters ‖ the record's canonical JSON)."""
    digest = hashlib.sha256(prev_hash.encode("ascii"))
    digest.update(record)
    return digest.hexdigest()


def placed_batch(
    batch: DraftBatch, after: int, ids: Sequence[str], recorded_at: str, prev_hash: str
) -> tuple[list[tuple[Any, ...]], str]:
    """``placed`` of ``batch.drafts()``, made from its columns: each record is one join of its own members with
    those its run shares (joined once an append, with the time), then chained."""
    from engine.audit.record import constant_parts  # placing is imported by record

    # what the run's records share, joined once an append with the time
    head, before_seq, after_seq = _frame(
        constant_parts(batch.actor, batch.board, batch.engine, batch.run_id, None), orjson.dumps(recorded_at)
    )
    # a decision id is 26 Crockford characters: its JSON is the text in quotes (else written by orjson)
    named = [b'"%s"' % ident.encode() for ident in ids] if "".join(ids).isalnum() else list(map(orjson.dumps, ids))
    as_of, position, verdicts, board, actor = batch.as_of, batch.position, batch.verdicts, batch.board, batch.actor
    nips, names, ruleset_hash = batch.nips, batch.names, batch.ruleset_hash
    rows = []
    seq = after
    for index, (candidate, decision, personal, quoted) in enumerate(
        zip(batch.candidates, batch.decisions, batch.personals, named, strict=True)
    ):
        seq += 1
        record = b"".join(
            (head, candidate, b',"decision":', decision, b',"decision_id":', quoted, before_seq, b"%d" % seq, after_seq)
        )
        chained = chain_hash(prev_hash, record)
        rows.append(
            (
                seq, ids[index], recorded_at, as_of, position, verdicts[index], board, actor, nips[index],
                names[index], ruleset_hash, record.decode(), personal.decode(), prev_hash, chained,
            )
        )  # fmt: skip
        prev_hash = chained
    return rows, prev_hash
