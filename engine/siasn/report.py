"""The import report: per NIP, what was inferred, what disagreed, what could not be mapped, what failed."""

from __future__ import annotations

from typing import Any

from engine.present.render import rows_text, to_json
from engine.siasn.values import Finding

KINDS: dict[str, tuple[str, str]] = {
    "error": ("error", "galat"),
    "unmapped": ("unmapped", "tidak terpetakan"),
    "disagreement": ("disagreement", "tidak sesuai"),
    "inferred": ("inferred", "disimpulkan"),
    "review": ("review", "perlu ditinjau"),
    "skipped": ("skipped", "dilewati"),
}
MESSAGES: dict[str, tuple[str, str]] = {
    "html_page": (
        "an HTML page, not a SIASN JSON response (a login or gateway error page saved as .json?)",
        "halaman HTML, bukan respons JSON SIASN (halaman galat login/gateway tersimpan sebagai .json?)",
    ),
    "bad_json": ("not valid JSON (truncated?): {detail}", "bukan JSON yang sah (terpotong?): {detail}"),
    "bad_envelope": (
        "not a SIASN response: no 'data' (found {found})",
        "bukan respons SIASN: tidak ada 'data' (ditemukan {found})",
    ),
    "gateway_error": ("a gateway error response: {message}", "respons galat gateway: {message}"),
    "not_ok": ("the response code is {code_value}, not 1: {message}", "kode respons {code_value}, bukan 1: {message}"),
    "message_instead_of_data": (
        "'data' holds a message, not records: {message}",
        "'data' berisi pesan, bukan data: {message}",
    ),
    "bad_data": ("'data' is a {found}, expected a {expected}", "'data' berupa {found}, seharusnya {expected}"),
    "other_nip": ("a record of NIP {found}, not of this folder's NIP", "data milik NIP {found}, bukan NIP folder ini"),
    "other_person": (
        "a record of SIASN person {found}, not of this NIP's person id",
        "data milik id PNS {found}, bukan id PNS NIP ini",
    ),
    "duplicate_row": ("the same row id appears twice", "id baris yang sama muncul dua kali"),
    "duplicate_nip": (
        "this NIP was already imported from an earlier entry",
        "NIP ini sudah diimpor dari entri sebelumnya",
    ),
    "too_large": (
        "{size} bytes, over the {limit}-byte limit for one response",
        "{size} byte, melebihi batas {limit} byte untuk satu respons",
    ),
    "bad_folder_name": ("folder name is not {expected}", "nama folder bukan {expected}"),
    "bad_nip": ("NIP is not {expected}", "NIP bukan {expected}"),
    "bad_bundle_line": ("not a bundle entry; expected {expected}", "bukan entri bundel; seharusnya {expected}"),
    "no_data_utama": ("no data-utama response: no dossier can be built", "tidak ada respons data-utama"),
    "not_served": ("the web service answered HTTP {status}", "layanan web menjawab HTTP {status}"),
    "fetch_failed": (
        "fetching failed after retries: {status} {detail}",
        "pengambilan gagal setelah diulang: {status} {detail}",
    ),
    "stale_removed": (
        "the dossier of an earlier import was removed: it no longer matches SIASN",
        "berkas hasil impor sebelumnya dihapus karena tidak lagi sesuai SIASN",
    ),
    "csv_no_nip_column": ("no NIP BARU column", "tidak ada kolom NIP BARU"),
    "dossier_invalid": ("the dossier cannot be written: {detail}", "berkas tidak dapat ditulis: {detail}"),
    "unknown_file": ("not a SIASN endpoint this importer reads", "bukan endpoint SIASN yang dibaca"),
    "not_a_string": (
        "{type} {value} where SIASN sends a string; left missing",
        "{type} {value} padahal SIASN mengirim teks; dianggap kosong",
    ),
    "bad_date": (
        "{value!r} is not a date (dd-mm-yyyy, yyyy-mm-dd or ISO); left missing",
        "{value!r} bukan tanggal; dianggap kosong",
    ),
    "bad_number": ("{value!r} is not a number; left missing", "{value!r} bukan angka; dianggap kosong"),
    "unknown_code": (
        "unknown {table} code {value!r}; left missing",
        "kode {table} {value!r} tidak dikenal; dianggap kosong",
    ),
    "row_skipped": (
        "record not imported: {key} is {value} (missing, unreadable, or without a candidate-file value)",
        "data tidak diimpor: {key} bernilai {value} (kosong, tak terbaca, atau tanpa padanan)",
    ),
    "kp_kind_without_value": (
        "KP kind {value} ({name}) has no candidate-file value; kp_type left empty",
        "jenis KP {value} ({name}) tidak punya padanan; kp_type dikosongkan",
    ),
    "not_active": ("legal position {value}: not an active civil servant", "kedudukan hukum {value}: bukan PNS aktif"),
    "rank_differs": (
        "data-utama says {profile}, the rank history's latest row ({history_row}) says {history}; rank left missing",
        "data-utama {profile}, riwayat golongan terakhir ({history_row}) {history}; golongan dianggap kosong",
    ),
    "predikat_differs": (
        "stored predikat {stored}, PermenPANRB 6/2022 matrix gives {computed} for hasil {hasil} x "
        "perilaku {perilaku}; rating left missing",
        "predikat tersimpan {stored}, matriks PermenPANRB 6/2022 memberi {computed} untuk hasil "
        "{hasil} x perilaku {perilaku}; predikat dianggap kosong",
    ),
    "sanction_level_differs": (
        "level {stored}, but the sanction type is {expected}",
        "tingkat {stored}, padahal jenis hukuman bertingkat {expected}",
    ),
    "recognition_unknown": (
        "no sign that the {level} diploma is recognised for rank; left missing",
        "tidak ada tanda ijazah {level} diakui untuk pangkat; dianggap kosong",
    ),
    "no_response": ("response absent: this history is unknown", "respons tidak ada: riwayat ini tidak diketahui"),
    "not_mapped_rw_kinerjaperiodik": (
        "{rows} periodic ratings kept as source only (the annual SKP is used)",
        "{rows} nilai kinerja periodik hanya disimpan sebagai sumber",
    ),
    "not_mapped_rw_angkakredit": (
        "{rows} PAK rows kept as source only (cumulative totals are not stated)",
        "{rows} baris PAK hanya disimpan sebagai sumber (total kumulatif tidak tersedia)",
    ),
    "code_normalised": ("code {value!r} read as {read_as!r}", "kode {value!r} dibaca sebagai {read_as!r}"),
    "inferred_tmt_end": ("end date taken from the next position's TMT", "tanggal akhir dari TMT jabatan berikutnya"),
    "inferred_appointment": (
        "no assignment kind recorded: assumed DEFINITIF",
        "jenis penugasan kosong: dianggap definitif",
    ),
    "inferred_recognised_for_rank": (
        "recognised for rank: entry education or a later KP penyesuaian ijazah",
        "diakui untuk pangkat: pendidikan pertama atau KP penyesuaian ijazah",
    ),
    "inferred_jf_jenjang": ("jenjang read from the position name", "jenjang dibaca dari nama jabatan"),
    "inferred_jf_kategori": ("category read from the position name", "kategori dibaca dari nama jabatan"),
    "inferred_graduated": ("no diploma date: 31 December of the graduation year", "tanpa tanggal ijazah: 31 Desember"),
    "inferred_scheme": ("appraisal scheme taken from the year", "dasar penilaian dari tahunnya"),
    "inferred_effective_end": ("end = start + duration", "akhir = mulai + masa hukuman"),
    "inferred_level": ("sanction level taken from its type", "tingkat hukuman dari jenisnya"),
    "inferred_type": ("training type recognised from its name", "jenis pelatihan dikenali dari namanya"),
}
HEADERS = ("nip", "kind", "file", "record_id", "key", "message")
HEADERS_ID = ("nip", "jenis", "berkas", "id_baris", "kunci", "keterangan")


class _Args(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def message(finding: Finding, lang: str) -> str:
    en, id_ = MESSAGES.get(finding.code, (finding.code, finding.code))
    template = (id_ if lang == "id" else en).replace("!r}", "}")
    return template.format_map(_Args(finding.args, key=finding.key))


def rows(findings: list[Finding], lang: str) -> list[dict[str, Any]]:
    headers = HEADERS_ID if lang == "id" else HEADERS
    out = []
    for f in findings:
        kind = KINDS[f.kind][1 if lang == "id" else 0]
        out.append(dict(zip(headers, (f.nip, kind, f.file, f.record_id, f.key, message(f, lang)), strict=True)))
    return out


def render(findings: list[Finding], written: list[str], failed: list[str], fmt: str, lang: str) -> str:
    if fmt == "json":
        return to_json(
            {
                "written": written,
                "failed": failed,
                "findings": [
                    {
                        "nip": f.nip,
                        "kind": f.kind,
                        "code": f.code,
                        "file": f.file,
                        "record_id": f.record_id,
                        "key": f.key,
                        "args": f.args,
                        "message": message(f, lang),
                    }
                    for f in findings
                ],
            }
        )
    return rows_text(rows(findings, lang), fmt, headers=HEADERS_ID if lang == "id" else HEADERS)
