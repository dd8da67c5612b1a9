"""Option wiring of `layak audit …` (the audit group of cli.py); bodies are engine/commands/audit_*.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from engine.commands import options as opt
from engine.commands.options import EXIT_CODES_HELP, command, run


@click.group("audit", epilog=EXIT_CODES_HELP)
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
