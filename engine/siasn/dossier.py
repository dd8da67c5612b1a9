"""Building one candidate file from one NIP's SIASN responses, and checking it against the schema."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from engine import __version__
from engine.errors import path_text
from engine.load.candidate import Candidate
from engine.siasn import histories, records
from engine.siasn.histories import Entry, Import
from engine.siasn.inputs import ENDPOINTS, Person, Response
from engine.siasn.tables import rows, table
from engine.siasn.values import Finding, Reader

# SIASN holds no objection/appeal state of a sanction, no rank-examination results and no criminal record:
# facts built on them stay missing for every imported dossier.
ALWAYS_NOT_RECORDED = ("discipline_pending", "exams", "criminal_record")
IMPORTER = f"layak {__version__}"
# A history whose response is absent is unknown (its facts missing), not empty.
_NEEDED = {"rw-jabatan": ("positions",), "rw-pendidikan": ("education",), "rw-hukdis": ("discipline",)}


def head(imp: Import, r: Reader) -> Entry:
    """The person fields of a dossier from data-utama (or a CSV row read through the same Reader)."""
    doc: Entry = {"nip": imp.nip}
    for field, keys in (("name", ("nama",)), ("instansi_id", ("instansiIndukId", "instansiKerjaId"))):
        if (value := r.text(*keys)) is not None:
            doc[field] = value
    for field, key in (("birth_date", "tglLahir"), ("tmt_cpns", "tmtCpns"), ("tmt_pns", "tmtPns")):
        if (day := r.date(key)) is not None:
            doc[field] = day
    _code, status = r.code("statusPegawai", rows("status_pegawai"), "status_pegawai")
    if status is not None:
        doc["employee_status"] = status
    code, name = r.code("kedudukanPnsId", rows("kedudukan"), "kedudukan")
    if name is not None:
        doc["legal_position"] = {"code": code, "name": name}
        if code != table("kedudukan")["active"]:
            r.add("review", "not_active", "kedudukanPnsId", value=f"{code} {name}")
    return doc


def current_rank(imp: Import, r: Reader) -> Entry | None:
    _code, golongan = r.code("golRuangAkhirId", rows("golongan"), "golongan")
    tmt = r.date("tmtGolAkhir")
    return {"golongan": golongan, "tmt": tmt} if golongan and tmt else None


def compare_rank(imp: Import, r: Reader, current: Entry | None, ranks: list[Entry]) -> None:
    """data-utama's current rank must be the latest rank-history row; if not, the rank is for review."""
    if current is None or not ranks:
        return
    latest = max(ranks, key=lambda e: e["tmt"])
    if (latest["golongan"], latest["tmt"]) != (current["golongan"], current["tmt"]):
        r.add(
            "disagreement",
            "rank_differs",
            "golRuangAkhirId",
            profile=f"{current['golongan']} TMT {current['tmt']}",
            history=f"{latest['golongan']} TMT {latest['tmt']}",
            history_row=latest["source"].get("record_id", ""),
        )
        imp.not_recorded.add("pangkat")


def build(person: Person) -> tuple[dict[str, Any] | None, list[Finding]]:
    """The dossier (plain data, dates as dates) and the findings; None when it cannot be a valid file."""
    imp = Import(person.nip, findings=list(person.findings))
    resp = person.responses
    main = resp["data-utama"]
    r = imp.reader(main, main.data)
    doc = head(imp, r)
    current = current_rank(imp, r)
    ranks = histories.ranks(imp, resp["rw-golongan"]) if "rw-golongan" in resp else []
    compare_rank(imp, r, current, ranks)
    if not ranks and current is not None:
        ranks = [{**current, "source": {"system": imp.system}}]
    doc["pangkat"] = ranks
    doc["education"] = histories.education(imp, resp["rw-pendidikan"], ranks) if "rw-pendidikan" in resp else []
    doc["positions"] = histories.positions(imp, resp["rw-jabatan"]) if "rw-jabatan" in resp else []
    doc["performance"] = _performance(imp, resp)
    doc["discipline"] = records.sanctions(imp, resp["rw-hukdis"]) if "rw-hukdis" in resp else []
    doc["trainings"] = _trainings(imp, resp)
    _skipped(imp, resp)
    for endpoint in ENDPOINTS:
        if endpoint not in resp:
            imp.findings.append(Finding(imp.nip, "review", "no_response", f"{imp.nip}/{endpoint}.json"))
            imp.not_recorded.update(_NEEDED.get(endpoint, ()))
    imp.not_recorded.update(ALWAYS_NOT_RECORDED)
    doc["provenance"] = provenance(imp, person)
    return validated(imp, doc, main.file)


def _performance(imp: Import, resp: dict[str, Response]) -> list[Entry]:
    if "rw-skp22" not in resp and "rw-skp" not in resp:
        imp.not_recorded.add("performance")
        return []
    out = records.skp22(imp, resp["rw-skp22"]) if "rw-skp22" in resp else []
    return (records.skp_legacy(imp, resp["rw-skp"]) if "rw-skp" in resp else []) + out


def _trainings(imp: Import, resp: dict[str, Response]) -> list[Entry]:
    if "rw-diklat" not in resp and "rw-kursus" not in resp:
        imp.not_recorded.add("trainings")
    out = records.trainings(imp, resp["rw-diklat"], structural=True) if "rw-diklat" in resp else []
    return out + (records.trainings(imp, resp["rw-kursus"], structural=False) if "rw-kursus" in resp else [])


def _skipped(imp: Import, resp: dict[str, Response]) -> None:
    # Periodic ratings are not the annual predikat, and PAK rows do not say whether their totals are
    # cumulative: both are kept as fingerprinted sources only.
    for endpoint in ("rw-kinerjaperiodik", "rw-angkakredit"):
        if endpoint in resp and resp[endpoint].data:
            imp.findings.append(
                Finding(
                    imp.nip,
                    "skipped",
                    f"not_mapped_{endpoint.replace('-', '_')}",
                    resp[endpoint].file,
                    args={"rows": str(len(resp[endpoint].data))},
                )
            )


def provenance(imp: Import, person: Person) -> Entry:
    if person.bundle_line is not None:
        files = [{"name": person.bundle_line[0], "endpoint": "bundle-line", "sha256": person.bundle_line[1]}]
    else:
        # The file name within the NIP's folder: the NIP itself is in the dossier, and a redacted audit
        # export pseudonymises that field only.
        files = [
            {"name": resp.file.rsplit("/", 1)[-1], "endpoint": resp.endpoint, "sha256": resp.sha256}
            for resp in sorted(person.responses.values(), key=lambda x: x.endpoint)
        ]
    return {"system": imp.system, "importer": IMPORTER, "files": files, "not_recorded": sorted(imp.not_recorded)}


def validated(imp: Import, doc: Entry, file: str = "") -> tuple[dict[str, Any] | None, list[Finding]]:
    """Check the dossier with the candidate schema; a field it cannot fill is an error for this NIP."""
    try:
        Candidate.model_validate(doc)
    except ValidationError as error:
        for problem in error.errors():
            imp.findings.append(
                Finding(
                    imp.nip,
                    "error",
                    "dossier_invalid",
                    file,
                    key=path_text(problem["loc"]),
                    args={"detail": problem["msg"]},
                )
            )
        return None, imp.findings
    return doc, imp.findings
