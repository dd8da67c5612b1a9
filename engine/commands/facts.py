"""`layak facts`: the fact vocabulary, the facts derived from one candidate file, or a facts table (--out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import click

from engine.commands.common import exit_for, no_candidates, report_problems
from engine.errors import ExitCode, InputError, Problem, ProblemCode
from engine.present.render import emit

T = TypeVar("T")


def run(path: Path | None, list_: bool, as_of: dt.date, fmt: str, lang: str, out: Path | None = None) -> ExitCode:
    if list_ == (path is not None):
        raise click.UsageError("give either --list or one candidate file (or a directory with --out)")
    from engine.present.rules_view import fact_list_report, facts_report

    if path is None:
        emit(fact_list_report(lang), fmt, lang)
        return ExitCode.OK
    if out is not None:
        return _table(path, as_of, out, fmt, lang)
    if path.is_dir():
        raise click.UsageError("a directory needs --out FILE (the facts table to write)")
    from engine.facts.derive import derive
    from engine.load.intake import load_candidates

    candidates, problems = load_candidates([path])
    if problems:
        raise InputError(problems)
    emit(facts_report(derive(candidates[0].candidate, as_of), lang), fmt, lang)
    return ExitCode.OK


def _table(path: Path, as_of: dt.date, out: Path, fmt: str, lang: str) -> ExitCode:
    from engine.decide.inputs import sources
    from engine.facts.table import build_from
    from engine.present.table_view import facts_table_report

    if not path.exists():
        raise InputError([Problem(code=ProblemCode.NOT_FOUND, file=str(path), message="no such file or directory")])
    from engine.present.progress import progress

    try:
        with progress(None, "facts", lang=lang) as bar:
            built = build_from(_counted(sources([path]), bar.advance), as_of, out)
    except OSError as error:
        raise InputError(
            [Problem(code=ProblemCode.CANNOT_WRITE, file=str(out), message=str(error.strerror or error))]
        ) from None
    if built.rows == 0:
        out.unlink(missing_ok=True)
        raise no_candidates()
    emit(facts_table_report(out, as_of, built, lang), fmt, lang)
    report_problems(built.problems, lang)
    return exit_for(built.problems)


def _counted(items: Iterator[T], advance: Callable[[int], None]) -> Iterator[T]:
    for item in items:
        yield item
        advance(1)
