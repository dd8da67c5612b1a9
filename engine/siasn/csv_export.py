"""The SIASN CSV export (current state only): one dossier per row, every history it lacks marked unknown."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from engine.siasn import dossier
from engine.siasn.histories import Entry, Import, post_kind
from engine.siasn.inputs import MAX_BYTES
from engine.siasn.tables import rows
from engine.siasn.values import Finding, Reader

# Export header (UPPER CASE WITH SPACES or snake_case) → the data-utama key read through the same Reader.
COLUMNS = {
    "NIP BARU": "nipBaru",
    "NAMA": "nama",
    "TANGGAL LAHIR": "tglLahir",
    "INSTANSI INDUK ID": "instansiIndukId",
    "INSTANSI KERJA ID": "instansiKerjaId",
    "STATUS CPNS PNS": "statusPegawai",
    "KEDUDUKAN HUKUM ID": "kedudukanPnsId",
    "KEDUDUKAN PNS ID": "kedudukanPnsId",
    "TMT CPNS": "tmtCpns",
    "TMT PNS": "tmtPns",
    "GOL AKHIR ID": "golRuangAkhirId",
    "TMT GOLONGAN": "tmtGolAkhir",
    "JENIS JABATAN ID": "jenisJabatan",
    "ESELON ID": "eselonId",
    "JABATAN NAMA": "namaJabatan",
    "TMT JABATAN": "tmtJabatan",
    "UNOR NAMA": "unorNama",
    "TINGKAT PENDIDIKAN ID": "tkPendidikanId",
    "PENDIDIKAN NAMA": "pendidikanNama",
    "TAHUN LULUS": "tahunLulus",
}
# The export has no history at all: what the rules need from one is unknown, never empty.
NOT_RECORDED = ("position_history", "education_for_rank", "performance", "discipline", "trainings")


def _header(name: str) -> str:
    return " ".join(name.replace("_", " ").upper().split())


def read_export(path: Path) -> Iterator[tuple[str, dict[str, Any] | None, list[Finding]]]:
    """(NIP, dossier or None, findings) per data row."""
    if path.stat().st_size > MAX_BYTES * 64:
        yield path.name, None, [Finding(path.name, "error", "too_large", path.name)]
        return
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    text = raw.decode("utf-8-sig", errors="replace")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;|\t")
    except csv.Error:
        dialect = csv.excel
    table = csv.reader(io.StringIO(text), dialect)
    header = [_header(h) for h in next(table, [])]
    if "NIP BARU" not in header:
        yield path.name, None, [Finding(path.name, "error", "csv_no_nip_column", path.name, key="NIP BARU")]
        return
    seen: set[str] = set()
    for number, cells in enumerate(table, start=2):
        record = {COLUMNS[h]: c for h, c in zip(header, cells, strict=False) if h in COLUMNS}
        nip = (record.get("nipBaru") or "").strip() or f"(row {number})"
        where = f"{path.name}:{number}"
        if nip in seen:
            yield nip, None, [Finding(nip, "error", "duplicate_nip", where)]
            continue
        seen.add(nip)
        yield (nip, *_row(nip, where, sha, record))


def _row(nip: str, where: str, sha: str, record: dict[str, str]) -> tuple[dict[str, Any] | None, list[Finding]]:
    imp = Import(nip, system="SIASN_CSV")
    if not nip.isdigit() or len(nip) != 18:
        return None, [Finding(nip, "error", "bad_nip", where, key="NIP BARU", args={"expected": "18 digits"})]
    r = Reader(nip, where, record, imp.findings)
    doc = dossier.head(imp, r)
    current = dossier.current_rank(imp, r)
    doc["pangkat"] = [{**current, "source": {"system": imp.system}}] if current else []
    doc["positions"] = _position(imp, r)
    doc["education"] = _education(imp, r)
    imp.not_recorded.update(NOT_RECORDED)
    imp.not_recorded.update(dossier.ALWAYS_NOT_RECORDED)
    doc["provenance"] = {
        "system": imp.system,
        "importer": dossier.IMPORTER,
        "files": [{"name": where, "endpoint": "csv-export", "sha256": sha}],
        "not_recorded": sorted(imp.not_recorded),
    }
    return dossier.validated(imp, doc, where)


def _position(imp: Import, r: Reader) -> list[Entry]:
    post, start = post_kind(r), r.date("tmtJabatan")
    if isinstance(post, str) or start is None:
        imp.not_recorded.add("positions")
        return []
    entry, inferred = post
    if unit := r.text("unorNama"):
        entry["unit"] = unit
    entry.update(tmt_start=start, appointment="DEFINITIF")
    entry["source"] = imp.source(r, [*inferred, "appointment"])
    return [entry]


def _education(imp: Import, r: Reader) -> list[Entry]:
    _code, spec = r.code("tkPendidikanId", rows("tingkat_pendidikan"), "tingkat_pendidikan")
    year = r.text("tahunLulus")
    if spec is None or year is None or not (year.isdigit() and len(year) == 4):
        imp.not_recorded.add("education")
        return []
    entry: Entry = {"level": spec["level"], "graduated": dt.date(int(year), 12, 31), "recognised_for_rank": False}
    if major := r.text("pendidikanNama"):
        entry["major"] = major
    entry["source"] = imp.source(r, ["graduated"])
    return [entry]
