"""User-facing words in English and Indonesian: labels, notes, and the gap between observed and required."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from engine.calendar import duration_text
from engine.derive import Note
from engine.facts import FactSpec

LANGS = ("en", "id")

LABELS: dict[str, tuple[str, str]] = {
    "eligible": ("eligible", "memenuhi syarat"),
    "needs_review": ("needs review", "perlu ditinjau"),
    "not_eligible": ("not eligible", "tidak memenuhi syarat"),
    "pass": ("pass", "lulus"),
    "fail": ("fail", "gagal"),
    "missing": ("missing", "tidak ada data"),
    "invalid": ("invalid", "tidak sah"),
    "waived": ("waived", "dikecualikan"),
    "rank": ("#", "#"),
    "nip": ("NIP", "NIP"),
    "name": ("name", "nama"),
    "verdict": ("verdict", "keputusan"),
    "passed": ("passed", "terpenuhi"),
    "failing": ("not met", "tidak terpenuhi"),
    "jpm": ("JPM", "JPM"),
    "golongan": ("rank", "golongan"),
    "requirement": ("requirement", "persyaratan"),
    "status": ("status", "status"),
    "observed": ("has", "dimiliki"),
    "expected": ("needs", "syarat"),
    "gap": ("gap", "selisih"),
    "basis": ("basis", "dasar hukum"),
    "position": ("position", "jabatan"),
    "title": ("title", "nama jabatan"),
    "requirements": ("requirements", "persyaratan"),
    "fact": ("fact", "fakta"),
    "type": ("type", "jenis"),
    "description": ("description", "keterangan"),
    "as_of": ("as of", "per tanggal"),
    "ruleset": ("ruleset", "aturan"),
    "candidate": ("candidate", "kandidat"),
    "value": ("value", "nilai"),
}

NOTES: dict[str, tuple[str, str]] = {
    "birth_after_date": ("birth date {birth} is after {date}", "tanggal lahir {birth} setelah {date}"),
    "no_rank": ("no rank with TMT on or before {date}", "tidak ada pangkat dengan TMT sampai {date}"),
    "cpns_after_date": ("TMT CPNS {tmt} is after {date}", "TMT CPNS {tmt} setelah {date}"),
    "no_diploma": ("no recognised diploma on file", "tidak ada ijazah yang diakui"),
    "no_current_post": ("no definitive post open on {date}", "tidak ada jabatan definitif pada {date}"),
    "no_assessment": ("no competency assessment on file", "belum ada hasil penilaian kompetensi"),
    "no_jpm": ("assessment {assessment} has no JPM and no standards to compute it",
               "penilaian {assessment} tidak memuat JPM maupun standar untuk menghitungnya"),
    "too_precise": ("{value} has more than {places} decimal places", "{value} memiliki lebih dari {places} desimal"),
    "no_pak": ("no credit-point assessment (PAK) on file", "belum ada penetapan angka kredit (PAK)"),
    "no_talent_box": ("no talent box on file", "belum ada kotak talenta"),
    "no_health_certificate": ("no health certificate on file", "belum ada surat keterangan sehat"),
    "no_rating": ("no usable rating for {year} (reason: {reason})",
                  "tidak ada nilai kinerja yang dapat dipakai untuk {year} (alasan: {reason})"),
    "no_evidence": ("no evidence on file", "tidak ada bukti"),
    "missing_fails": ("evidence missing, which fails this requirement", "bukti tidak ada, sehingga syarat gagal"),
    "acting_only": ("met only when acting (Plt/Plh) service counts ({with_acting} months in all); the board decides",
                    "hanya terpenuhi bila masa Plt/Plh dihitung (seluruhnya {with_acting} bulan); diputuskan tim"),
    "fail_is_review": ("not final yet (e.g. a pending examination or appeal); the board reviews it",
                       "belum final (misalnya pemeriksaan atau banding belum diputus); ditinjau tim"),
    "waived": ("waived by {authority}, {document} of {date}: {reason}",
               "dikecualikan oleh {authority}, {document} tanggal {date}: {reason}"),
}

OPS = {"eq": "=", "ne": "≠", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤", "in": "∈", "not_in": "∉"}


def label(key: str, lang: str) -> str:
    en, id_ = LABELS.get(key, (key, key))
    return id_ if lang == "id" else en


def note_text(value: Note | None, lang: str) -> str:
    if value is None:
        return ""
    en, id_ = NOTES.get(value.code, (value.code, value.code))
    return (id_ if lang == "id" else en).format_map(_Default(value.args))


class _Default(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def shown(spec: FactSpec | None, value: Any, lang: str) -> str:
    """A fact value for people: durations in years and months, booleans as words."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(shown(spec, v, lang) for v in value)
    if spec is not None and spec.kind == "months":
        return duration_text(_months(value), lang)
    if isinstance(value, bool):
        return ("yes" if value else "no") if lang == "en" else ("ya" if value else "tidak")
    return str(value)


def _months(value: Any) -> int:
    if isinstance(value, int):
        return value
    text = str(value).removeprefix("P")  # ISO form P3Y5M
    years, _, rest = text.partition("Y") if "Y" in text else ("0", "", text)
    return int(years) * 12 + int(rest.removesuffix("M") or 0)


def gap_text(spec: FactSpec | None, op: str, observed: Any, expected: Any, lang: str) -> str:
    """'needs 4 years, has 3 years 5 months (7 months short)' or 'needs level 3, has 2'."""
    need = f"{OPS[op]} {shown(spec, expected, lang)}"
    has = shown(spec, observed, lang)
    if spec is not None and spec.name.startswith("competency."):
        need = f"level {OPS[op]} {expected}"
    text = f"needs {need}, has {has}" if lang == "en" else f"perlu {need}, dimiliki {has}"
    if spec is not None and spec.kind in ("months", "int", "decimal") and op in ("gte", "gt"):
        short = (_months(expected) - _months(observed) if spec.kind == "months"
                 else Decimal(str(expected)) - Decimal(str(observed)))
        if op == "gt":
            short += 1 if spec.kind != "decimal" else Decimal("0.01")
        amount = shown(spec, short, lang) if spec.kind == "months" else str(short)
        text += f" ({amount} short)" if lang == "en" else f" (kurang {amount})"
    return text
