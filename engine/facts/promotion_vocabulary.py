"""The rank-promotion facts of the vocabulary (KP pilihan struktural, the cap at the direct superior's rank,
penyesuaian ijazah) and the notes saying why one is unknown: name, kind, English and Indonesian description,
range."""

from __future__ import annotations

from typing import Literal

Row = tuple[str, Literal["int", "bool", "months"], str, str, int | None, int | None]

RANK_PROMOTION_FACTS: tuple[Row, ...] = (
    (
        "rank_within_superior",
        "bool",
        "The next rank does not exceed the direct superior's rank",
        "Pangkat berikutnya tidak melampaui pangkat atasan langsung",
        None,
        None,
    ),
    (
        "post_band_floor_steps",
        "int",
        "Steps of the current rank above the lowest rank of the structural post's eselon (-1: one step below it)",
        "Selisih tingkat golongan saat ini dari pangkat terendah eselon jabatan struktural (-1: satu tingkat di bawah)",
        -16,
        16,
    ),
    (
        "post_band_top_steps",
        "int",
        "Steps from the current rank up to the highest rank of the structural post's eselon (0: at the top)",
        "Selisih tingkat dari golongan saat ini sampai pangkat tertinggi eselon jabatan struktural (0: di puncak)",
        -16,
        16,
    ),
    (
        "months_in_current_post",
        "months",
        "Definitive service in the kind of post held now (CLTN leave taken out)",
        "Masa jabatan definitif pada jenis jabatan yang diduduki sekarang (tanpa masa CLTN)",
        0,
        720,
    ),
    (
        "diploma_matches_duties",
        "bool",
        "The HR office states the new diploma matches the duties of the post held (penyesuaian ijazah)",
        "Instansi menyatakan ijazah baru sesuai dengan tugas jabatan yang diduduki (penyesuaian ijazah)",
        None,
        None,
    ),
    (
        "diploma_formation_available",
        "bool",
        "The HR office states a formation for the higher rank is open (penyesuaian ijazah)",
        "Instansi menyatakan formasi untuk pangkat yang lebih tinggi tersedia (penyesuaian ijazah)",
        None,
        None,
    ),
)

# Why one of these facts is unknown (the note codes the deriver gives), in English and Indonesian.
RANK_PROMOTION_NOTES: dict[str, tuple[str, str]] = {
    "no_superior_rank": ("the direct superior's rank is not on file", "pangkat atasan langsung tidak tercatat"),
    "no_structural_post": ("no structural post held on {date}", "tidak menduduki jabatan struktural pada {date}"),
    "no_echelon": ("the eselon of the {post} post is not on file", "eselon jabatan {post} tidak tercatat"),
    "no_diploma_statement": (
        "no statement of the HR office on the new diploma (diploma_adjustment) is on file",
        "tidak ada pernyataan instansi tentang ijazah baru (diploma_adjustment)",
    ),
}
