"""User-facing words in English and Indonesian: labels, notes, and the gap between observed and required."""

from __future__ import annotations

from engine.facts.model import Note
from engine.facts.promotion_vocabulary import RANK_PROMOTION_NOTES

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
    "more": ("+{n} more", "+{n} lainnya"),
    "n_problems": ("{n} problem|{n} problems", "{n} masalah"),
    "in_files": ("in {n} file|in {n} files", "dalam {n} berkas"),
    "n_candidates": ("{n} candidate|{n} candidates", "{n} kandidat"),
    "n_classes": ("{n} position class|{n} position classes", "{n} jabatan"),
    "n_flips": ("{n} verdict changes|{n} verdicts change", "{n} keputusan berubah"),
    "on_date": ("on {date}", "per {date}"),
    "severity": ("severity", "tingkat"),
    "error": ("error", "galat"),
    "warning": ("warning", "peringatan"),
    "where": ("where", "lokasi"),
    "field": ("field", "isian"),
    "code": ("code", "kode"),
    "message": ("message", "pesan"),
    "hint": ("hint", "petunjuk"),
    "result": ("result", "hasil"),
    "case": ("case", "kasus"),
    "differences": ("differences", "perbedaan"),
    "pass_side": ("pass side", "sisi lulus"),
    "fail_side": ("fail side", "sisi gagal"),
    "coverage": ("coverage", "cakupan"),
    "yes": ("yes", "ya"),
    "no": ("no", "tidak"),
    "condition": ("condition", "kondisi"),
    "any_of": ("any of", "salah satu dari"),
    "all_of": ("all of", "semua dari"),
    "n_errors": ("{n} error|{n} errors", "{n} galat"),
    "n_warnings": ("{n} warning|{n} warnings", "{n} peringatan"),
    "not_compared": ("not compared (in one rule set only)", "tidak dibandingkan (hanya ada di satu aturan)"),
    "gap_text": ("needs {need}, has {has}", "perlu {need}, dimiliki {has}"),
    "short_by": ("({amount} short)", "(kurang {amount})"),
    "check_summary": (
        "{n} candidate for {position} on {as_of}: {parts}|{n} candidates for {position} on {as_of}: {parts}",
        "{n} kandidat untuk {position} per {as_of}: {parts}",
    ),
}

NOTES: dict[str, tuple[str, str]] = {
    "birth_after_date": ("birth date {birth} is after {date}", "tanggal lahir {birth} setelah {date}"),
    "no_rank": ("no rank with TMT on or before {date}", "tidak ada pangkat dengan TMT sampai {date}"),
    "cpns_after_date": ("TMT CPNS {tmt} is after {date}", "TMT CPNS {tmt} setelah {date}"),
    "no_diploma": ("no recognised diploma on file", "tidak ada ijazah yang diakui"),
    "no_current_post": ("no definitive post open on {date}", "tidak ada jabatan definitif pada {date}"),
    "no_assessment": ("no competency assessment on file", "belum ada hasil penilaian kompetensi"),
    "no_jpm": (
        "assessment {assessment} has no JPM and no standards to compute it",
        "penilaian {assessment} tidak memuat JPM maupun standar untuk menghitungnya",
    ),
    "too_precise": ("{value} has more than {places} decimal places", "{value} memiliki lebih dari {places} desimal"),
    "no_pak": ("no credit-point assessment (PAK) on file", "belum ada penetapan angka kredit (PAK)"),
    "no_talent_box": ("no talent box on file", "belum ada kotak talenta"),
    "no_health_certificate": ("no health certificate on file", "belum ada surat keterangan sehat"),
    "no_rating": (
        "no usable rating for {year} (reason: {reason})",
        "tidak ada nilai kinerja yang dapat dipakai untuk {year} (alasan: {reason})",
    ),
    "not_recorded": (
        "not in the {source} records this dossier was imported from ({history})",
        "tidak ada dalam data {source} asal berkas ini ({history})",
    ),
    "no_evidence": ("no evidence on file", "tidak ada bukti"),
    "missing_fails": ("evidence missing, which fails this requirement", "bukti tidak ada, sehingga syarat gagal"),
    "acting_only": (
        "met only when acting (Plt/Plh) service counts ({with_acting} months in all); the board decides",
        "hanya terpenuhi bila masa Plt/Plh dihitung (seluruhnya {with_acting} bulan); diputuskan tim",
    ),
    "fail_is_review": (
        "not final yet (e.g. a pending examination or appeal); the board reviews it",
        "belum final (misalnya pemeriksaan atau banding belum diputus); ditinjau tim",
    ),
    "unconfirmed": (
        "not met, but no source confirms this threshold yet; the board decides",
        "tidak terpenuhi, tetapi ambang ini belum dikonfirmasi sumber; diputuskan tim",
    ),
    "pass_is_review": (
        "met only through an alternative no source settles; the board decides",
        "terpenuhi hanya melalui alternatif yang belum dipastikan sumber mana pun; diputuskan tim",
    ),
    "waived": (
        "waived by {authority}, {document} of {date}: {reason}",
        "dikecualikan oleh {authority}, {document} tanggal {date}: {reason}",
    ),
    "waiver_later": (
        "waiver {document} not counted: dated {date}, after {as_of}; the approval must come beforehand "
        "(PP 17/2020 Pasal 107 ayat (2))",
        "pengecualian {document} tidak dihitung: bertanggal {date}, sesudah {as_of}; persetujuan harus "
        "diperoleh terlebih dahulu (PP 17/2020 Pasal 107 ayat (2))",
    ),
    "waiver_expired": (
        "waiver {document} not counted: it expired on {expires}, before {as_of}",
        "pengecualian {document} tidak dihitung: berakhir pada {expires}, sebelum {as_of}",
    ),
} | RANK_PROMOTION_NOTES

OPS = {"eq": "=", "ne": "≠", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤", "in": "∈", "not_in": "∉"}


def pick(texts: tuple[str, str], lang: str) -> str:
    """The one place a language is chosen: (English, Indonesian) → the text in ``lang``."""
    return texts[1] if lang == "id" else texts[0]


def label(key: str, lang: str, n: int | None = None, **args: object) -> str:
    """The catalogue's text for ``key``. With ``n``, English "one|other" forms pick by count (Indonesian nouns
    do not inflect for number); ``{n}`` and other ``{name}`` fields are filled in."""
    text = pick(LABELS.get(key, (key, key)), lang)
    if "|" in text:
        one, other = text.split("|", 1)
        text = one if n == 1 else other
    if n is None and not args:
        return text
    return text.format_map(_Default({"n": n, **args}))


def note_text(value: Note | None, lang: str) -> str:
    if value is None:
        return ""
    return pick(NOTES.get(value.code, (value.code, value.code)), lang).format_map(_Default(value.args))


class _Default(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "?"


# ---- layak diff and explain's what-if section ------------------------------------------------------

LABELS.update(
    {
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
    }
)

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
    "eligible_until": (
        "Eligible now; if nothing else changes, eligible until {date}.",
        "Memenuhi syarat sekarang; bila tidak ada perubahan lain, sampai {date}.",
    ),
    "eligible_throughout": (
        "Eligible now and, if nothing else changes, throughout the next {years} years (until {date}).",
        "Memenuhi syarat sekarang dan, bila tidak ada perubahan lain, selama {years} tahun ke depan (sampai {date}).",
    ),
    "eligible_on": (
        "Earliest date of eligibility if only time passes: {date}.",
        "Tanggal paling awal memenuhi syarat bila hanya waktu yang berjalan: {date}.",
    ),
    "never": (
        "No date within {years} years (until {date}) on which time alone makes the candidate eligible: "
        "the changes above are needed.",
        "Tidak ada tanggal dalam {years} tahun (sampai {date}) yang membuat kandidat memenuhi syarat hanya "
        "dengan berjalannya waktu: perubahan di atas diperlukan.",
    ),
    "lapse": ("{id} stops being met on {date}: {why}", "{id} tidak terpenuhi lagi mulai {date}: {why}"),
    "version_from": (
        "From {date} the rules in force are {ruleset} {version}; days from then are decided under them.",
        "Mulai {date} aturan yang berlaku adalah {ruleset} {version}; hari-hari sejak itu diputus "
        "menurut aturan tersebut.",
    ),
    "no_version": (
        "From {date} no version of the rules for this position is in force.",
        "Mulai {date} tidak ada versi aturan yang berlaku untuk jabatan ini.",
    ),
}

# What each fact's requirement asks for, with {value} the nearest passing value ({post}, {name}, {code}, {n}
# filled from the fact name); facts not listed are described by the requirement's own text.
WHATIF_FACTS: dict[str, tuple[str, str]] = {
    "months_in_rank": ("{value} in rank", "{value} dalam pangkat"),
    "months_of_service": ("{value} of service", "masa kerja {value}"),
    "months_in_post": ("{value} as {post} (definitive)", "{value} sebagai {post} (definitif)"),
    "months_in_post_incl_acting": ("{value} as {post} (Plt/Plh included)", "{value} sebagai {post} (termasuk Plt/Plh)"),
    "months_in_post_with_penyetaraan": (
        "{value} as {post} and the JF it was converted to",
        "{value} sebagai {post} dan JF hasil penyetaraannya",
    ),
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
    "worst_sanction_last": (
        "heaviest sanction of the last {n} months {value}",
        "hukuman disiplin terberat {n} bulan terakhir {value}",
    ),
}


def whatif_text(key: str, lang: str, **args: object) -> str:
    return pick(WHATIF[key], lang).format_map(_Default({k: str(v) for k, v in args.items()}))


# ---- the audit commands ------------------------------------------------------------------------------

LABELS.update(
    {
        "audit.seq": ("seq", "no."),
        "audit.decision_id": ("decision id", "id keputusan"),
        "audit.recorded_at": ("recorded at", "dicatat"),
        "audit.board": ("board", "sidang"),
        "audit.actor": ("recorded by", "pencatat"),
        "audit.head": ("head", "kepala log"),
        "audit.hash": ("chain hash", "hash rantai"),
        "audit.records": ("records", "catatan"),
        "audit.result": ("result", "hasil"),
        "audit.problem": ("problem", "masalah"),
        "audit.where": ("requirement", "persyaratan"),
        "audit.field": ("field", "bagian"),
        "audit.recorded": ("recorded", "tercatat"),
        "audit.replayed": ("replayed", "diulang"),
        "audit.IDENTICAL": ("IDENTICAL", "IDENTIK"),
        "audit.DIFFERENT": ("DIFFERENT", "BERBEDA"),
        "audit.intact": ("intact", "utuh"),
        "audit.damaged": ("DAMAGED", "RUSAK"),
        "audit.list_more": (
            "{n} record shown; next page: --after {seq}|{n} records shown; next page: --after {seq}",
            "{n} catatan ditampilkan; halaman berikutnya: --after {seq}",
        ),
        "audit.damaged_summary": (
            "DAMAGED: first bad record {first} ({n} problem)|DAMAGED: first bad record {first} ({n} problems)",
            "RUSAK: catatan rusak pertama {first} ({n} masalah)",
        ),
        "audit.replay_summary": (
            "{n} decision replayed: {same} identical, {different} different|{n} decisions replayed: "
            "{same} identical, {different} different",
            "{n} keputusan diulang: {same} identik, {different} berbeda",
        ),
        "audit.recorded_line": (
            "recorded {n} decision in {store} as #{first}-#{last}; head {last}:{head}|recorded {n} "
            "decisions in {store} as #{first}-#{last}; head {last}:{head}",
            "{n} keputusan dicatat di {store} sebagai #{first}-#{last}; kepala log {last}:{head}",
        ),
        "verify.missing": (
            "record {seq} is missing: the log jumps from {before} to {after}",
            "catatan {seq} hilang: log melompat dari {before} ke {after}",
        ),
        "verify.out_of_order": (
            "record {seq} comes after record {before}",
            "catatan {seq} muncul setelah catatan {before}",
        ),
        "verify.chain_broken": (
            "its previous hash is not the chain hash of record {before}",
            "hash sebelumnya bukan hash rantai catatan {before}",
        ),
        "verify.content_changed": (
            "its content does not hash to its chain hash: the record was changed",
            "isinya tidak sesuai dengan hash rantainya: catatan telah diubah",
        ),
        "verify.moved": ("the record says it is number {claimed}", "catatan menyatakan dirinya nomor {claimed}"),
        "verify.column_changed": (
            "column {column} holds {found!r}, the record {expected!r}",
            "kolom {column} berisi {found!r}, catatan {expected!r}",
        ),
        "verify.personal_changed": (
            "personal data do not match their sealed digests: {fields}",
            "data pribadi tidak sesuai dengan digest tersegelnya: {fields}",
        ),
        "verify.unreadable": ("the record is not valid JSON", "catatan bukan JSON yang sah"),
        "verify.duplicate_id": (
            "decision id {id} is also record {other}",
            "id keputusan {id} juga dipakai catatan {other}",
        ),
        "verify.ruleset_missing": ("its ruleset {hash} is not stored", "aturan {hash} tidak tersimpan"),
        "verify.ruleset_changed": (
            "stored ruleset {hash} was changed (its content hashes to {actual})",
            "aturan tersimpan {hash} telah diubah (isinya ber-hash {actual})",
        ),
        "verify.truncated": (
            "the log ends at record {last}, but the expected head is record {expected}: records were removed",
            "log berakhir di catatan {last}, padahal kepala yang diharapkan catatan {expected}: catatan dihapus",
        ),
        "verify.head_mismatch": (
            "the chain hash differs from the expected head {expected}: the log was rewritten",
            "hash rantai berbeda dari kepala yang diharapkan {expected}: log telah ditulis ulang",
        ),
    }
)
