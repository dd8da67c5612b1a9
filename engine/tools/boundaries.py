"""Generating boundary cases: each threshold just below, at and just above, with the status it implies."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from engine.errors import InputError
from engine.facts.derive import derive
from engine.facts.vocabulary import FactSpec, encode
from engine.load.library import Library
from engine.load.rulefile import Check
from engine.load.source import Document, read_document
from engine.tools.cases import LoadedCase

HORIZON_DAYS = 50 * 366
_HOLDS = {"gte": lambda a, b: a >= b, "gt": lambda a, b: a > b, "lte": lambda a, b: a <= b, "lt": lambda a, b: a < b}
# What a candidate file accepts for the values the score cases set (the Score and Assessment models).
_SCORE_RANGE = {"jpm": (Decimal(0), Decimal(200))}
_LEVEL_RANGE = (Decimal(0), Decimal(5))


def decided(check: Check, holds: bool, acting_holds: bool = False) -> str:
    """The status the rule gives one comparison's outcome: a failure the rule sends to the board
    (``on_fail: review``, or ``acting: review`` met only with acting service) and a pass it sends there
    (``on_pass: review``) are ``missing``, as the engine decides them."""
    if holds:
        return "missing" if check.on_pass == "review" else "pass"
    if check.on_fail == "review" or (check.acting == "review" and acting_holds):
        return "missing"
    return "fail"


def _check_on(library: Library, position_id: str, ruleset: str | None, day: dt.date, check_id: str) -> Check | None:
    """The check as the rules in force on ``day`` write it (None when no ruleset then has it)."""
    try:
        position = library.for_position(position_id, ruleset, day).position(position_id)
    except InputError:
        return None
    return next((c for c in position.checks() if c.id == check_id), None) if position else None


def _holds(check: Check, spec: FactSpec, case: LoadedCase, day: dt.date, fact: str = "") -> bool | None:
    value = derive(case.candidate.candidate, day).values.get(fact or check.reads)
    if value is None:
        return None
    return bool(_HOLDS[check.op](encode(spec, value), check.encoded))


def _flip_date(check: Check, spec: FactSpec, case: LoadedCase) -> dt.date | None:
    """The first day the check's outcome differs from its outcome 50 years earlier (time facts only grow)."""
    start = case.case.as_of - dt.timedelta(days=HORIZON_DAYS)
    end = case.case.as_of + dt.timedelta(days=HORIZON_DAYS)
    before = _holds(check, spec, case, start)
    if before is None or _holds(check, spec, case, end) in (None, before):
        return None
    low, high = start.toordinal(), end.toordinal()  # outcome(low) == before, outcome(high) != before
    while high - low > 1:
        middle = (low + high) // 2
        if _holds(check, spec, case, dt.date.fromordinal(middle)) == before:
            low = middle
        else:
            high = middle
    return dt.date.fromordinal(high)


def _plain(value: Any) -> Any:
    """Model data as a person would write it in YAML: numbers as numbers, dates as dates."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _score_cases(check: Check, case: LoadedCase) -> list[tuple[str, dict[str, Any], str]]:
    """Competency levels and JPM: the latest assessment's value set below, at and above the threshold."""
    assessments = sorted(case.candidate.candidate.competency_assessments, key=lambda a: a.date)
    # Only the assessment's JPM and its competency scores can be set; other decimal facts (credit points)
    # come from elsewhere in the file.
    if (
        not assessments
        or check.op not in ("gte", "gt")
        or not (check.fact == "jpm" or check.fact.startswith("competency."))
    ):
        return []
    latest = _plain(assessments[-1].model_dump(exclude_none=True))
    level = Decimal(str(check.threshold))
    step = Decimal("0.01")
    low, high = _SCORE_RANGE.get(check.fact, _LEVEL_RANGE)
    out = []
    for label, value in (("just below", level - step), ("at", level), ("just above", level + step)):
        if not low <= value <= high:
            continue  # no candidate file can hold it (e.g. above level 5)
        patched = dict(latest)
        if check.fact == "jpm":
            patched["jpm_percent"] = float(value)
        else:
            code = check.fact.split(".", 1)[1]
            if not any(s["code"] == code for s in latest["scores"]):
                return []
            patched["scores"] = [dict(s, attained=float(value)) if s["code"] == code else s for s in latest["scores"]]
        status = decided(check, _HOLDS[check.op](value, level))
        history = [_plain(a.model_dump(exclude_none=True)) for a in assessments[:-1]] + [patched]
        out.append((f"{check.fact} {label} {check.op} {level}", {"competency_assessments": history}, status))
    return out


def _inline(case: LoadedCase) -> dict[str, Any]:
    """The case's candidate as an inline mapping, so the generated file runs wherever it is saved."""
    given = case.case.candidate
    if isinstance(given, str):
        # The case file loaded, so its candidate file reads (relative to the case file, as the loader reads it).
        source = read_document(Path(case.file).parent / given)
        given = dict(source.data) if isinstance(source, Document) and isinstance(source.data, dict) else {}
    return {key: _plain(value) for key, value in {**given, **case.case.with_}.items()}


def _time_cases(
    library: Library, check: Check, spec: FactSpec, base: LoadedCase, shown: dict[str, Any]
) -> list[dict[str, Any]]:
    if check.op not in _HOLDS:
        return []
    day = _flip_date(check, spec, base)
    if day is None:
        return []
    out = []
    for as_of, label in ((day - dt.timedelta(days=1), "the day before it changes"), (day, "the day it changes")):
        # The expectation follows the rules in force on that day: no case where no ruleset has the position
        # (a flip before the pack's first version), none where a dated value moved the threshold meanwhile.
        then = _check_on(library, base.position, base.ruleset, as_of, check.id)
        if then is None or then.op != check.op or then.encoded != check.encoded:
            return []
        holds = _holds(check, spec, base, as_of)
        if holds is None:
            return []
        acting = check.acting == "review" and bool(_holds(check, spec, base, as_of, check.acting_reads))
        status = decided(then, holds, acting)
        out.append(
            {
                "note": f"{check.id}: {label} ({check.fact} {check.op} {check.value})",
                "candidate": shown,
                "as_of": as_of.isoformat(),
                "requirements": {check.id: status},
            }
        )
    return out


def generate(library: Library, cases: list[LoadedCase]) -> str:
    """A case file (YAML text) of boundary cases for every position the given cases cover.

    Candidates are written inline: a path would be relative to wherever the output is saved, which the
    generator cannot know.
    """
    # One base case per position and ruleset: an overlay (e.g. an agency's administrator) has its own thresholds.
    bases: dict[tuple[str, str], LoadedCase] = {}
    for case in cases:
        key = (case.position, case.ruleset or "")
        if key not in bases or (case.case.verdict == "eligible" and bases[key].case.verdict != "eligible"):
            bases[key] = case
    out: list[dict[str, Any]] = []
    for (position_id, _ruleset), base in sorted(bases.items()):
        ruleset = library.for_position(position_id, base.ruleset, base.case.as_of)
        position = ruleset.position(position_id)
        if position is None:
            continue
        shown = _inline(base)
        for check in position.checks():
            spec = check.spec
            if check.acting == "include":
                continue
            if spec.kind == "months" or check.fact == "age_years":
                found = _time_cases(library, check, spec, base, shown)
            elif spec.kind == "decimal":
                found = [
                    {
                        "note": f"{check.id}: {label}",
                        "candidate": shown,
                        "with": patch,
                        "as_of": base.case.as_of.isoformat(),
                        "requirements": {check.id: status},
                    }
                    for label, patch, status in _score_cases(check, base)
                ]
            else:
                found = []
            # An overlay's class exists only in its ruleset: the case names it as the base case did.
            named = {"ruleset": base.ruleset} if base.ruleset else {}
            out.extend({"position": position_id, **named, **case} for case in found)
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = None
    yaml.representer.ignore_aliases = lambda _data: True
    stream = io.StringIO()
    stream.write("# Generated boundary cases: review every expectation against the regulation before keeping it.\n")
    if out:
        yaml.dump({"position": out[0]["position"], "cases": out}, stream)
    return stream.getvalue()
