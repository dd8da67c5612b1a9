"""`layak audit export`: every record with its chain hashes, for an external auditor."""

from __future__ import annotations

from pathlib import Path

import click

from engine.audit import views
from engine.audit.export import csv_lines, jsonl_lines
from engine.audit.store import Store
from engine.errors import ExitCode
from engine.present.progress import counted, progress


def run(db: str | None, fmt: str, redact: bool, salt: str | None, output: Path | None) -> ExitCode:
    if salt is not None and not redact:
        raise click.UsageError("--salt is only used with --redact")
    if redact and salt is None:
        salt = views.new_salt()
        click.echo(f"salt: {salt} (keep it to link pseudonyms to people; it is not needed to verify)", err=True)
    # One consistent read, whatever is recorded meanwhile; records streamed from the store to the file.
    with (
        Store.open(db, read_only=True) as store,
        store.snapshot(),
        progress(store.count(), "export", live_output=output is None) as bar,
    ):
        rows = counted(store.rows(), bar)
        lines = (
            jsonl_lines(rows, store.ruleset_bodies(), salt if redact else None)
            if fmt == "jsonl"
            else csv_lines(rows, salt if redact else None)
        )
        with click.open_file(str(output) if output else "-", "w", encoding="utf-8") as sink:
            for line in lines:
                sink.write(line + "\n")
    return ExitCode.OK
