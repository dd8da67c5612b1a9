"""Compiling a position class to an engine-neutral plan of integer comparisons, and encoding facts."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from engine.facts.derive import Facts
from engine.facts.vocabulary import DECIMAL_PLACES, FactSpec
from engine.load.resolve import content_hash
from engine.load.rulefile import Check, Op, PositionClass, Requirement, RuleNode, Ruleset, checks
from engine.load.thresholds import spec_of

ACTING_SUFFIX = "~acting"
__all__ = [
    "ACTING_SUFFIX",
    "Plan",
    "PlanCheck",
    "check_fact",
    "compile_position",
    "describe",
    "encode_row",
    "encoder",
    "leaves",
    "spec_of",
    "threshold",
]


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
    """Every check of a requirement tree, depth first (``engine.load.rulefile.checks``)."""
    return checks(requirements)


def check_fact(check: Check) -> str:
    """The fact a check reads (``Check.reads``)."""
    return check.reads


def threshold(check: Check) -> Any:
    """The check's threshold in its fact's native type (``Check.threshold``, parsed once)."""
    return check.threshold


def compile_position(ruleset: Ruleset, position: PositionClass, ruleset_hash: str | None = None) -> Plan:
    """Lower a position's requirements to integer comparisons over an indexed fact list."""
    facts: list[str] = []
    index: dict[str, int] = {}
    out: list[PlanCheck] = []

    def add(key: str, fact: str, check: Check) -> None:
        if fact not in index:
            index[fact] = len(facts)
            facts.append(fact)
        out.append(PlanCheck(key=key, fact=index[fact], op=check.op, value=check.encoded))

    for check in checks(position.requirements):
        add(check.id, check.reads, check)
        if check.acting_reads:
            add(check.id + ACTING_SUFFIX, check.acting_reads, check)
    return Plan(
        name=f"{ruleset.id}@{ruleset.version}:{position.id}",
        ruleset_hash=ruleset_hash or content_hash(ruleset),
        facts=tuple(facts),
        checks=tuple(out),
    )


def encode_row(plan: Plan, facts: Facts) -> dict[str, int]:
    """The candidate as the engines see it: present facts only, as ``f<i>`` integers."""
    values = facts.values
    return {field: code(values[name]) for field, name, code in _fields(plan) if name in values}


_FIELDS: dict[tuple[str, ...], tuple[tuple[str, str, Callable[[Any], int]], ...]] = {}


def _fields(plan: Plan) -> tuple[tuple[str, str, Callable[[Any], int]], ...]:
    """Per fact of a plan its engine field, name and encoder (resolved once per fact list, not per candidate)."""
    if _LAST[0] is plan:  # a batch encodes every candidate against one plan: no hashing of its fact list
        last: tuple[tuple[str, str, Callable[[Any], int]], ...] = _LAST[1]
        return last
    found = _FIELDS.get(plan.facts)
    if found is None:
        found = tuple((f"f{i}", name, encoder(spec_of(name))) for i, name in enumerate(plan.facts))
        _FIELDS[plan.facts] = found
    _LAST[:] = (plan, found)
    return found


_LAST: list[Any] = [None, ()]


def encoder(spec: FactSpec) -> Callable[[Any], int]:
    """``encode`` bound to one spec: the branch on the fact's kind and the scale lookup are taken once, and a
    decimal's or a flag's code is remembered by value (``encode`` is the definition; a test checks both agree)."""
    if spec.kind == "scale":
        return spec.scale_obj().ranks.__getitem__
    if spec.kind == "decimal":
        return _Codes(_hundredths).__getitem__
    if spec.kind == "bool":
        return _Codes(_bit).__getitem__
    return int


class _Codes(dict[Any, int]):
    """Codes by value, each computed once (equal values encode alike: 1, 1.0 and True are one number)."""

    def __init__(self, code: Callable[[Any], int]) -> None:
        super().__init__()
        self.code = code

    def __missing__(self, value: Any) -> int:
        if len(self) >= 10_000:  # the values a fact takes are few; anything else stays bounded
            self.clear()
        found = self[value] = self.code(value)
        return found


def _hundredths(value: Any) -> int:
    return int(Decimal(value) * _SCALE_FACTOR)


def _bit(value: Any) -> int:
    return 1 if value else 0


_SCALE_FACTOR = 10**DECIMAL_PLACES


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def describe(ruleset: Ruleset, position: PositionClass) -> dict[str, Any]:
    """The compiled plan of one position as a reviewer reads it: per engine comparison its key, fact, operator,
    threshold (as written, native and encoded) and legal basis (inherited from the enclosing group)."""
    plan = compile_position(ruleset, position, ruleset_hash="-")
    basis: dict[str, str] = {}
    by_id: dict[str, Check] = {}

    def inherit(nodes: tuple[RuleNode, ...], above: str) -> None:
        for node in nodes:
            basis[node.id] = node.basis or above
            if isinstance(node, Check):
                by_id[node.id] = node
            inherit(node.children, basis[node.id])

    inherit(position.requirements, position.basis)
    rows = []
    for plan_check in plan.checks:
        check = by_id[plan_check.key.removesuffix(ACTING_SUFFIX)]
        rows.append(
            {
                "key": plan_check.key,
                "fact": plan.facts[plan_check.fact],
                "op": plan_check.op,
                "threshold": {
                    "written": check.value,
                    "native": _plain(check.threshold),
                    "encoded": list(check.encoded) if isinstance(check.encoded, tuple) else check.encoded,
                },
                "basis": basis[check.id],
            }
        )
    return {
        "ruleset": f"{ruleset.id}@{ruleset.version}",
        "position": position.id,
        "facts": list(plan.facts),
        "checks": rows,
    }
