"""A streamed check's drafts as columns: drafted in one pass per batch where it was decided, placed in one pass."""

from __future__ import annotations

import datetime as dt
from binascii import hexlify
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

from engine.audit.body import splice_point
from engine.audit.dossier import Dossier
from engine.audit.ids import salt_bytes
from engine.audit.record import Draft, StoredRuleset, constant_parts, draft
from engine.audit.sealed import NOTE_KEYS, members
from engine.decide.decision import Decision
from engine.errors import EngineFault


@dataclass
class DraftBatch:
    """The drafts of one batch's records, in order, as columns: what differs per record (its candidate and
    sealed decision members, its personal column, the query columns verdict, NIP and name) as lists of bytes and
    strings, and what the records of a run share once. Pickled as a handful of lists (a worker sends it to the
    parent), and placed without a dict or an object per record (``engine.audit.placing.placed_batch``)."""

    ruleset: StoredRuleset
    actor: str
    board: str | None
    engine: str
    run_id: str
    as_of: str  # the query columns every record of the batch shares (one run: one date, position and ruleset)
    position: str
    ruleset_hash: str
    candidates: list[bytes] = field(default_factory=list)
    decisions: list[bytes] = field(default_factory=list)
    personals: list[bytes] = field(default_factory=list)
    verdicts: list[str] = field(default_factory=list)
    nips: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.decisions)

    def picked(self, kept: list[int] | None) -> DraftBatch:
        """The batch's drafts at ``kept`` (None: all of them), in that order."""
        if kept is None:
            return self
        return replace(
            self, candidates=[self.candidates[i] for i in kept], decisions=[self.decisions[i] for i in kept],
            personals=[self.personals[i] for i in kept], verdicts=[self.verdicts[i] for i in kept],
            nips=[self.nips[i] for i in kept], names=[self.names[i] for i in kept],
        )  # fmt: skip

    def drafts(self) -> list[Draft]:
        """The same records as ``Draft`` objects (what ``record.draft`` makes of each)."""
        constant = constant_parts(self.actor, self.board, self.engine, self.run_id, None)
        return [
            Draft(
                parts=constant | {"candidate": candidate, "decision": decision},
                personal=personal,
                columns={
                    "as_of": self.as_of,
                    "position": self.position,
                    "verdict": verdict,
                    "board": self.board,
                    "actor": self.actor,
                    "nip": nip,
                    "name": name,
                    "ruleset_hash": self.ruleset_hash,
                },  # fmt: skip
                ruleset=self.ruleset,
            )
            for candidate, decision, personal, verdict, nip, name in zip(
                self.candidates, self.decisions, self.personals, self.verdicts, self.nips, self.names, strict=True
            )
        ]


class BatchDrafter:
    """Drafts one batch's records: ``add`` each decision right after its record line is written (the line's proof
    is kept for a few lines only), then ``batch`` seals them all. The records are those ``record.draft`` makes one
    by one, byte for byte, and the salts the same bytes of ``random``: each run of records composed from bytes
    draws its salts in one call (64 bytes a record, as ``sealed_members``' single draw is four of 16), and a
    record that takes the general path (a note that may hold a quasi-identifier) draws its own in its turn."""

    def __init__(
        self,
        stored: StoredRuleset,
        *,
        actor: str,
        board: str | None,
        engine: str,
        run_id: str,
        random: Callable[[int], bytes] = salt_bytes,
    ) -> None:
        self.stored, self.actor, self.board, self.engine, self.run_id = stored, actor, board, engine, run_id
        self.random = random
        self._start()

    def _start(self) -> None:
        self._shared: tuple[dt.date, str, str] | None = None  # the first decision's date, position, ruleset hash
        # per record: its candidate, dossier and line cut (``splice_point``), or its decision, dossier and line
        # (the general path); what the query columns need is taken at once, the decision let go where it can be
        self._composed: list[bool] = []
        self._pending: list[tuple[Any, Dossier, Any]] = []
        self._columns: tuple[list[str], list[str], list[str]] = ([], [], [])

    def add(self, decision: Decision, dossier: Dossier, line: bytes) -> None:
        shared = (decision.as_of, decision.position, decision.ruleset.hash)
        if self._shared is None:
            self._shared = shared
        elif shared != self._shared:  # a streamed check decides every candidate on one date, position and ruleset
            raise EngineFault(f"a batch's decisions differ in date, position or ruleset: {shared} vs {self._shared}")
        ref = decision.candidate
        verdicts, nips, names = self._columns
        verdicts.append(decision.verdict)
        nips.append(ref.nip)
        names.append(ref.name)
        cut = splice_point(line, decision, NOTE_KEYS)
        self._composed.append(cut is not None)
        self._pending.append((ref, dossier, cut) if cut is not None else (decision, dossier, line))

    def batch(self) -> DraftBatch:
        """The batch's drafts, in the order they were added (the drafter is empty again afterwards)."""
        pending, composed, shared, columns = self._pending, self._composed, self._shared, self._columns
        self._start()
        as_of, position, ruleset_hash = ("", "", "") if shared is None else (shared[0].isoformat(), *shared[1:])
        out = DraftBatch(
            ruleset=self.stored, actor=self.actor, board=self.board, engine=self.engine, run_id=self.run_id,
            as_of=as_of, position=position, ruleset_hash=ruleset_hash, verdicts=columns[0], nips=columns[1],
            names=columns[2],
        )  # fmt: skip
        candidates, decisions, personals = out.candidates, out.decisions, out.personals
        at, count = 0, len(pending)
        while at < count:
            end = at
            while end < count and composed[end]:
                end += 1
            if end > at:  # a run composed from bytes: its salts in one draw, consumed in order
                salts = hexlify(self.random(64 * (end - at)))
                for offset, (ref, dossier, cut) in enumerate(pending[at:end]):
                    made = members(ref, dossier, cut, salts, 128 * offset)
                    candidates.append(made[0])
                    decisions.append(made[1])
                    personals.append(made[2])
                at = end
            if at < count:  # the general path, drawing its salts itself
                decision, dossier, line = pending[at]
                general = draft(
                    decision, dossier, self.stored, actor=self.actor, board=self.board, engine=self.engine,
                    run_id=self.run_id, random=self.random, decided=orjson.loads(line),
                )  # fmt: skip
                candidates.append(general.parts["candidate"])
                decisions.append(general.parts["decision"])
                personals.append(general.personal)
                at += 1
        return out
