"""User-facing words in English and Indonesian: labels, notes, and the gap between observed and required."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from engine.facts.calendar import add_months, completed_months, duration_text
from engine.facts.derive import Note
from engine.facts.vocabulary import FactSpec

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
    "not_recorded": ("not in the {source} records this dossier was imported from ({history})",
                     "tidak ada dalam data {source} asal berkas ini ({history})"),
    "no_evidence": ("no evidence on file", "tidak ada bukti"),
    "missing_fails": ("evidence missing, which fails this requirement", "bukti tidak ada, sehingga syarat gagal"),
    "acting_only": ("met only when acting (Plt/Plh) service counts ({with_acting} months in all); the board decides",
                    "hanya terpenuhi bila masa Plt/Plh dihitung (seluruhnya {with_acting} bulan); diputuskan tim"),
    "fail_is_review": ("not final yet (e.g. a pending examination or appeal); the board reviews it",
                       "belum final (misalnya pemeriksaan atau banding belum diputus); ditinjau tim"),
    "unconfirmed": ("not met, but no source confirms this threshold yet; the board decides",
                    "tidak terpenuhi, tetapi ambang ini belum dikonfirmasi sumber; diputuskan tim"),
    "pass_is_review": ("met only through an alternative no source settles; the board decides",
                       "terpenuhi hanya melalui alternatif yang belum dipastikan sumber mana pun; diputuskan tim"),
    "waived": ("waived by {authority}, {document} of {date}: {reason}",
               "dikecualikan oleh {authority}, {document} tanggal {date}: {reason}"),
    "waiver_later": ("waiver {document} not counted: dated {date}, after {as_of}; the approval must come beforehand "
                     "(PP 17/2020 Pasal 107 ayat (2))",
                     "pengecualian {document} tidak dihitung: bertanggal {date}, sesudah {as_of}; persetujuan harus "
                     "diperoleh terlebih dahulu (PP 17/2020 Pasal 107 ayat (2))"),
    "waiver_expired": ("waiver {document} not counted: it expired on {expires}, before {as_of}",
                       "pengecualian {document} tidak dihitung: berakhir pada {expires}, sebelum {as_of}"),
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


# Yes/no facts in words a board reads: fact -> (true en, false en, true id, false id).
BOOL_WORDS: dict[str, tuple[str, str, str, str]] = {
    "sanction_active": ("serving a sanction", "no sanction running",
                        "sedang menjalani hukuman", "tidak ada hukuman berjalan"),
    "sanction_pending": ("examination or appeal pending", "nothing pending",
                         "pemeriksaan atau banding belum diputus", "tidak ada yang belum diputus"),
    "assessment_accredited": ("accredited provider", "provider not accredited",
                              "penyelenggara terakreditasi", "penyelenggara tidak terakreditasi"),
    "new_diploma": ("a higher diploma not yet recognised for rank", "no higher diploma than the one recognised",
                    "ijazah lebih tinggi yang belum diakui untuk pangkat", "tidak ada ijazah di atas yang diakui"),
    "below_diploma_start_rank": ("below the starting rank of the new diploma",
                                 "at or above the starting rank of the new diploma",
                                 "di bawah pangkat awal ijazah baru",
                                 "sudah pada atau di atas pangkat awal ijazah baru"),
    "below_education_ceiling": ("below the ceiling of the education recognised for rank",
                                "at the ceiling of the education recognised for rank",
                                "di bawah batas pangkat pendidikan yang diakui",
                                "sudah pada batas pangkat pendidikan yang diakui"),
}


SANCTION_WORDS = {"NONE": ("none", "tidak ada"), "RINGAN": ("light (ringan)", "ringan"),
                  "SEDANG": ("moderate (sedang)", "sedang"), "BERAT": ("heavy (berat)", "berat")}


def shown(spec: FactSpec | None, value: Any, lang: str) -> str:
    """A fact value for people: durations in years and months, ages in years, booleans as words."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(shown(spec, v, lang) for v in value)
    if spec is not None and spec.kind == "months":
        return duration_text(_months(value), lang)
    if spec is not None and spec.name in BOOL_WORDS and isinstance(value, bool):
        words = BOOL_WORDS[spec.name]
        return words[(0 if value else 1) + (2 if lang == "id" else 0)]
    if spec is not None and spec.scale == "sanction_level" and value in SANCTION_WORDS:
        return SANCTION_WORDS[value][1 if lang == "id" else 0]
    if spec is not None and spec.name == "age_years":
        return f"{value} years" if lang == "en" else f"{value} tahun"
    if isinstance(value, bool):
        return ("yes" if value else "no") if lang == "en" else ("ya" if value else "tidak")
    return str(value)


def _months(value: Any) -> int:
    if isinstance(value, int):
        return value
    text = str(value).removeprefix("P")  # ISO form P3Y5M
    years, _, rest = text.partition("Y") if "Y" in text else ("0", "", text)
    return int(years) * 12 + int(rest.removesuffix("M") or 0)


def _short_to_the_day(expected: Any, anchor: dt.date, as_of: dt.date, lang: str) -> str:
    """'1 day short: met on 2026-12-02': the time still missing when the service runs on, exact to the day."""
    reach = add_months(anchor, _months(expected))
    months = completed_months(as_of, reach)
    days = (reach - add_months(as_of, months)).days
    parts = [duration_text(months, lang)] if months else []
    if days or not parts:
        parts.append(f"{days} {'day' if days == 1 else 'days'}" if lang == "en" else f"{days} hari")
    amount = " ".join(parts)
    return (f" ({amount} short: met on {reach})" if lang == "en"
            else f" (kurang {amount}: terpenuhi pada {reach})")


def gap_text(spec: FactSpec | None, op: str, observed: Any, expected: Any, lang: str, *,
             anchor: dt.date | None = None, as_of: dt.date | None = None) -> str:
    """'needs 4 years, has 3 years 5 months (7 months short)' or 'needs level 3, has 2'; with the day a running
    service period counts from, the shortfall is exact to the day ('1 day short: met on 2026-12-02')."""
    need = f"{OPS[op]} {shown(spec, expected, lang)}"
    has = shown(spec, observed, lang)
    if spec is not None and spec.name.startswith("competency."):
        need = f"level {OPS[op]} {expected}"
    text = f"needs {need}, has {has}" if lang == "en" else f"perlu {need}, dimiliki {has}"
    if spec is not None and spec.kind == "months" and op == "gte" and anchor is not None and as_of is not None:
        return text + _short_to_the_day(expected, anchor, as_of, lang)
    if spec is not None and spec.kind in ("months", "int", "decimal") and op in ("gte", "gt"):
        short = (_months(expected) - _months(observed) if spec.kind == "months"
                 else Decimal(str(expected)) - Decimal(str(observed)))
        if op == "gt":
            short += 1 if spec.kind != "decimal" else Decimal("0.01")
        amount = shown(spec, short, lang) if spec.kind == "months" else str(short)
        text += f" ({amount} short)" if lang == "en" else f" (kurang {amount})"
    return text


# ---- layak diff and explain's what-if section ------------------------------------------------------

LABELS.update({
    "verdict_before": ("verdict before", "keputusan sebelum"),
    "verdict_after": ("verdict after", "keputusan sesudah"),
    "needs_before": ("needs before", "syarat sebelum"),
    "needs_after": ("needs after", "syarat sesudah"),
    "candidates": ("candidates", "kandidat"),
    "flips": ("verdict changes", "perubahan keputusan"),
    "other_changes": ("other requirement changes", "perubahan persyaratan lain"),
    "diff_summary": ("summary per position class", "ringkasan per jabatan"),
    "absent": ("(not in these rules)", "(tidak ada dalam aturan ini)"),
    "what_if": ("What would make the candidate eligible", "Yang diperlukan agar kandidat memenuhi syarat"),
    "change_needed": ("change needed", "perubahan yang diperlukan"),
    "time_alone": ("by time alone", "dengan berjalannya waktu"),
})

WHATIF: dict[str, tuple[str, str]] = {
    "needed_has": ("{what} needed, has {has}", "{what} diperlukan, dimiliki {has}"),
    "needed_missing": ("{what} needed; not on file: {why}", "{what} diperlukan; belum ada data: {why}"),
    "needed_invalid": ("{what} needed; the evidence is not valid: {why}", "{what} diperlukan; bukti tidak sah: {why}"),
    "needed_review": ("{what} needed, has {has}; {why}", "{what} diperlukan, dimiliki {has}; {why}"),
    "needed_text": ("needed: {what} (has {has})", "diperlukan: {what} (dimiliki {has})"),
    "needed_text_missing": ("needed: {what}; not on file: {why}", "diperlukan: {what}; belum ada data: {why}"),
    "no_value": ("no value of {fact} can pass", "tidak ada nilai {fact} yang dapat memenuhi"),
    "reached_on": ("{what} on {date}", "{what} pada {date}"),
    "any_of": ("one of the alternatives below", "salah satu alternatif di bawah"),
    "all_of": ("every part below", "semua bagian di bawah"),
    "at_most": ("at most {value}", "paling tinggi {value}"),
    "under": ("under {value}", "di bawah {value}"),
    "one_of": ("one of {values}", "salah satu dari {values}"),
    "other_than": ("other than {values}", "selain {values}"),
    "eligible_now": ("Eligible now.", "Memenuhi syarat sekarang."),
    "eligible_until": ("Eligible now; if nothing else changes, eligible until {date}.",
                       "Memenuhi syarat sekarang; bila tidak ada perubahan lain, sampai {date}."),
    "eligible_throughout": ("Eligible now and, if nothing else changes, throughout the next {years} years "
                            "(until {date}).",
                            "Memenuhi syarat sekarang dan, bila tidak ada perubahan lain, selama {years} tahun "
                            "ke depan (sampai {date})."),
    "eligible_on": ("Earliest date of eligibility if only time passes: {date}.",
                    "Tanggal paling awal memenuhi syarat bila hanya waktu yang berjalan: {date}."),
    "never": ("No date within {years} years (until {date}) on which time alone makes the candidate eligible: "
              "the changes above are needed.",
              "Tidak ada tanggal dalam {years} tahun (sampai {date}) yang membuat kandidat memenuhi syarat hanya "
              "dengan berjalannya waktu: perubahan di atas diperlukan."),
    "lapse": ("{id} stops being met on {date}: {why}", "{id} tidak terpenuhi lagi mulai {date}: {why}"),
    "version_from": ("From {date} the rules in force are {ruleset} {version}; days from then are decided under them.",
                     "Mulai {date} aturan yang berlaku adalah {ruleset} {version}; hari-hari sejak itu diputus "
                     "menurut aturan tersebut."),
    "no_version": ("From {date} no version of the rules for this position is in force.",
                   "Mulai {date} tidak ada versi aturan yang berlaku untuk jabatan ini."),
}

# What each fact's requirement asks for, with {value} the nearest passing value ({post}, {name}, {code}, {n}
# filled from the fact name); facts not listed are described by the requirement's own text.
WHATIF_FACTS: dict[str, tuple[str, str]] = {
    "months_in_rank": ("{value} in rank", "{value} dalam pangkat"),
    "months_of_service": ("{value} of service", "masa kerja {value}"),
    "months_in_post": ("{value} as {post} (definitive)", "{value} sebagai {post} (definitif)"),
    "months_in_post_incl_acting": ("{value} as {post} (Plt/Plh included)", "{value} sebagai {post} (termasuk Plt/Plh)"),
    "months_in_post_with_penyetaraan": ("{value} as {post} and the JF it was converted to",
                                        "{value} sebagai {post} dan JF hasil penyetaraannya"),
    "assessment_age_months": ("a competency assessment {value} old", "hasil penilaian kompetensi berumur {value}"),
    "health_certificate_age_months": ("a health certificate {value} old", "surat keterangan sehat berumur {value}"),
    "age_years": ("age {value}", "usia {value}"),
    "competency": ("{name} ({code}) level {value}", "{name} ({code}) level {value}"),
    "education": ("{value}", "{value}"),
    "education_for_rank": ("{value} recognised for rank", "{value} yang diakui untuk pangkat"),
    "golongan": ("rank {value}", "golongan {value}"),
    "rating_min_last": ("rating {value} in each of the last {n} year(s)", "predikat {value} pada {n} tahun terakhir"),
    "jpm": ("JPM {value}%", "JPM {value}%"),
    "jpm_capped": ("JPM {value}%", "JPM {value}%"),
    "credit_points_jenjang": ("{value} credit points for the jenjang", "angka kredit kenaikan jenjang {value}"),
    "credit_points_pangkat": ("{value} credit points for the rank", "angka kredit kenaikan pangkat {value}"),
    "talent_box": ("talent box {value}", "kotak talenta {value}"),
    "worst_sanction_last_24m": ("heaviest sanction of the last 24 months {value}",
                                "hukuman disiplin terberat 24 bulan terakhir {value}"),
}


def whatif_text(key: str, lang: str, **args: object) -> str:
    en, id_ = WHATIF[key]
    return (id_ if lang == "id" else en).format_map(_Default({k: str(v) for k, v in args.items()}))


def whatif_subject(spec: FactSpec, fact: str, op: str, target: Any, lang: str) -> str | None:
    """'4 years in rank', 'Integritas (M01) level 3', 'S1', 'age at most 56'; None: use the requirement's text."""
    from engine.facts.scales import COMPETENCIES

    family, _, member = fact.partition(".")
    if fact.startswith("rating_min_last_"):
        family, member = "rating_min_last", fact.removeprefix("rating_min_last_").removesuffix("y")
    phrase = WHATIF_FACTS.get(family if member else fact)
    if phrase is None or op not in ("gte", "gt", "lte", "lt", "eq"):
        return None
    value = shown(spec, target, lang)
    if op == "lt" and spec.kind == "int" and isinstance(target, int):
        value = whatif_text("under", lang, value=shown(spec, target + 1, lang))  # "under 56", not "at most 55"
    elif op in ("lte", "lt"):
        value = whatif_text("at_most", lang, value=value)
    name = COMPETENCIES.get(member, (member,))[0]  # the official (Indonesian) name, as boards use it
    post = member.replace("_", " ").title()
    return (phrase[1] if lang == "id" else phrase[0]).format(value=value, post=post, code=member, n=member,
                                                             name=name)
