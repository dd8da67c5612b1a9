"""The `layak` command line: parse options, call the engine, render, exit with a documented code."""

from __future__ import annotations

import datetime as dt
import os
import traceback
from enum import IntEnum
from importlib import resources
from pathlib import Path
from typing import Any

import click

from engine import __version__
from engine.candidate import Candidate
from engine.check import CheckRun, check, select_position
from engine.derive import derive
from engine.errors import InputError, LayakError, Problem
from engine.intake import load_candidates
from engine.render import FORMATS, rows_text, to_json
from engine.rulefile import RuleFile
from engine.rules import Library, content_hash, load_library
from engine.views import (
    check_json,
    check_rows,
    decision_json,
    explain_header,
    explain_rows,
    fact_list_rows,
    fact_rows,
    facts_json,
    positions_json,
    positions_rows,
    problems_json,
    summary_line,
)


class ExitCode(IntEnum):
    OK = 0  # an answer was produced, whatever the verdicts
    USAGE = 2  # bad options or arguments
    INVALID_INPUT = 3  # a rule or candidate file is invalid (valid ones are still decided)
    INTERNAL = 4  # a bug in layak; --debug shows the traceback


EXIT_CODES_HELP = """\b
Exit codes:
  0  an answer was produced (whatever the verdicts)
  2  usage error (unknown option, bad date, missing argument)
  3  invalid input: a rule or candidate file has problems (listed on stderr)
  4  internal error in layak (run with --debug for the traceback)"""


class LayakGroup(click.Group):
    """Maps our errors to exit codes: never a traceback for bad input."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except LayakError as error:
            _report(error)
            ctx.exit(ExitCode.INTERNAL if error.exit_code == ExitCode.INTERNAL else ExitCode.INVALID_INPUT)
        except Exception as error:  # a bug: say so plainly, keep the traceback behind --debug
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            click.echo(f"Error: internal error: {type(error).__name__}: {error}", err=True)
            click.echo("This is a bug in layak; run again with --debug and report the traceback.", err=True)
            ctx.exit(ExitCode.INTERNAL)


def _report(error: LayakError) -> None:
    problems = error.problems if isinstance(error, InputError) else []
    if not problems:
        click.echo(f"Error: {error.code}: {error}", err=True)
        return
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)
    files = {p.file for p in problems if p.file}
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    click.echo(f"{count} in {len(files)} file{'s' if len(files) != 1 else ''}" if files else count, err=True)


def default_rules() -> Path:
    """rules/ beside this checkout, else the rule pack installed with layak."""
    env = os.environ.get("LAYAK_RULES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent / "rules"
    if here.is_dir():
        return here
    return Path(str(resources.files("layak_rules")))


def _date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date like 2026-12-01, got {value!r}") from None


rules_option = click.option("--rules", "rules_dir", type=click.Path(path_type=Path), default=None,
                            help="Rules directory [default: rules/ of the checkout, else the bundled pack; "
                                 "env LAYAK_RULES].")
ruleset_option = click.option("--ruleset", "ruleset_id", default=None,
                              help="Ruleset id (needed only when several base rulesets or an overlay is wanted).")
as_of_option = click.option("--as-of", "as_of", callback=_date, default=None, metavar="YYYY-MM-DD",
                            help="Date the facts and the rules in force are taken at [default: today].")
format_option = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                             help="table for people, json for programs, csv for spreadsheets, markdown for reports.")
lang_option = click.option("--lang", type=click.Choice(["en", "id"]), default="en", show_default=True,
                           help="Language of labels and requirement texts.")
position_option = click.option("--position", "position_id", required=True, metavar="ID",
                               help="Position class, e.g. administrator (see `layak positions`).")


def _library(rules_dir: Path | None) -> Library:
    return load_library(rules_dir or default_rules())


def _emit_problems(problems: list[Problem]) -> None:
    if problems:
        _report(InputError(problems))


@click.group(cls=LayakGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="layak")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """layak: decide and explain promotion eligibility of civil servants from declarative rules."""
    ctx.obj = {"debug": debug}


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@position_option
@rules_option
@ruleset_option
@as_of_option
@format_option
@lang_option
@click.option("--engine", "backend", type=click.Choice(["durable", "reference"]), default="durable",
              show_default=True, help="durable-rules, or the pure-Python reference evaluator (same semantics).")
@click.pass_context
def check_cmd(ctx: click.Context, paths: tuple[Path, ...], position_id: str, rules_dir: Path | None,
              ruleset_id: str | None, as_of: dt.date, fmt: str, lang: str, backend: str) -> None:
    """Rank every candidate in PATHS (files or directories) for one position.

    \b
    Example:
        layak check fixtures/candidates --position administrator --as-of 2026-12-01
    """
    library = _library(rules_dir)
    candidates, problems = load_candidates(list(paths))
    if not candidates and not problems:
        raise InputError([Problem(code="no_candidates", message="no candidate files found",
                                  hint="give YAML or JSON files, or directories holding them")])
    run: CheckRun = check(library, position_id, candidates, as_of, ruleset_id,
                          backend="reference" if backend == "reference" else "durable")
    run.problems[:0] = problems
    if fmt == "json":
        click.echo(to_json(check_json(run, lang)))
    else:
        click.echo(rows_text(check_rows(run, lang), fmt))
    click.echo(summary_line(run, lang), err=True)
    _emit_problems(run.problems)
    ctx.exit(ExitCode.INVALID_INPUT if run.problems else ExitCode.OK)


cli.add_command(check_cmd, name="check")


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("path", type=click.Path(path_type=Path))
@position_option
@rules_option
@ruleset_option
@as_of_option
@format_option
@lang_option
def explain(path: Path, position_id: str, rules_dir: Path | None, ruleset_id: str | None, as_of: dt.date,
            fmt: str, lang: str) -> None:
    """Every requirement of a position for one candidate: status, has, needs, gap, basis.

    \b
    Example:
        layak explain fixtures/candidates/siti-rahma.yaml --position administrator --lang id
    """
    library = _library(rules_dir)
    candidates, problems = load_candidates([path])
    if problems:
        raise InputError(problems)
    if len(candidates) != 1:
        raise click.UsageError("explain takes exactly one candidate file")
    run = check(library, position_id, candidates, as_of, ruleset_id)
    if run.problems:
        raise InputError(run.problems)
    decision = run.decisions[0]
    if fmt == "json":
        click.echo(to_json(decision_json(decision, lang, facts=True)))
    elif fmt == "table":
        click.echo(explain_header(decision, lang))
        click.echo(rows_text(explain_rows(decision, lang), fmt))
    else:
        click.echo(rows_text(explain_rows(decision, lang), fmt))


@cli.command(epilog=EXIT_CODES_HELP)
@rules_option
@ruleset_option
@as_of_option
@format_option
@lang_option
@click.option("--position", "position_id", default=None, metavar="ID", help="Show one position class only.")
def positions(rules_dir: Path | None, ruleset_id: str | None, as_of: dt.date, fmt: str, lang: str,
              position_id: str | None) -> None:
    """Position classes of the rulesets in force, with every requirement and its legal basis."""
    library = _library(rules_dir)
    if position_id:
        rulesets = [library.for_position(position_id, ruleset_id, as_of)]
        rulesets = [r.model_copy(update={"positions": (select_position(r, position_id),)}) for r in rulesets]
    elif ruleset_id:
        rulesets = [library.resolve(ruleset_id, as_of)]
    else:
        rulesets = library.in_force_bases(as_of)
    if fmt == "json":
        click.echo(to_json([positions_json(r, content_hash(r), lang) for r in rulesets]))
    else:
        click.echo(rows_text([row for r in rulesets for row in positions_rows(r, lang)], fmt))


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--list", "list_", is_flag=True, help="Print the fact vocabulary rules may use.")
@as_of_option
@format_option
@lang_option
def facts(path: Path | None, list_: bool, as_of: dt.date, fmt: str, lang: str) -> None:
    """The fact vocabulary (--list), or the facts derived from one candidate file (PATH)."""
    if list_ == (path is not None):
        raise click.UsageError("give either --list or one candidate file")
    if path is None:
        rows = fact_list_rows(lang)
        click.echo(to_json(rows) if fmt == "json" else rows_text(rows, fmt))
        return
    candidates, problems = load_candidates([path])
    if problems:
        raise InputError(problems)
    derived = derive(candidates[0].candidate, as_of)
    if fmt == "json":
        click.echo(to_json(facts_json(derived, lang)))
    else:
        click.echo(rows_text(fact_rows(derived, lang), fmt))


@cli.command()
@click.argument("kind", type=click.Choice(["candidate", "rules"]))
def schema(kind: str) -> None:
    """JSON Schema of candidate files or rule files, for editors to validate as you type."""
    model = Candidate if kind == "candidate" else RuleFile
    click.echo(to_json(model.model_json_schema()))


def main() -> None:
    # Exit codes are ours; click's own usage errors already exit 2.
    cli.main(prog_name="layak")


if __name__ == "__main__":
    main()


__all__ = ["ExitCode", "cli", "main", "problems_json"]
