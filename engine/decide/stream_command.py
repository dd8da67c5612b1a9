"""`layak check` over a population, streamed: JSON lines or a bounded shortlist, recorded batch by batch."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from pathlib import Path

import click

from engine.audit.recorder import batch_recorder, combined, new_run_id, os_user
from engine.commands.common import exit_for, no_candidates, report_problems
from engine.decide.pipeline import select_position
from engine.decide.shard import check_files, file_copier
from engine.decide.stream import Setup, default_jobs
from engine.errors import ExitCode
from engine.load.library import Library
from engine.present.i18n import label
from engine.present.progress import progress
from engine.present.ranking import Ranked, input_order
from engine.present.render import Report, Table, emit
from engine.present.views import check_columns, summary_text


def run_streamed(
    library: Library,
    paths: list[Path],
    position_id: str,
    ruleset_id: str | None,
    as_of: dt.date,
    fmt: str,
    lang: str,
    backend: str,
    db: str | None,
    board: str | None,
    actor: str | None,
    no_record: bool,
    jobs: int | None,
    top: int,
) -> ExitCode:
    ruleset = library.for_position(position_id, ruleset_id, as_of)
    setup = Setup(
        ruleset=ruleset,
        position_id=select_position(ruleset, position_id).id,
        as_of=as_of,
        backend="reference" if backend == "reference" else "durable",
        want="lines" if fmt == "jsonl" else "entries" if fmt == "json" else "rows",
        lang=lang,
        record=not no_record,
        actor=actor or os_user(),
        board=board,
        engine=backend,
        run_id=new_run_id(),
    )
    every = fmt in ("csv", "json") or (fmt != "jsonl" and not top)
    ranked = Ranked(fmt, lang) if every else None  # every decision ranked, spilled past a limit
    with contextlib.ExitStack() as stack:
        store = None
        if not no_record:  # the store (sqlalchemy) is imported only by a run that records
            from engine.audit.store import Store

            store = stack.enter_context(Store.open(db, create=True))
        recorder = None if store is None else ranked.recorder(store) if ranked else batch_recorder(store)
        bar = stack.enter_context(progress(None, "check", lang=lang, live_output=fmt == "jsonl"))
        streamed = check_files(
            setup,
            paths,
            jobs=jobs or default_jobs(),
            write=sys.stdout.buffer.write if fmt == "jsonl" else None,
            top=top if fmt in ("table", "markdown") else 0,
            record=recorder,
            advance=bar.advance,
            copy=file_copier(sys.stdout.buffer) if fmt == "jsonl" else None,
            each=ranked.add if ranked else None,
        )
    if streamed.decided == 0 and not streamed.problems:
        raise no_candidates()
    appended = combined(streamed.recorded)
    if appended is not None and store is not None:
        from engine.audit.views import recorded_line

        click.echo(recorded_line(appended, store.where, lang), err=True)
    if ranked is not None:
        streamed.problems = input_order(streamed.problems, paths)
        ranked.emit(ruleset, position_id, as_of, streamed.problems)
    if streamed.top is not None:
        emit(
            Report(data={}, tables=[Table(streamed.top.rows(label("rank", lang)), headers=check_columns(lang))]),
            fmt,
            lang,
        )
        if top and streamed.decided > top:
            click.echo(
                f"showing the best {top} of {streamed.decided} by rank (--top); --format jsonl gives every decision",
                err=True,
            )
    click.echo(summary_text(streamed.counts, position_id, as_of, lang), err=True)
    report_problems(streamed.problems, lang)
    return exit_for(streamed.problems)
