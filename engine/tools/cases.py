"""Case files beside the rules (``*.cases.yaml``): hand-computed expectations, run by pytest and `layak test`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.compiler.layout import Outcome
from engine.decide.decision import Decision
from engine.decide.pipeline import check
from engine.errors import InputError, Problem
from engine.load.intake import LoadedCandidate, load_candidate_doc
from engine.load.library import CASES_SUFFIX, Library
from engine.load.rulefile import Check, walk
from engine.load.source import Document, read_document
from engine.load.validation import validate
from engine.load.values import Date
from engine.tools.lint import never_fails

Status = Literal["pass", "fail", "missing", "invalid", "waived"]


class Case(BaseModel):
    """One hand-computed expectation: a candidate (file or inline), a date, the verdict and statuses."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    note: Annotated[str, Field(min_length=1)]
    candidate: str | dict[str, Any]
    # Top-level candidate fields replaced for this case (e.g. another performance history).
    with_: dict[str, Any] = Field(default_factory=dict, alias="with")
    as_of: Date
    position: str | None = None
    ruleset: str | None = None
    # Optional so generated boundary cases can pin one requirement and leave the rest to review.
    verdict: Literal["eligible", "needs_review", "not_eligible"] | None = None
    requirements: dict[str, Status] = Field(default_factory=dict)


class CaseFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    position: str
    ruleset: str | None = None
    cases: Annotated[list[Case], Field(min_length=1)]


@dataclass
class LoadedCase:
    file: str
    index: int
    line: int | None
    position: str
    ruleset: str | None
    case: Case
    candidate: LoadedCandidate

    @property
    def name(self) -> str:
        return f"{Path(self.file).name}[{self.index}] {self.case.note}"


@dataclass
class CaseResult:
    case: LoadedCase
    decision: Decision | None
    differences: list[str] = field(default_factory=list)
    verdict: str | None = None  # the decision's, kept when the decision itself is let go (``slim``)

    def __post_init__(self) -> None:
        if self.decision is not None:
            self.verdict = self.decision.verdict

    @property
    def passed(self) -> bool:
        return self.verdict is not None and not self.differences

    def slim(self) -> CaseResult:
        """The result without its decision (what a report of many cases keeps once coverage has it)."""
        return CaseResult(self.case, None, self.differences, self.verdict)


def _candidate(doc: Document, index: int, case: Case) -> LoadedCandidate | list[Problem]:
    where = ("cases", index, "candidate")
    path = f"cases[{index}].candidate"
    if isinstance(case.candidate, str):
        source = read_document(Path(doc.file).parent / case.candidate)
        if isinstance(source, Problem):
            return [
                Problem(
                    code="case_invalid",
                    file=doc.file,
                    line=doc.line_of(where),
                    path=path,
                    message=f"cannot read candidate {case.candidate}: {source.message}",
                )
            ]
        data = dict(source.data) if isinstance(source.data, dict) else {}
        lines = source.lines
        label = source.file
    else:
        data = dict(case.candidate)
        lines = {k[len(where) :]: v for k, v in doc.lines.items() if k[: len(where)] == where}
        label = doc.file
    data.update(case.with_)
    result = load_candidate_doc(Document(file=label, data=data, lines=lines))
    if isinstance(result, list):
        # Problems in a referenced file are that file's; problems of an inline candidate or of `with`
        # point into the case file.
        return [
            p
            if isinstance(case.candidate, str) and p.path.split(".")[0].split("[")[0] not in case.with_
            else p.model_copy(
                update={"file": doc.file, "line": p.line or doc.line_of(where), "path": f"{path}.{p.path}"}
            )
            for p in result
        ]
    return result


def load_case_file(path: Path) -> tuple[list[LoadedCase], list[Problem]]:
    doc = read_document(path)
    if isinstance(doc, Problem):
        return [], [doc]
    parsed = validate(CaseFile, doc, "case_invalid")
    if isinstance(parsed, list):
        return [], parsed
    loaded: list[LoadedCase] = []
    problems: list[Problem] = []
    for index, case in enumerate(parsed.cases):
        candidate = _candidate(doc, index, case)
        if isinstance(candidate, list):
            problems.extend(candidate)
            continue
        loaded.append(
            LoadedCase(
                file=doc.file,
                index=index,
                line=doc.line_of(("cases", index)),
                position=case.position or parsed.position,
                ruleset=case.ruleset or parsed.ruleset,
                case=case,
                candidate=candidate,
            )
        )
    return loaded, problems


def discover(root: Path) -> Iterator[Path]:
    yield from sorted(p for p in root.rglob(f"*{CASES_SUFFIX}") if p.is_file())


def load_cases(root: Path) -> list[LoadedCase]:
    """Every case under ``root``; malformed case files raise one InputError listing every problem."""
    cases: list[LoadedCase] = []
    problems: list[Problem] = []
    for path in discover(root):
        found, bad = load_case_file(path)
        cases.extend(found)
        problems.extend(bad)
    if problems:
        raise InputError(problems)
    return cases


def _flatten(outcomes: tuple[Outcome, ...]) -> dict[str, Outcome]:
    out: dict[str, Outcome] = {}
    for outcome in outcomes:
        out[outcome.id] = outcome
        out.update(_flatten(outcome.children))
    return out


def run_case(library: Library, case: LoadedCase) -> CaseResult:
    """Decide the case's candidate and list every way the decision differs from the expectation."""
    try:
        run = check(library, case.position, [case.candidate], case.case.as_of, case.ruleset)
    except InputError as error:
        return CaseResult(case, None, [str(p) for p in error.problems])
    if run.problems:
        return CaseResult(case, None, [str(p) for p in run.problems])
    decision = run.decisions[0]
    differences = []
    if case.case.verdict is not None and decision.verdict != case.case.verdict:
        differences.append(f"verdict: expected {case.case.verdict}, got {decision.verdict}")
    outcomes = _flatten(decision.requirements)
    for req_id, status in case.case.requirements.items():
        got = outcomes.get(req_id)
        if got is None:
            differences.append(f"{req_id}: no such requirement in {case.position}")
        elif got.status != status:
            observed = f" (observed {got.observed})" if got.observed is not None else ""
            differences.append(f"{req_id}: expected {status}, got {got.status}{observed}")
    return CaseResult(case, decision, differences)


@dataclass
class Coverage:
    """Which side of each requirement the cases exercised (the comparison held / did not hold)."""

    position: str
    ruleset: str
    requirement: str
    passed: bool = False
    failed: bool = False
    # False when no value of the fact fails the check (a dated value that lifts a restriction from its
    # date): that side cannot be exercised and is not counted.
    can_fail: bool = True

    @property
    def covered(self) -> bool:
        """Both sides exercised (only the pass side where no value fails the check)."""
        return self.passed and (self.failed or not self.can_fail)


def _exercised(outcome: Outcome) -> tuple[bool, bool]:
    # A comparison that did not hold but was routed to the board (acting service, on_fail: review)
    # still exercised the fail side; missing evidence exercises neither.
    # A comparison that held but was routed to the board (on_pass: review) exercised the pass side.
    unsettled = outcome.note is not None and outcome.note.code == "pass_is_review"
    failed = outcome.status == "fail" or (
        outcome.status == "missing" and outcome.observed is not None and not unsettled
    )
    return outcome.status == "pass" or unsettled, failed


class Coverer:
    """Coverage folded in one case result at a time (``layak test`` lets each decision go once it is added)."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.table: dict[tuple[str, str, str], Coverage] = {}

    def add(self, result: CaseResult) -> None:
        case = result.case
        try:
            ruleset = self.library.for_position(case.position, case.ruleset, case.case.as_of)
        except InputError:
            return
        position = ruleset.position(case.position)
        if position is None:
            return
        # Each period of dated values is covered on its own: a changed threshold needs its own cases.
        since = self.library.values_since(ruleset.id, case.case.as_of)
        label = f"{ruleset.id}@{ruleset.version}" + (f" values from {since}" if since else "")
        for node, _loc in walk(position.requirements):
            self.table.setdefault(
                (case.position, label, node.id),
                Coverage(case.position, label, node.id, can_fail=not (isinstance(node, Check) and never_fails(node))),
            )
        if result.decision is None:
            return
        for req_id, outcome in _flatten(result.decision.requirements).items():
            row = self.table[(case.position, label, req_id)]
            passed, failed = _exercised(outcome)
            row.passed |= passed
            row.failed |= failed

    def rows(self) -> list[Coverage]:
        return sorted(self.table.values(), key=lambda c: (c.position, c.ruleset, c.requirement))


def coverage(library: Library, results: list[CaseResult]) -> list[Coverage]:
    """Per requirement of every position the cases name: was each side exercised by some case?"""
    folded = Coverer(library)
    for result in results:
        folded.add(result)
    return folded.rows()


def coverage_percent(rows: list[Coverage]) -> float:
    if not rows:
        return 100.0
    sides = sum(1 + int(r.can_fail) for r in rows)
    return 100.0 * sum(int(r.passed) + int(r.failed and r.can_fail) for r in rows) / sides
