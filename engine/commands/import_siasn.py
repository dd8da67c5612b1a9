"""`layak import siasn`: candidate files from SIASN personnel records (the importer is engine/siasn)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from engine.errors import ExitCode
from engine.siasn import command as siasn_command


def run(
    sources: tuple[str, ...],
    out: Path,
    fetch_nips: bool,
    base_url: str | None,
    responses: Path | None,
    timeout: float,
    rate: float,
    fmt: str,
    lang: str,
) -> ExitCode:
    settings = siasn_command.Settings(
        base_url=base_url or os.environ.get("LAYAK_SIASN_URL") or siasn_command.Settings.base_url,
        timeout=timeout,
        rate=rate,
    )
    try:
        outcome = siasn_command.run(
            sources, out, fmt, lang, fetch_nips=fetch_nips, settings=settings, responses=responses
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    except siasn_command.FetchError as error:
        click.echo(f"Error: {error}", err=True)
        return ExitCode.INVALID_INPUT
    click.echo(outcome.report)
    click.echo(outcome.summary, err=True)
    return ExitCode(outcome.exit_code)
