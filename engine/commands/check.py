"""`layak check`: decide and rank every candidate for one position, record the decisions, print the shortlist."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from engine.commands.common import exit_for, no_candidates, report_problems
from engine.errors import ExitCode
from engine.load.library import load_library


def run(
    paths: tuple[Path, ...],
    position_id: str,
    rules_dir: Path,
    ruleset_id: str | None,
    as_of: dt.date,
    fmt: str,
    lang: str,
    backend: str,
    db: str | None,
    board: str | None,
    actor: str | None,
    no_record: bool,
    jobs: int | None = None,
    top: int = 0,
) -> ExitCode:
    library = load_library(rules_dir)
    if fmt in ("jsonl", "table", "markdown", "csv", "json") and all(str(p) != "-" for p in paths):
        from engine.decide.stream_command import run_streamed

        return run_streamed(
            library,
            list(paths),
            position_id,
            ruleset_id,
            as_of,
            fmt,
            lang,
            backend,
            db,
            board,
            actor,
            no_record,
            jobs,
            top,
        )
    # stdin (or a format the streamed run does not give) is read whole: what only this path needs is imported here
    from engine.commands.candidates import read_candidates
    from engine.decide.pipeline import check
    from engine.present.render import emit
    from engine.present.views import check_output, summary_line

    candidates, problems = read_candidates(list(paths))
    if not candidates and not problems:
        raise no_candidates()
    run = check(
        library,
        position_id,
        candidates,
        as_of,
        ruleset_id,
        backend="reference" if backend == "reference" else "durable",
    )
    run.problems[:0] = problems
    appended = None
    if not no_record and run.decisions:
        from engine.audit.recorder import record_run
        from engine.audit.store import Store
        from engine.audit.views import recorded_line

        with Store.open(db, create=True) as store:
            appended = record_run(store, run, candidates, actor=actor, board=board, engine=backend)
        click.echo(recorded_line(appended, store.where, lang), err=True)
    emit(check_output(run, lang, appended.records if appended else ()), fmt, lang)
    click.echo(summary_line(run, lang), err=True)
    report_problems(run.problems, lang)
    return exit_for(run.problems)
