"""DecisionRecord: the one serialised form of a decision (audit log, `check --format json`, show, replay).

A record holds what differs per candidate (verdict, per requirement status, shown value and note, the
facts); the texts, thresholds and citations are the ruleset's, joined back through a ``Layout``. Its JSON
(``model_dump(mode="json")``) is exactly the "decision" member that record version 1 of the audit log
holds, so stores written before this model existed read, verify and replay unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import to_jsonable_python

from engine.compiler.layout import Layout, Outcome, RulesetRef, Status
from engine.decide.decision import CandidateRef, Decision, JpmCategory, Verdict
from engine.decide.line import record_line as record_line  # where it was first
from engine.errors import InputError, Problem
from engine.facts.derive import Facts, Note
from engine.facts.vocabulary import lookup

_JSON_SCALARS = (str, int, float, bool, type(None))
# A JSON value (str, number, bool, null, list, object). Typed Any rather than pydantic's Json, whose
# serialiser costs six times as much: a record is serialised for every decision recorded.
Json = Any


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CandidateRecord(_Record):
    """Who was decided (sealed by salted digests in the audit log, put back when a record is opened)."""

    file: str = ""
    name: str
    nip: str


class RequirementRecord(_Record):
    """What one requirement (or group) gave for the candidate: status, the value shown, why (a note)."""

    id: str
    status: Status
    observed: Json = None
    note: Note | None = None
    # record version 1 writes "children" for groups only
    children: tuple[RequirementRecord, ...] = Field(default=(), exclude_if=lambda children: not children)

    @classmethod
    def of(cls, outcome: Outcome, memo: dict[int, tuple[Outcome, Any]] | None = None) -> RequirementRecord:
        """The record of an outcome just decided (trusted: built without validating again).

        Candidates share outcomes (``Layout.outcomes``), so ``memo`` (the layout's) builds each record once.
        """
        if memo is not None:
            found = memo.get(id(outcome))
            if found is not None and found[0] is outcome:
                record: RequirementRecord = found[1]
                return record
        observed = outcome.observed
        record = cls.model_construct(
            id=outcome.id,
            status=outcome.status,
            observed=observed if isinstance(observed, _JSON_SCALARS) else to_jsonable_python(observed),
            note=outcome.note,
            children=tuple(cls.of(c, memo) for c in outcome.children),
        )
        if memo is not None:
            memo[id(outcome)] = (outcome, record)
        return record


class FactsRecord(_Record):
    """The facts a decision rested on, as JSON (decimals as exact strings, durations in months)."""

    as_of: dt.date
    values: dict[str, Json]
    missing: dict[str, Note] = {}
    invalid: dict[str, Note] = {}

    def revived(self) -> Facts:
        """The ``Facts`` these were recorded from: decimal facts back to ``Decimal``."""
        return Facts(
            as_of=self.as_of,
            values={name: _native(name, value) for name, value in self.values.items()},
            missing=self.missing,
            invalid=self.invalid,
        )


class JpmRecord(_Record):
    """The JPM category recorded under the position's scheme."""

    scheme: str
    value: Json
    capped: bool
    category: str
    basis: str


class DecisionRecord(_Record):
    """Everything decided for one candidate and one position, as recorded and as printed."""

    as_of: dt.date
    candidate: CandidateRecord
    facts: FactsRecord
    jpm: JpmRecord | None = None
    position: str
    requirements: tuple[RequirementRecord, ...]
    ruleset: RulesetRef
    verdict: Verdict

    @classmethod
    def of(cls, decision: Decision) -> DecisionRecord:
        """The record of a decision just made.

        Built without validating again (every part comes from validated models; recording thousands of
        decisions would otherwise pay for it twice); a test checks it equals the validated record.
        """
        facts = decision.facts
        return cls.model_construct(
            as_of=decision.as_of,
            candidate=CandidateRecord.model_construct(
                file=decision.candidate.file, name=decision.candidate.name, nip=decision.candidate.nip
            ),
            facts=FactsRecord.model_construct(
                as_of=facts.as_of, values=to_jsonable_python(facts.values), missing=facts.missing, invalid=facts.invalid
            ),
            jpm=None if decision.jpm is None else JpmRecord.model_construct(**decision.jpm.model_dump(mode="json")),
            position=decision.position,
            requirements=tuple(RequirementRecord.of(o, decision.layout.records) for o in decision.requirements),
            ruleset=decision.ruleset,
            verdict=decision.verdict,
        )

    def flat(self) -> Iterator[tuple[str, RequirementRecord]]:
        """Every requirement in pre-order (children after their group) with its path, e.g. ``experience/x``."""

        def walk(items: Sequence[RequirementRecord], prefix: str) -> Iterator[tuple[str, RequirementRecord]]:
            for item in items:
                yield prefix + item.id, item
                yield from walk(item.children, f"{prefix}{item.id}/")

        return walk(self.requirements, "")

    def passed(self) -> int:
        """Top-level requirements met (passed or waived)."""
        return sum(1 for r in self.requirements if r.status in ("pass", "waived"))

    def outcomes(self, layout: Layout) -> tuple[Outcome, ...]:
        """The recorded outcomes joined with the texts, thresholds and citations of ``layout``.

        The shown values are the recorded ones, not recomputed from the facts.
        """
        items = self._matched(layout)
        return layout.outcomes(
            tuple(r.status for r in items),
            tuple(r.observed for r in items),
            tuple(r.note for r in items),
            displayed=True,
        )

    def decision(self, layout: Layout) -> Decision:
        """The ``Decision`` this record was made from (its layout rebuilt from the recorded ruleset)."""
        items = self._matched(layout)
        facts = self.facts.revived()
        jpm = None
        if self.jpm is not None:
            jpm = JpmCategory(
                scheme=self.jpm.scheme,
                value=_decimal(self.jpm.value),
                capped=self.jpm.capped,
                category=self.jpm.category,
                basis=self.jpm.basis,
            )
        return Decision(
            candidate=CandidateRef(nip=self.candidate.nip, name=self.candidate.name, file=self.candidate.file),
            position=self.position,
            as_of=self.as_of,
            ruleset=self.ruleset,
            verdict=self.verdict,
            ids=layout.ids,
            statuses=tuple(r.status for r in items),
            observed=tuple(facts.values.get(f) for f in layout.node_facts),
            notes=tuple(r.note for r in items),
            facts=facts,
            jpm=jpm,
            layout=layout,
        )

    def _matched(self, layout: Layout) -> list[RequirementRecord]:
        items = [item for _path, item in self.flat()]
        if (
            layout.position.id != self.position
            or layout.ruleset_hash != self.ruleset.hash
            or tuple(item.id for item in items) != layout.ids
        ):
            raise InputError(
                [
                    Problem(
                        code="record_mismatch",
                        path="decision.requirements",
                        message=(
                            f"the recorded requirements of {self.position} do not match ruleset "
                            f"{self.ruleset.hash[:12]}: recorded {', '.join(i.id for i in items) or 'none'}"
                        ),
                        hint="`layak audit verify` checks every record and stored ruleset",
                    )
                ]
            )
        return items


def _native(name: str, value: Json) -> Any:
    spec = lookup(name)
    return _decimal(value) if spec is not None and spec.kind == "decimal" else value


def _decimal(value: Json) -> Any:
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value
