"""Fact families (one fact per member, such as competency.M01 or rating_min_last_2y): members and names."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from engine.facts.scales import COMPETENCIES, EXAM_TYPES, PENYETARAAN, POSTS, TRAINING_TYPES

Kind = Literal["int", "decimal", "bool", "months", "scale"]

POST_KEYS = tuple(v.lower() for v in POSTS.values)
RATING_YEARS = (1, 2, 3)
# Look-back windows (months) a rule file may pick for "no moderate or heavy sanction": PP 11/2017 Pasal 107
# asks for none "dalam 2 tahun terakhir" (24); an overlay may state another window with its own basis.
SANCTION_WINDOWS = (12, 24, 36, 60)

FAMILIES: dict[str, tuple[Kind, str | None, int | None, int | None, str, str]] = {
    # family: kind, scale, min, max, english description, Indonesian description ({} = member)
    "months_in_post": (
        "months",
        None,
        0,
        720,
        "Definitive service in post {} (CLTN leave taken out)",
        "Masa jabatan definitif {} (tanpa masa CLTN)",
    ),
    "months_in_post_incl_acting": (
        "months",
        None,
        0,
        720,
        "Service in post {} including Plt/Plh",
        "Masa jabatan {} termasuk Plt/Plh",
    ),
    "rating_min_last": (
        "scale",
        "predikat",
        None,
        None,
        "Lowest performance rating of the last {} calendar year(s); missing if a year has none",
        "Predikat kinerja terendah {} tahun kalender terakhir; kosong bila ada tahun tanpa nilai",
    ),
    "competency": (
        "decimal",
        None,
        0,
        5,
        "Attained level of competency {} in the latest assessment",
        "Level kompetensi {} pada penilaian terakhir",
    ),
    "training": ("bool", None, None, None, "Has passed training {}", "Telah lulus pelatihan {}"),
    "exam": ("bool", None, None, None, "Has passed rank-promotion examination {}", "Telah lulus ujian {}"),
    "months_in_post_with_penyetaraan": (
        "months",
        None,
        0,
        720,
        "Definitive service in post {} plus the JF jenjang it was converted to",
        "Masa jabatan definitif {} ditambah jenjang JF hasil penyetaraannya",
    ),
    "worst_sanction_last": (
        "scale",
        "sanction_level",
        None,
        None,
        "Heaviest sanction in force during the last {} months (NONE if none)",
        "Hukuman disiplin terberat yang berlaku dalam {} bulan terakhir (NONE bila tidak ada)",
    ),
}

# Families named family_<member><unit> rather than family.<member>; the unit is part of the name
# (worst_sanction_last_24m predates the family and keeps its name).
_SUFFIXED = {"rating_min_last": "y", "worst_sanction_last": "m"}

MEMBER_PATTERN = {
    "months_in_post": rf"({'|'.join(POST_KEYS)})",
    "months_in_post_incl_acting": rf"({'|'.join(POST_KEYS)})",
    "rating_min_last": rf"({'|'.join(str(n) for n in RATING_YEARS)})y",
    "competency": r"(M0[1-8]|SK01|T_[A-Z0-9_]+)",
    "training": rf"({'|'.join(TRAINING_TYPES)})",
    "exam": rf"({'|'.join(EXAM_TYPES)})",
    "months_in_post_with_penyetaraan": rf"({'|'.join(k.lower() for k in PENYETARAAN)})",
    "worst_sanction_last": rf"({'|'.join(str(n) for n in SANCTION_WINDOWS)})m",
}


def members(family: str) -> Iterator[str]:
    """The members a facts table carries a column for (open-ended technical competencies left out)."""
    yield from {
        "months_in_post": POST_KEYS,
        "months_in_post_incl_acting": POST_KEYS,
        "rating_min_last": tuple(str(n) for n in RATING_YEARS),
        "competency": tuple(c for c in COMPETENCIES if not c.startswith("T_")),
        "training": TRAINING_TYPES,
        "exam": EXAM_TYPES,
        "months_in_post_with_penyetaraan": tuple(k.lower() for k in PENYETARAAN),
        "worst_sanction_last": tuple(str(n) for n in SANCTION_WINDOWS),
    }[family]


def family_name(family: str, member: str) -> str:
    suffix = _SUFFIXED.get(family)
    return f"{family}.{member}" if suffix is None else f"{family}_{member}{suffix}"


def split_name(name: str) -> tuple[str, str] | None:
    """(family, member) of a family member's name, None for any other name."""
    for family in FAMILIES:
        sep = "_" if family in _SUFFIXED else r"\."
        match = re.fullmatch(rf"{family}{sep}{MEMBER_PATTERN[family]}", name)
        if match:
            return family, match.group(1)
    return None


def family_pattern(family: str) -> str:
    """How ``layak facts --list`` shows a family: competency.<...>, rating_min_last_<1|2|3>y."""
    suffix = _SUFFIXED.get(family)
    if suffix is None:
        return f"{family}.<{MEMBER_PATTERN[family]}>"
    alternatives = MEMBER_PATTERN[family].removesuffix(suffix).strip("()")
    return f"{family}_<{alternatives}>{suffix}"
