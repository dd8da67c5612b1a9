"""`layak test`: run case files against the rules; no case found is an error, so a typo in a CI gate fails."""

from __future__ import annotations

import re
from pathlib import Path

import click

from engine.commands.common import exit_for
from engine.errors import ExitCode, InputError, Problem, ProblemCode
from engine.load.library import CASES_SUFFIX, load_library
from engine.present.render import emit
from engine.present.tools_view import test_report
from engine.tools.cases import LoadedCase, coverage, coverage_percent, load_case_file, load_cases, run_case


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
    library = load_library(rules_dir or (root if root.is_dir() else default_rules))
    cases = _cases(root)
    if pattern is not None:
        try:
            wanted = re.compile(pattern)
        except re.error as error:
            raise click.BadParameter(f"not a regular expression: {error}", param_hint="--run") from None
        cases = [c for c in cases if wanted.search(f"{c.file}:{c.line} {c.case.note}")]
    if not cases:
        where = f"{root} (--run {pattern!r})" if pattern is not None else str(root)
        raise InputError(
            [
                Problem(
                    code=ProblemCode.NO_CASES,
                    file=where,
                    message="no test cases found",
                    hint=f"give a directory holding *{CASES_SUFFIX} files, or one such file",
                )
            ]
        )
    if generate_boundaries:
        from engine.tools.boundaries import generate

        click.echo(generate(library, cases), nl=False)
        return ExitCode.OK
    results = [run_case(library, case) for case in cases]
    table = coverage(library, results)
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


def _cases(root: Path) -> list[LoadedCase]:
    if root.is_dir():
        return load_cases(root)
    if not root.exists():
        return []
    cases, problems = load_case_file(root)
    if problems:
        raise InputError(problems)
    return cases
