"""`layak explain`: every requirement for one candidate, then what would make the candidate eligible."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from engine.decide.pipeline import check
from engine.errors import ExitCode, InputError
from engine.load.intake import load_candidates
from engine.load.library import load_library
from engine.present.render import emit
from engine.present.views import explain_output
from engine.tools.whatif import what_if


def run(
    path: Path,
    position_id: str,
    rules_dir: Path,
    ruleset_id: str | None,
    as_of: dt.date,
    fmt: str,
    lang: str,
    horizon: int,
) -> ExitCode:
    library = load_library(rules_dir)
    candidates, problems = load_candidates([path])
    if problems:
        raise InputError(problems)
    if len(candidates) != 1:
        raise click.UsageError("explain takes exactly one candidate file")
    run = check(library, position_id, candidates, as_of, ruleset_id)
    if run.problems:
        raise InputError(run.problems)
    decision = run.decisions[0]
    whatif = what_if(decision, candidates[0].candidate, library, ruleset_id, horizon)
    emit(explain_output(decision, whatif, lang), fmt, lang)
    return ExitCode.OK
