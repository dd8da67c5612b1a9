"""The fixed vocabulary of facts rules may name: types, ranges, descriptions, value encoding."""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from engine.facts.calendar import iso_duration
from engine.facts.families import FAMILIES, Kind, family_pattern, split_name
from engine.facts.promotion_vocabulary import RANK_PROMOTION_FACTS
from engine.facts.scales import COMPETENCIES, SCALES, Scale

DECIMAL_PLACES = 2
_SCALE_FACTOR = 10**DECIMAL_PLACES


class FactSpec(BaseModel):
    """One fact of the vocabulary (or one member of a fact family such as competency.M01)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    kind: Kind
    scale: str | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    en: str
    id: str

    @property
    def ordered(self) -> bool:
        return self.kind != "bool" and (self.kind != "scale" or SCALES[str(self.scale)].ordered)

    def scale_obj(self) -> Scale:
        return SCALES[str(self.scale)]


def _f(
    name: str,
    kind: Kind,
    en: str,
    id_: str,
    *,
    scale: str | None = None,
    lo: int | str | None = None,
    hi: int | str | None = None,
) -> FactSpec:
    return FactSpec(
        name=name,
        kind=kind,
        scale=scale,
        en=en,
        id=id_,
        minimum=None if lo is None else Decimal(lo),
        maximum=None if hi is None else Decimal(hi),
    )


_FIXED = [
    _f("age_years", "int", "Age in completed years", "Usia dalam tahun penuh", lo=0, hi=100),
    _f("golongan", "scale", "Current rank (golongan ruang)", "Golongan ruang saat ini", scale="golongan"),
    _f(
        "months_in_rank",
        "months",
        "Time in the current rank since its TMT (CLTN leave taken out)",
        "Masa kerja dalam golongan sejak TMT (tanpa masa CLTN)",
        lo=0,
        hi=720,
    ),
    _f(
        "months_of_service",
        "months",
        "Service since TMT CPNS (CLTN leave taken out)",
        "Masa kerja sejak TMT CPNS (tanpa masa CLTN)",
        lo=0,
        hi=720,
    ),
    _f("employee_status", "scale", "Employment status", "Status kepegawaian", scale="employee_status"),
    _f(
        "education",
        "scale",
        "Highest recognised education (foreign degrees need an equivalence decree)",
        "Pendidikan tertinggi yang diakui (ijazah luar negeri perlu penyetaraan)",
        scale="education",
    ),
    _f(
        "education_for_rank",
        "scale",
        "Highest education recognised for rank (penyesuaian ijazah)",
        "Pendidikan tertinggi yang diakui untuk pangkat",
        scale="education",
    ),
    _f("current_post", "scale", "Current definitive post", "Jabatan definitif saat ini", scale="post"),
    _f(
        "months_in_jf_keterampilan",
        "months",
        "Definitive service in skill-track JF posts (Pemula, Terampil, Mahir, Penyelia), periods merged",
        "Masa jabatan definitif JF keterampilan (Pemula, Terampil, Mahir, Penyelia), periode digabung",
        lo=0,
        hi=720,
    ),
    _f(
        "jpm",
        "decimal",
        "Job Person Match of the latest assessment, percent",
        "Job Person Match penilaian kompetensi terakhir, persen",
        lo=0,
        hi=200,
    ),
    _f(
        "jpm_capped",
        "decimal",
        "JPM of the latest assessment, capped at 100 percent",
        "JPM penilaian kompetensi terakhir, paling tinggi 100 persen",
        lo=0,
        hi=100,
    ),
    _f(
        "assessment_age_months",
        "months",
        "Age of the latest competency assessment",
        "Umur hasil penilaian kompetensi terakhir",
        lo=0,
        hi=720,
    ),
    _f(
        "assessment_months_started",
        "months",
        "Age of the latest competency assessment, a started month counted whole (36 months and 1 day is 37)",
        "Umur hasil penilaian kompetensi terakhir, bulan yang sudah dimulai dihitung penuh",
        lo=0,
        hi=720,
    ),
    _f(
        "assessment_accredited",
        "bool",
        "The latest assessment was made by an accredited provider",
        "Penilaian terakhir dilakukan oleh penyelenggara terakreditasi",
    ),
    _f(
        "sanction_active",
        "bool",
        "A disciplinary sanction is running on the date",
        "Sedang menjalani hukuman disiplin pada tanggal tersebut",
    ),
    _f(
        "sanction_pending",
        "bool",
        "A disciplinary examination, objection or appeal is pending",
        "Sedang diperiksa, atau keberatan/banding hukuman disiplin belum diputus",
    ),
    _f(
        "credit_points_jenjang",
        "decimal",
        "Cumulative credit points for the next jenjang",
        "Angka kredit kumulatif untuk kenaikan jenjang",
        lo=0,
        hi=10000,
    ),
    _f(
        "credit_points_pangkat",
        "decimal",
        "Cumulative credit points for the next rank",
        "Angka kredit kumulatif untuk kenaikan pangkat",
        lo=0,
        hi=10000,
    ),
    _f(
        "talent_box",
        "int",
        "Talent box (nine-box, PermenPANRB 3/2020)",
        "Kotak talenta (PermenPANRB 3/2020)",
        lo=1,
        hi=9,
    ),
    _f(
        "health_certificate_age_months",
        "months",
        "Age of the latest health certificate",
        "Umur surat keterangan sehat terakhir",
        lo=0,
        hi=720,
    ),
    _f(
        "health_certificate_months_started",
        "months",
        "Age of the latest health certificate, a started month counted whole (6 months and 1 day is 7)",
        "Umur surat keterangan sehat terakhir, bulan yang sudah dimulai dihitung penuh",
        lo=0,
        hi=720,
    ),
    _f("criminal_record", "scale", "Criminal record", "Catatan pidana", scale="criminal_record"),
    _f(
        "below_education_ceiling",
        "bool",
        "Current rank is below the regular-promotion ceiling of the education recognised for rank (PP 99/2000)",
        "Golongan saat ini di bawah batas kenaikan pangkat reguler menurut pendidikan yang diakui (PP 99/2000)",
    ),
    _f(
        "new_diploma",
        "bool",
        "Holds a recognised diploma above the one recognised for rank (penyesuaian ijazah open)",
        "Memiliki ijazah yang diakui di atas ijazah yang diakui untuk pangkat (penyesuaian ijazah terbuka)",
    ),
    _f(
        "below_diploma_start_rank",
        "bool",
        "Current rank is below the starting rank of the highest recognised diploma (PP 99/2000)",
        "Golongan saat ini di bawah pangkat awal ijazah tertinggi yang diakui (PP 99/2000)",
    ),
    _f(
        "as_of_day",
        "int",
        "Day of month of the as-of date (the proposed TMT)",
        "Tanggal (hari) dari tanggal penilaian (TMT yang diusulkan)",
        lo=1,
        hi=31,
    ),
    _f(
        "as_of_month",
        "int",
        "Month of the as-of date (the proposed TMT)",
        "Bulan dari tanggal penilaian (TMT yang diusulkan)",
        lo=1,
        hi=12,
    ),
    *(_f(name, kind, en, id_, lo=lo, hi=hi) for name, kind, en, id_, lo, hi in RANK_PROMOTION_FACTS),
]

VOCABULARY = {spec.name: spec for spec in _FIXED}


@functools.cache
def lookup(name: str) -> FactSpec | None:
    """The spec of a fact name, including family members (``competency.M01``); memoised (pure, and called
    for every fact of every candidate)."""
    if name in VOCABULARY:
        return VOCABULARY[name]
    split = split_name(name)
    if split is None:
        return None
    family, member = split
    kind, scale, lo, hi, en, id_ = FAMILIES[family]
    shown = member if family != "competency" else f"{member} ({COMPETENCIES.get(member, (member,))[0]})"
    return _f(name, kind, en.format(shown), id_.format(shown), scale=scale, lo=lo, hi=hi)


def listing() -> list[FactSpec | tuple[str, str, str, str]]:
    """Every fixed fact, and every family as (pattern, kind, en, id), for ``layak facts --list``."""
    out: list[FactSpec | tuple[str, str, str, str]] = list(_FIXED)
    for family, (kind, scale, _lo, _hi, en, id_) in FAMILIES.items():
        out.append((family_pattern(family), scale or kind, en.format("<member>"), id_.format("<member>")))
    return out


def encode(spec: FactSpec, value: Any) -> int:
    """The integer the engines compare: ranks for scales, hundredths for decimals, 0/1 for bools."""
    if spec.kind == "scale":
        return spec.scale_obj().rank(value)
    if spec.kind == "decimal":
        return int(Decimal(value) * _SCALE_FACTOR)
    if spec.kind == "bool":
        return 1 if value else 0
    return int(value)


def display(spec: FactSpec, value: Any) -> Any:
    """A fact value as JSON output shows it (durations in ISO 8601, decimals as numbers)."""
    if spec.kind == "months":
        return iso_duration(int(value))
    if spec.kind == "decimal":
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() else float(number)
    return value
