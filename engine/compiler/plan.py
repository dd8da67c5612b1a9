"""Compiling a position class to an engine-neutral plan of integer comparisons, and encoding facts."""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import BaseModel, ConfigDict

from engine.facts.derive import Facts
from engine.facts.vocabulary import FactSpec, encode, lookup
from engine.load.library import content_hash, parse_threshold
from engine.load.rulefile import AllOf, AnyOf, Check, Op, PositionClass, Requirement, Ruleset

ACTING_SUFFIX = "~acting"


class PlanCheck(BaseModel):
    """One comparison the engines perform: field ``f<fact index>`` op value, all integers."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    fact: int
    op: Op
    value: int | tuple[int, ...]


class Plan(BaseModel):
    """Everything an engine needs to evaluate one position class; JSON-serialisable."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    ruleset_hash: str
    facts: tuple[str, ...]
    checks: tuple[PlanCheck, ...]

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:16]


def leaves(requirements: tuple[Requirement, ...]) -> list[Check]:
    """Every check of a requirement tree, depth first."""
    out: list[Check] = []
    for req in requirements:
        if isinstance(req, AnyOf):
            out.extend(leaves(req.any_of))
        elif isinstance(req, AllOf):
            out.extend(leaves(req.all_of))
        else:
            out.append(req)
    return out


def check_fact(check: Check) -> str:
    """The fact a check reads: acting service included when the rule says so."""
    if check.acting == "include":
        return check.fact.replace("months_in_post.", "months_in_post_incl_acting.", 1)
    return check.fact


def spec_of(name: str) -> FactSpec:
    spec = lookup(name)
    if spec is None:  # the loader already refused unknown facts
        raise KeyError(name)
    return spec


def threshold(check: Check) -> Any:
    """The check's threshold in its fact's native type (already validated at load)."""
    value, _message = parse_threshold(spec_of(check.fact), check.op, check.value)
    return value


def compile_position(ruleset: Ruleset, position: PositionClass, ruleset_hash: str | None = None) -> Plan:
    """Lower a position's requirements to integer comparisons over an indexed fact list."""
    facts: list[str] = []
    checks: list[PlanCheck] = []

    def add(key: str, fact: str, check: Check) -> None:
        if fact not in facts:
            facts.append(fact)
        spec = spec_of(fact)
        native = threshold(check)
        value: int | tuple[int, ...] = (tuple(encode(spec, v) for v in native) if isinstance(native, list)
                                        else encode(spec, native))
        checks.append(PlanCheck(key=key, fact=facts.index(fact), op=check.op, value=value))

    for check in leaves(position.requirements):
        add(check.id, check_fact(check), check)
        if check.acting == "review":
            add(check.id + ACTING_SUFFIX, check.fact.replace("months_in_post.", "months_in_post_incl_acting.", 1),
                check)
    return Plan(name=f"{ruleset.id}@{ruleset.version}:{position.id}",
                ruleset_hash=ruleset_hash or content_hash(ruleset), facts=tuple(facts), checks=tuple(checks))


def encode_row(plan: Plan, facts: Facts) -> dict[str, int]:
    """The candidate as the engines see it: present facts only, as ``f<i>`` integers."""
    row: dict[str, int] = {}
    values = facts.values
    for index, name in enumerate(plan.facts):
        if name in values:
            row[f"f{index}"] = encode(spec_of(name), values[name])
    return row
