"""Rank and jenjang promotion facts: the education ceiling of KP reguler, the starting rank of a diploma, the
echelon band of KP pilihan struktural, the cap at the direct superior's rank and the HR office's statement on a
new diploma."""

from __future__ import annotations

import datetime as dt

from engine.facts.families import POST_KEYS
from engine.facts.model import Draft, dated, note
from engine.facts.scales import EDUCATION, GOLONGAN, RANK_CEILING, START_RANK
from engine.load.candidate import Candidate, Position

_GOLONGAN_RANK = GOLONGAN.ranks
_EDUCATION_RANK = EDUCATION.ranks
_CEILING_RANK = {level: GOLONGAN.rank(rank) for level, rank in RANK_CEILING.items()}
_START_RANK = {level: GOLONGAN.rank(rank) for level, rank in START_RANK.items()}
_NO_DIPLOMA = note("no_diploma")
# The months fact of each post, by the post as current_post names it.
_IN_POST = {key.upper(): f"months_in_post.{key}" for key in POST_KEYS}


def below_ceiling(golongan: str, education_for_rank: str) -> bool:
    """True when a regular promotion from ``golongan`` stays within the ceiling of the recognised education.

    An S1 holder at III/c may still rise to III/d; at III/d the ceiling is reached.
    """
    return _GOLONGAN_RANK[golongan] < _CEILING_RANK[education_for_rank]


def new_diploma(education: str, education_for_rank: str) -> bool:
    """The highest recognised diploma ranks above the one recognised for rank (a penyesuaian ijazah is open)."""
    return _EDUCATION_RANK[education] > _EDUCATION_RANK[education_for_rank]


def below_start_rank(golongan: str, education: str) -> bool:
    """The current rank is below the starting rank of the diploma, so adjusting to it is a promotion."""
    return _GOLONGAN_RANK[golongan] < _START_RANK[education]


def education_facts(d: Draft) -> None:
    """below_education_ceiling, new_diploma and below_diploma_start_rank, from the rank and diplomas derived."""
    as_of, values, missing = d.as_of, d.values, d.missing
    golongan, education, for_rank = values.get("golongan"), values.get("education"), values.get("education_for_rank")
    if golongan is None:
        missing["below_education_ceiling"] = dated("no_rank", as_of)
    elif for_rank is None:
        missing["below_education_ceiling"] = _NO_DIPLOMA
    else:
        values["below_education_ceiling"] = below_ceiling(golongan, for_rank)
    if education is not None and for_rank is not None:
        values["new_diploma"] = new_diploma(education, for_rank)
    else:
        missing["new_diploma"] = _NO_DIPLOMA
    if education is not None and golongan is not None:
        values["below_diploma_start_rank"] = below_start_rank(golongan, education)
    else:
        missing["below_diploma_start_rank"] = missing.get("education") or dated("no_rank", as_of)


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

_NO_SUPERIOR_RANK = note("no_superior_rank")
_NO_DIPLOMA_STATEMENT = note("no_diploma_statement")


def rank_promotion_facts(candidate: Candidate, d: Draft) -> None:
    """Facts of KP pilihan struktural, of the cap at the direct superior's rank and of the HR office's statement
    on a new diploma, from the candidate and the facts derived so far; each unknown one with the note saying
    why."""
    as_of, values, missing, anchors = d.as_of, d.values, d.missing, d.anchors
    post = values.get("current_post", "")
    in_post = _IN_POST.get(post, "")
    if in_post in values:  # the current post's service, whichever kind it is
        values["months_in_current_post"] = values[in_post]
        if in_post in anchors:
            anchors["months_in_current_post"] = anchors[in_post]
    else:
        missing["months_in_current_post"] = dated("no_current_post", as_of)
    golongan = values.get("golongan")
    superior = candidate.direct_superior_golongan
    if golongan is None:
        missing["rank_within_superior"] = dated("no_rank", as_of)
    elif superior is None:
        missing["rank_within_superior"] = _NO_SUPERIOR_RANK
    else:
        # The next rank (one step up) may equal the superior's rank, not exceed it.
        values["rank_within_superior"] = _GOLONGAN_RANK[golongan] + 1 <= _GOLONGAN_RANK[superior]
    statement = candidate.diploma_adjustment
    if statement is None:
        missing["diploma_matches_duties"] = missing["diploma_formation_available"] = _NO_DIPLOMA_STATEMENT
    else:
        values["diploma_matches_duties"] = statement.duties_match
        values["diploma_formation_available"] = statement.formation_available
    current = _current_structural(candidate, as_of) if post in STRUCTURAL_POSTS else None
    eselon = (current.eselon_legacy or _ONLY_ECHELON.get(current.jenis)) if current else None
    if golongan is not None and eselon is not None:
        low, high = ECHELON_BANDS[eselon]
        values["post_band_floor_steps"] = _GOLONGAN_RANK[golongan] - _GOLONGAN_RANK[low]
        values["post_band_top_steps"] = _GOLONGAN_RANK[high] - _GOLONGAN_RANK[golongan]
        return
    why = (
        dated("no_rank", as_of)
        if golongan is None
        else dated("no_structural_post", as_of)
        if current is None
        else note("no_echelon", post=current.jenis)
    )
    missing["post_band_floor_steps"] = missing["post_band_top_steps"] = why


def _current_structural(candidate: Candidate, as_of: dt.date) -> Position | None:
    """The definitive structural post open on ``as_of`` (the latest started; of two on one day the first listed)."""
    found = None
    for p in candidate.positions:
        if (
            p.jenis in STRUCTURAL_POSTS
            and p.appointment == "DEFINITIF"
            and p.tmt_start <= as_of
            and (p.tmt_end is None or p.tmt_end > as_of)
            and (found is None or p.tmt_start > found.tmt_start)
        ):
            found = p
    return found
