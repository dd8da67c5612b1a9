"""Rank and jenjang promotion helpers: the education ceiling of KP reguler, passed examinations, and
service summed across a penyetaraan conversion (PermenPANRB 17/2021)."""

from __future__ import annotations

import datetime as dt

from engine.facts.scales import EDUCATION, GOLONGAN, PENYETARAAN, RANK_CEILING, START_RANK
from engine.load.candidate import Candidate


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
