"""`layak explain`: every requirement for one candidate, then what would make the candidate eligible."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import click

from engine.decide.inputs import bundle_entry, bundle_line, candidate_names, is_bundle
from engine.decide.pipeline import check
from engine.errors import ExitCode, InputError, Problem, ProblemCode
from engine.load.intake import LoadedCandidate, load_candidates
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
    candidates, problems = _candidate(path)
    if problems:
        raise InputError(problems)
    if len(candidates) != 1:
        raise click.UsageError("explain takes exactly one candidate: a file, or one line of a bundle as BUNDLE:LINE")
    run = check(library, position_id, candidates, as_of, ruleset_id)
    if run.problems:
        raise InputError(run.problems)
    decision = run.decisions[0]
    whatif = what_if(decision, candidates[0].candidate, library, ruleset_id, horizon)
    emit(explain_output(decision, whatif, lang), fmt, lang)
    return ExitCode.OK


def _candidate(path: Path) -> tuple[list[LoadedCandidate], list[Problem]]:
    """The candidate of a file, or of line N of a JSON-lines bundle named ``BUNDLE:N`` (a bundle of one dossier
    may be named alone)."""
    entry = bundle_entry(str(path))
    if entry is None and is_bundle(path):
        names = list(itertools.islice(candidate_names([path]), 2))
        if len(names) != 1:
            raise click.UsageError(f"{path} is a bundle of several dossiers: name one as {path}:LINE")
        entry = bundle_entry(names[0])
    if entry is None:
        return load_candidates([path])
    found = bundle_line(*entry)
    if found is None:
        message = f"line {entry[1]} holds no dossier"
        return [], [Problem(code=ProblemCode.NOT_FOUND, file=entry[0], line=entry[1], message=message)]
    return ([], found) if isinstance(found, list) else ([found], [])
