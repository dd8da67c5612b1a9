"""Seeded generator of realistic candidate dossiers for the benchmark.

The same seed always gives the same candidates, so runs are comparable. Each dossier is built
as plain data and validated through the real ``Candidate`` model (as a candidate file would be),
with career histories that exercise the derivations: rank ladders, definitive and acting (Plt)
posts, functional jenjang, two rating schemes, assessments with and without a JPM, sanctions,
waivers, and about 5 % of dossiers with a gap (no assessment, a rating year without a usable
rating, a foreign diploma without equivalence).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any, get_args

from engine.load.candidate import Candidate
from engine.load.values import Golongan

AS_OF = dt.date(2026, 1, 1)
SEED = 20250601

_GIVEN = (
    "Siti",
    "Budi",
    "Agus",
    "Dewi",
    "Rina",
    "Andi",
    "Ahmad",
    "Nur",
    "Putu",
    "Made",
    "Yohanes",
    "Maria",
    "Fitri",
    "Eko",
    "Wahyu",
    "Sri",
    "Dian",
    "Rizky",
    "Indah",
    "Hendra",
)
_FAMILY = (
    "Rahma",
    "Santoso",
    "Wijaya",
    "Saputra",
    "Lestari",
    "Hidayat",
    "Siregar",
    "Nasution",
    "Pratama",
    "Kusuma",
    "Simanjuntak",
    "Wibowo",
    "Utami",
    "Gunawan",
    "Purba",
    "Harahap",
)
_GOLONGAN: tuple[str, ...] = get_args(Golongan)  # the PP 99/2000 ladder, lowest first
# Starting rank by entry diploma (PP 99/2000 as commonly applied), and the weights of each diploma.
_ENTRY: dict[str, tuple[str, int]] = {
    "SLTA": ("II/a", 6),
    "D3": ("II/c", 10),
    "S1": ("III/a", 52),
    "D4": ("III/a", 5),
    "S2": ("III/b", 25),
    "S3": ("III/c", 2),
}
_COMPETENCY_CODES = ("M01", "M02", "M03", "M04", "M05", "M06", "M07", "M08", "SK01")
_EXPECTATION = ("DI_BAWAH", "SESUAI", "DI_ATAS")


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _years(date: dt.date, years: float) -> dt.date:
    return date + dt.timedelta(days=round(years * 365.25))


class _Dossier:
    """One candidate's history, built forward in time from the entry into service."""

    def __init__(self, rng: random.Random, index: int) -> None:
        self.rng = rng
        self.index = index
        self.birth = _date_between(rng, _years(AS_OF, -58), _years(AS_OF, -27))
        self.diploma = rng.choices(list(_ENTRY), weights=[w for _g, w in _ENTRY.values()])[0]
        self.tmt_cpns = min(_date_between(rng, _years(self.birth, 22), _years(self.birth, 32)), _years(AS_OF, -1))

    def build(self) -> dict[str, Any]:
        rng = self.rng
        sex = rng.choice("12")
        status = rng.choices(("PNS", "CPNS", "PPPK"), weights=(95, 3, 2))[0]
        data: dict[str, Any] = {
            "nip": f"{self.birth:%Y%m%d}{self.tmt_cpns:%Y%m}{sex}{self.index % 1000:03d}",
            "name": f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}",
            "birth_date": self.birth,
            "instansi_id": f"inst-{rng.randint(1, 60):02d}",
            "employee_status": status,
            "tmt_cpns": self.tmt_cpns,
            "tmt_pns": _years(self.tmt_cpns, 1),
            "pangkat": self.ranks(),
            "education": self.education(),
            "positions": self.positions(),
            "performance": self.performance(),
            "competency_assessments": self.assessments(),
            "discipline": self.discipline(),
            "trainings": self.trainings(),
            "hukuman_pidana": rng.choices(("NONE", "CONVICTED", "IN_PROCESS"), weights=(994, 3, 3))[0],
        }
        if rng.random() < 0.01:  # a handful of age waivers, so the waiver path is exercised
            data["waivers"] = [
                {
                    "position": "administrator-bench",
                    "requirement": "age",
                    "authority": "KEPALA_BKN",
                    "document": f"BKN-{self.index}/2025",
                    "date": _years(AS_OF, -0.2),
                    "reason": "scarce expertise",
                }
            ]
        return data

    def ranks(self) -> list[dict[str, Any]]:
        # Regular promotion every four years or so, from the entry rank, stopping at IV/c.
        rank = _GOLONGAN.index(_ENTRY[self.diploma][0])
        tmt = self.tmt_cpns
        out = [{"golongan": _GOLONGAN[rank], "tmt": tmt, "kp_type": "PENGANGKATAN"}]
        while rank < _GOLONGAN.index("IV/c"):
            tmt = _years(tmt, self.rng.uniform(3.8, 6.0))
            if tmt > AS_OF:
                break
            rank += 1
            out.append({"golongan": _GOLONGAN[rank], "tmt": tmt, "kp_type": "REGULER"})
        return out

    def education(self) -> list[dict[str, Any]]:
        graduated = _years(self.tmt_cpns, -self.rng.uniform(0.5, 3))
        entry: dict[str, Any] = {"level": self.diploma, "graduated": graduated, "recognised_for_rank": True}
        if self.rng.random() < 0.007:  # a foreign diploma still waiting for its equivalence decree
            entry.update(foreign=True, recognised_for_rank=False)
        out = [entry]
        if self.diploma == "S1" and self.rng.random() < 0.2:  # a master's earned while in service
            out.append({"level": "S2", "graduated": _date_between(self.rng, self.tmt_cpns, AS_OF)})
        return out

    def positions(self) -> list[dict[str, Any]]:
        rng = self.rng
        career = rng.choices(("pelaksana", "structural", "functional"), weights=(25, 50, 25))[0]
        earliest, latest = _years(self.tmt_cpns, 2), _years(AS_OF, -0.5)
        if career == "pelaksana" or earliest > latest:  # too recent an entry to have moved up yet
            return [{"jenis": "PELAKSANA", "tmt_start": self.tmt_cpns}]
        promoted = _date_between(rng, earliest, latest)
        out: list[dict[str, Any]] = [{"jenis": "PELAKSANA", "tmt_start": self.tmt_cpns, "tmt_end": promoted}]
        if career == "functional":
            out.append(
                {
                    "jenis": "JF",
                    "jf_name": "Analis Kebijakan",
                    "jf_kategori": "KEAHLIAN",
                    "jf_jenjang": rng.choice(("AHLI_PERTAMA", "AHLI_MUDA", "AHLI_MUDA")),
                    "tmt_start": promoted,
                }
            )
            return out
        if rng.random() < 0.12:  # acting (Plt) Pengawas first; some are never made definitive
            definitive = _years(promoted, rng.uniform(0.5, 3))
            out.append(
                {"jenis": "PENGAWAS", "appointment": "PLT", "tmt_start": promoted, "tmt_end": min(definitive, AS_OF)}
            )
            if definitive < AS_OF and rng.random() < 0.6:
                out.append({"jenis": "PENGAWAS", "tmt_start": definitive, "eselon_legacy": "IV.a"})
            return out
        out.append({"jenis": "PENGAWAS", "tmt_start": promoted, "eselon_legacy": "IV.a"})
        return out

    def performance(self) -> list[dict[str, Any]]:
        rng = self.rng
        out: list[dict[str, Any]] = []
        for year in range(AS_OF.year - 3, AS_OF.year):
            if rng.random() < 0.008:  # the year has an entry but no usable rating
                out.append(
                    {
                        "period": str(year),
                        "scheme": "PERMENPANRB_6_2022",
                        "missing_reason": rng.choice(("CLTN", "TUGAS_BELAJAR", "NOT_SUBMITTED")),
                    }
                )
            elif rng.random() < 0.5:  # the 2022 matrix, written as its two ratings
                out.append(
                    {
                        "period": str(year),
                        "scheme": "PERMENPANRB_6_2022",
                        "rating_hasil_kerja": rng.choices(_EXPECTATION, weights=(6, 70, 24))[0],
                        "rating_perilaku": rng.choices(_EXPECTATION, weights=(5, 70, 25))[0],
                    }
                )
            else:
                out.append(
                    {
                        "period": str(year),
                        "scheme": "PERMENPANRB_6_2022",
                        "predikat": rng.choices(
                            ("SANGAT_BAIK", "BAIK", "BUTUH_PERBAIKAN", "KURANG"), weights=(20, 70, 7, 3)
                        )[0],
                    }
                )
        return out

    def assessments(self) -> list[dict[str, Any]]:
        rng = self.rng
        if rng.random() < 0.025:  # never assessed
            return []
        scores = [
            {
                "code": code,
                "attained": Decimal(
                    rng.choices(("2", "2.5", "3", "3.25", "3.5", "4"), weights=(5, 6, 50, 10, 19, 10))[0]
                ),
                "standard": 3,
            }
            for code in _COMPETENCY_CODES
        ]
        entry: dict[str, Any] = {
            "assessment_id": f"PK-{self.index:06d}",
            "provider": "UPT Penilaian Kompetensi",
            "provider_accredited": rng.random() < 0.9,
            "date": _date_between(rng, _years(AS_OF, -3), AS_OF),
            "purpose": "PEMETAAN",
            "scores": scores,
        }
        if rng.random() < 0.7:
            entry["jpm_percent"] = Decimal(rng.randint(5500, 9900)) / 100
        return [entry]

    def discipline(self) -> list[dict[str, Any]]:
        rng = self.rng
        if rng.random() >= 0.05:
            return []
        decided = _date_between(rng, _years(AS_OF, -4), AS_OF)
        level = rng.choices(("RINGAN", "SEDANG", "BERAT"), weights=(60, 30, 10))[0]
        kind = {"RINGAN": "TEGURAN_TERTULIS", "SEDANG": "POTONG_TUKIN_9", "BERAT": "PENURUNAN_JABATAN_12"}[level]
        status = rng.choices(("DECIDED", "COMPLETED", "UNDER_EXAMINATION"), weights=(40, 50, 10))[0]
        return [
            {
                "level": level,
                "type": kind,
                "regulation": "PP94_2021",
                "decided": decided,
                "effective_start": decided,
                "effective_end": _years(decided, 1),
                "status": status,
            }
        ]

    def trainings(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = [{"type": "LATSAR", "passed": _years(self.tmt_cpns, 0.8)}]
        if self.rng.random() < 0.4:
            out.append({"type": "PKP", "passed": _date_between(self.rng, self.tmt_cpns, AS_OF)})
        return out


def generate(n: int, seed: int = SEED) -> list[Candidate]:
    """``n`` validated candidates; deterministic for a given seed."""
    rng = random.Random(seed)
    return [Candidate.model_validate(_Dossier(rng, index).build()) for index in range(n)]
