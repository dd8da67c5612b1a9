"""The `layak` command line: parse options, call the engine, render, exit with a documented code."""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from enum import IntEnum
from importlib import resources
from pathlib import Path
from typing import Any

import click

from engine import __version__
from engine.audit import views as audit_views
from engine.audit.export import csv_lines, jsonl_lines, read_export
from engine.audit.recorder import record_replays, record_run
from engine.audit.replay import replay as replay_rows
from engine.audit.show import show as show_decision
from engine.audit.store import Filters, Store
from engine.audit.verify import entry_of_row, parse_head, verify
from engine.decide.pipeline import CheckRun, check, select_position
from engine.decide.record import DecisionRecord
from engine.errors import InputError, LayakError, Problem
from engine.facts.derive import derive
from engine.load.candidate import Candidate
from engine.load.intake import load_candidates
from engine.load.library import Library, content_hash, load_library
from engine.load.rulefile import RuleFile
from engine.present.decisions import (
    check_report,
    check_rows,
    decision_header,
    explain_report,
    report_json,
    requirement_rows,
    shortfall_anchors,
    summary_line,
)
from engine.present.i18n import label
from engine.present.render import FORMATS, rows_text, to_json
from engine.present.views import (
    coverage_rows,
    diff_columns,
    diff_json,
    diff_rows,
    diff_summary_line,
    diff_summary_rows,
    fact_list_rows,
    fact_rows,
    facts_json,
    finding_rows,
    positions_json,
    positions_rows,
    problems_json,
    test_json,
    test_rows,
    whatif_json,
    whatif_lines,
    whatif_rows,
)
from engine.report import dossier as change_dossier
from engine.report import run as report_run
from engine.report.select import Selection, parse_range
from engine.siasn import command as siasn_command
from engine.tools.boundaries import generate as generate_boundaries_text
from engine.tools.cases import coverage, coverage_percent, load_cases, run_case
from engine.tools.diff import common_positions, diff
from engine.tools.lint import lint
from engine.tools.whatif import HORIZON_YEARS, what_if


class ExitCode(IntEnum):
    OK = 0  # an answer was produced, whatever the verdicts
    FINDINGS = 1  # replay found differences, audit verify found damage, or diff found verdict changes
    USAGE = 2  # bad options or arguments
    INVALID_INPUT = 3  # a rule or candidate file is invalid (valid ones are still decided)
    INTERNAL = 4  # a bug in layak; --debug shows the traceback


EXIT_CODES_HELP = """\b
Exit codes:
  0  an answer was produced (whatever the verdicts)
  1  findings: replay found differences, audit verify found damage, or diff found verdict changes
  2  usage error (unknown option, bad date, missing argument)
  3  invalid input: a rule or candidate file has problems (listed on stderr),
     or the audit store or an export cannot be read
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
db_option = click.option("--db", default=None, metavar="PATH|URL",
                         help="Audit store: a SQLite file or a postgresql:// URL [default: env LAYAK_DB, else "
                              "$XDG_DATA_HOME/layak/audit.db, i.e. ~/.local/share/layak/audit.db].")
actor_option = click.option("--actor", default=None, metavar="NAME",
                            help="Who is recorded as having run this [default: the OS user].")


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


@cli.command("check", epilog=EXIT_CODES_HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@position_option
@rules_option
@ruleset_option
@as_of_option
@format_option
@lang_option
@click.option("--engine", "backend", type=click.Choice(["durable", "reference"]), default="durable",
              show_default=True, help="durable-rules, or the pure-Python reference evaluator (same semantics).")
@db_option
@click.option("--board", default=None, metavar="REF", help="Board reference recorded with the decisions, e.g. an SK.")
@actor_option
@click.option("--no-record", "no_record", is_flag=True, help="Do not record the decisions in the audit store.")
@click.pass_context
def check_cmd(ctx: click.Context, paths: tuple[Path, ...], position_id: str, rules_dir: Path | None,
              ruleset_id: str | None, as_of: dt.date, fmt: str, lang: str, backend: str, db: str | None,
              board: str | None, actor: str | None, no_record: bool) -> None:
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
    appended = None
    if not no_record and run.decisions:
        with Store.open(db, create=True) as store:
            appended = record_run(store, run, candidates, actor=actor, board=board, engine=backend)
        click.echo(audit_views.recorded_line(appended, store.where, lang), err=True)
    if fmt == "json":
        click.echo(to_json(report_json(check_report(run, lang, appended.records if appended else ()))))
    else:
        click.echo(rows_text(check_rows(run, lang), fmt))
    click.echo(summary_line(run, lang), err=True)
    _emit_problems(run.problems)
    ctx.exit(ExitCode.INVALID_INPUT if run.problems else ExitCode.OK)


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("path", type=click.Path(path_type=Path))
@position_option
@rules_option
@ruleset_option
@as_of_option
@format_option
@lang_option
@click.option("--horizon", type=click.IntRange(1, 40), default=HORIZON_YEARS, show_default=True, metavar="YEARS",
              help="How far ahead to look for the date on which time alone makes the candidate eligible.")
def explain(path: Path, position_id: str, rules_dir: Path | None, ruleset_id: str | None, as_of: dt.date,
            fmt: str, lang: str, horizon: int) -> None:
    """Every requirement of a position for one candidate: status, has, needs, gap, basis.

    Then what would make the candidate eligible: for each unmet requirement the smallest change that
    meets it, the date on which time alone meets it, and the earliest date on which the candidate is
    eligible if only time passes (facts derived again day by day, under the rules in force each day).

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
    record = DecisionRecord.of(decision)
    whatif = what_if(decision, candidates[0].candidate, library, ruleset_id, horizon)
    if fmt == "json":
        click.echo(to_json({**report_json(explain_report(record, decision.layout, lang)),
                            "what_if": whatif_json(whatif, lang)}))
        return
    if fmt == "table":
        click.echo(decision_header(record, lang))
    click.echo(rows_text(requirement_rows(decision.requirements, lang, decision.facts.anchors, decision.as_of), fmt))
    if fmt in ("table", "markdown"):  # CSV stays one table
        click.echo(f"\n{label('what_if', lang)}:\n" if fmt == "table" else f"\n**{label('what_if', lang)}**\n")
        if whatif.changes:
            click.echo(rows_text(whatif_rows(whatif, lang), fmt) + "\n")
        click.echo("\n".join(whatif_lines(whatif, lang)))


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


@cli.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Warnings fail the run too.")
@format_option
def validate(path: Path | None, strict: bool, fmt: str) -> None:
    """Lint a rules directory: errors with file:line first, then warnings.

    \b
    Errors: anything that stops the rules from loading (schema, unknown facts, types, duplicate ids,
    missing citations or translations, thresholds out of range, overlapping or gapped versions) and
    contradictions. Warnings: requirements that can never pass or never fail, and a higher class
    asking less than the class below it.

    \b
    Exit codes: 0 clean (warnings allowed unless --strict), 1 errors (or warnings with --strict),
    2 usage error.
    """
    findings = lint(path or default_rules())
    rows = finding_rows(findings)
    if fmt == "json":
        click.echo(to_json(rows))
    elif rows:
        click.echo(rows_text(rows, fmt))
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    click.echo(f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}",
               err=True)
    if errors or (strict and warnings):
        sys.exit(1)


@cli.command("test")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path), default=None,
              help="Rules the cases run against [default: PATH, else the default rules].")
@click.option("--min-coverage", type=click.FloatRange(0, 100), default=None,
              help="Fail (exit 1) when fewer than N % of requirement sides (pass and fail) are exercised.")
@click.option("--generate-boundaries", is_flag=True,
              help="Print cases just below, at and just above each threshold (YAML, for review) instead.")
@click.option("--coverage", "show_coverage", is_flag=True, help="List coverage per requirement.")
@format_option
def test_cmd(path: Path | None, rules_dir: Path | None, min_coverage: float | None, generate_boundaries: bool,
             show_coverage: bool, fmt: str) -> None:
    """Run every *.cases.yaml under PATH (default: the rules directory) against the rules.

    \b
    Example:
        layak test rules/ --min-coverage 100
        layak test rules/ --generate-boundaries > new.cases.yaml

    \b
    Exit codes: 0 every case passed (and coverage reached), 1 a case failed or coverage is short,
    2 usage error, 3 invalid rules or case files.
    """
    root = path or default_rules()
    library = load_library(rules_dir or (root if root.is_dir() else default_rules()))
    cases = load_cases(root)
    if generate_boundaries:
        click.echo(generate_boundaries_text(library, cases, Path.cwd()), nl=False)
        return
    results = [run_case(library, case) for case in cases]
    table = coverage(library, results)
    percent = coverage_percent(table)
    if fmt == "json":
        click.echo(to_json(test_json(results, table, percent)))
    else:
        click.echo(rows_text(test_rows(results), fmt))
        if show_coverage:
            click.echo(rows_text(coverage_rows(table), fmt))
    failed = sum(1 for r in results if not r.passed)
    click.echo(f"{'PASS' if not failed else 'FAIL'}: {len(results) - failed}/{len(results)} cases; "
               f"coverage {percent:.1f}% of requirement sides", err=True)
    if failed or (min_coverage is not None and percent < min_coverage):
        sys.exit(1)


def _optional_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    return None if value is None else _date(ctx, param, value)


@cli.group(epilog=EXIT_CODES_HELP)
def audit() -> None:
    """The audit trail: every decision `check` recorded, tamper-evident (see also `layak replay`)."""


@audit.command("list", epilog=EXIT_CODES_HELP)
@db_option
@click.option("--position", "position_id", default=None, metavar="ID", help="Only decisions for this position.")
@click.option("--since", callback=_optional_date, default=None, metavar="YYYY-MM-DD",
              help="Only decisions recorded on or after this date (UTC).")
@click.option("--verdict", type=click.Choice(["eligible", "needs_review", "not_eligible"]), default=None,
              help="Only decisions with this verdict.")
@click.option("--board", default=None, metavar="REF", help="Only decisions recorded with this board reference.")
@click.option("--until", callback=_optional_date, default=None, metavar="YYYY-MM-DD",
              help="Only decisions recorded on or before this date (UTC).")
@click.option("--nip", default=None, metavar="NIP", help="Only decisions about this NIP.")
@click.option("--name", default=None, metavar="TEXT", help="Only candidates whose name contains TEXT (any case).")
@click.option("--limit", type=click.IntRange(1), default=None, metavar="N", help="At most N records.")
@click.option("--after", type=click.IntRange(0), default=0, metavar="SEQ",
              help="Only records after sequence number SEQ (the next page: the last SEQ shown).")
@format_option
@lang_option
def audit_list(db: str | None, position_id: str | None, since: dt.date | None, verdict: str | None,
               board: str | None, until: dt.date | None, nip: str | None, name: str | None, limit: int | None,
               after: int, fmt: str, lang: str) -> None:
    """Recorded decisions in order: number, id, when, as-of date, position, candidate, verdict, board, who.

    \b
    Example:
        layak audit list --position administrator --since 2026-01-01
        layak audit list --name siti --limit 20 --after 40
    """
    filters = Filters.of(position=position_id, since=since, until=until, verdict=verdict, board=board, nip=nip,
                         name=name, limit=limit)
    with Store.open(db) as store:
        rows = list(store.rows(filters, after=after, full=False))
    if audit_views.list_more(rows, limit, lang):
        click.echo(audit_views.list_more(rows, limit, lang), err=True)
    if fmt == "json":
        click.echo(to_json([audit_views.list_json(row) for row in rows]))
    else:
        click.echo(rows_text([audit_views.list_row(row, lang) for row in rows], fmt))


@audit.command("show", epilog=EXIT_CODES_HELP)
@click.argument("decision_id")
@db_option
@format_option
@lang_option
def audit_show(decision_id: str, db: str | None, fmt: str, lang: str) -> None:
    """One recorded decision as recorded: who, when, board, ruleset hash, every requirement, the facts.

    DECISION_ID is the id from `layak audit list`, a unique prefix of it (6 characters or more), or the
    record's sequence number (#12 or 12). Shown with the same columns as `layak explain`.
    """
    with Store.open(db) as store:
        shown = show_decision(store, decision_id)
    if fmt == "json":
        click.echo(to_json(audit_views.show_json(shown, lang)))
        return
    outcomes = shown.outcomes()
    if fmt == "table":
        click.echo(audit_views.show_header(shown, lang))
    anchors = shortfall_anchors(shown.record, shown.decision.as_of)
    click.echo(rows_text(requirement_rows(outcomes, lang, anchors, shown.decision.as_of), fmt))


@audit.command("verify", epilog=EXIT_CODES_HELP)
@db_option
@click.option("--expect-head", default=None, metavar="SEQ:HASH",
              help="A head written down earlier (`layak audit head`): also detects truncation after it.")
@click.option("--export", "export_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Verify an export file (JSON Lines or CSV from `layak audit export`) instead of the store.")
@format_option
@lang_option
@click.pass_context
def audit_verify(ctx: click.Context, db: str | None, expect_head: str | None, export_file: Path | None, fmt: str,
                 lang: str) -> None:
    """Check the whole log: sequence without gaps, every chain hash, every record, every stored ruleset.

    Names the first bad record and exits 1 when a record was changed, deleted, moved or inserted, or
    (with --expect-head) when records after a known head were removed.

    \b
    Example:
        layak audit verify --expect-head 812:9f2c...
        layak audit verify --export audit.jsonl
    """
    expect = parse_head(expect_head) if expect_head else None
    if export_file is not None:
        entries, rulesets = read_export(export_file)
        report = verify(entries, rulesets, expect)
    else:
        with Store.open(db) as store:
            report = verify((entry_of_row(row) for row in store.rows()), store.ruleset_bodies(), expect)
    if fmt == "json":
        click.echo(to_json(audit_views.verify_json(report, lang)))
    else:
        click.echo(rows_text(audit_views.verify_rows(report, lang), fmt))
    click.echo(audit_views.verify_summary(report, lang), err=True)
    ctx.exit(ExitCode.OK if report.ok else ExitCode.FINDINGS)


@audit.command("head", epilog=EXIT_CODES_HELP)
@db_option
@format_option
@lang_option
def audit_head(db: str | None, fmt: str, lang: str) -> None:
    """The last record's sequence number and chain hash, as SEQ:HASH: write it into the board's minutes."""
    with Store.open(db) as store:
        head = store.head()
    if fmt == "json":
        click.echo(to_json(audit_views.head_json(head)))
    elif fmt == "table":  # just SEQ:HASH, so that `--expect-head $(layak audit head)` works
        click.echo(head.token)
    else:
        click.echo(rows_text([audit_views.head_row(head, lang)], fmt))


@audit.command("export", epilog=EXIT_CODES_HELP)
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True,
              help="jsonl: rulesets and records, verifiable; csv: one row per record, for spreadsheets.")
@click.option("--redact", is_flag=True, help="Replace names, NIPs and file paths by salted hashes (pseudonyms).")
@click.option("--salt", default=None, help="Salt of the pseudonyms [default: a random one, printed on stderr].")
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to this file instead of stdout.")
def audit_export(db: str | None, fmt: str, redact: bool, salt: str | None, output: Path | None) -> None:
    """Every record with its chain hashes, for an external auditor; verify with `layak audit verify --export`.

    \b
    Example:
        layak audit export --format jsonl --redact -o audit.jsonl
    """
    if salt is not None and not redact:
        raise click.UsageError("--salt is only used with --redact")
    if redact and salt is None:
        salt = audit_views.new_salt()
        click.echo(f"salt: {salt} (keep it to link pseudonyms to people; it is not needed to verify)", err=True)
    with Store.open(db) as store:
        rows = store.rows()
        lines = jsonl_lines(rows, store.ruleset_bodies(), salt if redact else None) if fmt == "jsonl" else \
            csv_lines(rows, salt if redact else None)
        with click.open_file(str(output) if output else "-", "w", encoding="utf-8") as sink:
            for line in lines:
                sink.write(line + "\n")


@cli.command("replay", epilog=EXIT_CODES_HELP)
@click.argument("decision_id", required=False)
@click.option("--all", "all_", is_flag=True, help="Replay every recorded decision.")
@click.option("--record", is_flag=True, help="Also record the replayed decisions (each pointing at the original).")
@db_option
@actor_option
@format_option
@lang_option
@click.pass_context
def replay_cmd(ctx: click.Context, decision_id: str | None, all_: bool, record: bool, db: str | None,
               actor: str | None, fmt: str, lang: str) -> None:
    """Re-decide recorded decisions from their stored ruleset, candidate snapshot and as-of date.

    Prints IDENTICAL, or every difference requirement by requirement, and exits 1 if any differs.
    Today's rule files are not read. Nothing is written unless --record is given.

    \b
    Example:
        layak replay 01JD8X3Q6V2M4T...
        layak replay --all
    """
    if (decision_id is None) == (not all_):
        raise click.UsageError("give one decision id, or --all")
    with Store.open(db, create=False) as store:
        rows = [store.find(decision_id)] if decision_id else store.rows()
        items = list(replay_rows(rows, store.ruleset_body))
        appended = record_replays(store, items, actor=actor) if record else None
    if fmt == "json":
        click.echo(to_json([audit_views.replay_json(item) for item in items]))
    else:
        click.echo(rows_text([row for item in items for row in audit_views.replay_rows(item, lang)], fmt))
    click.echo(audit_views.replay_summary(items, lang), err=True)
    if appended is not None:
        click.echo(audit_views.recorded_line(appended, store.where, lang), err=True)
    ctx.exit(ExitCode.OK if all(item.identical for item in items) else ExitCode.FINDINGS)

@cli.command("diff", epilog=EXIT_CODES_HELP)
@click.argument("base", type=click.Path(path_type=Path))
@click.argument("proposed", type=click.Path(path_type=Path))
@click.option("--candidates", "candidate_paths", multiple=True, required=True, type=click.Path(path_type=Path),
              metavar="PATH", help="Candidate files or directories (repeatable).")
@click.option("--position", "position_ids", multiple=True, metavar="ID",
              help="Position class to compare (repeatable) [default: every class in force in both].")
@ruleset_option
@as_of_option
@format_option
@lang_option
@click.option("--engine", "backend", type=click.Choice(["durable", "reference"]), default="durable",
              show_default=True, help="durable-rules, or the pure-Python reference evaluator (same semantics).")
@click.option("--report", "report_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Also write the change dossier (rule changes, case tests, population diff, hashes) to FILE; "
                   "its SHA-256 is printed on stderr.")
@click.option("--report-format", type=click.Choice(["html", "json"]), default=None,
              help="Dossier format [default: json if FILE ends in .json, else html].")
@click.pass_context
def diff_cmd(ctx: click.Context, base: Path, proposed: Path, candidate_paths: tuple[Path, ...],
             position_ids: tuple[str, ...], ruleset_id: str | None, as_of: dt.date, fmt: str, lang: str,
             backend: str, report_file: Path | None, report_format: str | None) -> None:
    """Whom a rule change affects: decide the candidates under BASE and under PROPOSED (two rules
    directories) and list every candidate whose verdict changes, with the requirements whose status
    changed (the value the candidate has, what each rule set needs), then a summary per position class.
    Records nothing.

    \b
    Example:
        layak diff rules-2025/ rules/ --candidates fixtures/population/ --position administrator

    With --report FILE, also writes the change dossier an approver signs (HTML for print, or JSON):
    what changed per requirement (thresholds, basis, texts), the case tests and coverage of the
    proposed rules, whom the change affects and why, and the hashes of both rule sets and of the
    population. The same inputs give the same bytes; cite the SHA-256 printed on stderr.

    \b
    Exit codes: 0 no verdict changes, 1 some verdicts change, 2 usage error, 3 invalid rule or
    candidate files (the valid candidates are still compared), 4 internal error.
    """
    old, new = load_library(base), load_library(proposed)
    candidates, problems = load_candidates(list(candidate_paths))
    if not candidates and not problems:
        raise InputError([Problem(code="no_candidates", message="no candidate files found",
                                  hint="give YAML or JSON files, or directories holding them")])
    positions = list(position_ids)
    if not positions:
        positions, one_sided = common_positions(old, new, as_of, ruleset_id)
        if one_sided:
            click.echo(f"not compared (in one rule set only): {', '.join(one_sided)}", err=True)
    report = diff(old, new, positions, candidates, as_of, ruleset_id,
                  backend="reference" if backend == "reference" else "durable")
    report.problems[:0] = problems
    if fmt == "json":
        click.echo(to_json(diff_json(report, lang, str(base), str(proposed))))
    elif fmt == "csv":  # two blocks: the changes, a blank line, the summary
        click.echo(rows_text(diff_rows(report, lang), fmt, headers=diff_columns(lang)) + "\n")
        click.echo(rows_text(diff_summary_rows(report, lang), fmt))
    else:
        if report.flips:
            if fmt == "markdown":
                click.echo(f"**{label('flips', lang)}**\n")
            click.echo(rows_text(diff_rows(report, lang), fmt) + "\n")
        if fmt == "markdown":
            click.echo(f"**{label('diff_summary', lang)}**\n")
        click.echo(rows_text(diff_summary_rows(report, lang), fmt))
    click.echo(diff_summary_line(report, lang), err=True)
    if report_file is not None:
        kind = report_format or ("json" if report_file.suffix.lower() == ".json" else "html")
        document = change_dossier.build(base, proposed, old, new, report, candidates, ruleset_id, lang)
        data = change_dossier.to_bytes(document, kind)
        report_run.write(report_file, data)
        click.echo(f"dossier {report_file}: sha256 {change_dossier.sha256(data)}", err=True)
    _emit_problems(report.problems)
    ctx.exit(ExitCode.INVALID_INPUT if report.problems else ExitCode.FINDINGS if report.changed else ExitCode.OK)


@cli.group("import")
def import_group() -> None:
    """Import candidate files from personnel systems (see `layak import siasn --help`)."""


@import_group.command("siasn", help=siasn_command.HELP)
@click.argument("sources", nargs=-1, required=True, metavar="PATH | --fetch NIP...")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, metavar="DIR",
              help="Folder the dossiers are written to (created if needed).")
@click.option("--fetch", "fetch_nips", is_flag=True, help="The arguments are NIPs to fetch from the web service.")
@click.option("--base-url", default=None, metavar="URL", help="With --fetch: the SIASN API base URL.")
@click.option("--responses", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help="With --fetch: keep the fetched response bodies here.")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="With --fetch: seconds per request.")
@click.option("--rate", type=float, default=5.0, show_default=True, help="With --fetch: requests per second.")
@format_option
@lang_option
@click.pass_context
def import_siasn_cmd(ctx: click.Context, sources: tuple[str, ...], out: Path, fetch_nips: bool,
                     base_url: str | None, responses: Path | None, timeout: float, rate: float, fmt: str,
                     lang: str) -> None:
    settings = siasn_command.Settings(base_url=base_url or os.environ.get("LAYAK_SIASN_URL")
                                      or siasn_command.Settings.base_url, timeout=timeout, rate=rate)
    try:
        outcome = siasn_command.run(sources, out, fmt, lang, fetch_nips=fetch_nips, settings=settings,
                                    responses=responses)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    except siasn_command.FetchError as error:
        click.echo(f"Error: {error}", err=True)
        ctx.exit(ExitCode.INVALID_INPUT)
    click.echo(outcome.report)
    click.echo(outcome.summary, err=True)
    ctx.exit(outcome.exit_code)


@cli.command("report", epilog=EXIT_CODES_HELP)
@click.option("--board", default=None, metavar="REF", help="Every decision recorded with this board reference.")
@click.option("--decision", "decision_ids", multiple=True, metavar="ID",
              help="A recorded decision: its id, a unique prefix or #SEQ (repeatable).")
@click.option("--seq", "seq_range", default=None, metavar="FIRST-LAST",
              help="Records FIRST to LAST (the numbers of `audit list`).")
@click.option("--out", "out_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the report here [default: stdout, unless --pdf is given].")
@click.option("--pdf", "pdf_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Also print the report to this PDF file.")
@click.option("--format", "fmt", type=click.Choice(["html", "json"]), default="html", show_default=True,
              help="html: the printable document; json: its content as data.")
@lang_option
@db_option
def report_cmd(board: str | None, decision_ids: tuple[str, ...], seq_range: str | None, out_file: Path | None,
               pdf_file: Path | None, fmt: str, lang: str, db: str | None) -> None:
    """The board's printed report, from the decisions recorded in the audit store.

    A cover (position, as-of date, ruleset and its hash, board, who recorded, the records covered and
    the store's head at printing, to check the paper later with `audit verify --expect-head`), a
    summary (verdict counts, requirements not met, JPM of eligible candidates, ranked shortlist), then
    one page per candidate: every requirement with status, has, needs, gap, basis and text; waivers;
    and what would make the candidate eligible and when, under the recorded ruleset.

    \b
    Example:
        layak check fixtures/candidates --position administrator --as-of 2026-12-01 --board "SK 821/2026"
        layak report --board "SK 821/2026" --out board.html --pdf board.pdf --lang id
    """
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
    click.echo(f"report of {document.total} decisions (#{document.seq_first}-#{document.seq_last}) written to "
               f"{written}; head {document.head}", err=True)


def main() -> None:
    # Exit codes are ours; click's own usage errors already exit 2.
    cli.main(prog_name="layak")


if __name__ == "__main__":
    main()


__all__ = ["ExitCode", "cli", "main", "problems_json"]
