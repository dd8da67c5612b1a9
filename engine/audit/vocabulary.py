"""The audit words about record versions and the dossier, in English and Indonesian (joined into the catalogue by
views.py)."""

from __future__ import annotations

VERSION_LABELS: dict[str, tuple[str, str]] = {
    "verify.too_new": (
        "not verifiable by this layak: record version {version!r}, this layak reads 1 to {known}; upgrade layak",
        "tidak dapat diverifikasi oleh layak ini: versi catatan {version!r}, layak ini membaca 1 sampai {known}; "
        "perbarui layak",
    ),
    "verify.dossier_changed": (
        "the disclosed dossier does not hash to the record's candidate hash: sha256 {actual}, the record {hash}",
        "berkas yang dibuka tidak sesuai dengan hash kandidat catatan: sha256 {actual}, catatan {hash}",
    ),
    "audit.unverifiable": ("UNVERIFIABLE", "TIDAK DAPAT DIVERIFIKASI"),
    "audit.unverifiable_summary": (
        "UNVERIFIABLE by this layak: {n} record of a newer version, the first {first}; upgrade layak"
        "|UNVERIFIABLE by this layak: {n} records of a newer version, the first {first}; upgrade layak",
        "TIDAK DAPAT DIVERIFIKASI oleh layak ini: {n} catatan versi lebih baru, yang pertama {first}; perbarui layak",
    ),
}
