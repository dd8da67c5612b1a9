"""The report's own words in English and Indonesian (engine labels are reused through ``word``)."""

from __future__ import annotations

from engine.present.i18n import label

WORDS: dict[str, tuple[str, str]] = {
    "board_title": ("Promotion board report", "Laporan sidang tim penilai kinerja"),
    "cover": ("Cover", "Sampul"),
    "board": ("board reference", "nomor sidang"),
    "actor": ("recorded by", "dicatat oleh"),
    "recorded_at": ("recorded at", "waktu pencatatan"),
    "seq_range": ("records", "catatan"),
    "head": ("audit store head at printing", "kepala log audit saat dicetak"),
    "head_hint": ("Check this paper against the store later with", "Cocokkan dokumen ini dengan log audit memakai"),
    "ruleset_hash": ("ruleset hash", "hash aturan"),
    "version": ("version", "versi"),
    "summary": ("Summary", "Ringkasan"),
    "count": ("count", "jumlah"),
    "total": ("total", "total"),
    "chart_requirements": (
        "Requirements not met, by how many candidates",
        "Persyaratan yang tidak terpenuhi, menurut jumlah kandidat",
    ),
    "chart_jpm": ("JPM of eligible candidates", "JPM kandidat yang memenuhi syarat"),
    "none_unmet": ("Every requirement was met by every candidate.", "Semua persyaratan dipenuhi semua kandidat."),
    "no_jpm": ("No eligible candidate has a JPM on file.", "Tidak ada kandidat memenuhi syarat yang memiliki JPM."),
    "candidates_axis": ("candidates", "kandidat"),
    "jpm_category": ("JPM category", "kategori JPM"),
    "shortlist": ("Ranked shortlist", "Daftar peringkat"),
    "shortlist_note": (
        "Eligible first, then needs review, then not eligible; within each by JPM, rank and time in rank.",
        "Memenuhi syarat lebih dulu, lalu perlu ditinjau, lalu tidak memenuhi syarat; di dalamnya "
        "menurut JPM, golongan dan masa kerja dalam golongan.",
    ),
    "decision_id": ("decision id", "id keputusan"),
    "seq": ("no.", "no."),
    "chain_hash": ("chain hash", "hash rantai"),
    "waivers": ("Waivers", "Pengecualian"),
    "authority": ("authority", "pejabat berwenang"),
    "document": ("document", "dokumen"),
    "date": ("date", "tanggal"),
    "reason": ("reason", "alasan"),
    "no_waivers": ("No waivers.", "Tidak ada pengecualian."),
    "replay": ("replay from the stored ruleset", "pengulangan dari aturan tersimpan"),
    "replayed_line": (
        "{same} of {total} records give the same decision again",
        "{same} dari {total} catatan menghasilkan keputusan yang sama",
    ),
    "replay_same": ("identical to the record", "identik dengan catatan"),
    "replay_differs": ("DIFFERS from the record: {what}", "BERBEDA dari catatan: {what}"),
    "future": ("What would make the candidate eligible, and when", "Yang diperlukan agar memenuhi syarat, dan kapan"),
    "future_note": (
        "Computed under the recorded ruleset only (today's rule files are not read).",
        "Dihitung hanya menurut aturan yang tercatat (berkas aturan saat ini tidak dibaca).",
    ),
    "future_none": (
        "Not available: the candidate snapshot of the record does not read.",
        "Tidak tersedia: salinan data kandidat dalam catatan tidak dapat dibaca.",
    ),
    "printed_from": (
        "Printed from the audit store: every figure comes from the recorded decisions.",
        "Dicetak dari log audit: semua angka berasal dari keputusan yang tercatat.",
    ),
    "page_of": ("candidate {n} of {total}", "kandidat {n} dari {total}"),
    "facts_at": ("facts as of", "fakta per tanggal"),
    # the change dossier
    "dossier_title": ("Rule change dossier", "Berkas perubahan aturan"),
    "base": ("current rules (BASE)", "aturan berlaku (BASE)"),
    "proposed": ("proposed rules (PROPOSED)", "aturan usulan (PROPOSED)"),
    "population": ("population", "populasi"),
    "population_hash": ("population hash", "hash populasi"),
    "rule_changes": ("What changes in the rules", "Perubahan aturan"),
    "no_rule_changes": ("The requirements are the same in both rule sets.", "Persyaratan sama pada kedua aturan."),
    "change": ("change", "perubahan"),
    "same_version": (
        "The proposed rules change the content but keep the version number: give them a new version "
        "before they take effect, so decisions made under each can be told apart.",
        "Aturan usulan mengubah isi tetapi tetap memakai nomor versi yang sama: beri versi baru "
        "sebelum berlaku, agar keputusan menurut masing-masing aturan dapat dibedakan.",
    ),
    "added": ("added", "ditambahkan"),
    "removed": ("removed", "dihapus"),
    "changed": ("changed", "diubah"),
    "field": ("field", "bagian"),
    "before": ("before", "sebelum"),
    "after": ("after", "sesudah"),
    "cases": ("Case tests of the proposed rules", "Uji kasus aturan usulan"),
    "cases_line": (
        "{passed} of {total} cases pass; coverage {percent} % of requirement sides (pass and fail).",
        "{passed} dari {total} kasus lulus; cakupan {percent} % sisi persyaratan (lulus dan gagal).",
    ),
    "no_cases": (
        "No case files (*.cases.yaml) were found beside the proposed rules.",
        "Tidak ada berkas kasus (*.cases.yaml) di samping aturan usulan.",
    ),
    "case": ("case", "kasus"),
    "case_problems": (
        "These case files could not be read, so their cases did not run:",
        "Berkas kasus berikut tidak dapat dibaca, sehingga kasusnya tidak dijalankan:",
    ),
    "result": ("result", "hasil"),
    "differences": ("differences", "perbedaan"),
    "uncovered": ("Requirement sides no case exercises", "Sisi persyaratan yang belum diuji kasus"),
    "side_pass": ("pass side", "sisi lulus"),
    "side_fail": ("fail side", "sisi gagal"),
    "population_diff": ("Whom the change affects", "Siapa yang terdampak"),
    "causes": ("Causes of verdict changes", "Penyebab perubahan keputusan"),
    "cause_count": ("candidates", "kandidat"),
    "flip_list": ("Candidates whose verdict changes", "Kandidat yang keputusannya berubah"),
    "no_flips": ("No verdict changes.", "Tidak ada keputusan yang berubah."),
    "problems": ("Input problems", "Masalah masukan"),
    "hashes": ("Hashes", "Hash"),
    "sign": ("Approved by (name, position, date, signature)", "Disetujui oleh (nama, jabatan, tanggal, tanda tangan)"),
    "dossier_cite": (
        "Cite this dossier by the SHA-256 of this file, printed by layak when it was written.",
        "Rujuk berkas ini dengan SHA-256 berkas ini, yang dicetak layak saat berkas ditulis.",
    ),
}


def word(key: str, lang: str) -> str:
    """A report word in ``lang``, falling back to the engine's labels."""
    if key in WORDS:
        en, id_ = WORDS[key]
        return id_ if lang == "id" else en
    return label(key, lang)
