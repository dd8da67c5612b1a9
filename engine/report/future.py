"""What would make a recorded candidate eligible, and when: what-if run against the record's stored ruleset."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.audit.dossier import recorded_candidate
from engine.decide.decision import Decision
from engine.load.library import Library
from engine.load.rulefile import RuleFile, Ruleset, RulesetHeader
from engine.present.whatif_view import whatif_lines, whatif_table
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
    header = RulesetHeader(
        id=ruleset.id,
        version=ruleset.version,
        title=ruleset.title,
        effective_from=ruleset.effective_from,
        effective_to=ruleset.effective_to,
        basis=ruleset.basis or (ruleset.id,),
    )
    return Library(
        files={
            ruleset.id: [
                (
                    f"(stored ruleset {ruleset.id} {ruleset.version})",
                    RuleFile(ruleset=header, positions=ruleset.positions),
                )
            ]
        }
    )


def future_of(
    decision: Decision, record: Mapping[str, Any], ruleset: Ruleset, lang: str, horizon_years: int = HORIZON_YEARS
) -> Future | None:
    """The what-if of a recorded decision (rebuilt from its record), or None when its snapshot does not read."""
    candidate = recorded_candidate(record)
    if candidate is None:
        return None
    result = what_if(decision, candidate, stored_library(ruleset), ruleset.id, horizon_years)
    table = whatif_table(result, lang)
    headers = table.columns()
    rows = [
        [("  " * row["_depth"] + "└ " if row["_depth"] and i == 0 else "") + str(row[h]) for i, h in enumerate(headers)]
        for row in table.rows
    ]
    return Future(headers=headers, rows=rows, lines=whatif_lines(result, lang))
