"""`layak validate`: every load error of a rules directory, then warnings a person should look at."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from engine.errors import Problem, path_text
from engine.facts.families import SANCTION_WINDOWS, family_name
from engine.facts.vocabulary import FactSpec, encode
from engine.load.library import scan
from engine.load.rulefile import Check, RuleFile, RuleNode, walk
from engine.load.source import Document, Loc
from engine.tools.lock import check_lock

Severity = Literal["error", "warning"]

# Position classes from low to high: a higher class should never ask for less than
# the class below it on the same fact. Ids not present in a file are skipped.
LADDERS = (
    ("pelaksana", "pengawas", "administrator", "jpt-pratama", "jpt-madya", "jpt-utama"),
    ("jf-ahli-pertama", "jf-ahli-muda", "jf-ahli-madya", "jf-ahli-utama"),
    ("jf-pemula", "jf-terampil", "jf-mahir", "jf-penyelia"),
)


@dataclass(frozen=True)
class Finding:
    severity: Severity
    problem: Problem


@dataclass(frozen=True)
class _Bound:
    """One check as an integer interval on its fact (for contradictions and never-pass/fail)."""

    check: Check
    loc: Loc
    low: int | None
    high: int | None
    allowed: frozenset[int] | None


def _bound(check: Check, loc: Loc) -> _Bound:
    encoded = check.encoded  # the loader refused every threshold that does not parse
    if isinstance(encoded, tuple):
        return _Bound(check, loc, None, None, frozenset(encoded) if check.op == "in" else None)
    value = encoded
    step = 1  # encoded values are integers: ranks, months, hundredths
    low = {"gte": value, "gt": value + step, "eq": value}.get(check.op)
    high = {"lte": value, "lt": value - step, "eq": value}.get(check.op)
    return _Bound(check, loc, low, high, None)


_SMALL_RANGE = 366  # an int fact with at most this many values (day, month) is checked value by value


def _range(spec: FactSpec) -> tuple[int | None, int | None, frozenset[int] | None]:
    if spec.kind == "bool":
        return 0, 1, frozenset({0, 1})
    if spec.kind == "scale":
        ranks = frozenset(spec.scale_obj().ranks.values())
        return min(ranks), max(ranks), ranks
    low = None if spec.minimum is None else encode(spec, Decimal(spec.minimum))
    high = None if spec.maximum is None else encode(spec, Decimal(spec.maximum))
    small = spec.kind == "int" and low is not None and high is not None and high - low <= _SMALL_RANGE
    return low, high, frozenset(range(low, high + 1)) if small and low is not None and high is not None else None


def _never(spec: FactSpec, bound: _Bound) -> tuple[bool, bool]:
    """(never passes, never fails) over every value the fact can take."""
    low, high, values = _range(spec)
    op = bound.check.op
    never_pass = (
        (bound.low is not None and high is not None and bound.low > high)
        or (bound.high is not None and low is not None and bound.high < low)
        or (bound.allowed is not None and values is not None and not bound.allowed & values)
    )
    never_fail = (
        (op in ("gte", "gt") and bound.low is not None and low is not None and bound.low <= low)
        or (op in ("lte", "lt") and bound.high is not None and high is not None and bound.high >= high)
        or (bound.allowed is not None and values is not None and values <= bound.allowed)
    )
    return never_pass, never_fail


def never_fails(check: Check) -> bool:
    """True when every value of the check's fact passes it (a dated value lifting a restriction, say)."""
    return _never(check.spec, _bound(check, ()))[1]


def _walk(requirements: tuple[RuleNode, ...], loc: Loc) -> list[tuple[Check, Loc, bool]]:
    """Every check with its location, one per dated value; ``conjunctive`` is False inside an any_of
    (alternatives) and for optional requirements."""
    out: list[tuple[Check, Loc, bool]] = []
    optional = {r.id for r in requirements if not r.mandatory}
    for node, here in walk(requirements, loc):
        if not isinstance(node, Check):
            continue
        top = requirements[int(here[len(loc)])]
        conjunctive = "any_of" not in here[len(loc) :] and top.id not in optional
        if node.dated:
            out.extend(
                (node.model_copy(update={"value": entry.value}), (*here, "value", index), conjunctive)
                for index, entry in enumerate(node.dated)
            )
        else:
            out.append((node, here, conjunctive))
    return out


class _Linter:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.findings: list[Finding] = []

    def add(self, severity: Severity, code: str, loc: Loc, message: str, hint: str = "") -> None:
        self.findings.append(
            Finding(
                severity,
                Problem(
                    code=code,
                    file=self.doc.file,
                    line=self.doc.line_of(loc),
                    path=path_text(loc),
                    message=message,
                    hint=hint,
                ),
            )
        )

    def position(self, index: int, requirements: tuple[RuleNode, ...]) -> None:
        by_fact: dict[str, list[_Bound]] = {}
        for check, loc, conjunctive in _walk(requirements, ("positions", index, "requirements")):
            bound = _bound(check, loc)
            self.trivial(check.spec, bound, dated=len(loc) > 1 and loc[-2] == "value")
            if conjunctive and check.acting == "exclude":
                by_fact.setdefault(check.fact, []).append(bound)
        for fact, bounds in by_fact.items():
            self.contradiction(fact, bounds)

    def trivial(self, spec: FactSpec, bound: _Bound, dated: bool) -> None:
        check = bound.check
        never_pass, never_fail = _never(spec, bound)
        if never_pass:
            self.add(
                "warning",
                "never_passes",
                (*bound.loc, "value"),
                (
                    f"requirement '{check.id}' can never pass: no value of '{spec.name}' satisfies {check.op} "
                    f"{check.value}"
                ),
                "check the threshold against the fact's range (`layak facts --list`)",
            )
        elif never_fail and not dated:  # from a date on, a dated value may lift a restriction
            self.add(
                "warning",
                "never_fails",
                (*bound.loc, "value"),
                (
                    f"requirement '{check.id}' can never fail: every value of '{spec.name}' satisfies {check.op} "
                    f"{check.value}"
                ),
                "a requirement that always passes checks nothing",
            )

    def contradiction(self, fact: str, bounds: list[_Bound]) -> None:
        lows = [b for b in bounds if b.low is not None]
        highs = [b for b in bounds if b.high is not None]
        for low in lows:
            for high in highs:
                if low is not high and low.low is not None and high.high is not None and low.low > high.high:
                    self.add(
                        "error",
                        "contradiction",
                        (*high.loc, "value"),
                        (
                            f"'{high.check.id}' ({fact} {high.check.op} {high.check.value}) contradicts "
                            f"'{low.check.id}' ({fact} {low.check.op} {low.check.value}): no candidate can meet both"
                        ),
                    )
                    return

    def ladder(self, rule_file: RuleFile) -> None:
        minima: dict[str, dict[str, tuple[int, Any, Loc]]] = {}
        for index, position in enumerate(rule_file.positions):
            for check, loc, conjunctive in _walk(position.requirements, ("positions", index, "requirements")):
                if not conjunctive or check.op not in ("gte", "gt"):
                    continue
                bound = _bound(check, loc)
                if bound.low is not None:
                    minima.setdefault(position.id, {})[check.fact] = (bound.low, check.value, (*loc, "value"))
        table = rule_file.competency_standards
        if table is not None:
            for position_id, cells in table.levels.items():
                for code, level in cells.items():
                    cell: Loc = ("competency_standards", "levels", position_id, code)
                    minima.setdefault(position_id, {})[f"competency.{code}"] = (level * 100, level, cell)
        for ladder in LADDERS:
            present = [p for p in ladder if p in minima]
            for lower, higher in zip(present, present[1:], strict=False):
                for fact, (low_value, low_text, _loc) in minima[lower].items():
                    if fact in minima[higher] and minima[higher][fact][0] < low_value:
                        high_value, high_text, high_loc = minima[higher][fact]
                        self.add(
                            "warning",
                            "ladder",
                            high_loc,
                            (
                                f"'{higher}' asks less than the class below it, '{lower}', on {fact}: "
                                f"{high_text} < {low_text}"
                            ),
                            "a higher class should require at least as much",
                        )


# The discipline conditions every promotion class carries (PP 94/2021; PP 11/2017 Pasal 54 and 107: integrity
# and morality): no running sanction, nothing pending, no moderate or heavy sanction in the look-back window.
# Any member of worst_sanction_last_<N>m counts as the look-back condition (the rule file states its window).
DISCIPLINE_FACTS = ("sanction_active", "sanction_pending", "worst_sanction_last_24m")
_LOOKBACK = tuple(family_name("worst_sanction_last", str(n)) for n in SANCTION_WINDOWS)


def _discipline(linter: _Linter, rule_file: RuleFile, base_ids: set[str]) -> None:
    for index, position in enumerate(rule_file.positions):
        inherits = getattr(position, "extends", None) or (rule_file.ruleset.extends and position.id in base_ids)
        if inherits or position.discipline_omitted is not None:
            continue
        facts = {check.fact for check, _loc, _c in _walk(position.requirements, ())}
        if facts.intersection(_LOOKBACK):
            facts.add("worst_sanction_last_24m")
        absent = [fact for fact in DISCIPLINE_FACTS if fact not in facts]
        if absent:
            linter.add(
                "warning",
                "discipline",
                ("positions", index, "id"),
                (f"position '{position.id}' does not check {', '.join(absent)}"),
                "add the discipline conditions, or say why not in `discipline_omitted` (en and id)",
            )


def lint(root: Path) -> list[Finding]:
    """Errors (what stops the rules from loading, and contradictions), then warnings."""
    found = scan(root)
    findings = [Finding("error", p) for p in found.problems]
    base_ids = {
        position.id
        for versions in found.files.values()
        for _file, rule_file in versions
        if rule_file.ruleset.extends is None
        for position in rule_file.positions
    }
    for versions in found.files.values():
        for file, rule_file in versions:
            linter = _Linter(found.docs[file])
            for index, position in enumerate(rule_file.positions):
                linter.position(index, position.requirements)
            linter.ladder(rule_file)
            _discipline(linter, rule_file, base_ids)
            findings.extend(linter.findings)
    if not found.problems:  # the lock compares files that loaded; a broken file has its own errors
        errors, warnings = check_lock(root, found)
        findings.extend(Finding("error", p) for p in errors)
        findings.extend(Finding("warning", p) for p in warnings)
    return sorted(findings, key=lambda f: (f.severity != "error", f.problem.file, f.problem.line or 0))
