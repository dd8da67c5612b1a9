"""`layak sweep`: one requirement's threshold tried at several values over a facts table."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

import click

from engine.commands.common import exit_for, report_problems
from engine.errors import ExitCode
from engine.facts.table import open_table
from engine.load.library import load_library
from engine.present.render import emit
from engine.present.table_view import cross_check_line, sweep_report
from engine.tools.sweep import CrossChecked, parse_value, sweep


def run(
    rules: Path,
    facts: Path | None,
    position_id: str,
    requirement: str,
    values: str,
    ruleset_id: str | None,
    as_of: dt.date | None,
    fmt: str,
    lang: str,
    cross_check: float,
    seed: int | None,
) -> ExitCode:
    if facts is None:
        raise click.UsageError("give the facts table to sweep over: --facts FILE (from `layak facts DIR --out FILE`)")
    written = [v.strip() for v in values.split(",") if v.strip()]
    if not written:
        raise click.UsageError("--values needs at least one value, e.g. --values 2y,3y,4y")
    table = open_table(facts, as_of)
    ruleset = load_library(rules).for_position(position_id, ruleset_id, table.as_of)
    check = CrossChecked(seed=secrets.randbelow(2**31) if seed is None else seed, percent=cross_check)
    from engine.present.progress import progress

    with progress(len(written) + 1, "sweep", lang=lang) as bar:
        parsed = [parse_value(v) for v in written]
        result = sweep(ruleset, position_id, requirement, parsed, table, check, bar.advance)
    emit(sweep_report(result, lang), fmt, lang)
    click.echo(cross_check_line(check, lang), err=True)
    report_problems(result.problems, lang)
    return exit_for(result.problems)
