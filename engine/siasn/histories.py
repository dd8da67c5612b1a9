"""Mapping SIASN rank, position and education histories to candidate-file entries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from engine.facts.scales import EDUCATION
from engine.siasn.inputs import Response
from engine.siasn.tables import rows
from engine.siasn.values import Finding, Reader

Entry = dict[str, Any]


@dataclass
class Import:
    """What one NIP's mapping has found so far: its findings and the histories it cannot vouch for."""

    nip: str
    system: str = "SIASN"
    findings: list[Finding] = field(default_factory=list)
    not_recorded: set[str] = field(default_factory=set)

    def reader(self, response: Response, record: dict[str, Any]) -> Reader:
        return Reader(self.nip, response.file, record, self.findings)

    def source(self, reader: Reader, inferred: list[str] | None = None) -> Entry:
        src: Entry = {"system": self.system}
        if reader.record_id:
            src["record_id"] = reader.record_id
        if inferred:
            src["inferred"] = inferred
            for name in inferred:
                reader.add("inferred", f"inferred_{name}", name)
        return src


def ranks(imp: Import, response: Response) -> list[Entry]:
    out: list[Entry] = []
    for record in response.data:
        r = imp.reader(response, record)
        _code, golongan = r.code("golonganId", rows("golongan"), "golongan")
        tmt = r.date("tmtGolongan")
        if golongan is None or tmt is None:
            r.skip("golonganId" if golongan is None else "tmtGolongan")
            imp.not_recorded.add("pangkat")
            continue
        entry: Entry = {"golongan": golongan, "tmt": tmt}
        if sk := r.text("skNomor"):
            entry["sk_number"] = sk
        kp_code, kind = r.code("jenisKPId", rows("jenis_kp"), "jenis_kp")
        if kind is not None:
            entry["kp_type"] = kind
        elif kp_code is not None and kp_code in rows("jenis_kp"):
            r.add("review", "kp_kind_without_value", "jenisKPId", value=kp_code, name=r.text("jenisKPNama") or "")
        entry["source"] = imp.source(r)
        out.append(entry)
    return out


def _jf(r: Reader) -> tuple[Entry, list[str]] | str:
    name = r.text("jabatanFungsionalNama") or r.text("namaJabatan")
    upper = " ".join((name or "").upper().split())
    for suffix, spec in sorted(rows("jenjang_jf", "suffixes").items(), key=lambda kv: -len(kv[0])):
        if name and upper.endswith(suffix):
            return (
                {"jenis": "JF", "jf_name": name, "jf_jenjang": spec["jenjang"], "jf_kategori": spec["kategori"]},
                ["jf_jenjang", "jf_kategori"],
            )
    return "jabatanFungsionalNama"


def post_kind(r: Reader) -> tuple[Entry, list[str]] | str:
    """The post class of a position record, or the key that does not give one."""
    _code, kind = r.code("jenisJabatan", rows("jenis_jabatan"), "jenis_jabatan")
    if kind == "STRUKTURAL":
        _eselon, spec = r.code("eselonId", rows("eselon"), "eselon")
        return (dict(spec), []) if spec else "eselonId"
    if kind == "JF":
        return _jf(r)
    if kind == "PELAKSANA":
        return {"jenis": "PELAKSANA"}, []
    return "jenisJabatan"


def positions(imp: Import, response: Response) -> list[Entry]:
    mapped: list[tuple[dt.date, Entry, list[str], Reader]] = []
    unmapped: list[tuple[dt.date | None, bool]] = []  # (start, could be a definitive post)
    for record in response.data:
        r = imp.reader(response, record)
        post, start = post_kind(r), r.date("tmtJabatan")
        code, appointment = r.code("jenisPenugasanId", rows("penugasan"), "penugasan")
        if isinstance(post, str) or start is None or (code is not None and appointment is None):
            why = post if isinstance(post, str) else "tmtJabatan" if start is None else "jenisPenugasanId"
            r.skip(why)
            unmapped.append((start, code in (None, "D")))
            continue
        entry, inferred = post
        if unit := r.text("unorNama", "namaUnor"):
            entry["unit"] = unit
        entry["tmt_start"] = start
        if appointment is None:
            # SIASN records no assignment kind before 2024: taken as definitive, flagged as assumed.
            appointment, inferred = "DEFINITIF", [*inferred, "appointment"]
        entry["appointment"] = appointment
        if sk := r.text("nomorSk"):
            entry["sk_number"] = sk
        mapped.append((start, entry, inferred, r))
    mapped.sort(key=lambda item: item[0])
    if unmapped:
        latest = max((s for s, *_ in mapped), default=None)
        is_latest = latest is None or any(s is None or s >= latest for s, _d in unmapped)
        imp.not_recorded.add("positions" if is_latest else "position_history")
    # rw-jabatan has no end date: a definitive post ends when the next definitive one starts (an acting
    # assignment or an additional task does not end it); an acting one ends at the next record of any kind.
    starts = [(s, e["appointment"] == "DEFINITIF") for s, e, *_ in mapped] + [(s, d) for s, d in unmapped if s]
    out: list[Entry] = []
    for start, entry, inferred, r in mapped:
        definitive = entry["appointment"] == "DEFINITIF"
        later = sorted(s for s, ends in starts if s > start and (ends or not definitive))
        if later:
            entry["tmt_end"] = later[0]
            inferred = [*inferred, "tmt_end"]
        entry["source"] = imp.source(r, inferred)
        out.append(entry)
    return out


def education(imp: Import, response: Response, ranks_read: list[Entry]) -> list[Entry]:
    levels = rows("tingkat_pendidikan")
    read: list[tuple[Entry, Reader, list[str]]] = []
    for record in response.data:
        r = imp.reader(response, record)
        _code, spec = r.code("tkPendidikanId", levels, "tingkat_pendidikan")
        graduated, inferred = r.date("tglLulus"), []
        if graduated is None and (year := r.text("tahunLulus")) and year.isdigit() and len(year) == 4:
            graduated, inferred = dt.date(int(year), 12, 31), ["graduated"]
        if spec is None or graduated is None:
            r.skip("tkPendidikanId" if spec is None else "tglLulus")
            imp.not_recorded.add("education")
            continue
        entry: Entry = {"level": spec["level"]}
        if major := r.text("pendidikanNama"):
            entry["major"] = major
        if school := r.text("namaSekolah"):
            entry["institution"] = school
        entry["graduated"] = graduated
        entry["recognised_for_rank"] = r.flag("isPendidikanPertama")
        entry["_ceiling"] = spec.get("ceiling")
        read.append((entry, r, inferred))
    _recognise(read, ranks_read)
    for entry, r, inferred in read:
        del entry["_ceiling"]
        entry["source"] = imp.source(
            r, [*inferred, "recognised_for_rank"] if entry["recognised_for_rank"] else inferred
        )
    _flag_unrecognised(imp, [(entry, r) for entry, r, _i in read])
    return [entry for entry, _r, _i in read]


def _recognise(read: list[tuple[Entry, Reader, list[str]]], ranks_read: list[Entry]) -> None:
    """SIASN has no recognition key. The entry education (isPendidikanPertama) is recognised; so is, for each
    KP penyesuaian ijazah (PP 99/2000 Pasal 18), the most recent diploma graduated before its TMT whose
    ceiling reaches the new rank."""
    order = list(rows("golongan").values())
    for rank in ranks_read:
        if rank.get("kp_type") != "PENYESUAIAN_IJAZAH":
            continue
        fits = [
            e
            for e, _r, _i in read
            if e["graduated"] <= rank["tmt"]
            and e["_ceiling"] is not None
            and order.index(rank["golongan"]) <= order.index(e["_ceiling"])
        ]
        if fits:
            max(fits, key=lambda e: e["graduated"])["recognised_for_rank"] = True


def _flag_unrecognised(imp: Import, read: list[tuple[Entry, Reader]]) -> None:
    entries = [entry for entry, _r in read]
    if entries:
        top = max(entries, key=lambda e: EDUCATION.rank(e["level"]))
        recognised = [e for e in entries if e["recognised_for_rank"]]
        best = max((EDUCATION.rank(e["level"]) for e in recognised), default=-1)
        if EDUCATION.rank(top["level"]) > best:
            # The highest diploma held shows no recognition for rank: unknown, not "not recognised".
            reader = next(r for e, r in read if e is top)
            reader.add("review", "recognition_unknown", "recognised_for_rank", level=top["level"])
            imp.not_recorded.add("education_for_rank")
