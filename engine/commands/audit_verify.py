"""`layak audit verify`: check the whole log (or an export); exits 1 when it is damaged."""

from __future__ import annotations

from pathlib import Path

import click

from engine.audit import views
from engine.audit.store import Store
from engine.audit.verify import entry_of_row, parse_head, verify
from engine.errors import ExitCode
from engine.present.progress import counted, progress
from engine.present.render import Report, Table, emit


def run(db: str | None, expect_head: str | None, export_file: Path | None, fmt: str, lang: str) -> ExitCode:
    expect = parse_head(expect_head) if expect_head else None
    if export_file is not None:
        from engine.audit.export import read_export

        read, stored = read_export(export_file)
        with progress(None, "verify", lang=lang) as bar:
            report = verify(counted(read, bar), stored, expect)
    else:
        # Rulesets and records from one consistent read; records streamed, so memory stays flat.
        with (
            Store.open(db, read_only=True) as store,
            store.snapshot(),
            progress(store.count(), "verify", lang=lang) as bar,
        ):
            rulesets = store.ruleset_bodies()
            entries = (entry_of_row(row) for row in counted(store.rows(), bar))
            report = verify(entries, rulesets, expect, duplicates=store.duplicate_ids())
    emit(Report(data=views.verify_json(report, lang), tables=[Table(views.verify_rows(report, lang))]), fmt, lang)
    click.echo(views.verify_summary(report, lang), err=True)
    return ExitCode.OK if report.ok else ExitCode.FINDINGS
