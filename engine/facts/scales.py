"""Ordered and unordered vocabularies of the civil service (ranks, education, ratings, posts, ...).

Each scale maps a value as written in files to the integer the rule engine compares; the order
of the list is the legal order (low to high) where the scale is ordered.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    """A closed vocabulary; ``ordered`` scales support <, <=, >, >=."""

    name: str
    values: tuple[str, ...]
    ordered: bool
    # Several spellings can share a rank (D4 and S1 are equal for every requirement).
    ranks: dict[str, int]

    def rank(self, value: str) -> int:
        return self.ranks[value]

    def label(self, rank: int) -> str:
        """The first value written for a rank (the canonical spelling)."""
        for value in self.values:
            if self.ranks[value] == rank:
                return value
        raise KeyError(rank)


def _scale(name: str, values: list[str], *, ordered: bool, same: dict[str, str] | None = None) -> Scale:
    ranks: dict[str, int] = {}
    next_rank = 1
    for value in values:
        if same and value in same:
            ranks[value] = ranks[same[value]]
        else:
            ranks[value] = next_rank
            next_rank += 1
    return Scale(name=name, values=tuple(values), ordered=ordered, ranks=ranks)


# PP 99/2000 rank ladder, 17 ordinal steps.
GOLONGAN = _scale(
    "golongan",
    [
        f"{group}/{room}"
        for group, rooms in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
        for room in rooms
    ],
    ordered=True,
)

# Education as compared by position requirements: D4 equals S1; a professional
# degree (dokter, apoteker) ranks with S2 as it does for the starting rank.
EDUCATION = _scale(
    "education",
    ["SD", "SLTP", "SLTP_KEJURUAN", "SLTA", "D1", "D2", "D3", "S1", "D4", "S2", "PROFESI", "S3"],
    ordered=True,
    same={"SLTP_KEJURUAN": "SLTP", "D4": "S1", "PROFESI": "S2"},
)

# One normalised performance scale across the appraisal regimes; the legacy words
# map onto the PermenPANRB 6/2022 vocabulary by their position below or above "Baik".
PREDIKAT = _scale(
    "predikat",
    [
        "SANGAT_KURANG",
        "BURUK",
        "KURANG",
        "KURANG_MISCONDUCT",
        "SEDANG",
        "BUTUH_PERBAIKAN",
        "CUKUP",
        "BAIK",
        "SANGAT_BAIK",
        "AMAT_BAIK",
    ],
    ordered=True,
    same={
        "BURUK": "SANGAT_KURANG",
        "KURANG_MISCONDUCT": "KURANG",
        "SEDANG": "KURANG",
        "CUKUP": "BUTUH_PERBAIKAN",
        "AMAT_BAIK": "SANGAT_BAIK",
    },
)

# PP 94/2021 sanction levels, with NONE below the lightest.
SANCTION_LEVEL = _scale("sanction_level", ["NONE", "RINGAN", "SEDANG", "BERAT"], ordered=True)

POSTS = _scale(
    "post",
    [
        "JPT_UTAMA",
        "JPT_MADYA",
        "JPT_PRATAMA",
        "ADMINISTRATOR",
        "PENGAWAS",
        "PELAKSANA",
        "AHLI_PERTAMA",
        "AHLI_MUDA",
        "AHLI_MADYA",
        "AHLI_UTAMA",
        "PEMULA",
        "TERAMPIL",
        "MAHIR",
        "PENYELIA",
    ],
    ordered=False,
)

EMPLOYEE_STATUS = _scale("employee_status", ["CPNS", "PNS", "PPPK"], ordered=False)
CRIMINAL_RECORD = _scale("criminal_record", ["NONE", "IN_PROCESS", "CONVICTED"], ordered=False)

TRAINING_TYPES = (
    "LATSAR",
    "PKP",
    "PKA",
    "PKN_II",
    "PKN_I",
    "DIKLATPIM_IV",
    "DIKLATPIM_III",
    "DIKLATPIM_II",
    "TEKNIS",
    "FUNGSIONAL",
)

EXAM_TYPES = ("UJIAN_DINAS_TK_I", "UJIAN_DINAS_TK_II", "UPKP")

# Highest rank a regular promotion (KP reguler) can reach with the education recognised for rank,
# PP 99/2000 jo PP 12/2002. D1 shares the SLTA row; PROFESI (dokter,
# apoteker) shares the S2 row.
RANK_CEILING: dict[str, str] = {
    "SD": "II/a",
    "SLTP": "II/c",
    "SLTP_KEJURUAN": "II/d",
    "SLTA": "III/b",
    "D1": "III/b",
    "D2": "III/b",
    "D3": "III/c",
    "S1": "III/d",
    "D4": "III/d",
    "S2": "IV/a",
    "PROFESI": "IV/a",
    "S3": "IV/b",
}

# Starting rank of a diploma (PP 99/2000 jo PP 12/2002, VERIFIED in kemkes and regional KP guides): the rank a
# promotion on a new diploma (penyesuaian ijazah) leads to. D1 shares the SLTA row; PROFESI the S2 row.
START_RANK: dict[str, str] = {
    "SD": "I/a",
    "SLTP": "I/c",
    "SLTP_KEJURUAN": "I/c",
    "SLTA": "II/a",
    "D1": "II/a",
    "D2": "II/b",
    "D3": "II/c",
    "S1": "III/a",
    "D4": "III/a",
    "S2": "III/b",
    "PROFESI": "III/b",
    "S3": "III/c",
}

# Administration posts and the JF jenjang they were converted to by penyetaraan (PermenPANRB 17/2021):
# service on both sides of the conversion date counts together.
PENYETARAAN: dict[str, str] = {"ADMINISTRATOR": "AHLI_MADYA", "PENGAWAS": "AHLI_MUDA"}

# PermenPANRB 38/2017 managerial (M01..M08) and socio-cultural (SK01) competencies.
COMPETENCIES: dict[str, tuple[str, str]] = {
    "M01": ("Integritas", "Integrity"),
    "M02": ("Kerjasama", "Teamwork"),
    "M03": ("Komunikasi", "Communication"),
    "M04": ("Orientasi pada Hasil", "Results orientation"),
    "M05": ("Pelayanan Publik", "Public service"),
    "M06": ("Pengembangan Diri dan Orang Lain", "Developing self and others"),
    "M07": ("Mengelola Perubahan", "Managing change"),
    "M08": ("Pengambilan Keputusan", "Decision making"),
    "SK01": ("Perekat Bangsa", "National unifier"),
}

SCALES = {s.name: s for s in (GOLONGAN, EDUCATION, PREDIKAT, SANCTION_LEVEL, POSTS, EMPLOYEE_STATUS, CRIMINAL_RECORD)}


# PermenPANRB 6/2022 matrix, hasil kerja × perilaku.
RATING_MATRIX = {
    ("DI_ATAS", "DI_BAWAH"): "KURANG_MISCONDUCT",
    ("DI_ATAS", "SESUAI"): "BAIK",
    ("DI_ATAS", "DI_ATAS"): "SANGAT_BAIK",
    ("SESUAI", "DI_BAWAH"): "KURANG_MISCONDUCT",
    ("SESUAI", "SESUAI"): "BAIK",
    ("SESUAI", "DI_ATAS"): "BAIK",
    ("DI_BAWAH", "DI_BAWAH"): "SANGAT_KURANG",
    ("DI_BAWAH", "SESUAI"): "BUTUH_PERBAIKAN",
    ("DI_BAWAH", "DI_ATAS"): "BUTUH_PERBAIKAN",
}

# Numeric bands per scheme, highest first. PP 30/2019 "Sangat Baik" also needs a new
# idea or method, which a score cannot show, so 110-120 reads as "Baik" unless a predikat is given.
RATING_BANDS: dict[str, list[tuple[int, str]]] = {
    "DP3_PP10_1979": [(91, "AMAT_BAIK"), (76, "BAIK"), (61, "CUKUP"), (51, "SEDANG"), (0, "BURUK")],
    "PP46_2011": [(91, "SANGAT_BAIK"), (76, "BAIK"), (61, "CUKUP"), (51, "KURANG"), (0, "BURUK")],
    "PP30_2019": [(90, "BAIK"), (70, "CUKUP"), (50, "KURANG"), (0, "SANGAT_KURANG")],
}

# How long a PP 94/2021 sanction runs when the file gives no end: reprimands have no
# duration; tukin cuts run 6/9/12 months; demotion and release to pelaksana 12 months; dismissal never ends.
SANCTION_MONTHS = {
    "TEGURAN_LISAN": 0,
    "TEGURAN_TERTULIS": 0,
    "PERNYATAAN_TIDAK_PUAS": 0,
    "POTONG_TUKIN_6": 6,
    "POTONG_TUKIN_9": 9,
    "POTONG_TUKIN_12": 12,
    "PENURUNAN_JABATAN_12": 12,
    "PEMBEBASAN_KE_PELAKSANA_12": 12,
}
