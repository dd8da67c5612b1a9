"""Appraisal facts: the lowest performance rating of the last years, the latest competency assessment (levels,
JPM, age), and decimal facts checked for precision."""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal

from engine.facts.calendar import document_age
from engine.facts.families import RATING_YEARS, family_name
from engine.facts.model import Draft, Note, note
from engine.facts.scales import COMPETENCIES, PREDIKAT, RATING_BANDS, RATING_MATRIX
from engine.facts.vocabulary import DECIMAL_PLACES
from engine.load.candidate import Candidate, Performance

_PLACES = Decimal(1).scaleb(-DECIMAL_PLACES)
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
_RATING_FACTS = tuple((n, family_name("rating_min_last", str(n))) for n in range(1, max(RATING_YEARS) + 1))
_PREDIKAT_RANK = PREDIKAT.ranks
_NO_ASSESSMENT = note("no_assessment")
_COMPETENCY_FACTS = {code: f"competency.{code}" for code in COMPETENCIES}
_ASSESSMENT_FACTS = ("jpm", "jpm_capped", "assessment_age_months", "assessment_months_started", "assessment_accredited")


def predikat(entry: Performance) -> str | None:
    """The rating word of an appraisal: as given, from the PermenPANRB 6/2022 matrix, or from the score's band."""
    if entry.predikat is not None:
        return entry.predikat
    if entry.rating_hasil_kerja and entry.rating_perilaku:
        return RATING_MATRIX[(entry.rating_hasil_kerja, entry.rating_perilaku)]
    if entry.numeric_score is not None and entry.scheme in RATING_BANDS:
        for floor, word in RATING_BANDS[entry.scheme]:
            if entry.numeric_score >= floor:
                return word
    return None


@functools.lru_cache(maxsize=64)
def _recent_years(this_year: int) -> dict[str, int]:
    """The appraisal periods of the last calendar years (2025, 2025-S1, 2025-S2: every form a period may take),
    each with the index of its year from 0."""
    years = {str(this_year - n): n - 1 for n, _name in _RATING_FACTS}
    return years | {f"{year}-S{half}": index for year, index in years.items() for half in (1, 2)}


def ratings(c: Candidate, d: Draft, years_asked: int = max(RATING_YEARS)) -> None:
    """rating_min_last_<n>y for n up to ``years_asked``: the lowest rating of the last n calendar years, missing
    from the first year without one on (with the reasons the file gives)."""
    this_year = d.as_of.year
    years = _recent_years(this_year)
    rank = _PREDIKAT_RANK
    # Per year the lowest word, the first listed of equal rank (the word as rated, so a legacy CUKUP is shown as
    # CUKUP); taken over the years in order, the first year's of equal rank.
    lowest: list[str | None] = [None] * len(_RATING_FACTS)
    for entry in c.performance:
        index = years.get(entry.period)
        if index is None or index >= years_asked:
            continue
        word = entry.predikat or predikat(entry)
        if word:
            found = lowest[index]
            if found is None or rank[word] < rank[found]:
                lowest[index] = word
    worst: str | None = None
    gap: Note | None = None
    for (n, name), word in zip(_RATING_FACTS, lowest, strict=True):
        if n > years_asked:
            break
        if gap is not None:  # a year without a rating: every longer look-back is missing for it too
            d.missing[name] = gap
            continue
        if word is None:
            entries = [e for e in c.performance if years.get(e.period) == n - 1]
            reasons = sorted({e.missing_reason for e in entries if e.missing_reason})
            d.missing[name] = gap = note("no_rating", year=this_year - n, reason=", ".join(reasons) or "-")
            continue
        if worst is None or rank[word] < rank[worst]:
            worst = word
        d.values[name] = worst


# Whether quantizing changes a value depends on the number only (3.5 and 3.50 alike), and scores repeat. Looked up
# by the Decimal itself: hashing a fresh one costs about as much as quantizing it, but a Decimal keeps its hash, and
# the plan's encoder looks the same scores up by value next (keyed by their text here, derivation was 3 µs cheaper
# and encoding 2 µs dearer).
_PRECISE_ENOUGH: dict[Decimal, bool] = {}


def decimal_fact(d: Draft, name: str, value: Decimal) -> None:
    """A decimal fact, invalid when it has more places than facts carry (3.505 is not 3.51)."""
    fine = _PRECISE_ENOUGH.get(value)
    if fine is None:
        if len(_PRECISE_ENOUGH) >= 10_000:
            _PRECISE_ENOUGH.clear()
        fine = _PRECISE_ENOUGH[value] = value == value.quantize(_PLACES, rounding=ROUND_HALF_UP)
    if fine:
        d.values[name] = value
    else:
        d.invalid[name] = note("too_precise", value=value, places=DECIMAL_PLACES)


def assessment(c: Candidate, d: Draft) -> None:
    """The facts of the latest assessment on the date (of two on one day, the later listed)."""
    as_of = d.as_of
    latest = latest_date = None
    for done in c.competency_assessments:
        date = done.date
        if date <= as_of and (latest_date is None or date >= latest_date):
            latest, latest_date = done, date
    if latest is None:
        for name in _ASSESSMENT_FACTS:
            d.missing[name] = _NO_ASSESSMENT
        return
    values = d.values
    age, started = document_age(latest.date, as_of)
    values["assessment_age_months"] = age
    values["assessment_months_started"] = started
    values["assessment_accredited"] = latest.provider_accredited
    precise = _PRECISE_ENOUGH
    # The JPM from the levels when the file gives none: their sum over the standards' sum, summed in this loop.
    summed = latest.jpm_percent is None
    total, standard, standards = _ZERO, 0, True
    for score in latest.scores:
        attained = score.attained
        name = _COMPETENCY_FACTS.get(score.code) or f"competency.{score.code}"
        if precise.get(attained):  # seen before and fine: the common case, without the call
            values[name] = attained
        else:
            decimal_fact(d, name, attained)
        if summed:
            total += attained
            if score.standard:
                standard += score.standard
            else:
                standards = False
    if latest.jpm_percent is not None:
        decimal_fact(d, "jpm", latest.jpm_percent)
    elif latest.scores and standards:
        values["jpm"] = (total / standard * 100).quantize(_PLACES, rounding=ROUND_HALF_UP)
    else:
        d.missing["jpm"] = note("no_jpm", assessment=latest.assessment_id)
    if "jpm" in values:
        values["jpm_capped"] = min(values["jpm"], _HUNDRED)
    else:
        d.missing["jpm_capped"] = d.missing.get("jpm") or d.invalid.get("jpm") or note("no_jpm", assessment="-")
