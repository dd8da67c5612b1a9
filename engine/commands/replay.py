"""`layak replay`: re-decide recorded decisions from what was recorded; exits 1 when any differs."""

from __future__ import annotations

import click

from engine.audit import views
from engine.audit.recorder import record_replays
from engine.audit.replay import replay
from engine.audit.store import Store
from engine.errors import ExitCode
from engine.present.render import Report, Table, emit


def run(
    decision_id: str | None, all_: bool, record: bool, db: str | None, actor: str | None, fmt: str, lang: str
) -> ExitCode:
    if (decision_id is None) == (not all_):
        raise click.UsageError("give one decision id, or --all")
    with Store.open(db, create=False) as store:
        with store.snapshot():  # one consistent read, whatever is recorded meanwhile
            rows = [store.find(decision_id)] if decision_id else store.rows()
            items = list(replay(rows, store.ruleset_body))
        appended = record_replays(store, items, actor=actor) if record else None
    emit(
        Report(
            data=[views.replay_json(item) for item in items],
            tables=[Table([row for item in items for row in views.replay_rows(item, lang)])],
        ),
        fmt,
        lang,
    )
    click.echo(views.replay_summary(items, lang), err=True)
    if appended is not None:
        click.echo(views.recorded_line(appended, store.where, lang), err=True)
    return ExitCode.OK if all(item.identical for item in items) else ExitCode.FINDINGS
