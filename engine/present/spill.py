"""Long outputs kept on disk: rows (or JSON items) past a limit go to a temporary file, written out as `emit` would.

A command that prints one row per record of a long log (`replay --all`) would otherwise hold every row until
the end, since a table's column widths depend on all of its rows. Below the limit the rows stay in a list and
`emit` prints them; past it they are spilled and printed from the file chunk by chunk, byte for byte what
`emit` prints for the same rows: CSV and JSON as they are read, a table in three passes (the column
statistics that set the wrapping widths, the widths tabulate gives each chunk, then each chunk rendered with
a first row as wide as the widest chunk's, which is left out).
"""

from __future__ import annotations

import csv
import io
import itertools
import tempfile
from collections.abc import Iterator
from typing import IO, Any

import click
import orjson

from engine.present.render import (
    Report,
    Stats,
    Table,
    _default,
    _plain_row,
    column_stats,
    emit,
    fit,
    merge_stats,
    tabulated,
    text_cells,
)

SPILL_AFTER = 10_000  # rows held in memory; past that every row goes to a temporary file
CHUNK = 2_000  # rows read back and rendered at a time


class Spool:
    """Items in arrival order: in a list up to ``limit``, then all of them in a temporary file (JSON lines)."""

    def __init__(self, limit: int | None = None, chunk: int | None = None) -> None:
        self.limit = SPILL_AFTER if limit is None else limit
        self.chunk = CHUNK if chunk is None else chunk
        self.items: list[Any] = []
        self.file: IO[bytes] | None = None
        self.count = 0

    @property
    def spilled(self) -> bool:
        return self.file is not None

    def add(self, item: Any) -> None:
        self.count += 1
        if self.file is not None:
            self._write(item)
            return
        self.items.append(item)
        if len(self.items) > self.limit:
            self.file = tempfile.TemporaryFile(prefix="layak-spill-")  # noqa: SIM115 - closed by close()
            for held in self.items:
                self._write(held)
            self.items = []

    def _write(self, item: Any) -> None:
        assert self.file is not None
        self.file.write(orjson.dumps(item, default=_default) + b"\n")

    def chunks(self) -> Iterator[list[Any]]:
        """The items again, ``chunk`` at a time (read back from the file when spilled)."""
        if self.file is None:
            for start in range(0, len(self.items), self.chunk):
                yield self.items[start : start + self.chunk]
            return
        self.file.flush()
        self.file.seek(0)
        lines = iter(self.file)
        while chunk := [orjson.loads(line) for line in itertools.islice(lines, self.chunk)]:
            yield chunk

    def close(self) -> None:
        if self.file is not None:
            self.file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def emit_spooled(spool: Spool, fmt: str, lang: str) -> None:
    """What ``emit(Report(data=items, tables=[Table(items)]), fmt, lang)`` writes, without holding the items."""
    if not spool.spilled:
        emit(Report(data=spool.items, tables=[Table(spool.items)]), fmt, lang)
        return
    parts = _json(spool) if fmt == "json" else _csv(spool) if fmt == "csv" else _table(spool, fmt, lang)
    for part in parts:
        click.echo(part, nl=False)
    click.echo("")


def _json(spool: Spool) -> Iterator[str]:
    # orjson indents an item of a list by two spaces more than the item alone; its strings hold no raw newline
    option = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
    first = True
    for chunk in spool.chunks():
        items = (orjson.dumps(item, default=_default, option=option).decode() for item in chunk)
        text = ",\n".join("  " + item.replace("\n", "\n  ") for item in items)
        yield ("[\n" if first else ",\n") + text
        first = False
    yield "\n]"


def _csv(spool: Spool) -> Iterator[str]:
    keys: list[str] = []
    held = ""  # the last chunk loses its final newline, as `emit` strips it
    for chunk in spool.chunks():
        yield held
        out = io.StringIO()
        if not keys:
            keys = [k for k in chunk[0] if not k.startswith("_")]
            csv.DictWriter(out, fieldnames=keys, lineterminator="\n").writeheader()
        writer = csv.DictWriter(out, fieldnames=keys, extrasaction="ignore", lineterminator="\n")
        writer.writerows(_plain_row(r, keys) for r in chunk)
        held = out.getvalue()
    yield held.rstrip("\n")


def _table(spool: Spool, fmt: str, lang: str) -> Iterator[str]:
    keys: list[str] = []
    stats: Stats | None = None
    for chunk in spool.chunks():
        keys = keys or [k for k in chunk[0] if not k.startswith("_")]
        found = column_stats(keys, text_cells(chunk, keys, fmt, lang))
        stats = found if stats is None else merge_stats(stats, found)
    assert stats is not None
    widths = None if fmt == "markdown" else fit(keys, stats)
    # The header's lines: those above the rule under it (found with one narrow row, never wrapped).
    probe = tabulated(keys, [["x"] * len(keys)], fmt, widths).split("\n")
    above = len(probe) - 2
    # Markdown pads a cell by one space each side ("| x |"); a table puts two spaces between columns.
    pad = 2 if fmt == "markdown" else 0
    widest = [0] * len(keys)
    for chunk in spool.chunks():
        rule = tabulated(keys, text_cells(chunk, keys, fmt, lang), fmt, widths).split("\n")[above]
        groups = rule.strip("|").split("|") if fmt == "markdown" else rule.split("  ")
        widest = [max(w, len(g) - pad) for w, g in zip(widest, groups, strict=True)]
    wide = ["x" * w for w in widest]
    first = True
    for chunk in spool.chunks():
        lines = tabulated(keys, [wide, *text_cells(chunk, keys, fmt, lang)], fmt, widths).split("\n")
        body = "\n".join(lines[above + 2 :])
        yield "\n".join([*lines[: above + 1], body]) if first else "\n" + body
        first = False
