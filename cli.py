"""The `layak` command line: option wiring only. Each command's body is engine/commands/<name>.py, imported when
the command runs, so `--help` and `--version` start without loading the engine.

Adding a command: write engine/commands/NAME.py with `def run(...) -> ExitCode` (see engine/commands/__init__.py),
then declare it here: `@command(cli)`, its options, and the body `run("NAME", **options)`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from engine.commands import options as opt
from engine.commands.audit_cli import audit
from engine.commands.documents_cli import import_group, report
from engine.commands.options import EXIT_CODES_HELP, LayakGroup, command, default_rules, run

HORIZON_YEARS = 10


@click.group(cls=LayakGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=opt.version,
    help="Show the versions of layak, the rule pack and durable-rules, and exit.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors (accepted anywhere on the line).")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """layak: decide and explain promotion eligibility of civil servants from declarative rules."""
    ctx.obj = {"debug": debug}


@command(cli, "check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, allow_dash=True))
@opt.position_option
@opt.rules_option
@opt.ruleset_option
@opt.as_of_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*opt.FORMATS, "jsonl"]),
    default="table",
    show_default=True,
    help="table for people, json for programs, csv for spreadsheets, markdown for reports; jsonl streams "
    "one decision record per line, in file order.",
)
@opt.lang_option
@opt.engine_option
@opt.db_option
@click.option("--board", default=None, metavar="REF", help="Board reference recorded with the decisions, e.g. an SK.")
@opt.actor_option
@click.option("--no-record", "no_record", is_flag=True, help="Do not record the decisions in the audit store.")
@click.option(
    "--jobs",
    type=click.IntRange(1, 256),
    default=None,
    metavar="N",
    help="Worker processes for jsonl/table/markdown [default: the cores available].",
)
@click.option(
    "--top",
    type=click.IntRange(0),
    default=1000,
    show_default=True,
    metavar="N",
    help="table/markdown show the best N by rank (0: all, memory grows with the population).",
)
def check_cmd(**options: Any) -> None:
    """Rank every candidate in PATHS (files or directories; a .jsonl/.ndjson bundle holds one JSON dossier a
    line; `-` reads YAML, JSON or JSON Lines from stdin) for one position.

    Files and bundles are decided batch by batch (memory stays flat; decisions are recorded one batch per
    transaction, in file order): jsonl streams, table/markdown keep the best --top, json and csv rank all (on
    disk past 5,000). Stdin is read whole and recorded in ranking order.

    \b
    Example:
        layak check fixtures/candidates --position administrator --as-of 2026-12-01
    """
    run("check", **options)


@command(cli)
@click.argument("path", type=click.Path(path_type=Path))
@opt.position_option
@opt.rules_option
@opt.ruleset_option
@opt.as_of_option
@opt.format_option
@opt.lang_option
@click.option(
    "--horizon",
    type=click.IntRange(1, 40),
    default=HORIZON_YEARS,
    show_default=True,
    metavar="YEARS",
    help="How far ahead to look for the date on which time alone makes the candidate eligible.",
)
def explain(**options: Any) -> None:
    """Every requirement of a position for one candidate (a file, or BUNDLE:LINE of a JSON-lines bundle:
    status, has, needs, gap, basis), then what would make the candidate eligible: the smallest change per
    unmet requirement, and the earliest date on which time alone does it (decided day by day under the rules
    in force each day).
    """
    run("explain", **options)


@command(cli)
@opt.rules_option
@opt.ruleset_option
@opt.as_of_option
@opt.format_option
@opt.lang_option
@click.option(
    "--position",
    "position_id",
    default=None,
    metavar="ID",
    shell_complete=opt.position_ids,
    help="Show one position class only.",
)
def positions(**options: Any) -> None:
    """Position classes of the rulesets in force, with every requirement and its legal basis."""
    run("positions", **options)


@command(cli)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--list", "list_", is_flag=True, help="Print the fact vocabulary rules may use.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    metavar="FILE",
    help="Write the facts table (Parquet) of every candidate file under PATH to FILE.",
)
@opt.as_of_option
@opt.format_option
@opt.lang_option
def facts(**options: Any) -> None:
    """The fact vocabulary (--list), the facts derived from one candidate file (PATH), or with --out the facts
    table of every candidate under PATH (one row per candidate, facts derived once as of --as-of) that
    `layak diff --facts` and `layak sweep` evaluate.

    \b
        layak facts dossiers/ --as-of 2026-12-01 --out facts.parquet
    """
    run("facts", **options)


@command(cli)
@click.argument("kind", type=click.Choice(["candidate", "rules", "cases"]))
def schema(**options: Any) -> None:
    """JSON Schema of candidate, rule or case files, for editors to validate as you type."""
    run("schema", **options)


@command(cli)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option(
    "--update-lock",
    is_flag=True,
    help="Rewrite the lock file (layak.lock: version and content hash of each rule file), then lint.",
)
@opt.format_option
@opt.lang_option
def validate(**options: Any) -> None:
    """Lint a rules directory: errors with file:line first, then warnings.

    \b
    Errors: anything that stops the rules from loading (schema, unknown facts, types, duplicate ids,
    missing citations or translations, thresholds out of range, overlapping or gapped versions) and
    contradictions. Warnings: requirements that can never pass or never fail, and a higher class
    asking less than the class below it.
    """
    run("validate", **{**options, "path": options["path"] or default_rules()})


@command(cli, "test")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--rules",
    "rules_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Rules the cases run against [default: PATH, else the default rules].",
)
@click.option(
    "--run",
    "pattern",
    default=None,
    metavar="PATTERN",
    help="Run only the cases whose name (file:line note) matches PATTERN (a regular expression).",
)
@click.option(
    "--min-coverage",
    type=click.FloatRange(0, 100),
    default=None,
    help="Fail (exit 1) when fewer than N % of requirement sides (pass and fail) are exercised.",
)
@click.option(
    "--generate-boundaries",
    is_flag=True,
    help="Print cases just below, at and just above each threshold (YAML, for review) instead.",
)
@click.option("--coverage", "show_coverage", is_flag=True, help="List coverage per requirement.")
@click.option(
    "--junit",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    metavar="FILE",
    help="Also write the results as JUnit XML (for CI systems).",
)
@opt.format_option
@opt.lang_option
def test_cmd(**options: Any) -> None:
    """Run every *.cases.yaml under PATH (default: the rules directory), or one case file, against the rules.

    \b
    Example:
        layak test rules/ --min-coverage 100
        layak test rules/ --run 'one day short' --junit cases.xml
        layak test rules/ --generate-boundaries > new.cases.yaml
    """
    run("test", default_rules=default_rules(), **options)


@command(cli)
@click.argument("base", type=click.Path(path_type=Path))
@click.argument("proposed", type=click.Path(path_type=Path))
@click.option(
    "--candidates",
    "candidate_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="Candidate files or directories (repeatable); with --facts, the dossiers the table must still match.",
)
@opt.facts_option
@click.option(
    "--position",
    "position_ids",
    multiple=True,
    metavar="ID",
    shell_complete=opt.position_ids,
    help="Position class to compare (repeatable) [default: every class in force in both].",
)
@opt.ruleset_option
@opt.optional_as_of_option
@opt.format_option
@opt.lang_option
@opt.engine_option
@opt.cross_check_option
@opt.seed_option
@click.option(
    "--report",
    "report_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write the change dossier (rule changes, case tests, population diff, hashes) to FILE; "
    "its SHA-256 is printed on stderr.",
)
@click.option(
    "--report-format",
    type=click.Choice(["html", "json"]),
    default=None,
    help="Dossier format [default: json if FILE ends in .json, else html].",
)
def diff(**options: Any) -> None:
    """Whom a rule change affects: every candidate whose verdict differs between the rules directories BASE
    and PROPOSED, with the requirements that changed, then a summary per position class. Records nothing;
    exits 1 when some verdicts change. --report FILE also writes the change dossier an approver signs.

    Candidate directories are read in batches (memory stays flat). With --facts FILE (from `layak facts
    --out`) every candidate is decided at once by the columnar backend, and a seeded sample (--cross-check,
    default 1 %) is re-decided on durable-rules; any difference stops the run (exit 4).
    """
    run("diff", **options)


@command(cli)
@click.argument("rules", type=click.Path(path_type=Path))
@opt.facts_option
@opt.sweep_options
@opt.ruleset_option
@opt.optional_as_of_option
@opt.format_option
@opt.lang_option
@opt.cross_check_option
@opt.seed_option
def sweep(**options: Any) -> None:
    """Try several thresholds of one requirement over a facts table: for each value, how many candidates are
    eligible, need review or are not eligible, and who changes (and why) against the value in force. The
    rules are not changed. Every value is cross-checked on durable-rules as `layak diff --facts` is. Exits 0
    (3 when some dossiers of the table have problems, 4 on a cross-check difference).

    \b
        layak facts dossiers/ --as-of 2026-12-01 --out facts.parquet
        layak sweep rules/ --facts facts.parquet --position administrator \\
            --requirement experience-pengawas --values 2y,3y,4y
    """
    run("sweep", **options)


cli.add_command(audit)


@command(cli, "replay")
@click.argument("decision_id", required=False)
@click.option("--all", "all_", is_flag=True, help="Replay every recorded decision.")
@click.option("--record", is_flag=True, help="Also record the replayed decisions (each pointing at the original).")
@opt.db_option
@opt.actor_option
@opt.replay_format_option
@opt.lang_option
def replay(**options: Any) -> None:
    """Re-decide recorded decisions from their stored ruleset, candidate snapshot and as-of date.

    Prints IDENTICAL, or every difference requirement by requirement, and exits 1 if any differs.
    Today's rule files are not read. Nothing is written unless --record is given.
    """
    run("replay", **options)


cli.add_command(import_group)
cli.add_command(report)


def main() -> None:
    # Exit codes are ours; click's own usage errors already exit 2.
    cli.main(prog_name="layak")


if __name__ == "__main__":
    main()


__all__ = ["cli", "default_rules", "main"]
