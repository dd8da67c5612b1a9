"""`layak audit list`: the recorded decisions, filtered and paged."""

from __future__ import annotations

import datetime as dt

import click

from engine.audit import views
from engine.audit.store import Filters, Store
from engine.errors import ExitCode
from engine.present.render import Report, Table, emit


def run(
    db: str | None,
    position_id: str | None,
    since: dt.date | None,
    verdict: str | None,
    board: str | None,
    until: dt.date | None,
    nip: str | None,
    name: str | None,
    limit: int | None,
    after: int,
    fmt: str,
    lang: str,
) -> ExitCode:
    filters = Filters.of(
        position=position_id, since=since, until=until, verdict=verdict, board=board, nip=nip, name=name, limit=limit
    )
    with Store.open(db, read_only=True) as store:
        rows = list(store.rows(filters, after=after, full=False))
    more = views.list_more(rows, limit, lang)
    if more:
        click.echo(more, err=True)
    emit(
        Report(data=[views.list_json(row) for row in rows], tables=[Table([views.list_row(r, lang) for r in rows])]),
        fmt,
        lang,
    )
    return ExitCode.OK
