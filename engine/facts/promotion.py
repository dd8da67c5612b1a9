"""Rank and jenjang promotion helpers: the education ceiling of KP reguler, passed examinations, service summed
across a penyetaraan conversion (PermenPANRB 17/2021), the echelon band of KP pilihan struktural and the cap at
the direct superior's rank."""

from __future__ import annotations

import datetime as dt
from typing import Any

from engine.facts.scales import EDUCATION, GOLONGAN, PENYETARAAN, RANK_CEILING, START_RANK
from engine.load.candidate import Candidate, Position


def below_ceiling(golongan: str, education_for_rank: str) -> bool:
    """True when a regular promotion from ``golongan`` stays within the ceiling of the recognised education.

    An S1 holder at III/c may still rise to III/d; at III/d the ceiling is reached.
    """
    return GOLONGAN.rank(golongan) < GOLONGAN.rank(RANK_CEILING[education_for_rank])


def exam_passed(candidate: Candidate, kind: str, as_of: dt.date) -> bool:
    return any(e.type == kind and e.passed <= as_of for e in candidate.exams)


def penyetaraan_periods(candidate: Candidate, post: str, as_of: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Definitive service periods in ``post`` (e.g. ADMINISTRATOR) and in the JF jenjang the post was
    converted to, where the JF appointment came by penyetaraan; clipped to ``as_of``."""
    jenjang = PENYETARAAN[post]
    periods = []
    for p in candidate.positions:
        if p.tmt_start > as_of or p.appointment != "DEFINITIF":
            continue
        if p.jenis == post or (p.jf_jenjang == jenjang and p.via_penyetaraan):
            periods.append((p.tmt_start, min(p.tmt_end, as_of) if p.tmt_end else as_of))
    return periods


def new_diploma(education: str, education_for_rank: str) -> bool:
    """The highest recognised diploma ranks above the one recognised for rank (a penyesuaian ijazah is open)."""
    return EDUCATION.rank(education) > EDUCATION.rank(education_for_rank)


def below_start_rank(golongan: str, education: str) -> bool:
    """The current rank is below the starting rank of the diploma, so adjusting to it is a promotion."""
    return GOLONGAN.rank(golongan) < GOLONGAN.rank(START_RANK[education])


# Rank band of each structural echelon, lowest and highest (PP 100/2000 jo PP 13/2002 Lampiran, used by KP pilihan
# struktural: KepKa BKN 13/2002 caps it at the top of the band).
ECHELON_BANDS = {
    "I.a": ("IV/d", "IV/e"),
    "I.b": ("IV/c", "IV/e"),
    "II.a": ("IV/c", "IV/d"),
    "II.b": ("IV/b", "IV/c"),
    "III.a": ("IV/a", "IV/b"),
    "III.b": ("III/d", "IV/a"),
    "IV.a": ("III/c", "III/d"),
    "IV.b": ("III/b", "III/c"),
    "V": ("III/a", "III/b"),
}
STRUCTURAL_POSTS = ("JPT_UTAMA", "JPT_MADYA", "JPT_PRATAMA", "ADMINISTRATOR", "PENGAWAS")
# Only JPT Utama has one echelon (I.a); the other kinds span two, so the file must name the eselon.
_ONLY_ECHELON = {"JPT_UTAMA": "I.a"}

Unknown = dict[str, tuple[str, dict[str, object]]]


def rank_promotion_facts(
    candidate: Candidate, as_of: dt.date, values: dict[str, Any], anchors: dict[str, dt.date]
) -> tuple[dict[str, Any], Unknown, dict[str, dt.date]]:
    """Facts of KP pilihan struktural, of the cap at the direct superior's rank and of the HR office's statement
    on a new diploma: the values found, for each
    other one the note (code, arguments) saying why it is unknown, and the anchors of running service facts.
    ``values`` and ``anchors`` are the facts derived so far."""
    found: dict[str, Any] = {}
    unknown: Unknown = {}
    found_anchors: dict[str, dt.date] = {}
    in_post = f"months_in_post.{str(values.get('current_post', '')).lower()}"
    if in_post in values:  # the current post's service, whichever kind it is
        found["months_in_current_post"] = values[in_post]
        if in_post in anchors:
            found_anchors["months_in_current_post"] = anchors[in_post]
    else:
        unknown["months_in_current_post"] = ("no_current_post", {"date": as_of})
    golongan = values.get("golongan")
    superior = candidate.direct_superior_golongan
    if golongan is None:
        unknown["rank_within_superior"] = ("no_rank", {"date": as_of})
    elif superior is None:
        unknown["rank_within_superior"] = ("no_superior_rank", {})
    else:
        # The next rank (one step up) may equal the superior's rank, not exceed it.
        found["rank_within_superior"] = GOLONGAN.rank(golongan) + 1 <= GOLONGAN.rank(superior)
    statement = candidate.diploma_adjustment
    if statement is None:
        unknown["diploma_matches_duties"] = unknown["diploma_formation_available"] = ("no_diploma_statement", {})
    else:
        found["diploma_matches_duties"] = statement.duties_match
        found["diploma_formation_available"] = statement.formation_available
    post = values.get("current_post")
    current = _current_structural(candidate, as_of) if post in STRUCTURAL_POSTS else None
    eselon = (current.eselon_legacy or _ONLY_ECHELON.get(current.jenis)) if current else None
    for name in ("post_band_floor_steps", "post_band_top_steps"):
        if golongan is None:
            unknown[name] = ("no_rank", {"date": as_of})
        elif current is None:
            unknown[name] = ("no_structural_post", {"date": as_of})
        elif eselon is None:
            unknown[name] = ("no_echelon", {"post": current.jenis})
    if golongan is not None and eselon is not None:
        low, high = ECHELON_BANDS[eselon]
        found["post_band_floor_steps"] = GOLONGAN.rank(golongan) - GOLONGAN.rank(low)
        found["post_band_top_steps"] = GOLONGAN.rank(high) - GOLONGAN.rank(golongan)
    return found, unknown, found_anchors


def _current_structural(candidate: Candidate, as_of: dt.date) -> Position | None:
    """The definitive structural post open on ``as_of`` (the latest started, as the current post is chosen)."""
    open_posts = [
        p
        for p in candidate.positions
        if p.jenis in STRUCTURAL_POSTS
        and p.appointment == "DEFINITIF"
        and p.tmt_start <= as_of
        and (p.tmt_end is None or p.tmt_end > as_of)
    ]
    return max(open_posts, key=lambda p: p.tmt_start, default=None)
