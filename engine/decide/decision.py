"""Turning engine results into decisions: requirement statuses, verdicts, waivers, ranking."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from engine.compiler.layout import Layout, Outcome, RulesetRef, Status
from engine.errors import Problem
from engine.facts.derive import Facts, Note, Selection, note, selection
from engine.facts.scales import GOLONGAN
from engine.load.candidate import Candidate
from engine.load.rulefile import PositionClass

Verdict = Literal["eligible", "needs_review", "not_eligible"]
VERDICT_ORDER: dict[str, int] = {"eligible": 0, "needs_review": 1, "not_eligible": 2}


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class JpmCategory(Frozen):
    """The JPM category under the position's scheme, recorded because schemes disagree (79 % is "masih memenuhi
    syarat" in a selection, "cukup optimal" in a mapping)."""

    scheme: str
    value: Any
    capped: bool
    category: str
    basis: str


# Inclusive lower bounds, highest first: selection (uji kompetensi) MS ≥ 80, MMS ≥ 68; mapping (pemetaan)
# optimal ≥ 90, cukup optimal ≥ 78, as assessment centres apply them; a position's `jpm.basis` cites its source.
JPM_SCHEMES: dict[str, list[tuple[Decimal, str]]] = {
    "SELEKSI": [
        (Decimal(80), "MEMENUHI_SYARAT"),
        (Decimal(68), "MASIH_MEMENUHI_SYARAT"),
        (Decimal(0), "KURANG_MEMENUHI_SYARAT"),
    ],
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
    return trusted(
        JpmCategory,
        {"scheme": policy.scheme, "value": shown, "capped": capped, "category": category, "basis": policy.basis},
    )


class CandidateRef(Frozen):
    nip: str
    name: str
    file: str = ""


class Decision(Frozen):
    """Everything decided for one candidate and one position, with the facts it rested on.

    Per requirement (pre-order over the tree, children after their group) it holds the status, the
    observed fact value and a note; ``requirements`` joins them with the rule texts of its ``layout``
    (held by the decision itself; left out of every serialised form, which is ``DecisionRecord``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    candidate: CandidateRef
    position: str
    as_of: dt.date
    ruleset: RulesetRef
    verdict: Verdict
    ids: tuple[str, ...]
    statuses: tuple[Status, ...]
    observed: tuple[Any, ...]
    notes: tuple[Note | None, ...]
    facts: Facts
    jpm: JpmCategory | None = None
    layout: Layout = Field(exclude=True, repr=False)

    @cached_property
    def requirements(self) -> tuple[Outcome, ...]:
        return self.layout.outcomes(self.statuses, self.observed, self.notes)

    def passed_count(self) -> int:
        return sum(1 for i in self.layout.top if self.statuses[i] in ("pass", "waived"))

    def total(self) -> int:
        return len(self.layout.top)

    def failing(self) -> list[Outcome]:
        return [o for o in self.requirements if o.status != "pass" and o.status != "waived"]


def waiver_problems(candidate: Candidate, position: PositionClass, file: str) -> list[Problem]:
    """A waiver must name a waivable requirement of the position and an authority allowed to waive it."""
    problems: list[Problem] = []
    if not candidate.waivers:
        return problems
    reqs = {r.id: r for r in position.requirements}
    for index, waiver in enumerate(candidate.waivers):
        if waiver.position != position.id:
            continue
        req = reqs.get(waiver.requirement)
        path = f"waivers[{index}]"
        if req is None:
            problems.append(
                Problem(
                    code="bad_waiver",
                    file=file,
                    path=f"{path}.requirement",
                    message=(f"position '{position.id}' has no requirement '{waiver.requirement}'"),
                    hint=f"requirements: {', '.join(reqs)}",
                )
            )
        elif waiver.authority not in req.waivable_by:
            allowed = ", ".join(req.waivable_by) or "nobody"
            problems.append(
                Problem(
                    code="bad_waiver",
                    file=file,
                    path=f"{path}.authority",
                    message=(f"requirement '{req.id}' cannot be waived by {waiver.authority}; waivable by: {allowed}"),
                )
            )
    return problems


_NO_EVIDENCE = note("no_evidence")
_FAIL_IS_REVIEW = note("fail_is_review")
_PASS_IS_REVIEW = note("pass_is_review")
_UNCONFIRMED = note("unconfirmed")
_PASS_FAIL = ("fail", "pass")  # by whether the engine found the check passing


def _group(is_any: bool, statuses: list[Any], children: tuple[int, ...]) -> Status:
    seen = set(map(statuses.__getitem__, children))
    if is_any:
        return "pass" if "pass" in seen or "waived" in seen else "missing" if seen & {"missing", "invalid"} else "fail"
    return "fail" if "fail" in seen else "missing" if seen & {"missing", "invalid"} else "pass"


def verdict_of(layout: Layout, statuses: Sequence[str]) -> Verdict:
    """not_eligible if a mandatory requirement fails, else needs_review if one is open, else eligible."""
    mandatory = set(map(statuses.__getitem__, layout.mandatory))
    if "fail" in mandatory:
        return "not_eligible"
    if "missing" in mandatory or "invalid" in mandatory:
        return "needs_review"
    return "eligible"


def decide(layout: Layout, candidate: Candidate, facts: Facts, passed: frozenset[int], file: str = "") -> Decision:
    """The decision for one candidate, given which plan checks the engine found passing."""
    values = facts.values
    observed = list(map(values.get, layout.node_facts))  # groups read the fact "" and get None
    notes: list[Note | None] = [None] * len(observed)
    # Common case first: every fact present, so a check passes or fails outright; the failing ones below (groups
    # have no check, read as failing, and are settled from their children at the end).
    statuses: list[Any] = list(map(_PASS_FAIL.__getitem__, map(passed.__contains__, layout.node_checks)))
    by_check = layout.by_check
    invalid, missing = facts.invalid, facts.missing
    for check in layout.main_checks.difference(passed):
        index, fact, _check, acting, acting_fact, missing_fails, review = by_check[check]
        if observed[index] is None:
            # ``_without_value``, inlined: most failing checks of a population are facts without evidence
            if fact in invalid:
                statuses[index], notes[index] = "invalid", invalid[fact]
            else:
                reason = missing.get(fact, _NO_EVIDENCE)
                if missing_fails and reason.code != "not_recorded":
                    statuses[index], notes[index] = _without_value(facts, fact, missing_fails)
                else:
                    statuses[index], notes[index] = "missing", reason
        elif acting >= 0 and acting in passed:
            statuses[index] = "missing"
            notes[index] = note("acting_only", with_acting=values[acting_fact])
        elif review:
            # A pending examination is not final yet; any other routed failure is a threshold no source
            # confirms (the rule file's note says which).
            statuses[index] = "missing"
            notes[index] = _FAIL_IS_REVIEW if fact == "sanction_pending" else _UNCONFIRMED
    for index in layout.pass_review:
        if statuses[index] == "pass":
            statuses[index], notes[index] = "missing", _PASS_IS_REVIEW
    for index, is_any, children in layout.groups:
        statuses[index] = _group(is_any, statuses, children)
    if candidate.waivers:
        _apply_waivers(layout, candidate, statuses, notes, facts.as_of)
    mandatory = layout.mandatory_of(statuses)
    jpm = None
    if layout.position.jpm is not None and values.get("jpm") is not None:
        jpm = _jpm(layout, facts)
    # Every part comes from validated models or was just computed from them: built without validating again
    # (a test compares it with the validated model).
    return trusted(
        Decision,
        {
            "candidate": trusted(CandidateRef, {"nip": candidate.nip, "name": candidate.name, "file": file}),
            "position": layout.position.id,
            "as_of": facts.as_of,
            "ruleset": layout.ref,
            "verdict": "not_eligible"
            if "fail" in mandatory
            else "needs_review"
            if "missing" in mandatory or "invalid" in mandatory
            else "eligible",
            "ids": layout.ids,
            "statuses": tuple(statuses),
            "observed": tuple(observed),
            "notes": tuple(notes),
            "facts": facts,
            "jpm": jpm,
            "layout": layout,
        },
    )


def _jpm(layout: Layout, facts: Facts) -> JpmCategory | None:
    """``jpm_category``, made once per JPM value of a layout (as written: 80.0 is recorded apart from 80)."""
    value = facts.values["jpm"]
    memo: dict[tuple[type, str], JpmCategory | None] | None = layout.compiled.get("jpm")
    if memo is None or len(memo) > 10_000:
        memo = layout.compiled["jpm"] = {}
    key = (type(value), str(value))
    if key not in memo:
        memo[key] = jpm_category(layout.position, facts)
    return memo[key]


_M = TypeVar("_M", bound=BaseModel)
# BaseModel's own slots, set through their descriptors (an instance attribute write would look each one up on
# the class first); our models define no __new__ and no slots of their own (a test checks).
_new = object.__new__
_set_dict = vars(BaseModel)["__dict__"].__set__
_set_fields = vars(BaseModel)["__pydantic_fields_set__"].__set__
_set_extra = vars(BaseModel)["__pydantic_extra__"].__set__
_set_private = vars(BaseModel)["__pydantic_private__"].__set__


def trusted(cls: type[_M], fields: dict[str, Any]) -> _M:
    """``cls.model_construct(**fields)`` for ``fields`` naming every field of ``cls`` in order, without its
    per-field walk over aliases and defaults (a test checks both give equal models)."""
    model: _M = _new(cls)
    _set_dict(model, fields)
    _set_fields(model, set(fields))
    _set_extra(model, None)
    _set_private(model, None)
    return model


def _without_value(facts: Facts, fact: str, missing_fails: bool) -> tuple[Status, Note]:
    if fact in facts.invalid:
        return "invalid", facts.invalid[fact]
    reason = facts.missing.get(fact, _NO_EVIDENCE)
    # A history the imported source does not hold is unknown: the board reviews it, it never fails.
    if missing_fails and reason.code != "not_recorded":
        return "fail", note("missing_fails", **reason.args, why=reason.code)
    return "missing", reason


def _apply_waivers(
    layout: Layout, candidate: Candidate, statuses: list[Any], notes: list[Note | None], as_of: dt.date
) -> None:
    # Only a waiver in force on the as-of date counts (approval beforehand, PP 17/2020 Pasal 107 ayat (2)); the
    # date decided on is the decision's own, so a replay gives the answer given then.
    waivers: dict[str, list[Any]] = {}
    for w in candidate.waivers:
        if w.position == layout.position.id:
            waivers.setdefault(w.requirement, []).append(w)
    for index in layout.top:
        req = layout.nodes[index].req
        found = [w for w in waivers.get(req.id, ()) if w.authority in req.waivable_by]
        if not found or statuses[index] == "pass":
            continue
        valid = [w for w in found if w.date <= as_of and (w.expires is None or as_of <= w.expires)]
        if valid:
            waiver = valid[0]
            statuses[index] = "waived"
            notes[index] = note(
                "waived", authority=waiver.authority, document=waiver.document, date=waiver.date, reason=waiver.reason
            )
        else:
            waiver = found[0]
            code, args = (
                ("waiver_later", {"date": waiver.date})
                if waiver.date > as_of
                else ("waiver_expired", {"expires": waiver.expires})
            )
            notes[index] = note(code, document=waiver.document, as_of=as_of, **args)


def rank_key(decision: Decision) -> tuple[Any, ...]:
    """Eligible first, then needs review, then not eligible; within each by JPM, rank, time in rank."""
    values = decision.facts.values
    jpm = values.get("jpm")
    golongan = values.get("golongan")
    return (
        VERDICT_ORDER[decision.verdict],
        -(jpm if jpm is not None else -1),
        -(GOLONGAN.rank(golongan) if golongan else 0),
        -int(values.get("months_in_rank", -1)),
        decision.candidate.name,
        decision.candidate.nip,
    )


# Read by rank_key and by a shortlist row (views.check_row) besides the plan's facts.
RANKING_FACTS = ("jpm", "golongan", "months_in_rank")


def facts_read(layout: Layout) -> frozenset[str]:
    """Every fact that encode_row, decide(), rank_key and a shortlist row read under ``layout``: the plan's
    checks (acting ones too), each requirement's own fact (its observed value, missing or invalid note), the JPM
    category's and the ranking's. A record line reads all facts, so it needs the full derivation."""
    acting = (entry[4] for entry in layout.by_check.values())
    return frozenset(name for name in (*layout.plan.facts, *layout.node_facts, *acting, *RANKING_FACTS) if name)


def derivation_for(layout: Layout) -> Selection | None:
    """``selection(facts_read(layout))``, made once per layout."""
    compiled = layout.compiled
    if "selection" not in compiled:
        compiled["selection"] = selection(facts_read(layout))
    found: Selection | None = compiled["selection"]
    return found


def ranked(decisions: Sequence[Decision]) -> list[Decision]:
    return sorted(decisions, key=rank_key)
