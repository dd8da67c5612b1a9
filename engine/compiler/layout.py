"""A position's requirement tree compiled once for deciding: nodes in pre-order with their static parts.

Decisions keep only what differs per candidate (status, observed value, note per node); the texts,
thresholds and citations live here once per position and are joined back when outcomes are shown.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from engine.compiler.plan import ACTING_SUFFIX, Plan, compile_position
from engine.errors import EngineFault
from engine.facts.derive import Note
from engine.facts.vocabulary import FactSpec, display
from engine.load.rulefile import Check, PositionClass, Ruleset, Text
from engine.load.rulefile import RuleNode as Requirement
from engine.load.thresholds import spec_of

Status = Literal["pass", "fail", "missing", "invalid", "waived"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Expected(Frozen):
    op: str
    value: Any


class Outcome(Frozen):
    """How one requirement (or group of requirements) ended for one candidate, with its static parts."""

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


class RulesetRef(Frozen):
    """Which rules decided: the resolved ruleset's id, version, content hash and layers."""

    id: str
    version: str
    hash: str
    layers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Node:
    """One requirement of the tree; ``children`` and ``check``/``acting`` are indices."""

    req: Requirement
    basis: str
    kind: Literal["check", "any_of", "all_of"]
    children: tuple[int, ...] = ()
    fact: str = ""
    spec: FactSpec | None = None
    expected: Expected | None = None
    check: int = -1
    acting: int = -1
    acting_fact: str = ""


@dataclass(frozen=True)
class Layout:
    """Everything static about deciding one position under one ruleset version."""

    ruleset: Ruleset
    ruleset_hash: str
    position: PositionClass
    plan: Plan
    nodes: tuple[Node, ...]
    top: tuple[int, ...]
    ids: tuple[str, ...]
    ref: RulesetRef
    # Flat tuples for the per-candidate loop in decide(): checks as (index, fact, plan check, acting
    # check, acting fact, missing fails, failure goes to review); groups children-first as
    # (index, is any_of, children).
    checks: tuple[tuple[int, str, int, int, str, bool, bool], ...]
    groups: tuple[tuple[int, bool, tuple[int, ...]], ...]
    mandatory: tuple[int, ...]
    node_facts: tuple[str, ...]
    node_checks: tuple[int, ...]
    check_nodes: tuple[int, ...]
    check_info: dict[int, tuple[int, str, int, int, str, bool, bool]]
    # The same checks by their plan check, the set of those plan checks (a candidate's failing checks are
    # this set less the passing ones) and the checks whose passing goes to the board (``on_pass: review``).
    by_check: dict[int, tuple[int, str, int, int, str, bool, bool]]
    main_checks: frozenset[int]
    pass_review: tuple[int, ...]
    # The items of the mandatory top-level requirements (``mandatory`` as one getter; compared as ``mandatory``).
    mandatory_of: Callable[[Sequence[Any]], tuple[Any, ...]] = field(compare=False, repr=False)
    shared: dict[tuple[Any, ...], Outcome] = field(default_factory=dict, compare=False, repr=False)
    # The record of each shared outcome (a DecisionRecord part), by the outcome's id; the outcome is kept
    # beside it so that id cannot be reused while the entry lives.
    records: dict[int, tuple[Outcome, Any]] = field(default_factory=dict, compare=False, repr=False)
    # What deciding and writing record lines compile or remember once per layout (engine.decide).
    compiled: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def outcomes(
        self,
        statuses: tuple[Status, ...],
        observed: tuple[Any, ...],
        notes: tuple[Note | None, ...],
        *,
        displayed: bool = False,
    ) -> tuple[Outcome, ...]:
        """Outcome objects of the top-level requirements (children nested), for showing and recording.

        ``observed`` holds fact values, or with ``displayed`` the values as already shown (a record's).
        Outcomes are frozen and candidates share most of them (the same status on the same value), so
        they are built once per distinct (requirement, status, value, note) and reused.
        """
        if not len(statuses) == len(observed) == len(notes) == len(self.nodes):
            raise EngineFault(
                f"{len(statuses)} statuses for the {len(self.nodes)} requirements of "
                f"{self.position.id} under ruleset {self.ruleset_hash[:12]}"
            )
        cache = self.shared
        if len(cache) > _OUTCOME_CACHE_LIMIT:
            cache.clear()
            self.records.clear()

        def build(index: int) -> Outcome:
            node = self.nodes[index]
            children = tuple(build(c) for c in node.children)
            note = notes[index]
            value = observed[index]
            key = (
                index,
                statuses[index],
                type(value),
                value if type(value) in _PLAIN else repr(value),  # equal values may print apart (5.0 and 5)
                note and (note.code, tuple(sorted(note.args.items()))),
                tuple(map(id, children)),
                displayed,
            )
            found = cache.get(key)
            if found is None:
                found = cache[key] = Outcome(
                    id=node.req.id,
                    status=statuses[index],
                    fact=node.fact or None,
                    observed=value if displayed or value is None or node.spec is None else display(node.spec, value),
                    expected=node.expected,
                    basis=node.basis,
                    text=node.req.text,
                    mandatory=node.req.mandatory,
                    note=note,
                    kind=node.kind,
                    children=children,
                )
            return found

        return tuple(build(i) for i in self.top)


_OUTCOME_CACHE_LIMIT = 100_000
_PLAIN = frozenset({int, str, bool, type(None)})  # types whose values print alike when equal


def compile_layout(ruleset: Ruleset, ruleset_hash: str, position: PositionClass, plan: Plan) -> Layout:
    """Number the requirement tree in pre-order and resolve each check's fact, threshold and plan index."""
    keys = {c.key: i for i, c in enumerate(plan.checks)}
    nodes: list[Node] = []

    def add(req: Requirement, basis: str) -> int:
        basis = req.basis or basis
        index = len(nodes)
        nodes.append(Node(req=req, basis=basis, kind="check"))  # placeholder keeps pre-order numbering
        if not isinstance(req, Check):
            children = tuple(add(child, basis) for child in req.children)
            nodes[index] = Node(req=req, basis=basis, kind=req.kind, children=children)
            return index
        if req.id not in keys:
            raise EngineFault(f"requirement '{req.id}' of {position.id} has no check in the compiled plan")
        fact = req.reads
        spec = spec_of(fact)
        raw = req.threshold
        shown = [display(spec, v) for v in raw] if isinstance(raw, list) else display(spec, raw)
        nodes[index] = Node(
            req=req,
            basis=basis,
            kind="check",
            fact=fact,
            spec=spec,
            expected=Expected(op=req.op, value=shown),
            check=keys[req.id],
            acting=keys.get(req.id + ACTING_SUFFIX, -1),
            acting_fact=req.acting_reads,
        )
        return index

    top = tuple(add(req, position.basis) for req in position.requirements)
    checks = tuple(
        (i, n.fact, n.check, n.acting, n.acting_fact, n.req.missing == "fail", n.req.on_fail == "review")
        for i, n in enumerate(nodes)
        if isinstance(n.req, Check)
    )
    if len({c[2] for c in checks}) != len(checks):  # the loader refuses a requirement id used twice
        raise EngineFault(f"two requirements of {position.id} share one check of the compiled plan")
    groups = tuple((i, n.kind == "any_of", n.children) for i, n in reversed(list(enumerate(nodes))) if n.children)
    layout = Layout(
        ruleset=ruleset,
        ruleset_hash=ruleset_hash,
        position=position,
        plan=plan,
        nodes=tuple(nodes),
        top=top,
        ids=tuple(n.req.id for n in nodes),
        checks=checks,
        groups=groups,
        mandatory=tuple(i for i in top if nodes[i].req.mandatory),
        mandatory_of=items_of([i for i in top if nodes[i].req.mandatory]),
        node_facts=tuple(n.fact for n in nodes),
        node_checks=tuple(n.check for n in nodes),
        check_nodes=tuple(c[0] for c in checks),
        check_info={c[0]: c for c in checks},
        by_check={c[2]: c for c in checks},
        main_checks=frozenset(c[2] for c in checks),
        pass_review=tuple(c[0] for c in checks if getattr(nodes[c[0]].req, "on_pass", "pass") == "review"),
        ref=RulesetRef(id=ruleset.id, version=ruleset.version, hash=ruleset_hash, layers=ruleset.layers),
    )
    return layout


def items_of(indices: Sequence[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """A getter of those items of a sequence, always as a tuple (``itemgetter`` gives one index's bare item)."""
    if len(indices) > 1:
        return itemgetter(*indices)
    return lambda items: tuple(items[i] for i in indices)


class LayoutCache:
    """Compiled layouts by (ruleset content hash, position id), handed explicitly to whoever decides or shows.

    One cache lives as long as one command (a check, a replay, an `audit show`): layouts of a stored
    ruleset are rebuilt from the stored ruleset through it, never looked up in a module-level table.
    """

    def __init__(self, capacity: int = 64) -> None:
        self.capacity = capacity
        self._layouts: OrderedDict[tuple[str, str], Layout] = OrderedDict()

    def __len__(self) -> int:
        return len(self._layouts)

    def __contains__(self, key: object) -> bool:
        return key in self._layouts

    def get(self, ruleset: Ruleset, ruleset_hash: str, position: PositionClass | str) -> Layout:
        """The layout of ``position`` under ``ruleset`` (whose content hash is ``ruleset_hash``), compiled once."""
        position_id = position if isinstance(position, str) else position.id
        key = (ruleset_hash, position_id)
        layout = self._layouts.get(key)
        if layout is not None:
            self._layouts.move_to_end(key)
            return layout
        found = ruleset.position(position_id) if isinstance(position, str) else position
        if found is None:
            raise EngineFault(f"ruleset '{ruleset.id}' {ruleset.version} has no position class '{position_id}'")
        layout = compile_layout(ruleset, ruleset_hash, found, compile_position(ruleset, found, ruleset_hash))
        self._layouts[key] = layout
        if len(self._layouts) > self.capacity:
            self._layouts.popitem(last=False)
        return layout
