"""`layak audit head`: the last record's sequence number and chain hash."""

from __future__ import annotations

import click

from engine.audit import views
from engine.audit.store import Store
from engine.errors import ExitCode
from engine.present.render import Report, Table, emit


def run(db: str | None, fmt: str, lang: str) -> ExitCode:
    with Store.open(db, read_only=True) as store:
        head = store.head()
    if fmt == "table":  # just SEQ:HASH, so that `--expect-head $(layak audit head)` works
        click.echo(head.token)
        return ExitCode.OK
    emit(Report(data=views.head_json(head), tables=[Table([views.head_row(head, lang)])]), fmt, lang)
    return ExitCode.OK
