"""Recorded decisions read back for printing: requirement rows joined with the stored ruleset's texts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from engine.audit.views import Static
from engine.decide.decision import VERDICT_ORDER
from engine.facts.derive import Note
from engine.facts.scales import GOLONGAN
from engine.facts.vocabulary import lookup
from engine.present.i18n import OPS, gap_text, label, note_text, shown

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


def requirement_rows(outcomes: list[dict[str, Any]], index: Mapping[str, Static], optional: frozenset[str],
                     lang: str, depth: int = 0) -> list[RequirementRow]:
    """Every recorded outcome (children after their group) with its text, basis and threshold."""
    rows: list[RequirementRow] = []
    for o in outcomes:
        static = index.get(o["id"])
        spec = lookup(static.fact) if static and static.fact else None
        needs = f"{OPS[static.op]} {shown(spec, static.value, lang)}" if static and static.op else ""
        note = Note(**o["note"]) if o.get("note") else None
        gap = note_text(note, lang)
        if o["status"] == "fail" and static and static.op and o.get("observed") is not None:
            gap = gap_text(spec, static.op, o["observed"], static.value, lang)
        rows.append(RequirementRow(
            depth=depth, id=o["id"], status=o["status"], status_text=label(o["status"], lang),
            has=shown(spec, o.get("observed"), lang), needs=needs, gap=gap,
            basis=static.basis if static else "", text=static.text.get(lang) if static else "",
            mandatory=o["id"] not in optional))
        rows.extend(requirement_rows(o.get("children") or [], index, optional, lang, depth + 1))
    return rows


def waivers(outcomes: list[dict[str, Any]]) -> list[WaiverRow]:
    """The waivers a decision applied, as recorded in its outcomes' notes."""
    out = []
    for o in outcomes:
        note = o.get("note") or {}
        if o["status"] == "waived" and note.get("code") == "waived":
            args = note.get("args") or {}
            out.append(WaiverRow(requirement=o["id"], authority=str(args.get("authority", "")),
                                 document=str(args.get("document", "")), date=str(args.get("date", "")),
                                 reason=str(args.get("reason", ""))))
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
    return (VERDICT_ORDER[decided["verdict"]], -(Decimal(str(jpm)) if jpm is not None else -1),
            -(GOLONGAN.rank(golongan) if golongan in GOLONGAN.ranks else 0), -int(values.get("months_in_rank", -1)),
            candidate["name"], candidate["nip"])


def passed_count(decided: Mapping[str, Any]) -> tuple[int, int]:
    """Top-level requirements met (passed or waived) and in all."""
    outcomes = decided["requirements"]
    return sum(1 for o in outcomes if o["status"] in ("pass", "waived")), len(outcomes)
