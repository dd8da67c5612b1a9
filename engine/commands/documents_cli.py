"""Option wiring of `layak import …` and `layak report` (bodies: engine/commands/import_siasn.py, report.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from engine.commands import options as opt
from engine.commands.options import EXIT_CODES_HELP, command, run


@click.group("import")
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


@click.command("report", epilog=EXIT_CODES_HELP)
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
