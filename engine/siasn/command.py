"""What `layak import siasn` prints and how it exits; cli.py only wires the options."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.siasn.report import render
from engine.siasn.run import import_siasn, input_kind

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

\b
Examples:
  layak import siasn fixtures/siasn/responses --out dossiers/
  layak import siasn export.csv --out dossiers/ --format csv --lang id
  layak check dossiers/ --position administrator --as-of 2026-12-01

\b
Exit codes:
  0  every NIP was imported (the report may still list guesses and gaps)
  2  usage error (PATH is not a folder, .jsonl/.ndjson bundle or .csv export)
  3  some NIPs or files could not be imported (errors in the report; the others were written)
  4  internal error in layak"""


@dataclass(frozen=True)
class Outcome:
    report: str
    summary: str
    exit_code: int


def run(path: Path, out: Path | None, fmt: str, lang: str) -> Outcome:
    if input_kind(path) is None:
        raise ValueError(f"{path}: expected a folder, a .jsonl/.ndjson bundle or a .csv export")
    result = import_siasn(path, out)
    where = f" to {out}" if out is not None else ""
    if lang == "id":
        summary = f"{len(result.written)} berkas ditulis{where}; {len(result.failed)} NIP gagal diimpor"
    else:
        summary = f"{len(result.written)} dossiers written{where}; {len(result.failed)} NIPs not imported"
    if result.failed:
        summary += ": " + ", ".join(result.failed[:10]) + (" ..." if len(result.failed) > 10 else "")
    return Outcome(render(result.findings, result.written, result.failed, fmt, lang), summary,
                   3 if result.failed else 0)
