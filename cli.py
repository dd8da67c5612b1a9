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
    """Rank every candidate in PATHS (files or directories; `-` reads YAML, JSON or JSON Lines from stdin)
    for one position.

    jsonl, table and markdown are streamed batch by batch (memory stays flat; decisions are recorded one
    batch per transaction, in file order); json and csv hold the whole run and record it in ranking order.

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
    """Every requirement of a position for one candidate (status, has, needs, gap, basis), then what would
    make the candidate eligible: the smallest change per unmet requirement, and the earliest date on which
    time alone does it (decided day by day under the rules in force each day).
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
@opt.as_of_option
@opt.format_option
@opt.lang_option
def facts(**options: Any) -> None:
    """The fact vocabulary (--list), or the facts derived from one candidate file (PATH)."""
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
    required=True,
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="Candidate files or directories (repeatable).",
)
@click.option(
    "--position",
    "position_ids",
    multiple=True,
    metavar="ID",
    shell_complete=opt.position_ids,
    help="Position class to compare (repeatable) [default: every class in force in both].",
)
@opt.ruleset_option
@opt.as_of_option
@opt.format_option
@opt.lang_option
@opt.engine_option
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
    """
    run("diff", **options)


@cli.group(epilog=EXIT_CODES_HELP)
def audit() -> None:
    """The audit trail: every decision `check` recorded, tamper-evident (see also `layak replay`)."""


@command(audit, "list")
@opt.db_option
@click.option(
    "--position",
    "position_id",
    default=None,
    metavar="ID",
    shell_complete=opt.position_ids,
    help="Only decisions for this position.",
)
@click.option(
    "--since",
    callback=opt.optional_date,
    default=None,
    metavar="YYYY-MM-DD",
    help="Only decisions recorded on or after this date (UTC).",
)
@click.option(
    "--verdict",
    type=click.Choice(["eligible", "needs_review", "not_eligible"]),
    default=None,
    help="Only decisions with this verdict.",
)
@click.option("--board", default=None, metavar="REF", help="Only decisions recorded with this board reference.")
@click.option(
    "--until",
    callback=opt.optional_date,
    default=None,
    metavar="YYYY-MM-DD",
    help="Only decisions recorded on or before this date (UTC).",
)
@click.option("--nip", default=None, metavar="NIP", help="Only decisions about this NIP.")
@click.option("--name", default=None, metavar="TEXT", help="Only candidates whose name contains TEXT (any case).")
@click.option("--limit", type=click.IntRange(1), default=None, metavar="N", help="At most N records.")
@click.option(
    "--after",
    type=click.IntRange(0),
    default=0,
    metavar="SEQ",
    help="Only records after sequence number SEQ (the next page: the last SEQ shown).",
)
@opt.format_option
@opt.lang_option
def audit_list(**options: Any) -> None:
    """Recorded decisions in order: number, id, when, as-of date, position, candidate, verdict, board, who.

    \b
    Example:
        layak audit list --position administrator --since 2026-01-01
        layak audit list --name siti --limit 20 --after 40
    """
    run("audit_list", **options)


@command(audit, "show")
@click.argument("decision_id")
@opt.db_option
@opt.format_option
@opt.lang_option
def audit_show(**options: Any) -> None:
    """One recorded decision as recorded: who, when, board, ruleset hash, every requirement, the facts.

    DECISION_ID is the id from `layak audit list`, a unique prefix of it (6 characters or more), or the
    record's sequence number (#12 or 12). Shown with the same columns as `layak explain`.
    """
    run("audit_show", **options)


@command(audit, "verify")
@opt.db_option
@click.option(
    "--expect-head",
    default=None,
    metavar="SEQ:HASH",
    help="A head written down earlier (`layak audit head`): also detects truncation after it.",
)
@click.option(
    "--export",
    "export_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Verify an export file (JSON Lines or CSV from `layak audit export`) instead of the store.",
)
@opt.format_option
@opt.lang_option
def audit_verify(**options: Any) -> None:
    """Check the whole log: sequence without gaps, every chain hash, every record, every stored ruleset.
    Names the first bad record and exits 1 when a record was changed, deleted, moved or inserted, or
    (with --expect-head) when records after a known head were removed.
    """
    run("audit_verify", **options)


@command(audit, "head")
@opt.db_option
@opt.format_option
@opt.lang_option
def audit_head(**options: Any) -> None:
    """The last record's sequence number and chain hash, as SEQ:HASH: write it into the board's minutes."""
    run("audit_head", **options)


@command(audit, "export")
@opt.db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    default="jsonl",
    show_default=True,
    help="jsonl: rulesets and records, verifiable; csv: one row per record, for spreadsheets.",
)
@click.option("--redact", is_flag=True, help="Replace names, NIPs and file paths by salted hashes (pseudonyms).")
@click.option("--salt", default=None, help="Salt of the pseudonyms [default: a random one, printed on stderr].")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write to this file instead of stdout.",
)
def audit_export(**options: Any) -> None:
    """Every record with its chain hashes, for an external auditor; verify with `layak audit verify --export`."""
    run("audit_export", **options)


@command(cli, "replay")
@click.argument("decision_id", required=False)
@click.option("--all", "all_", is_flag=True, help="Replay every recorded decision.")
@click.option("--record", is_flag=True, help="Also record the replayed decisions (each pointing at the original).")
@opt.db_option
@opt.actor_option
@opt.format_option
@opt.lang_option
def replay(**options: Any) -> None:
    """Re-decide recorded decisions from their stored ruleset, candidate snapshot and as-of date.

    Prints IDENTICAL, or every difference requirement by requirement, and exits 1 if any differs.
    Today's rule files are not read. Nothing is written unless --record is given.
    """
    run("replay", **options)


@cli.group("import")
def import_group() -> None:
    """Import candidate files from personnel systems (see `layak import siasn --help`)."""


@command(
    import_group,
    "siasn",
    cls=opt.LazyHelp,
    help_from="engine.siasn.command:HELP",
    short_help="Import SIASN personnel records into candidate files.",
)
@click.argument("sources", nargs=-1, required=True, metavar="PATH | --fetch NIP...")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    metavar="DIR",
    help="Folder the dossiers are written to (created if needed).",
)
@click.option("--fetch", "fetch_nips", is_flag=True, help="The arguments are NIPs to fetch from the web service.")
@click.option("--base-url", default=None, metavar="URL", help="With --fetch: the SIASN API base URL.")
@click.option(
    "--responses",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="DIR",
    help="With --fetch: keep the fetched response bodies here.",
)
@click.option("--timeout", type=float, default=30.0, show_default=True, help="With --fetch: seconds per request.")
@click.option("--rate", type=float, default=5.0, show_default=True, help="With --fetch: requests per second.")
@opt.format_option
@opt.lang_option
def import_siasn(**options: Any) -> None:
    run("import_siasn", **options)


@command(cli, "report")
@click.option("--board", default=None, metavar="REF", help="Every decision recorded with this board reference.")
@click.option(
    "--decision",
    "decision_ids",
    multiple=True,
    metavar="ID",
    help="A recorded decision: its id, a unique prefix or #SEQ (repeatable).",
)
@click.option(
    "--seq",
    "seq_range",
    default=None,
    metavar="FIRST-LAST",
    help="Records FIRST to LAST (the numbers of `audit list`).",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the report here [default: stdout, unless --pdf is given].",
)
@click.option(
    "--pdf",
    "pdf_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also print the report to this PDF file.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "json"]),
    default="html",
    show_default=True,
    help="html: the printable document; json: its content as data.",
)
@opt.lang_option
@opt.db_option
def report(**options: Any) -> None:
    """The board's printed report, from the decisions recorded in the audit store: a cover (position, date,
    ruleset hash, board, records, the store's head), a summary, and one page per candidate.
    """
    run("report", **options)


def main() -> None:
    # Exit codes are ours; click's own usage errors already exit 2.
    cli.main(prog_name="layak")


if __name__ == "__main__":
    main()


__all__ = ["cli", "default_rules", "main"]
