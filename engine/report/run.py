"""What `layak report` and `layak diff --report` do between parsing options and writing files."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from engine.audit import location
from engine.audit.store import Store
from engine.errors import InputError, Problem
from engine.present.render import to_json
from engine.report import board as board_report
from engine.report.html import render, to_pdf
from engine.report.select import Selection, selected_rows


def board(db: str | None, selection: Selection, lang: str, *, what_if: bool = True) -> board_report.BoardReport:
    """The board report of the selected records, with the store's head read at printing time."""
    with Store.open(db, read_only=True) as store:
        rows = selected_rows(store, selection)
        head = store.head()
        return board_report.build(
            rows, store.ruleset_body, head, location.shown(store.where), selection.describe(), lang, what_if=what_if
        )


def board_json(report: board_report.BoardReport) -> dict[str, Any]:
    """The report's content as data (the charts are left out: they are drawn from these numbers)."""
    data = asdict(report)
    data.pop("unmet_svg")
    data.pop("jpm_svg")
    data["counts"] = {code: n for code, _text, n in report.counts}
    data["total"] = report.total
    data["unmet"] = [{"requirement": rid, **counts} for rid, counts in report.unmet]
    return data


def board_bytes(report: board_report.BoardReport, fmt: str) -> bytes:
    if fmt == "json":
        return (to_json(board_json(report)) + "\n").encode()
    return render("board.html.j2", report.lang, r=report).encode()


def write(path: Path, data: bytes) -> None:
    """Write a whole file (a report is never left half written)."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_bytes(data)
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise InputError(
            [
                Problem(
                    code="cannot_write",
                    file=str(path),
                    message=f"cannot write: {error.strerror}",
                    hint="check that the directory exists and is writable",
                )
            ]
        ) from None


def pdf_bytes(report: board_report.BoardReport) -> bytes:
    return to_pdf(render("board.html.j2", report.lang, r=report))
