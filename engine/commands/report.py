"""`layak report`: the board's printed report from recorded decisions (the document is engine/report)."""

from __future__ import annotations

from pathlib import Path

import click

from engine.errors import ExitCode
from engine.report import run as report_run
from engine.report.select import Selection, parse_range


def run(
    board: str | None,
    decision_ids: tuple[str, ...],
    seq_range: str | None,
    out_file: Path | None,
    pdf_file: Path | None,
    fmt: str,
    lang: str,
    db: str | None,
) -> ExitCode:
    if sum(x is not None and x != () for x in (board, decision_ids, seq_range)) != 1:
        raise click.UsageError("choose the decisions with one of --board, --decision or --seq")
    seq = parse_range(seq_range) if seq_range is not None else None
    if seq_range is not None and seq is None:
        raise click.BadParameter(f"expected FIRST-LAST like 12-40, got {seq_range!r}", param_hint="--seq")
    document = report_run.board(db, Selection(board=board, ids=decision_ids, seq=seq), lang)
    if out_file is not None or pdf_file is None:
        data = report_run.board_bytes(document, fmt)
        if out_file is None:
            click.echo(data.decode(), nl=False)
        else:
            report_run.write(out_file, data)
    if pdf_file is not None:
        report_run.write(pdf_file, report_run.pdf_bytes(document))
    written = ", ".join(str(p) for p in (out_file, pdf_file) if p is not None) or "stdout"
    click.echo(
        f"report of {document.total} decisions (#{document.seq_first}-#{document.seq_last}) written to "
        f"{written}; head {document.head}",
        err=True,
    )
    return ExitCode.OK
