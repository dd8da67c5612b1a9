"""`layak validate`: lint a rules directory; errors exit 3 like any invalid input, warnings 1 under --strict."""

from __future__ import annotations

from pathlib import Path

import click

from engine.commands.common import exit_for
from engine.errors import ExitCode
from engine.load.library import scan
from engine.present.i18n import label
from engine.present.render import emit
from engine.present.tools_view import validate_report
from engine.tools.lint import lint
from engine.tools.lock import write_lock


def run(path: Path, strict: bool, fmt: str, lang: str, update_lock: bool = False) -> ExitCode:
    if update_lock:
        found = scan(path)
        if not found.problems:
            click.echo(f"wrote {write_lock(path, found)}", err=True)
    findings = lint(path)
    if findings or fmt == "json":
        emit(validate_report(findings, lang), fmt, lang)
    errors = [f.problem for f in findings if f.severity == "error"]
    warnings = len(findings) - len(errors)
    click.echo(f"{label('n_errors', lang, n=len(errors))}, {label('n_warnings', lang, n=warnings)}", err=True)
    return exit_for(errors, findings=strict and warnings > 0)
