"""`layak facts`: the fact vocabulary, or the facts derived from one candidate file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from engine.errors import ExitCode, InputError
from engine.present.render import emit


def run(path: Path | None, list_: bool, as_of: dt.date, fmt: str, lang: str) -> ExitCode:
    if list_ == (path is not None):
        raise click.UsageError("give either --list or one candidate file")
    from engine.present.rules_view import fact_list_report, facts_report

    if path is None:
        emit(fact_list_report(lang), fmt, lang)
        return ExitCode.OK
    from engine.facts.derive import derive
    from engine.load.intake import load_candidates

    candidates, problems = load_candidates([path])
    if problems:
        raise InputError(problems)
    emit(facts_report(derive(candidates[0].candidate, as_of), lang), fmt, lang)
    return ExitCode.OK
