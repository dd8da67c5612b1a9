"""Formatting rows and documents as table, JSON, CSV or Markdown (the only user of tabulate)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import orjson
from tabulate import tabulate

FORMATS = ("table", "json", "csv", "markdown")


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_json(document: Any) -> str:
    """Stable JSON: sorted keys, ISO dates, two-space indent."""
    return orjson.dumps(document, default=_default,
                        option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS).decode()


def rows_text(rows: Sequence[Mapping[str, Any]], fmt: str, *, headers: Sequence[str] | None = None) -> str:
    """Rows (dicts sharing keys) as a table, CSV or Markdown; JSON callers use ``to_json``."""
    keys = list(headers) if headers is not None else (list(rows[0]) if rows else [])
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=keys, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().rstrip("\n")
    table = [[row.get(k, "") for k in keys] for row in rows]
    return tabulate(table, headers=keys, tablefmt="github" if fmt == "markdown" else "simple",
                    disable_numparse=True)
