"""Loading rule files: schema, thresholds checked against fact types, dated values, versions, references."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from engine.errors import InputError, Problem, path_text
from engine.facts.scales import COMPETENCIES
from engine.facts.vocabulary import VOCABULARY, lookup
from engine.load.resolve import Library, Versions, content_hash
from engine.load.rulefile import Check, DatedValue, RuleFile, RuleNode, RulesetHeader
from engine.load.source import Document, Loc, expand_paths, read_document
from engine.load.thresholds import ACTING_FAMILY, MAX_IN_VALUES, checked_threshold, frozen_value, parse_threshold
from engine.load.validation import validate

__all__ = [
    "CASES_SUFFIX",
    "MAX_IN_VALUES",
    "Library",
    "Scan",
    "content_hash",
    "load_library",
    "parse_threshold",
    "read_rule_doc",
    "read_rule_file",
    "scan",
]

CASES_SUFFIX = ".cases.yaml"


@dataclass
class _FileCheck:
    doc: Document
    problems: list[Problem] = field(default_factory=list)

    def add(self, loc: Loc, message: str, code: str = "rule_invalid", hint: str = "") -> None:
        self.problems.append(
            Problem(
                code=code,
                file=self.doc.file,
                line=self.doc.line_of(loc),
                path=path_text(loc),
                message=message,
                hint=hint,
            )
        )

    def requirement(self, req: RuleNode, loc: Loc, seen: set[str], header: RulesetHeader) -> None:
        if req.id in seen:
            self.add((*loc, "id"), f"duplicate requirement id '{req.id}' in this position class", "duplicate_id")
        seen.add(req.id)
        if req.top_level and not req.basis:
            self.add(
                loc,
                "a requirement needs a legal basis ('basis')",
                "missing_basis",
                "cite the regulation and article, e.g. PP 11/2017 Pasal 54",
            )
        for index, child in enumerate(req.children):
            self.requirement(child, (*loc, req.kind, index), seen, header)
        if not isinstance(req, Check):
            return
        spec = lookup(req.fact)
        if spec is None:
            close = difflib.get_close_matches(req.fact, list(VOCABULARY), n=1)
            self.add(
                (*loc, "fact"),
                f"unknown fact '{req.fact}'",
                "unknown_fact",
                f"did you mean '{close[0]}'?" if close else "see `layak facts --list`",
            )
            return
        if req.dated:
            self.dated(req.dated, (*loc, "value"), header, lapses=req.top_level)
        values: list[tuple[Loc, object]] = [((*loc, "value", i, "value"), e.value) for i, e in enumerate(req.dated)]
        for entry_loc, value in values or [((*loc, "value"), req.value)]:
            found = checked_threshold(spec, req.op, frozen_value(value))
            if isinstance(found, str):
                self.add(entry_loc, found, "bad_threshold")
        if req.acting != "exclude" and not req.fact.startswith(ACTING_FAMILY):
            self.add((*loc, "acting"), "'acting' applies only to months_in_post.<post> facts", "bad_option")

    def dated(self, entries: tuple[DatedValue, ...], loc: Loc, header: RulesetHeader, lapses: bool = False) -> None:
        """Dated values in date order, without overlap or gap, covering the ruleset's whole span (a top-level
        requirement may end early: from the day after, it no longer applies, e.g. a cap that was lifted)."""
        hint = "each entry starts ('from') after the previous one ends; leave 'to' out to run until the next"
        for index, entry in enumerate(entries):
            if entry.end is not None and entry.end < entry.start:
                self.add((*loc, index, "to"), f"'to' {entry.end} is before 'from' {entry.start}", "bad_dates")
            if index == 0:
                continue
            before = entries[index - 1]
            if entry.start <= before.start:
                self.add(
                    (*loc, index, "from"),
                    (f"dated values must be in date order: {entry.start} follows {before.start}"),
                    "bad_dates",
                    hint,
                )
            elif before.end is not None and before.end >= entry.start:
                self.add(
                    (*loc, index, "from"),
                    (f"dated values overlap: the previous one runs to {before.end}, this one starts {entry.start}"),
                    "bad_dates",
                    hint,
                )
            elif before.end is not None and (entry.start - before.end).days > 1:
                self.add(
                    (*loc, index, "from"),
                    (f"no value is in force between {before.end} and {entry.start}"),
                    "bad_dates",
                    hint,
                )
        if entries[0].start > header.effective_from:
            self.add(
                (*loc, 0, "from"),
                (
                    f"the first dated value starts {entries[0].start}, after the ruleset takes "
                    f"effect ({header.effective_from})"
                ),
                "bad_dates",
                "start the first entry on or before the ruleset's effective_from",
            )
        last = entries[-1]
        if last.end is not None and not lapses and (header.effective_to is None or last.end < header.effective_to):
            until = "after it" if header.effective_to is None else f"to {header.effective_to}"
            self.add(
                (*loc, len(entries) - 1, "to"),
                f"the last dated value ends {last.end}, the ruleset runs {until}",
                "bad_dates",
                "leave 'to' out on the last entry",
            )


def _check_table(check: _FileCheck, rule_file: RuleFile) -> None:
    table = rule_file.competency_standards
    if table is None:
        return
    for position, cells in table.levels.items():
        for code, level in cells.items():
            loc: Loc = ("competency_standards", "levels", position, code)
            if code not in COMPETENCIES and not re.fullmatch(r"T_[A-Z0-9_]+", code):
                check.add(
                    loc,
                    f"unknown competency '{code}'",
                    "unknown_fact",
                    "use M01..M08, SK01 or a technical code T_<NAME>",
                )
            if not 1 <= level <= 5:
                check.add(loc, f"level {level} is outside the 1-5 scale of PermenPANRB 38/2017", "bad_threshold")
            elif (spec := lookup(f"competency.{code}")) is not None:
                checked_threshold(spec, "gte", frozen_value(level))  # the cell's check, parsed here once


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
            check.requirement(req, ("positions", p_index, "requirements", r_index), seen, header)
    _check_table(check, result)
    return doc, (result if not check.problems else None), check.problems


def _overlaps(files: Versions) -> list[Problem]:
    problems = []
    for ruleset_id, versions in files.items():
        ordered = sorted(versions, key=lambda v: v[1].ruleset.effective_from)
        for (file_a, a), (file_b, b) in zip(ordered, ordered[1:], strict=False):
            end = a.ruleset.effective_to
            if end is None or end >= b.ruleset.effective_from:
                problems.append(
                    Problem(
                        code="version_overlap",
                        file=file_b,
                        message=(
                            f"version {b.ruleset.version} of '{ruleset_id}' starts {b.ruleset.effective_from}, "
                            f"while version {a.ruleset.version} ({file_a}) is still in force"
                        ),
                        hint="set effective_to on the older version",
                    )
                )
            elif (b.ruleset.effective_from - end).days > 1:
                problems.append(
                    Problem(
                        code="version_gap",
                        file=file_b,
                        message=(
                            f"no version of '{ruleset_id}' is in force between {end} and {b.ruleset.effective_from}"
                        ),
                    )
                )
    return problems


@dataclass
class Scan:
    """Everything read from a rules directory: valid files by ruleset id, documents, problems."""

    files: Versions
    docs: dict[str, Document]
    problems: list[Problem]


def scan(root: Path) -> Scan:
    """Read every rule file under ``root`` (a directory or one file) without stopping at problems."""
    if not root.exists():
        return Scan({}, {}, [Problem(code="no_rules", file=str(root), message="rules directory not found")])
    files: Versions = {}
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
    broken = {
        _ruleset_id(doc) for file, doc in docs.items() if not any(f == file for vs in files.values() for f, _rf in vs)
    }
    for ruleset_id, versions in files.items():
        for file, rf in versions:
            # A base that failed to load has its own problems listed; "extends unknown" would only mislead.
            if rf.ruleset.extends and rf.ruleset.extends not in files and rf.ruleset.extends not in broken:
                problems.append(
                    Problem(
                        code="unknown_ruleset",
                        file=file,
                        path="ruleset.extends",
                        line=docs[file].line_of(("ruleset", "extends")) if file in docs else None,
                        message=f"'{ruleset_id}' extends unknown ruleset '{rf.ruleset.extends}'",
                    )
                )
    if not problems:
        problems.extend(_resolution_problems(Library(files), docs))
    if not files and not problems:
        problems.append(Problem(code="no_rules", file=str(root), message="no rule files found"))
    return Scan(files, docs, problems)


def _ruleset_id(doc: Document) -> object:
    header = doc.data.get("ruleset") if isinstance(doc.data, dict) else None
    ident = header.get("id") if isinstance(header, dict) else None
    return ident if isinstance(ident, str) else None  # a list or map written as the id is its own problem


def _resolution_problems(library: Library, docs: dict[str, Document]) -> list[Problem]:
    """Resolve every version on its first day and on each day a dated value changes within it, so that a
    class extending an unknown class or removing an unknown requirement is found by ``validate``."""
    problems: dict[str, Problem] = {}
    changes = library.boundaries()
    for ruleset_id in sorted(library.files, key=lambda i: i in library.base_ids(), reverse=True):
        for file, rf in library.files[ruleset_id]:
            start, end = rf.ruleset.effective_from, rf.ruleset.effective_to or dt.date.max
            for day in sorted({start} | {d for d in changes if start <= d <= end}):
                try:
                    library.resolve(ruleset_id, day)
                except InputError as error:
                    for problem in error.problems:
                        problems.setdefault(problem.message, _located(problem, file, rf, docs.get(file)))
                    break
    return list(problems.values())


def _located(problem: Problem, file: str, rf: RuleFile, doc: Document | None) -> Problem:
    if problem.file:
        return problem
    found = re.search(r"position class '([^']+)'", problem.message)
    index = next((i for i, p in enumerate(rf.positions) if found and p.id == found.group(1)), None)
    key = "remove" if problem.code == "unknown_requirement" else "extends"
    key = "after" if " places '" in problem.message else key
    loc: Loc = ("positions", index, key) if index is not None else ("ruleset",)
    return problem.model_copy(update={"file": file, "line": doc.line_of(loc) if doc else None, "path": path_text(loc)})


def load_library(root: Path) -> Library:
    """Read every rule file under ``root``; raise one InputError listing every problem found."""
    found = scan(root)
    if found.problems:
        raise InputError(found.problems)
    return Library(found.files)
