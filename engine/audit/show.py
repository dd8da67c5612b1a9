"""One recorded decision opened for reading: its row, record, typed decision and the layout it is shown with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from engine.audit.replay import opened, recorded_decision
from engine.audit.rulesets import RulesetUnavailable, StoredRulesets
from engine.audit.store import Row, Store
from engine.compiler.layout import Layout, LayoutCache, Outcome
from engine.decide.record import DecisionRecord


@dataclass(frozen=True)
class Shown:
    """A record as `audit show` prints it; ``layout`` is None when its stored ruleset cannot be read."""

    row: Row
    record: dict[str, Any]  # personal values put back
    decision: DecisionRecord
    layout: Layout | None
    unavailable: RulesetUnavailable | None = None

    def outcomes(self) -> tuple[Outcome, ...]:
        """The recorded outcomes with the stored ruleset's texts; the ruleset's error when it is unreadable."""
        if self.layout is None:
            raise self.unavailable or RulesetUnavailable(self.decision.ruleset.hash, "stored", "no layout")
        return self.decision.outcomes(self.layout)

    def anchors(self) -> dict[str, dt.date]:
        """The days the running service facts count from, re-derived from the dossier (or snapshot) the decision was
        made on (display only: a shortfall to the day, as `explain` shows it); empty when it cannot be read."""
        from engine.audit.dossier import recorded_candidate
        from engine.facts.derive import derive

        candidate = recorded_candidate(self.record)
        return {} if candidate is None else derive(candidate, self.decision.as_of).anchors


def show(store: Store, reference: str, layouts: LayoutCache | None = None) -> Shown:
    """The record named by ``reference`` (an id, a unique prefix, or #SEQ), typed and joined with its ruleset."""
    row = store.find(reference)
    record = opened(row)
    decision = recorded_decision(record)
    try:
        layout = StoredRulesets(store.ruleset_body, layouts).layout(decision.ruleset.hash, decision.position)
    except RulesetUnavailable as error:
        return Shown(row, record, decision, None, error)
    return Shown(row, record, decision, layout)
