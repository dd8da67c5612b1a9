"""The memos inside fact derivation give what computing afresh gives: decimal precision known by the number,
document ages by their pair of dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from dossier_support import PERSON

from engine.facts.appraisal import decimal_fact
from engine.facts.calendar import add_months, completed_months, document_age
from engine.facts.derive import derive
from engine.facts.model import Draft
from engine.load.candidate import Candidate, Score
from engine.load.intake import read_candidate

DAY = dt.date(2026, 11, 29)


@pytest.mark.parametrize(
    ("text", "fine"),
    [
        ("3.5", True),
        ("3.50", True),  # the same number as 3.5, another text: both fine
        ("3.500", True),
        ("3.5000", True),  # four places written, one needed
        ("3.51", True),
        ("3.505", False),  # not 3.51: facts carry two places
        ("3.5100", True),
        ("1E+1", True),
        ("0.001", False),
        ("-0.000", True),
    ],
)
def test_a_decimal_fact_is_invalid_only_with_more_places_than_facts_carry(text: str, fine: bool) -> None:
    for _seen in range(2):  # the second time from the memo
        d = Draft(DAY, [])
        decimal_fact(d, "jpm", Decimal(text))
        if fine:
            assert d.values == {"jpm": Decimal(text)} and str(d.values["jpm"]) == text and not d.invalid
        else:
            assert not d.values and d.invalid["jpm"].code == "too_precise"
            assert d.invalid["jpm"].args == {"value": text, "places": "2"}


def test_a_score_too_precise_is_invalid_after_the_same_score_fine() -> None:
    loaded = read_candidate("fixtures/candidates/ahmad-fauzi.yaml")
    assert not isinstance(loaded, list)
    candidate = loaded.candidate
    first = candidate.competency_assessments[0]
    precise, too_precise = (
        candidate.model_copy(
            update={
                "competency_assessments": [
                    first.model_copy(update={"scores": [Score(code="M01", attained=Decimal(text), standard=4)]})
                ]
            }
        )
        for text in ("4.25", "4.255")
    )
    assert derive(precise, DAY).values["competency.M01"] == Decimal("4.25")
    facts = derive(too_precise, DAY)
    assert "competency.M01" not in facts.values
    assert facts.invalid["competency.M01"].args == {"value": "4.255", "places": "2"}


def _afresh(start: dt.date, end: dt.date) -> tuple[int, int]:
    whole = completed_months(start, end)
    return whole, whole + 1 if end > start and add_months(start, whole) < end else whole


def test_document_ages_by_hand() -> None:
    # A month completes on the same day of the month, or when the next month begins if it lacks that day; a day
    # past it starts the next.
    assert document_age(dt.date(2026, 5, 31), dt.date(2026, 11, 30)) == (5, 6)
    assert document_age(dt.date(2026, 5, 31), dt.date(2026, 12, 1)) == (6, 6)
    assert document_age(dt.date(2026, 5, 31), dt.date(2026, 12, 2)) == (6, 7)
    assert document_age(dt.date(2026, 6, 1), dt.date(2026, 12, 1)) == (6, 6)
    assert document_age(dt.date(2026, 6, 1), dt.date(2026, 12, 2)) == (6, 7)
    assert document_age(dt.date(2024, 2, 29), dt.date(2025, 3, 1)) == (12, 12)
    assert document_age(DAY, DAY) == (0, 0)


def test_memoised_document_ages_equal_ages_computed_afresh() -> None:
    ends = [dt.date(2024, 2, 29), dt.date(2025, 2, 28), dt.date(2026, 1, 31), DAY, dt.date(2026, 12, 1)]
    starts = [dt.date(2023, 1, 1) + dt.timedelta(days=n) for n in range(0, 1460, 7)]
    for _seen in range(2):  # the second time from the memo
        for end in ends:
            for start in starts:
                if start <= end:
                    assert document_age(start, end) == _afresh(start, end), (start, end)


def test_rating_look_backs_read_half_year_periods_as_their_year() -> None:
    # worked by hand for 2026-11-29: 2025 is the last year (1y), 2023 the third (3y); a half year counts for its
    # year, and the lowest of a year's entries is the year's rating (BAIK below SANGAT_BAIK)
    performance = [
        {"period": "2025-S1", "scheme": "PERMENPANRB_6_2022", "predikat": "SANGAT_BAIK"},
        {"period": "2025-S2", "scheme": "PERMENPANRB_6_2022", "predikat": "BAIK"},
        {"period": "2024", "scheme": "PERMENPANRB_6_2022", "predikat": "SANGAT_BAIK"},
        {"period": "2023-S2", "scheme": "PERMENPANRB_6_2022", "predikat": "SANGAT_BAIK"},
        {"period": "2026-S1", "scheme": "PERMENPANRB_6_2022", "predikat": "BUTUH_PERBAIKAN"},  # this year: no look-back
    ]
    candidate = Candidate.model_validate({**PERSON, "performance": performance})
    values = derive(candidate, DAY).values
    assert [values.get(f"rating_min_last_{n}y") for n in (1, 2, 3)] == ["BAIK", "BAIK", "BAIK"]
    candidate = Candidate.model_validate({**PERSON, "performance": performance[2:]})
    facts = derive(candidate, DAY)
    assert "rating_min_last_1y" not in facts.values and facts.missing["rating_min_last_1y"].args["year"] == "2025"
