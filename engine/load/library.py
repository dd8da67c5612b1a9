"""Loading rule files: schema, thresholds checked against fact types, overlays, versions, hashing."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import rfc8785

from engine.errors import InputError, Problem, path_text
from engine.facts.scales import COMPETENCIES
from engine.facts.vocabulary import DECIMAL_PLACES, VOCABULARY, FactSpec, lookup
from engine.load.rulefile import (
    AllOf,
    AnyOf,
    Check,
    CompetencyTable,
    PositionClass,
    Requirement,
    RuleFile,
    Ruleset,
    Text,
)
from engine.load.source import Document, Loc, expand_paths, read_document
from engine.load.validation import validate

CASES_SUFFIX = ".cases.yaml"
MAX_IN_VALUES = 25  # durable-rules allows 32 expressions per rule; guards take some
_MONTHS = re.compile(r"^(?:(\d+)y)?(?:(\d+)m)?$")
_COMPARISONS = {"gt", "gte", "lt", "lte"}


def parse_threshold(spec: FactSpec, op: str, raw: Any) -> tuple[Any, str]:
    """The threshold in the fact's native type, or ("", a message saying what was expected)."""
    if op in ("in", "not_in"):
        if not isinstance(raw, list) or not raw:
            return None, f"'{op}' needs a non-empty list of values"
        if len(raw) > MAX_IN_VALUES:
            return None, f"'{op}' takes at most {MAX_IN_VALUES} values"
        parsed = [parse_threshold(spec, "eq", item) for item in raw]
        errors = [msg for _v, msg in parsed if msg]
        return ([v for v, _m in parsed], "") if not errors else (None, errors[0])
    if isinstance(raw, list):
        return None, f"'{op}' compares with one value, not a list"
    if op in _COMPARISONS and not spec.ordered:
        return None, f"fact '{spec.name}' has no order; use eq, ne, in or not_in"
    value, message = _scalar(spec, raw)
    if message:
        return None, message
    if spec.kind in ("int", "decimal", "months"):
        number = Decimal(value)
        if spec.minimum is not None and number < spec.minimum or spec.maximum is not None and number > spec.maximum:
            return None, f"{raw!r} is outside the range of '{spec.name}' ({spec.minimum}..{spec.maximum})"
    return value, ""


def _scalar(spec: FactSpec, raw: Any) -> tuple[Any, str]:
    kind = spec.kind
    if kind == "bool":
        return (raw, "") if isinstance(raw, bool) else (None, f"'{spec.name}' is true or false, got {raw!r}")
    if kind == "scale":
        scale = spec.scale_obj()
        if isinstance(raw, str) and raw in scale.ranks:
            return raw, ""
        close = difflib.get_close_matches(str(raw), scale.values, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return None, f"{raw!r} is not a valid {scale.name} value; expected one of {', '.join(scale.values)}{hint}"
    if kind == "months":
        match = _MONTHS.match(raw) if isinstance(raw, str) and raw else None
        if not match:
            return None, f"'{spec.name}' is a duration written like 4y, 3y6m or 18m; got {raw!r}"
        return int(match.group(1) or 0) * 12 + int(match.group(2) or 0), ""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None, f"'{spec.name}' is a number, got {raw!r}"
    if kind == "int":
        return (raw, "") if isinstance(raw, int) else (None, f"'{spec.name}' is a whole number, got {raw!r}")
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        return None, f"{raw!r} is not a number"
    if number != round(number, DECIMAL_PLACES):
        return None, f"{raw!r} has more than {DECIMAL_PLACES} decimal places"
    return number, ""


@dataclass
class _FileCheck:
    doc: Document
    problems: list[Problem] = field(default_factory=list)

    def add(self, loc: Loc, message: str, code: str = "rule_invalid", hint: str = "") -> None:
        self.problems.append(Problem(code=code, file=self.doc.file, line=self.doc.line_of(loc),
                                     path=path_text(loc), message=message, hint=hint))

    def requirement(self, req: Requirement, loc: Loc, seen: set[str], top: bool) -> None:
        if req.id in seen:
            self.add((*loc, "id"), f"duplicate requirement id '{req.id}' in this position class", "duplicate_id")
        seen.add(req.id)
        if top and not req.basis:
            self.add(loc, "a requirement needs a legal basis ('basis')", "missing_basis",
                     "cite the regulation and article, e.g. PP 11/2017 Pasal 54")
        if isinstance(req, AnyOf | AllOf):
            children = req.any_of if isinstance(req, AnyOf) else req.all_of
            key = "any_of" if isinstance(req, AnyOf) else "all_of"
            for index, child in enumerate(children):
                self.requirement(child, (*loc, key, index), seen, top=False)
            return
        spec = lookup(req.fact)
        if spec is None:
            close = difflib.get_close_matches(req.fact, list(VOCABULARY), n=1)
            self.add((*loc, "fact"), f"unknown fact '{req.fact}'", "unknown_fact",
                     f"did you mean '{close[0]}'?" if close else "see `layak facts --list`")
            return
        _value, message = parse_threshold(spec, req.op, req.value)
        if message:
            self.add((*loc, "value"), message, "bad_threshold")
        if req.acting != "exclude" and not req.fact.startswith("months_in_post."):
            self.add((*loc, "acting"), "'acting' applies only to months_in_post.<post> facts", "bad_option")


def _check_table(check: _FileCheck, rule_file: RuleFile) -> None:
    table = rule_file.competency_standards
    if table is None:
        return
    for position, cells in table.levels.items():
        for code, level in cells.items():
            loc: Loc = ("competency_standards", "levels", position, code)
            if code not in COMPETENCIES and not re.fullmatch(r"T_[A-Z0-9_]+", code):
                check.add(loc, f"unknown competency '{code}'", "unknown_fact",
                          "use M01..M08, SK01 or a technical code T_<NAME>")
            if not 1 <= level <= 5:
                check.add(loc, f"level {level} is outside the 1-5 scale of PermenPANRB 38/2017", "bad_threshold")


def read_rule_file(path: Path) -> tuple[RuleFile | None, list[Problem]]:
    """Parse, validate and type-check one rule file; every problem of the file in one list."""
    _doc, rule_file, problems = read_rule_doc(path)
    return rule_file, problems


def read_rule_doc(path: Path) -> tuple[Document | None, RuleFile | None, list[Problem]]:
    """Like read_rule_file, also returning the parsed document (for line numbers)."""
    doc = read_document(path)
    if isinstance(doc, Problem):
        return None, None, [doc]
    result = validate(RuleFile, doc, "rule_invalid")
    if isinstance(result, list):
        return doc, None, result
    check = _FileCheck(doc)
    header = result.ruleset
    if header.effective_to is not None and header.effective_to < header.effective_from:
        check.add(("ruleset", "effective_to"), "effective_to is before effective_from", "bad_dates")
    for p_index, position in enumerate(result.positions):
        seen: set[str] = set()
        for r_index, req in enumerate(position.requirements):
            check.requirement(req, ("positions", p_index, "requirements", r_index), seen, top=True)
    _check_table(check, result)
    return doc, (result if not check.problems else None), check.problems


def _expand(positions: dict[str, PositionClass],
            cells: dict[str, dict[str, tuple[int, CompetencyTable]]]) -> dict[str, PositionClass]:
    """One requirement per table cell, citing the table (base or overlay) the cell's level came from."""
    out = dict(positions)
    for position_id, row in cells.items():
        if position_id not in out:
            continue
        position = out[position_id]
        extra: list[Requirement] = []
        for code, (level, table) in row.items():
            name_id, name_en = COMPETENCIES.get(code, (code, code))
            extra.append(Check(
                id=f"competency-{code.lower().replace('_', '-')}", fact=f"competency.{code}", op="gte", value=level,
                basis=table.basis, missing=table.missing, waivable_by=table.waivable_by,
                on_fail="review" if position_id in table.unconfirmed else "fail",
                text=Text(en=f"{name_en} ({code}) at level {level} or higher",
                          id=f"{name_id} ({code}) paling rendah level {level}")))
        kept = [r for r in position.requirements if r.id not in {e.id for e in extra}]
        out[position_id] = position.model_copy(update={"requirements": (*kept, *extra)})
    return out


def content_hash(ruleset: Ruleset) -> str:
    """SHA-256 of the RFC 8785 canonical JSON of the resolved ruleset."""
    return hashlib.sha256(rfc8785.dumps(ruleset.model_dump(mode="json"))).hexdigest()


@dataclass
class Library:
    """Every ruleset version found under a rules directory."""

    files: dict[str, list[tuple[str, RuleFile]]]

    def ids(self) -> list[str]:
        return sorted(self.files)

    def in_force(self, ruleset_id: str, as_of: dt.date) -> RuleFile:
        versions = self.files.get(ruleset_id)
        if not versions:
            raise InputError([Problem(code="unknown_ruleset", message=f"no ruleset '{ruleset_id}'",
                                      hint=f"known: {', '.join(self.ids()) or 'none'}")])
        for _file, rf in versions:
            h = rf.ruleset
            if h.effective_from <= as_of and (h.effective_to is None or as_of <= h.effective_to):
                return rf
        spans = "; ".join(f"{rf.ruleset.version}: {rf.ruleset.effective_from}..{rf.ruleset.effective_to or ''}"
                          for _f, rf in versions)
        raise InputError([Problem(code="not_in_force", message=f"no version of '{ruleset_id}' is in force on {as_of}",
                                  hint=spans)])

    def base_ids(self) -> list[str]:
        """Rulesets that extend nothing (the national packs); overlays are chosen with --ruleset."""
        return sorted(i for i, vs in self.files.items() if all(rf.ruleset.extends is None for _f, rf in vs))

    def default_id(self) -> str:
        """The one base ruleset, when there is exactly one."""
        bases = self.base_ids()
        if len(bases) != 1:
            raise InputError([Problem(code="ruleset_ambiguous", message="choose a ruleset with --ruleset",
                                      hint=f"available: {', '.join(self.ids()) or 'none'}")])
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
            raise InputError([Problem(code="ruleset_ambiguous", message=(
                f"position '{position_id}' is defined by several rulesets"),
                hint=f"choose one with --ruleset: {', '.join(r.id for r in owners)}")])
        known = sorted({p.id for r in bases for p in r.positions})
        close = difflib.get_close_matches(position_id, known, n=1)
        raise InputError([Problem(code="unknown_position", message=(
            f"no ruleset in force on {as_of} defines position class '{position_id}'"),
            hint=(f"did you mean '{close[0]}'? " if close else "") + f"known: {', '.join(known)}")])

    def resolve(self, ruleset_id: str | None, as_of: dt.date) -> Ruleset:
        """The ruleset in force on ``as_of``, with overlays applied and tables expanded."""
        chain: list[RuleFile] = []
        current: str | None = ruleset_id or self.default_id()
        while current is not None:
            rf = self.in_force(current, as_of)
            if any(r.ruleset.id == rf.ruleset.id for r in chain):
                raise InputError([Problem(code="extends_cycle", message=f"ruleset '{current}' extends itself")])
            chain.append(rf)
            current = rf.ruleset.extends
        chain.reverse()
        positions: dict[str, PositionClass] = {}
        cells: dict[str, dict[str, tuple[int, CompetencyTable]]] = {}
        for rf in chain:
            for position in rf.positions:
                base = positions.get(position.id)
                if base is None:
                    positions[position.id] = position
                    continue
                replaced = {r.id: r for r in position.requirements}
                merged = [replaced.pop(r.id, r) for r in base.requirements]
                positions[position.id] = base.model_copy(update={"requirements": (*merged, *replaced.values())})
            if rf.competency_standards:
                table = rf.competency_standards
                for pos, row in table.levels.items():
                    cells.setdefault(pos, {}).update({code: (level, table) for code, level in row.items()})
        positions = _expand(positions, cells)
        top = chain[-1].ruleset
        return Ruleset(
            id=top.id, version=top.version, title=top.title, effective_from=top.effective_from,
            effective_to=top.effective_to, basis=tuple(b for rf in chain for b in rf.ruleset.basis),
            layers=tuple(f"{rf.ruleset.id}@{rf.ruleset.version}" for rf in chain), positions=tuple(positions.values()))


def _overlaps(files: dict[str, list[tuple[str, RuleFile]]]) -> list[Problem]:
    problems = []
    for ruleset_id, versions in files.items():
        ordered = sorted(versions, key=lambda v: v[1].ruleset.effective_from)
        for (file_a, a), (file_b, b) in zip(ordered, ordered[1:], strict=False):
            end = a.ruleset.effective_to
            if end is None or end >= b.ruleset.effective_from:
                problems.append(Problem(code="version_overlap", file=file_b, message=(
                    f"version {b.ruleset.version} of '{ruleset_id}' starts {b.ruleset.effective_from}, while version "
                    f"{a.ruleset.version} ({file_a}) is still in force"), hint="set effective_to on the older version"))
            elif (b.ruleset.effective_from - end).days > 1:
                problems.append(Problem(code="version_gap", file=file_b, message=(
                    f"no version of '{ruleset_id}' is in force between {end} and {b.ruleset.effective_from}")))
    return problems


@dataclass
class Scan:
    """Everything read from a rules directory: valid files by ruleset id, documents, problems."""

    files: dict[str, list[tuple[str, RuleFile]]]
    docs: dict[str, Document]
    problems: list[Problem]


def scan(root: Path) -> Scan:
    """Read every rule file under ``root`` (a directory or one file) without stopping at problems."""
    if not root.exists():
        return Scan({}, {}, [Problem(code="no_rules", file=str(root), message="rules directory not found")])
    files: dict[str, list[tuple[str, RuleFile]]] = {}
    docs: dict[str, Document] = {}
    problems: list[Problem] = []
    for path in expand_paths([root], exclude_suffix=CASES_SUFFIX):
        doc, rule_file, found = read_rule_doc(path)
        problems.extend(found)
        if doc is not None:
            docs[str(path)] = doc
        if rule_file is not None:
            files.setdefault(rule_file.ruleset.id, []).append((str(path), rule_file))
    for problem in _overlaps(files):
        doc = docs.get(problem.file)
        line = doc.line_of(("ruleset", "effective_from")) if doc else None
        problems.append(problem.model_copy(update={"line": line, "path": "ruleset.effective_from"}))
    for ruleset_id, versions in files.items():
        for file, rf in versions:
            if rf.ruleset.extends and rf.ruleset.extends not in files:
                problems.append(Problem(code="unknown_ruleset", file=file, path="ruleset.extends",
                                        line=docs[file].line_of(("ruleset", "extends")) if file in docs else None,
                                        message=f"'{ruleset_id}' extends unknown ruleset '{rf.ruleset.extends}'"))
    if not files and not problems:
        problems.append(Problem(code="no_rules", file=str(root), message="no rule files found"))
    return Scan(files, docs, problems)


def load_library(root: Path) -> Library:
    """Read every rule file under ``root``; raise one InputError listing every problem found."""
    found = scan(root)
    if found.problems:
        raise InputError(found.problems)
    return Library(found.files)
