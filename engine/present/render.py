"""The one output path: a command's Report written as table, JSON, CSV or Markdown (the only user of tabulate)."""

from __future__ import annotations

import csv
import io
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

import click
import orjson

from engine.present.i18n import label

FORMATS = ("table", "json", "csv", "markdown")
WIDTH = 100  # a terminal tables must fit without wrapping lines
SHOWN_ITEMS = 3  # a list cell shows this many items in a table ("+2 more"); Markdown and CSV list them all
TREE = "└ "
MIN_WRAP = 8
_HYPHEN = re.compile(r"(?<=\w-)(?=\w)")
_PATHLIKE = re.compile(r"[/.\[]")
MAX_WORD = 30  # in prose, a longer word (a long pattern) may be broken

# A cell: a plain value, or a list of items (joined with "; ", shortened in tables).
Cell = str | int | float | Decimal | None | list[str]


@dataclass
class Table:
    """Rows sharing one set of columns. A row may carry `_depth` (requirement tree nesting, drawn with └ in
    tables and Markdown) and `_path` (the plain value of the first column in CSV, e.g. `experience/pengawas`)."""

    rows: list[dict[str, Any]]
    title: str = ""
    headers: list[str] | None = None

    def columns(self) -> list[str]:
        if self.headers is not None:
            return list(self.headers)
        return [k for k in (self.rows[0] if self.rows else {}) if not k.startswith("_")]


@dataclass
class Report:
    """What a command prints: `data` is the JSON document; the rest is what people read.

    `header` (label, value) pairs come first in every text format (CSV: a two-column block); `tables` follow,
    then `lines` (sentences; table and Markdown only, as CSV holds cells only)."""

    data: Any
    header: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(document: Any) -> str:
    """Stable JSON: sorted keys, ISO dates, two-space indent."""
    return orjson.dumps(
        document, default=_default, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
    ).decode()


def emit(report: Report, fmt: str, lang: str) -> None:
    """Write the report to stdout in one of FORMATS."""
    click.echo(render(report, fmt, lang))


def render(report: Report, fmt: str, lang: str) -> str:
    if fmt == "json":
        return to_json(report.data)
    if fmt == "csv":
        blocks = (
            [_csv([{"field": k, "value": v} for k, v in report.header], ["field", "value"])] if report.header else []
        )
        blocks += [_csv([_plain_row(r, t.columns()) for r in t.rows], t.columns()) for t in report.tables]
        return "\n\n".join(blocks)
    parts: list[str] = []
    if report.header:
        parts.append(
            "\n".join(
                f"- **{k}**: {v}" if fmt == "markdown" else textwrap.fill(f"{k}: {v}", WIDTH) for k, v in report.header
            )
        )
    for table in report.tables:
        text = _text_table(table, fmt, lang)
        if table.title:
            text = (
                f"**{table.title}**\n\n" if fmt == "markdown" else textwrap.fill(f"{table.title}:", WIDTH) + "\n"
            ) + text
        parts.append(text)
    if report.lines:
        parts.append(
            "\n".join(
                report.lines
                if fmt == "markdown"
                else (wrapped for line in report.lines for wrapped in textwrap.wrap(line, WIDTH))
            )
        )
    return "\n\n".join(p for p in parts if p)


def rows_text(
    rows: Sequence[Mapping[str, Any]], fmt: str, *, headers: Sequence[str] | None = None, lang: str = "en"
) -> str:
    """Rows as a table, CSV or Markdown (one table, no header)."""
    return render(
        Report(data=list(rows), tables=[Table(list(map(dict, rows)), headers=list(headers or []) or None)]), fmt, lang
    )


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_plain(v) for v in value)
    return str(value)


def _plain_row(row: Mapping[str, Any], keys: list[str]) -> dict[str, str]:
    out = {k: _plain(row.get(k)) for k in keys}
    if "_path" in row and keys:
        out[keys[0]] = str(row["_path"])
    return out


def _csv(rows: list[dict[str, str]], keys: list[str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=keys, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().rstrip("\n")


def _shown(value: Any, fmt: str, lang: str) -> str:
    if isinstance(value, list):
        items = [str(v) for v in value]
        if fmt == "table" and len(items) > SHOWN_ITEMS:
            more = label("more", lang, n=len(items) - SHOWN_ITEMS)
            return ", ".join(items[:SHOWN_ITEMS]) + f" {more}"
        return ", ".join(items)
    return "" if value is None else str(value)


def text_cells(rows: Iterable[Mapping[str, Any]], keys: list[str], fmt: str, lang: str) -> list[list[str]]:
    """Rows as the text of their cells, as a table or Markdown shows them."""
    cells: list[list[str]] = []
    for row in rows:
        line = [_shown(row.get(k), fmt, lang) for k in keys]
        depth = int(row.get("_depth", 0))
        if depth and line:
            line[0] = "  " * (depth - 1) + TREE + line[0]
        cells.append(line)
    if fmt == "markdown":
        cells = [[c.replace("|", "\\|").replace("\n", " ") for c in line] for line in cells]
    return cells


def tabulated(keys: list[str], cells: list[list[str]], fmt: str, widths: list[int | None] | None) -> str:
    """Cells under ``keys`` by tabulate: Markdown, or a table whose columns wrap at ``widths``."""
    from tabulate import tabulate  # only a table or Markdown needs it, not JSON, CSV or JSON lines

    if fmt == "markdown":
        return tabulate(cells, headers=keys, tablefmt="github", disable_numparse=True)
    widths = widths or [None] * len(keys)
    headers = [None if w is None else w - 2 for w in widths]  # tabulate adds two to a header's width
    # The stubs leave out None (no limit) as an item of maxheadercolwidths, which tabulate accepts.
    header_widths = cast("list[int]", headers)
    return tabulate(
        cells,
        headers=keys,
        tablefmt="simple",
        disable_numparse=True,
        maxcolwidths=widths,
        maxheadercolwidths=header_widths,
    )


def _text_table(table: Table, fmt: str, lang: str) -> str:
    keys = table.columns()
    cells = text_cells(table.rows, keys, fmt, lang)
    return tabulated(keys, cells, fmt, None if fmt == "markdown" else fit(keys, column_stats(keys, cells)))


# Per column: natural width, whether any cell is prose, the floor if it is not, the floor if it is.
Stats = list[tuple[int, bool, int, int]]


def column_stats(keys: list[str], cells: list[list[str]]) -> Stats:
    """What ``fit`` needs of some rows; the stats of two sets of rows combine with ``merge_stats``."""
    out = []
    for i, key in enumerate(keys):
        column = [line[i] for line in cells]
        natural = max([len(key) + 2, *(len(part) for text in column for part in text.split("\n"))])
        prose = any(len(text.split()) > 1 for text in column)
        # textwrap (tabulate's wrapper) may also break prose after a hyphen: experience-|pengawas
        header = [len(w) + 2 for w in key.split()]
        # identifiers stay whole; paths and field paths (a/b.yaml, x[0].y) may break
        tokens = [t for t in (c.strip() for c in column) if t]
        single = max([MIN_WRAP, *header, *(min(len(t), MAX_WORD) if _PATHLIKE.search(t) else len(t) for t in tokens)])
        words = [len(part) for text in column for w in text.split() for part in _HYPHEN.split(w)]
        out.append((natural, prose, single, max([MIN_WRAP, *header, *words])))
    return out


def merge_stats(a: Stats, b: Stats) -> Stats:
    return [(max(x[0], y[0]), x[1] or y[1], max(x[2], y[2]), max(x[3], y[3])) for x, y in zip(a, b, strict=True)]


def fit(keys: list[str], stats: Stats) -> list[int | None]:
    """Column widths that keep the table within WIDTH by wrapping the widest columns first, down to their
    floors; a table of many identifier columns may still be wider.

    How narrow a column may get: prose wraps between words (a word over MAX_WORD may break); a column of
    single tokens (NIPs, decision ids, SEQ:HASH heads) is never broken, except file and field paths."""
    # tabulate makes a column at least two wider than its header's longest line (its MIN_PADDING)
    natural = [s[0] for s in stats]
    floor = [min(MAX_WORD, s[3]) if s[1] else s[2] for s in stats]
    widths = list(natural)
    budget = WIDTH - 2 * (len(keys) - 1)  # "simple" puts two spaces between columns
    while sum(widths) > budget:
        open_ = [i for i in range(len(widths)) if widths[i] > floor[i]]
        if not open_:
            break
        widest = max(open_, key=lambda i: widths[i])
        second = max((widths[i] for i in open_ if i != widest), default=0)
        new = max(floor[widest], widths[widest] - (sum(widths) - budget), second)
        widths[widest] = new if new < widths[widest] else widths[widest] - 1
    return [w if w < n else None for w, n in zip(widths, natural, strict=True)]
