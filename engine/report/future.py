"""What would make a recorded candidate eligible, and when: what-if run against the record's stored ruleset."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.audit.replay import Replayed
from engine.audit.snapshot import revive
from engine.load.library import Library
from engine.load.rulefile import RuleFile, Ruleset, RulesetHeader
from engine.present.views import whatif_lines, whatif_rows
from engine.tools.whatif import HORIZON_YEARS, what_if


@dataclass(frozen=True)
class Future:
    """The what-if table (headers and rows as `layak explain` shows them) and its sentences."""

    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def stored_library(ruleset: Ruleset) -> Library:
    """A library holding only the stored ruleset, so no day is decided under today's rule files.

    The stored ruleset is already resolved (overlays applied, tables expanded); as one base file it
    resolves to the same positions and requirements. After its effective_to no rules are in force.
    """
    header = RulesetHeader(id=ruleset.id, version=ruleset.version, title=ruleset.title,
                           effective_from=ruleset.effective_from, effective_to=ruleset.effective_to,
                           basis=ruleset.basis or (ruleset.id,))
    return Library(files={ruleset.id: [(f"(stored ruleset {ruleset.id} {ruleset.version})",
                                         RuleFile(ruleset=header, positions=ruleset.positions))]})


def future_of(item: Replayed, lang: str, horizon_years: int = HORIZON_YEARS) -> Future | None:
    """The what-if of a replayed record, or None when the replay could not decide it."""
    if item.decision is None or item.ruleset is None:
        return None
    candidate = revive(item.record["candidate"]["snapshot"])
    result = what_if(item.decision, candidate, stored_library(item.ruleset), item.ruleset.id, horizon_years)
    rows: list[dict[str, Any]] = whatif_rows(result, lang)
    headers = list(rows[0]) if rows else []
    return Future(headers=headers, rows=[[str(row[h]) for h in headers] for row in rows],
                  lines=whatif_lines(result, lang))
