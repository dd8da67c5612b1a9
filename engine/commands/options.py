"""The machinery cli.py wires commands with: shared options, exit-code handling, running a command lazily.

Imports only click and the standard library: `layak --help` and `--version` must not load the engine.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

# Kept here (not imported from engine.present / engine.tools) so that building the options imports no engine code.
FORMATS = ("table", "json", "csv", "markdown")
HORIZON_YEARS = 10
EXIT_CODES_HELP = """\b
Exit codes:
  0    an answer was produced (whatever the verdicts)
  1    findings: replay differences, audit damage, verdict changes in diff, failed test
       cases or short coverage, lint warnings with --strict
  2    usage error (unknown option, bad date, missing argument)
  3    invalid input: a rule, candidate or case file has problems (listed on stderr),
       no input was found, or the audit store or an export cannot be read
  4    internal error in layak (run with --debug for the traceback)
  141  stdout was closed early (e.g. `| head`): output stops quietly"""


class LayakGroup(click.Group):
    """Maps our errors to exit codes (never a traceback for bad input) and accepts --debug anywhere."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None:  # the root: --debug may come anywhere before a `--`
            end = args.index("--") if "--" in args else len(args)
            if "--debug" in args[:end]:
                args = ["--debug", *[a for a in args[:end] if a != "--debug"], *args[end:]]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            closed_pipe()
        except Exception as error:
            from engine.errors import ExitCode, LayakError

            if isinstance(error, LayakError):
                report(error)
                ctx.exit(error.exit_code)
            if (ctx.obj or {}).get("debug"):  # a bug: say so plainly, keep the traceback behind --debug
                import traceback

                traceback.print_exc()
            click.echo(f"Error: internal error: {type(error).__name__}: {error}", err=True)
            click.echo("This is a bug in layak; run again with --debug and report the traceback.", err=True)
            ctx.exit(ExitCode.INTERNAL)


def closed_pipe() -> None:
    """The reader went away: stop writing, say nothing, exit like a program ended by SIGPIPE."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # Python's own flush at exit must not fail again
    sys.exit(141)


def report(error: Exception) -> None:
    from engine.commands.common import report_error

    report_error(error)


def parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date like 2026-12-01, got {value!r}") from None


def optional_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    return None if value is None else parse_date(ctx, param, value)


def run(command: str, **options: Any) -> None:
    """Import engine/commands/<command>.py now (not at startup), run it, exit with the code it returns."""
    module = importlib.import_module(f"engine.commands.{command}")
    sys.exit(int(module.run(**options)))


ruleset_option = click.option(
    "--ruleset",
    "ruleset_id",
    default=None,
    help="Ruleset id (needed only when several base rulesets or an overlay is wanted).",
)
as_of_option = click.option(
    "--as-of",
    "as_of",
    callback=parse_date,
    default=None,
    metavar="YYYY-MM-DD",
    help="Date the facts and the rules in force are taken at [default: today].",
)
optional_as_of_option = click.option(
    "--as-of",
    "as_of",
    callback=optional_date,
    default=None,
    metavar="YYYY-MM-DD",
    help="Date the facts and the rules in force are taken at [default: today; with --facts, the table's date].",
)
facts_option = click.option(
    "--facts",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    metavar="FILE",
    help="Facts table written by `layak facts DIR --out FILE`; evaluated by the columnar backend.",
)
cross_check_option = click.option(
    "--cross-check",
    "cross_check",
    type=click.FloatRange(0, 100),
    default=1.0,
    show_default=True,
    metavar="PCT",
    help="Percent of the columnar decisions re-decided on durable-rules (any difference stops the run).",
)


def sweep_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """`layak sweep`'s --position, --requirement and --values."""
    for option in reversed(
        [
            click.option(
                "--position",
                "position_id",
                required=True,
                metavar="ID",
                help="Position class whose threshold is swept.",
            ),
            click.option(
                "--requirement",
                required=True,
                metavar="ID",
                help="The check whose threshold takes each value (e.g. experience-pengawas).",
            ),
            click.option(
                "--values",
                required=True,
                metavar="V1,V2,...",
                help="Threshold values to try, written as in a rule file (3y, 80, IV/a, true), comma-separated.",
            ),
        ]
    ):
        f = option(f)
    return f


seed_option = click.option(
    "--seed", type=int, default=None, help="Seed of the cross-check sample [default: random, printed on stderr]."
)
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table for people, json for programs, csv for spreadsheets, markdown for reports.",
)
replay_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice([*FORMATS, "jsonl"]),
    default="table",
    show_default=True,
    help="table for people, json for programs, csv for spreadsheets, markdown for reports; jsonl streams one "
    "result per line as it is replayed (memory stays flat over the whole log).",
)
lang_option = click.option(
    "--lang",
    type=click.Choice(["en", "id"]),
    default="en",
    show_default=True,
    help="Language of labels and requirement texts.",
)
db_option = click.option(
    "--db",
    default=None,
    metavar="PATH|URL",
    help="Audit store: a SQLite file or a postgresql:// URL [default: env LAYAK_DB, else "
    "$XDG_DATA_HOME/layak/audit.db, i.e. ~/.local/share/layak/audit.db].",
)
actor_option = click.option(
    "--actor", default=None, metavar="NAME", help="Who is recorded as having run this [default: the OS user]."
)
engine_option = click.option(
    "--engine",
    "backend",
    type=click.Choice(["durable", "reference"]),
    default="durable",
    show_default=True,
    help="durable-rules, or the pure-Python reference evaluator (same semantics).",
)


class LazyHelp(click.Command):
    """A command whose long help lives with its body, imported only for its own --help."""

    def __init__(self, *args: Any, help_from: str, **kwargs: Any) -> None:
        self.help_from = help_from
        super().__init__(*args, **kwargs)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        module, attribute = self.help_from.split(":")
        self.help = getattr(importlib.import_module(module), attribute)
        super().format_help_text(ctx, formatter)


def command(group: click.Group, name: str | None = None, **kwargs: Any) -> Callable[[Callable[..., Any]], Any]:
    return group.command(name, epilog=EXIT_CODES_HELP, **kwargs)


# The checkout this file lives in (engine/commands/ → the repository root): its rules/ is the default.
CHECKOUT = Path(__file__).resolve().parents[2]


def default_rules() -> Path:
    """rules/ beside this checkout, else the rule pack installed with layak."""
    env = os.environ.get("LAYAK_RULES")
    if env:
        return Path(env)
    here = CHECKOUT / "rules"
    if here.is_dir():
        return here
    from importlib import resources

    return Path(str(resources.files("layak_rules")))


def _rules(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path:
    return value or default_rules()


def position_ids(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of --position: the position classes of the rules named on the line (or the default)."""
    from click.shell_completion import CompletionItem

    from engine.commands.meta import position_ids

    rules = ctx.params.get("rules_dir") or ctx.params.get("base")
    return [CompletionItem(p) for p in position_ids(rules or default_rules()) if p.startswith(incomplete)]


def version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from engine.commands.meta import version_lines

    click.echo("\n".join(version_lines(default_rules())))
    ctx.exit(0)


position_option = click.option(
    "--position",
    "position_id",
    required=True,
    metavar="ID",
    shell_complete=position_ids,
    help="Position class, e.g. administrator (see `layak positions`).",
)
rules_option = click.option(
    "--rules",
    "rules_dir",
    type=click.Path(path_type=Path),
    default=None,
    callback=_rules,
    help="Rules directory [default: rules/ of the checkout, else the bundled pack; env LAYAK_RULES].",
)
