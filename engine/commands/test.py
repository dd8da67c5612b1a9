"""`layak test`: run case files against the rules; no case found is an error, so a typo in a CI gate fails."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import click

from engine.commands.common import exit_for
from engine.errors import ExitCode, InputError, Problem, ProblemCode
from engine.load.library import CASES_SUFFIX, Library, load_library
from engine.load.rulefile import Ruleset
from engine.present.progress import progress
from engine.present.render import emit
from engine.present.tools_view import test_report
from engine.tools.cases import (
    CaseResult,
    Coverage,
    Coverer,
    LoadedCase,
    coverage_percent,
    discover,
    load_case_file,
    load_cases,
    run_case,
)


def run(
    path: Path | None,
    rules_dir: Path | None,
    pattern: str | None,
    min_coverage: float | None,
    generate_boundaries: bool,
    show_coverage: bool,
    junit: Path | None,
    fmt: str,
    lang: str,
    default_rules: Path,
) -> ExitCode:
    root = path or default_rules
    library = _Resolved(load_library(rules_dir or (root if root.is_dir() else default_rules)).files)
    wanted = None
    if pattern is not None:
        try:
            wanted = re.compile(pattern)
        except re.error as error:
            raise click.BadParameter(f"not a regular expression: {error}", param_hint="--run") from None
    if generate_boundaries:
        from engine.tools.boundaries import generate

        cases = [c for c in _cases(root) if wanted is None or wanted.search(_named(c))]
        if not cases:
            raise _no_cases(root, pattern)
        click.echo(generate(library, cases), nl=False)
        return ExitCode.OK
    results, table = _run(library, root, wanted, lang)
    if not results:
        raise _no_cases(root, pattern)
    percent = coverage_percent(table)
    emit(test_report(results, table, percent, lang, show_coverage), fmt, lang)
    if junit is not None:
        from engine.commands.junit import junit_xml

        junit.write_text(junit_xml(results), encoding="utf-8")
    failed = sum(1 for r in results if not r.passed)
    click.echo(
        f"{'PASS' if not failed else 'FAIL'}: {len(results) - failed}/{len(results)} cases; "
        f"coverage {percent:.1f}% of requirement sides",
        err=True,
    )
    return exit_for([], findings=bool(failed) or (min_coverage is not None and percent < min_coverage))


@dataclass
class _Resolved(Library):
    """The library of one test run: cases share their dates, so each ruleset is resolved once a day, and being the
    same object it is hashed once (``content_hash``) rather than once per case."""

    _days: dict[tuple[str | None, dt.date], Ruleset] = field(default_factory=dict, repr=False, compare=False)

    def resolve(self, ruleset_id: str | None, as_of: dt.date) -> Ruleset:
        found = self._days.get((ruleset_id, as_of))
        if found is None:
            found = self._days[(ruleset_id, as_of)] = super().resolve(ruleset_id, as_of)
        return found


def _files(root: Path) -> list[Path]:
    if root.is_dir():
        return list(discover(root))
    return [root] if root.exists() else []


def _named(case: LoadedCase) -> str:
    return f"{case.file}:{case.line} {case.case.note}"


def _run(
    library: Library, root: Path, wanted: re.Pattern[str] | None, lang: str
) -> tuple[list[CaseResult], list[Coverage]]:
    """Every case file read, run and let go in turn: coverage is folded in as results come, and only a slim
    result (no decision) is kept per case, so memory grows by little however many case files there are.

    A malformed case file stops the running, not the reading: every problem of every file is reported at once.
    """
    files = _files(root)
    folded = Coverer(library)
    results: list[CaseResult] = []
    problems: list[Problem] = []
    with progress(len(files), "test", lang=lang) as bar:
        for file in files:
            cases, bad = load_case_file(file)
            problems.extend(bad)
            for case in cases if not problems else ():
                if wanted is None or wanted.search(_named(case)):
                    result = run_case(library, case)
                    folded.add(result)
                    results.append(result.slim())
            bar.advance()
    if problems:
        raise InputError(problems)
    return results, folded.rows()


def _cases(root: Path) -> list[LoadedCase]:
    if root.is_dir():
        return load_cases(root)
    if not root.exists():
        return []
    cases, problems = load_case_file(root)
    if problems:
        raise InputError(problems)
    return cases


def _no_cases(root: Path, pattern: str | None) -> InputError:
    where = f"{root} (--run {pattern!r})" if pattern is not None else str(root)
    return InputError(
        [
            Problem(
                code=ProblemCode.NO_CASES,
                file=where,
                message="no test cases found",
                hint=f"give a directory holding *{CASES_SUFFIX} files, or one such file",
            )
        ]
    )
