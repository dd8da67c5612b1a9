"""Recorded decisions read back for printing: requirement rows joined with the stored ruleset's texts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from engine.compiler.layout import Outcome
from engine.decide.decision import VERDICT_ORDER
from engine.facts.scales import GOLONGAN
from engine.facts.vocabulary import lookup
from engine.present.i18n import OPS, label, note_text
from engine.present.values import gap_text, shown

UNMET = ("fail", "missing", "invalid")


@dataclass(frozen=True)
class RequirementRow:
    """One requirement of one recorded decision as the board reads it."""

    depth: int
    id: str
    status: str  # the status code (for styling); ``status_text`` is what is printed
    status_text: str
    has: str
    needs: str
    gap: str
    basis: str
    text: str
    mandatory: bool


@dataclass(frozen=True)
class WaiverRow:
    requirement: str
    authority: str
    document: str
    date: str
    reason: str


def requirement_rows(outcomes: Sequence[Outcome], lang: str, depth: int = 0) -> list[RequirementRow]:
    """Every recorded outcome (children after their group) with its text, basis and threshold."""
    rows: list[RequirementRow] = []
    for o in outcomes:
        spec = lookup(o.fact) if o.fact else None
        needs = f"{OPS[o.expected.op]} {shown(spec, o.expected.value, lang)}" if o.expected else ""
        gap = note_text(o.note, lang)
        if o.status == "fail" and o.expected and o.observed is not None:
            gap = gap_text(spec, o.expected.op, o.observed, o.expected.value, lang)
        rows.append(
            RequirementRow(
                depth=depth,
                id=o.id,
                status=o.status,
                status_text=label(o.status, lang),
                has=shown(spec, o.observed, lang),
                needs=needs,
                gap=gap,
                basis=o.basis,
                text=o.text.get(lang),
                mandatory=o.mandatory,
            )
        )
        rows.extend(requirement_rows(o.children, lang, depth + 1))
    return rows


def waivers(outcomes: Sequence[Outcome]) -> list[WaiverRow]:
    """The waivers a decision applied, as recorded in its outcomes' notes."""
    out = []
    for o in outcomes:
        if o.status == "waived" and o.note is not None and o.note.code == "waived":
            args = o.note.args
            out.append(
                WaiverRow(
                    requirement=o.id,
                    authority=str(args.get("authority", "")),
                    document=str(args.get("document", "")),
                    date=str(args.get("date", "")),
                    reason=str(args.get("reason", "")),
                )
            )
    return out


def jpm_of(decided: Mapping[str, Any]) -> Decimal | None:
    """The candidate's JPM as derived (what ranks candidates and what `layak check` shows)."""
    value = (decided.get("facts") or {}).get("values", {}).get("jpm")
    return None if value is None else Decimal(str(value))


def rank_key(decided: Mapping[str, Any]) -> tuple[Any, ...]:
    """The order of engine.decide.decision.rank_key, computed from a recorded decision's facts."""
    values = (decided.get("facts") or {}).get("values", {})
    jpm = values.get("jpm")
    golongan = values.get("golongan")
    candidate = decided["candidate"]
    return (
        VERDICT_ORDER[decided["verdict"]],
        -(Decimal(str(jpm)) if jpm is not None else -1),
        -(GOLONGAN.rank(golongan) if golongan in GOLONGAN.ranks else 0),
        -int(values.get("months_in_rank", -1)),
        candidate["name"],
        candidate["nip"],
    )


def passed_count(decided: Mapping[str, Any]) -> tuple[int, int]:
    """Top-level requirements met (passed or waived) and in all."""
    outcomes = decided["requirements"]
    return sum(1 for o in outcomes if o["status"] in ("pass", "waived")), len(outcomes)
