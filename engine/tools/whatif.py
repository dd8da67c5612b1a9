"""What would make a candidate eligible: the nearest passing value of each unmet requirement, and when time does it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from engine.compiler.layout import Expected, Layout, Node, RulesetRef, Status, compile_layout
from engine.compiler.plan import compile_position
from engine.decide.decision import Decision, Verdict, decide
from engine.errors import InputError
from engine.evaluate import reference
from engine.facts.calendar import add_months
from engine.facts.derive import Note, derive
from engine.facts.vocabulary import FactSpec, encode
from engine.load.candidate import Candidate
from engine.load.library import Library, content_hash
from engine.load.rulefile import Check, Text
from engine.load.thresholds import spec_of

# How far ahead "if only time passes" looks. Exact to the day: every day's facts are derived again from the
# unchanged file and decided under the ruleset version in force on that day (so a new KP period regime that
# the rules directory already holds is applied from its first day); requirements are matched by id.
HORIZON_YEARS = 10
PASSING: frozenset[str] = frozenset({"pass", "waived"})
_FAIL: Status = "fail"  # how a requirement absent from a day's rules counts


@dataclass(frozen=True)
class Change:
    """One unmet requirement: its nearest passing value, and the first day time alone passes it.

    ``children`` of an ``any_of`` are alternatives (one is enough); of an ``all_of``, the parts still unmet.
    """

    id: str
    kind: str
    status: Status
    mandatory: bool
    text: Text
    fact: str | None = None
    spec: FactSpec | None = None
    op: str | None = None
    has: Any = None  # the fact's value (native); None when it is not on file
    target: Any = None  # the nearest value that passes (native); None for groups or when none exists
    note: Note | None = None
    passes_on: dt.date | None = None
    children: tuple[Change, ...] = ()


@dataclass(frozen=True)
class Lapse:
    """A requirement met on the as-of date that stops being met as time passes, and why."""

    id: str
    text: Text
    on: dt.date
    status: Status
    note: Note | None
    spec: FactSpec | None = None
    observed: Any = None  # the fact's value on that day (native)
    expected: Expected | None = None


@dataclass(frozen=True)
class WhatIf:
    as_of: dt.date
    horizon: dt.date
    horizon_years: int
    verdict: Verdict
    eligible_on: dt.date | None  # the as-of date itself when eligible now
    eligible_until: dt.date | None  # eligible now: the last day that stays so (None: through the horizon)
    changes: tuple[Change, ...]
    lapses: tuple[Lapse, ...]
    # The ruleset versions the days were decided under, from the day each took over (None: none in force).
    versions: tuple[tuple[dt.date, RulesetRef | None], ...]


def nearest(spec: FactSpec, op: str, value: Any) -> Any:
    """The passing value closest to failing: the threshold itself, or one step beyond it for gt/lt."""
    if op not in ("gt", "lt"):
        return value
    step = 1 if op == "gt" else -1
    if spec.kind == "scale":
        scale = spec.scale_obj()
        try:
            return scale.label(scale.rank(value) + step)
        except KeyError:
            return None  # nothing lies beyond the end of the scale
    if spec.kind == "decimal":
        return Decimal(value) + step * Decimal("0.01")
    return int(value) + step


@dataclass
class _Day:
    layout: Layout | None  # None: no ruleset version in force
    statuses: tuple[Status, ...]  # in the decision's numbering; absent requirements read "fail"
    present: tuple[bool, ...]  # the requirement exists in that day's rules
    verdict: Verdict


class _Timeline:
    """The candidate decided on any day, under the version in force that day (facts derived again)."""

    def __init__(
        self, decision: Decision, candidate: Candidate, library: Library, ruleset_id: str | None, end: dt.date
    ) -> None:
        self.base = decision.layout
        self.candidate = candidate
        self.library = library
        self.ruleset_id = ruleset_id
        self.position = decision.position
        self.layout: Layout | None = self.base
        self.layouts: dict[str, Layout] = {decision.ruleset.hash: self.base}
        self.versions: list[tuple[dt.date, RulesetRef | None]] = [(decision.as_of, decision.ruleset)]
        self.bounds = {b for b in library.boundaries() if decision.as_of < b <= end}
        # Statuses depend only on which checks pass and which facts are present or invalid.
        self.cache: dict[tuple[str, frozenset[int], tuple[int, ...]], tuple[tuple[Status, ...], Verdict]] = {}
        self.maps: dict[str, tuple[int, ...]] = {}
        self.fields: dict[str, list[tuple[str, str, FactSpec]]] = {}

    def _switch(self, day: dt.date) -> None:
        try:
            ruleset = self.library.for_position(self.position, self.ruleset_id, day)
        except InputError:
            layout = None
        else:
            digest = content_hash(ruleset)
            layout = self.layouts.get(digest)
            position = ruleset.position(self.position)
            if layout is None and position is not None:
                plan = compile_position(ruleset, position, digest)
                layout = self.layouts[digest] = compile_layout(ruleset, digest, position, plan)
        if (layout.ref if layout else None) != (self.layout.ref if self.layout else None):
            self.versions.append((day, layout.ref if layout else None))
        self.layout = layout

    def _facts(self, day: dt.date, layout: Layout) -> tuple[Any, dict[str, int], frozenset[int], tuple[int, ...]]:
        fields = self.fields.get(layout.ruleset_hash)
        if fields is None:
            fields = self.fields[layout.ruleset_hash] = [
                (f"f{i}", name, spec_of(name)) for i, name in enumerate(layout.plan.facts)
            ]
        facts = derive(self.candidate, day)
        values, invalid = facts.values, facts.invalid
        row: dict[str, int] = {}
        shape = []
        for field, name, spec in fields:
            if name in values:
                row[field] = encode(spec, values[name])
                shape.append(1)
            else:
                shape.append(2 if name in invalid else 0)
        return facts, row, reference.evaluate(layout.plan, [row])[0], tuple(shape)

    def on(self, day: dt.date) -> _Day:
        if day in self.bounds:
            self._switch(day)
        layout = self.layout
        if layout is None:
            count = len(self.base.nodes)
            return _Day(None, (_FAIL,) * count, (False,) * count, "not_eligible")
        facts, _row, passed, shape = self._facts(day, layout)
        key = (layout.ruleset_hash, passed, shape)
        hit = self.cache.get(key)
        if hit is None:
            decision = decide(layout, self.candidate, facts, passed)
            hit = self.cache[key] = (decision.statuses, decision.verdict)
        statuses, verdict = hit
        where = self._map(layout)
        return _Day(
            layout, tuple(statuses[i] if i >= 0 else _FAIL for i in where), tuple(i >= 0 for i in where), verdict
        )

    def _map(self, layout: Layout) -> tuple[int, ...]:
        """For each requirement of the decision's rules, its index in ``layout`` (-1: not there)."""
        found = self.maps.get(layout.ruleset_hash)
        if found is None:
            index = {rid: i for i, rid in enumerate(layout.ids)}
            found = self.maps[layout.ruleset_hash] = tuple(index.get(rid, -1) for rid in self.base.ids)
        return found

    def lapse(self, day: dt.date, layout: Layout, index: int, status: Status) -> Lapse:
        """Why the decision's requirement ``index`` is not met on ``day``: a note, or the value and threshold."""
        facts, _row, passed, _shape = self._facts(day, layout)
        decision = decide(layout, self.candidate, facts, passed)
        at = self._map(layout)[index]
        node = layout.nodes[at]
        return Lapse(
            id=node.req.id,
            text=node.req.text,
            on=day,
            status=status,
            note=decision.notes[at],
            spec=node.spec,
            observed=decision.observed[at],
            expected=node.expected,
        )


def _ages_out(layout: Layout, index: int) -> bool:
    """An upper age limit (retirement age, BUP, or an age cap): once it fails it never passes again, so no
    date past it is proposed."""
    req = layout.nodes[index].req
    return isinstance(req, Check) and req.fact == "age_years" and req.op in ("lt", "lte") and req.mandatory


def _change(decision: Decision, index: int, passes: dict[int, dt.date]) -> Change:
    node: Node = decision.layout.nodes[index]
    req = node.req
    children = tuple(_change(decision, c, passes) for c in node.children if decision.statuses[c] not in PASSING)
    common: dict[str, Any] = dict(
        id=req.id,
        kind=node.kind,
        status=decision.statuses[index],
        mandatory=req.mandatory,
        text=req.text,
        note=decision.notes[index],
        passes_on=passes.get(index),
        children=children,
    )
    if not isinstance(req, Check) or node.spec is None:
        return Change(**common)
    value = req.threshold
    return Change(
        **common,
        fact=node.fact,
        spec=node.spec,
        op=req.op,
        has=decision.observed[index],
        target=value if isinstance(value, list) else nearest(node.spec, req.op, value),
    )


def what_if(
    decision: Decision,
    candidate: Candidate,
    library: Library,
    ruleset_id: str | None = None,
    horizon_years: int = HORIZON_YEARS,
) -> WhatIf:
    """For each unmet requirement the nearest passing value and the first day time alone passes it; the
    first day the candidate is eligible if only time passes (or, if eligible now, the last such day).

    Days are scanned one by one up to the eligibility date (or the day eligibility ends), at most
    ``horizon_years`` ahead; a requirement's date is found if it falls within the days scanned."""
    layout = decision.layout
    as_of = decision.as_of
    horizon = add_months(as_of, 12 * horizon_years)
    now = decision.statuses
    eligible_now = decision.verdict == "eligible"
    timeline = _Timeline(decision, candidate, library, ruleset_id, horizon)
    passes: dict[int, dt.date] = {}
    stops: dict[int, tuple[dt.date, Status, Layout]] = {}
    open_ = [i for i, status in enumerate(now) if status not in PASSING]
    watched = [i for i in layout.top if now[i] in PASSING and layout.nodes[i].req.mandatory]
    eligible_on: dt.date | None = as_of if eligible_now else None
    eligible_until: dt.date | None = None
    day = as_of
    if any(_ages_out(layout, i) and now[i] == "fail" and not layout.nodes[i].req.waivable_by for i in open_):
        day = horizon  # past the retirement age (or an age cap) already: time cannot help
    while day < horizon:
        day += dt.timedelta(days=1)
        today = timeline.on(day)
        for index in open_:
            if index not in passes and today.statuses[index] in PASSING:
                passes[index] = day
        for index in watched:
            if index not in stops and today.present[index] and today.statuses[index] not in PASSING:
                assert today.layout is not None
                stops[index] = (day, today.statuses[index], today.layout)
        if eligible_now and today.verdict != "eligible":
            eligible_until = day - dt.timedelta(days=1)
            break
        if any(stops.get(i, (None,))[0] == day and _ages_out(layout, i) for i in watched):
            break  # the retirement age (or an age cap) is reached: nothing later is proposed
        if not eligible_now and today.verdict == "eligible":
            eligible_on = day
            break
    # Lapses explain why eligibility ends (eligible now) or never comes; before a date found, they are moot.
    lapses = (
        ()
        if eligible_on is not None and not eligible_now
        else tuple(
            timeline.lapse(on, at, i, status) for i, (on, status, at) in sorted(stops.items(), key=lambda kv: kv[1][0])
        )
    )
    return WhatIf(
        as_of=as_of,
        horizon=horizon,
        horizon_years=horizon_years,
        verdict=decision.verdict,
        eligible_on=eligible_on,
        eligible_until=eligible_until,
        changes=tuple(_change(decision, i, passes) for i in layout.top if now[i] not in PASSING),
        lapses=lapses,
        versions=tuple(timeline.versions),
    )
