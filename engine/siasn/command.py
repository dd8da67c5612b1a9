"""What `layak import siasn` prints and how it exits; cli.py only wires the options."""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from engine.siasn.fetch import FetchError, Settings, fetch
from engine.siasn.report import render
from engine.siasn.run import ImportResult, import_siasn, input_kind

HELP = """Import SIASN personnel records into candidate files, one <NIP>.json per civil servant in --out.

\b
PATH is one of:
  a folder of NIP folders: responses/<NIP>/data-utama.json, rw-golongan.json, rw-jabatan.json,
    rw-pendidikan.json, rw-skp22.json, rw-skp.json, rw-kinerjaperiodik.json, rw-hukdis.json,
    rw-angkakredit.json, rw-diklat.json, rw-kursus.json (each the response body as returned,
    {"code": 1, "data": ...}); a single NIP folder works too;
  a JSON-lines bundle (.jsonl/.ndjson), one NIP per line:
    {"nip": "<18 digits>", "responses": {"data-utama": {...}, "rw-golongan": {...}, ...}};
  the SIASN CSV export (.csv): current state only; the histories it lacks stay unknown,
    so rules that need them say missing, never fail.

The report (stdout) lists per NIP every value inferred rather than read, every disagreement between
SIASN records, every record or code that could not be mapped (with file, SIASN row id and key), and
every error; a summary goes to stderr. Each dossier keeps the SIASN row id of every entry and the
SHA-256 of the files it was built from.

With --fetch, the arguments are NIPs and the responses come straight from the SIASN web service
(GET <base>/pns/<endpoint>/<NIP> for each endpoint above), sent with the two tokens SIASN clients use:
the API gateway token from the environment variable LAYAK_SIASN_TOKEN and the SSO token from
LAYAK_SIASN_SSO_TOKEN (never from arguments, never logged). The base URL is --base-url, else
LAYAK_SIASN_URL, else the BKN production address. Requests time out (--timeout), are retried with
exponential backoff on 429 and 5xx (honouring Retry-After), and are paced to --rate per second. The bodies
are saved as received under --responses (a temporary folder if not given), so the SHA-256 in the dossiers
match the saved files.

\b
Examples:
  layak import siasn fixtures/siasn/responses --out dossiers/
  layak import siasn export.csv --out dossiers/ --format csv --lang id
  layak import siasn --fetch 198501152010011001 199002282015031003 --out dossiers/ --responses saved/
  layak check dossiers/ --position administrator --as-of 2026-12-01

\b
Exit codes:
  0  every NIP was imported (the report may still list guesses and gaps)
  2  usage error (PATH is not a folder, .jsonl/.ndjson bundle or .csv export)
  3  some NIPs or files could not be imported (errors in the report; the others were written),
     or SIASN refused the tokens
  4  internal error in layak"""


@dataclass(frozen=True)
class Outcome:
    report: str
    summary: str
    exit_code: int


def run(
    sources: tuple[str, ...],
    out: Path,
    fmt: str,
    lang: str,
    *,
    fetch_nips: bool = False,
    settings: Settings | None = None,
    responses: Path | None = None,
) -> Outcome:
    """Import from a PATH, or fetch NIPs first. ValueError: a usage error; FetchError: tokens missing/refused."""
    if fetch_nips:
        bad = [nip for nip in sources if not re.fullmatch(r"\d{18}", nip)]
        if bad:
            raise ValueError(f"--fetch takes 18-digit NIPs, got {', '.join(bad)}")
        result = _fetched(list(dict.fromkeys(sources)), out, settings or Settings(), responses)
    else:
        if len(sources) != 1 or input_kind(Path(sources[0])) is None:
            raise ValueError(f"{' '.join(sources)}: expected one folder, .jsonl/.ndjson bundle or .csv export")
        result = import_siasn(Path(sources[0]), out)
    return _outcome(result, out, fmt, lang)


def _fetched(nips: list[str], out: Path, settings: Settings, responses: Path | None) -> ImportResult:
    with tempfile.TemporaryDirectory() as tmp:
        folder = responses or Path(tmp)
        findings = fetch(nips, folder, settings)
        failed = sorted({f.nip for f in findings if f.kind == "error"})
        for nip in failed:
            shutil.rmtree(folder / nip, ignore_errors=True)  # half-fetched: no dossier from it
        fetched = [nip for nip in nips if (folder / nip).exists()]
        result = ImportResult()
        for nip in fetched:
            one = import_siasn(folder / nip, out)
            result.written += one.written
            result.failed += one.failed
            result.findings += one.findings
    result.findings[:0] = findings
    result.failed.extend(failed)
    return result


def _outcome(result: ImportResult, out: Path, fmt: str, lang: str) -> Outcome:
    where = f" to {out}"
    if lang == "id":
        summary = f"{len(result.written)} berkas ditulis{where}; {len(result.failed)} NIP gagal diimpor"
    else:
        summary = f"{len(result.written)} dossiers written{where}; {len(result.failed)} NIPs not imported"
    if result.failed:
        summary += ": " + ", ".join(result.failed[:10]) + (" ..." if len(result.failed) > 10 else "")
    return Outcome(
        render(result.findings, result.written, result.failed, fmt, lang), summary, 3 if result.failed else 0
    )


__all__ = ["FetchError", "HELP", "Outcome", "Settings", "run"]
