"""`layak diff`: whom a rule change affects; exits 1 when some verdicts change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from engine.commands.candidates import read_candidates
from engine.commands.common import exit_for, no_candidates, report_problems
from engine.errors import ExitCode
from engine.load.library import load_library
from engine.present.i18n import label
from engine.present.render import emit
from engine.present.tools_view import diff_report, diff_summary_line
from engine.tools.diff import common_positions, diff


def run(
    base: Path,
    proposed: Path,
    candidate_paths: tuple[Path, ...],
    position_ids: tuple[str, ...],
    ruleset_id: str | None,
    as_of: dt.date,
    fmt: str,
    lang: str,
    backend: str,
    report_file: Path | None = None,
    report_format: str | None = None,
) -> ExitCode:
    old, new = load_library(base), load_library(proposed)
    candidates, problems = read_candidates(list(candidate_paths))
    if not candidates and not problems:
        raise no_candidates()
    positions = list(position_ids)
    if not positions:
        positions, one_sided = common_positions(old, new, as_of, ruleset_id)
        if one_sided:
            click.echo(f"{label('not_compared', lang)}: {', '.join(one_sided)}", err=True)
    report = diff(
        old, new, positions, candidates, as_of, ruleset_id, backend="reference" if backend == "reference" else "durable"
    )
    report.problems[:0] = problems
    emit(diff_report(report, lang, str(base), str(proposed)), fmt, lang)
    click.echo(diff_summary_line(report, lang), err=True)
    if report_file is not None:
        from engine.report import dossier
        from engine.report import run as report_run

        kind = report_format or ("json" if report_file.suffix.lower() == ".json" else "html")
        data = dossier.to_bytes(dossier.build(base, proposed, old, new, report, candidates, ruleset_id, lang), kind)
        report_run.write(report_file, data)
        click.echo(f"dossier {report_file}: sha256 {dossier.sha256(data)}", err=True)
    report_problems(report.problems, lang)
    return exit_for(report.problems, findings=report.changed)
