"""What several commands share: reporting problems, exit codes from problems, the no-candidates error."""

from __future__ import annotations

import click

from engine.errors import ExitCode, InputError, LayakError, Problem, ProblemCode
from engine.present.i18n import label


def report_error(error: Exception) -> None:
    """Every problem on stderr, then how many in how many files."""
    problems = error.problems if isinstance(error, InputError) else []
    if not problems:
        code = error.code if isinstance(error, LayakError) else "error"
        click.echo(f"Error: {code}: {error}", err=True)
        return
    report_problems(problems)


def report_problems(problems: list[Problem], lang: str = "en") -> None:
    if not problems:
        return
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)
    files = {p.file for p in problems if p.file}
    count = label("n_problems", lang, n=len(problems))
    click.echo(f"{count} {label('in_files', lang, n=len(files))}" if files else count, err=True)


def exit_for(problems: list[Problem], findings: bool = False) -> ExitCode:
    """Invalid input outranks findings; either outranks a clean run."""
    if problems:
        return max(p.code.exit_code for p in problems)
    return ExitCode.FINDINGS if findings else ExitCode.OK


def no_candidates() -> InputError:
    return InputError(
        [
            Problem(
                code=ProblemCode.NO_CANDIDATES,
                message="no candidate files found",
                hint="give YAML or JSON files, or directories holding them, or - for stdin",
            )
        ]
    )
