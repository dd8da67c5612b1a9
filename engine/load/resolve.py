"""Resolving rule files into the Ruleset in force on a date: overlays, competency tables, extended position
classes and dated threshold values; the content hash that names it."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
from dataclasses import dataclass

import rfc8785

from engine.errors import InputError, Problem
from engine.load.classes import expand, extend, merge
from engine.load.rulefile import (
    Check,
    CompetencyTable,
    DatedValue,
    PositionDef,
    RuleFile,
    RuleNode,
    Ruleset,
    walk,
)

Versions = dict[str, list[tuple[str, RuleFile]]]


_HASHED: dict[int, tuple[Ruleset, str]] = {}  # id → the ruleset (held, so its id is not reused) and its hash
_HASHED_KEPT = 16


def content_hash(ruleset: Ruleset) -> str:
    """SHA-256 of the RFC 8785 canonical JSON of the resolved ruleset. A resolved ruleset is frozen, so the hash
    of the last few hashed is kept for the same object (a run hashes its ruleset in several places; the cases of
    a test run share rulesets)."""
    found = _HASHED.get(id(ruleset))
    if found is not None and found[0] is ruleset:
        return found[1]
    digest = hashlib.sha256(rfc8785.dumps(ruleset.model_dump(mode="json"))).hexdigest()
    if type(ruleset) is Ruleset:
        if len(_HASHED) >= _HASHED_KEPT:
            del _HASHED[next(iter(_HASHED))]
        _HASHED[id(ruleset)] = (ruleset, digest)
    return digest


def in_force_entry(entries: tuple[DatedValue, ...], day: dt.date) -> DatedValue | None:
    """The dated value in force on ``day``: the last one started by then, unless it has ended."""
    found = None
    for entry in entries:
        if entry.start <= day:
            found = entry
    return None if found is None or (found.end is not None and found.end < day) else found


def lapsed(entries: tuple[DatedValue, ...], day: dt.date) -> bool:
    """The last value started by ``day`` ended before it: the requirement no longer applies (a cap lifted)."""
    started = [entry for entry in entries if entry.start <= day]
    return bool(started) and started[-1].end is not None and started[-1].end < day


def _dated_at(node: RuleNode, day: dt.date, where: str, top: bool = False) -> RuleNode | None:
    """The node with every dated value replaced by the value (and basis, text) in force on ``day``; None
    for a top-level requirement whose dated values ended before ``day`` with none after."""
    if isinstance(node, Check):
        if not node.dated:
            return node
        entry = in_force_entry(node.dated, day)
        if entry is None and top and lapsed(node.dated, day):
            return None
        if entry is None:
            raise InputError(
                [
                    Problem(
                        code="not_in_force",
                        message=(f"requirement '{node.id}' of {where} has no dated value in force on {day}"),
                        hint="dated values must cover every day the ruleset is in force",
                    )
                ]
            )
        return node.model_copy(
            update={
                "value": entry.value,
                "basis": entry.basis or node.basis,
                "text": entry.text or node.text,
            }
        )
    kids = tuple(kid for kid in (_dated_at(child, day, where) for child in node.children) if kid is not None)
    if all(a is b for a, b in zip(kids, node.children, strict=True)):
        return node
    return node.model_copy(update={node.kind: kids})


@dataclass
class Library:
    """Every ruleset version found under a rules directory."""

    files: Versions

    def ids(self) -> list[str]:
        return sorted(self.files)

    def in_force(self, ruleset_id: str, as_of: dt.date) -> RuleFile:
        versions = self.files.get(ruleset_id)
        if not versions:
            raise InputError(
                [
                    Problem(
                        code="unknown_ruleset",
                        message=f"no ruleset '{ruleset_id}'",
                        hint=f"known: {', '.join(self.ids()) or 'none'}",
                    )
                ]
            )
        for _file, rf in versions:
            h = rf.ruleset
            if h.effective_from <= as_of and (h.effective_to is None or as_of <= h.effective_to):
                return rf
        spans = "; ".join(
            f"{rf.ruleset.version}: {rf.ruleset.effective_from}..{rf.ruleset.effective_to or ''}" for _f, rf in versions
        )
        raise InputError(
            [Problem(code="not_in_force", message=f"no version of '{ruleset_id}' is in force on {as_of}", hint=spans)]
        )

    def boundaries(self) -> set[dt.date]:
        """Every day on which some rule may change: versions and dated values starting or ending."""
        days: set[dt.date] = set()
        for versions in self.files.values():
            for _file, rf in versions:
                days.add(rf.ruleset.effective_from)
                if rf.ruleset.effective_to is not None:
                    days.add(rf.ruleset.effective_to + dt.timedelta(days=1))
                for position in rf.positions:
                    for node, _loc in walk(position.requirements):
                        for entry in node.dated if isinstance(node, Check) else ():
                            days.add(entry.start)
                            if entry.end is not None:
                                days.add(entry.end + dt.timedelta(days=1))
        return days

    def values_since(self, ruleset_id: str, as_of: dt.date) -> dt.date | None:
        """The day the dated values in force on ``as_of`` took effect, when later than the version itself
        (None: the values of the version's first day)."""
        chain: list[RuleFile] = []
        current: str | None = ruleset_id
        while current is not None and current in self.files and len(chain) < len(self.files):
            chain.append(self.in_force(current, as_of))
            current = chain[-1].ruleset.extends
        start = max(rf.ruleset.effective_from for rf in chain) if chain else as_of
        found = None
        for rf in chain:
            for position in rf.positions:
                for node, _loc in walk(position.requirements):
                    for entry in node.dated if isinstance(node, Check) else ():
                        if start < entry.start <= as_of and (found is None or entry.start > found):
                            found = entry.start
        return found

    def base_ids(self) -> list[str]:
        """Rulesets that extend nothing (the national packs); overlays are chosen with --ruleset."""
        return sorted(i for i, vs in self.files.items() if all(rf.ruleset.extends is None for _f, rf in vs))

    def default_id(self) -> str:
        """The one base ruleset, when there is exactly one."""
        bases = self.base_ids()
        if len(bases) != 1:
            raise InputError(
                [
                    Problem(
                        code="ruleset_ambiguous",
                        message="choose a ruleset with --ruleset",
                        hint=f"available: {', '.join(self.ids()) or 'none'}",
                    )
                ]
            )
        return bases[0]

    def in_force_bases(self, as_of: dt.date) -> list[Ruleset]:
        """Every base ruleset with a version in force on ``as_of``, resolved."""
        out = []
        for ruleset_id in self.base_ids():
            try:
                out.append(self.resolve(ruleset_id, as_of))
            except InputError:
                continue
        return out

    def for_position(self, position_id: str, ruleset_id: str | None, as_of: dt.date) -> Ruleset:
        """The ruleset to decide ``position_id`` with: the one named, else the base ruleset defining it."""
        if ruleset_id is not None:
            return self.resolve(ruleset_id, as_of)
        bases = self.in_force_bases(as_of)
        owners = [r for r in bases if r.position(position_id) is not None]
        if len(owners) == 1:
            return owners[0]
        if len(owners) > 1:
            raise InputError(
                [
                    Problem(
                        code="ruleset_ambiguous",
                        message=(f"position '{position_id}' is defined by several rulesets"),
                        hint=f"choose one with --ruleset: {', '.join(r.id for r in owners)}",
                    )
                ]
            )
        known = sorted({p.id for r in bases for p in r.positions})
        close = difflib.get_close_matches(position_id, known, n=1)
        raise InputError(
            [
                Problem(
                    code="unknown_position",
                    message=(f"no ruleset in force on {as_of} defines position class '{position_id}'"),
                    hint=(f"did you mean '{close[0]}'? " if close else "") + f"known: {', '.join(known)}",
                )
            ]
        )

    def resolve(self, ruleset_id: str | None, as_of: dt.date) -> Ruleset:
        """The ruleset in force on ``as_of``: overlays applied, tables expanded, classes extended, dated values
        chosen."""
        chain: list[RuleFile] = []
        current: str | None = ruleset_id or self.default_id()
        while current is not None:
            rf = self.in_force(current, as_of)
            if any(r.ruleset.id == rf.ruleset.id for r in chain):
                raise InputError([Problem(code="extends_cycle", message=f"ruleset '{current}' extends itself")])
            chain.append(rf)
            current = rf.ruleset.extends
        chain.reverse()
        positions: dict[str, PositionDef] = {}
        cells: dict[str, dict[str, tuple[int, CompetencyTable]]] = {}
        for rf in chain:
            for position in rf.positions:
                base = positions.get(position.id)
                if base is None:
                    positions[position.id] = position
                    continue
                # An overlay replaces requirements by id and adds its own; removals apply after extends.
                where = f"position class '{position.id}' of '{rf.ruleset.id}'"
                positions[position.id] = base.model_copy(
                    update={
                        "requirements": merge(base.requirements, position.requirements, (), where, position.after),
                        "extends": position.extends or base.extends,
                        "remove": (*base.remove, *position.remove),
                    }
                )
            if rf.competency_standards:
                table = rf.competency_standards
                for pos, row in table.levels.items():
                    cells.setdefault(pos, {}).update({code: (level, table) for code, level in row.items()})
        top = chain[-1].ruleset
        resolved = []
        for extended in extend(expand(positions, cells), top.id).values():
            where = f"position class '{extended.id}' of '{top.id}'"
            dated = (_dated_at(r, as_of, where, top=True) for r in extended.requirements)
            requirements = tuple(r for r in dated if r is not None)
            unchanged = len(requirements) == len(extended.requirements) and all(
                a is b for a, b in zip(requirements, extended.requirements, strict=True)
            )
            resolved.append(extended if unchanged else extended.model_copy(update={"requirements": requirements}))
        return Ruleset(
            id=top.id,
            version=top.version,
            title=top.title,
            effective_from=top.effective_from,
            effective_to=top.effective_to,
            basis=tuple(b for rf in chain for b in rf.ruleset.basis),
            layers=tuple(f"{rf.ruleset.id}@{rf.ruleset.version}" for rf in chain),
            positions=tuple(resolved),
        )
