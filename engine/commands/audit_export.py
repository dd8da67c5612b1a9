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
        # A file is written whole or not at all: a refused record (record_too_new) leaves no partial export.
        part = output.with_name(output.name + ".part") if output else None
        with click.open_file(str(part) if part else "-", "w", encoding="utf-8") as sink:
            try:
                for line in lines:
                    sink.write(line + "\n")
            except BaseException:
                if part is not None:
                    part.unlink(missing_ok=True)
                raise
        if part is not None and output is not None:
            part.replace(output)
    return ExitCode.OK
