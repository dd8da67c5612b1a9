"""Turning engine results into decisions: requirement statuses, verdicts, waivers, ranking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from engine.candidate import Candidate
from engine.derive import Facts, Note, note
from engine.errors import Problem
from engine.facts import display
from engine.plan import ACTING_SUFFIX, Plan, check_fact, spec_of, threshold
from engine.rulefile import AnyOf, Check, PositionClass, Requirement, Ruleset, Text
from engine.scales import GOLONGAN

Status = Literal["pass", "fail", "missing", "invalid", "waived"]
Verdict = Literal["eligible", "needs_review", "not_eligible"]
VERDICT_ORDER: dict[str, int] = {"eligible": 0, "needs_review": 1, "not_eligible": 2}


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Expected(Frozen):
    op: str
    value: Any


class Outcome(Frozen):
    """How one requirement (or group of requirements) ended for one candidate."""

    id: str
    status: Status
    fact: str | None = None
    observed: Any = None
    expected: Expected | None = None
    basis: str
    text: Text
    mandatory: bool = True
    note: Note | None = None
    kind: Literal["check", "any_of", "all_of"] = "check"
    children: tuple[Outcome, ...] = ()


class JpmCategory(Frozen):
    """The JPM category under the position's scheme, recorded because schemes disagree (domain.md §5.2)."""

    scheme: str
    value: Any
    capped: bool
    category: str
    basis: str


# Inclusive lower bounds, highest first (domain.md §5.2).
JPM_SCHEMES: dict[str, list[tuple[Decimal, str]]] = {
    "SELEKSI": [(Decimal(80), "MEMENUHI_SYARAT"), (Decimal(68), "MASIH_MEMENUHI_SYARAT"),
                (Decimal(0), "KURANG_MEMENUHI_SYARAT")],
    "PEMETAAN": [(Decimal(90), "OPTIMAL"), (Decimal(78), "CUKUP_OPTIMAL"), (Decimal(0), "KURANG_OPTIMAL")],
}


def jpm_category(position: PositionClass, facts: Facts) -> JpmCategory | None:
    policy = position.jpm
    value = facts.values.get("jpm")
    if policy is None or value is None:
        return None
    capped = policy.cap_at_100 and value > 100
    shown = min(value, Decimal(100)) if policy.cap_at_100 else value
    category = next(name for floor, name in JPM_SCHEMES[policy.scheme] if shown >= floor)
    return JpmCategory(scheme=policy.scheme, value=shown, capped=capped, category=category, basis=policy.basis)


class CandidateRef(Frozen):
    nip: str
    name: str
    file: str = ""


class RulesetRef(Frozen):
    id: str
    version: str
    hash: str
    layers: tuple[str, ...] = ()


class Decision(Frozen):
    """Everything decided for one candidate and one position, with the facts it rested on."""

    candidate: CandidateRef
    position: str
    as_of: dt.date
    ruleset: RulesetRef
    verdict: Verdict
    requirements: tuple[Outcome, ...]
    facts: Facts
    jpm: JpmCategory | None = None

    def passed_count(self) -> int:
        return sum(1 for o in self.requirements if o.status in ("pass", "waived"))

    def failing(self) -> list[Outcome]:
        return [o for o in self.requirements if o.status != "pass" and o.status != "waived"]


def waiver_problems(candidate: Candidate, position: PositionClass, file: str) -> list[Problem]:
    """A waiver must name a waivable requirement of the position and an authority allowed to waive it."""
    problems = []
    reqs = {r.id: r for r in position.requirements}
    for index, waiver in enumerate(candidate.waivers):
        if waiver.position != position.id:
            continue
        req = reqs.get(waiver.requirement)
        path = f"waivers[{index}]"
        if req is None:
            problems.append(Problem(code="bad_waiver", file=file, path=f"{path}.requirement", message=(
                f"position '{position.id}' has no requirement '{waiver.requirement}'"),
                hint=f"requirements: {', '.join(reqs)}"))
        elif waiver.authority not in req.waivable_by:
            allowed = ", ".join(req.waivable_by) or "nobody"
            problems.append(Problem(code="bad_waiver", file=file, path=f"{path}.authority", message=(
                f"requirement '{req.id}' cannot be waived by {waiver.authority}; waivable by: {allowed}")))
    return problems


class _Judge:
    def __init__(self, plan: Plan, facts: Facts, passed: frozenset[int], basis: str) -> None:
        self.facts = facts
        self.passed = {c.key for i, c in enumerate(plan.checks) if i in passed}
        self.basis = basis

    def check(self, req: Check, basis: str) -> Outcome:
        fact = check_fact(req)
        spec = spec_of(fact)
        raw = threshold(req)
        shown = [display(spec, v) for v in raw] if isinstance(raw, list) else display(spec, raw)
        common = {"id": req.id, "fact": fact, "expected": Expected(op=req.op, value=shown), "basis": basis,
                  "text": req.text, "mandatory": req.mandatory}
        facts = self.facts
        if fact in facts.invalid:
            return Outcome(status="invalid", note=facts.invalid[fact], **common)
        if fact not in facts.values:
            reason = facts.missing.get(fact, note("no_evidence"))
            if req.missing == "fail":
                return Outcome(status="fail", note=note("missing_fails", **reason.args, why=reason.code), **common)
            return Outcome(status="missing", note=reason, **common)
        observed = display(spec, facts.values[fact])
        if req.id in self.passed:
            return Outcome(status="pass", observed=observed, **common)
        if req.acting == "review" and req.id + ACTING_SUFFIX in self.passed:
            acting = fact.replace("months_in_post.", "months_in_post_incl_acting.", 1)
            return Outcome(status="missing", observed=observed, note=note(
                "acting_only", with_acting=facts.values[acting]), **common)
        if req.on_fail == "review":
            return Outcome(status="missing", observed=observed, note=note("fail_is_review"), **common)
        return Outcome(status="fail", observed=observed, **common)

    def requirement(self, req: Requirement, basis: str) -> Outcome:
        basis = req.basis or basis
        if isinstance(req, Check):
            return self.check(req, basis)
        kind: Literal["any_of", "all_of"] = "any_of" if isinstance(req, AnyOf) else "all_of"
        children = tuple(self.requirement(c, basis) for c in (req.any_of if isinstance(req, AnyOf) else req.all_of))
        statuses = {c.status for c in children}
        if kind == "any_of":
            status: Status = ("pass" if statuses & {"pass", "waived"} else
                              "missing" if statuses & {"missing", "invalid"} else "fail")
        else:
            status = ("fail" if "fail" in statuses else
                      "missing" if statuses & {"missing", "invalid"} else "pass")
        return Outcome(id=req.id, status=status, basis=basis, text=req.text, mandatory=req.mandatory, kind=kind,
                       children=children)


def verdict_of(outcomes: Sequence[Outcome]) -> Verdict:
    """not_eligible if a mandatory requirement fails, else needs_review if one is open, else eligible."""
    mandatory = [o.status for o in outcomes if o.mandatory]
    if "fail" in mandatory:
        return "not_eligible"
    if "missing" in mandatory or "invalid" in mandatory:
        return "needs_review"
    return "eligible"


def decide(ruleset: Ruleset, ruleset_hash: str, position: PositionClass, plan: Plan, candidate: Candidate,
           facts: Facts, passed: frozenset[int], file: str = "") -> Decision:
    """The decision for one candidate, given which plan checks the engine found passing."""
    judge = _Judge(plan, facts, passed, position.basis)
    waivers = {w.requirement: w for w in candidate.waivers if w.position == position.id}
    outcomes = []
    for req in position.requirements:
        outcome = judge.requirement(req, position.basis)
        waiver = waivers.get(req.id)
        if waiver and outcome.status != "pass" and waiver.authority in req.waivable_by:
            outcome = outcome.model_copy(update={"status": "waived", "note": note(
                "waived", authority=waiver.authority, document=waiver.document, date=waiver.date,
                reason=waiver.reason)})
        outcomes.append(outcome)
    return Decision(
        candidate=CandidateRef(nip=candidate.nip, name=candidate.name, file=file), position=position.id,
        as_of=facts.as_of, ruleset=RulesetRef(id=ruleset.id, version=ruleset.version, hash=ruleset_hash,
                                              layers=ruleset.layers),
        verdict=verdict_of(outcomes), requirements=tuple(outcomes), facts=facts, jpm=jpm_category(position, facts))


def rank_key(decision: Decision) -> tuple[Any, ...]:
    """Eligible first, then needs review, then not eligible; within each by JPM, rank, time in rank."""
    values = decision.facts.values
    jpm = values.get("jpm")
    golongan = values.get("golongan")
    return (VERDICT_ORDER[decision.verdict], -(jpm if jpm is not None else -1),
            -(GOLONGAN.rank(golongan) if golongan else 0), -int(values.get("months_in_rank", -1)),
            decision.candidate.name, decision.candidate.nip)


def ranked(decisions: Sequence[Decision]) -> list[Decision]:
    return sorted(decisions, key=rank_key)
