"""Date arithmetic of facts at boundaries: completed months, anniversaries, leap days, summed service."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from engine.facts.calendar import add_months, completed_months, duration_text, iso_duration, span_months

D = dt.date


def test_exact_anniversary_and_one_day_short() -> None:
    # TMT 1 Mar 2021: four years are met on 1 Mar 2025, not on 28 Feb 2025.
    assert completed_months(D(2021, 3, 1), D(2025, 3, 1)) == 48
    assert completed_months(D(2021, 3, 1), D(2025, 2, 28)) == 47


def test_leap_day_start_completes_when_the_next_month_begins() -> None:
    assert completed_months(D(2020, 2, 29), D(2021, 2, 28)) == 11
    assert completed_months(D(2020, 2, 29), D(2021, 3, 1)) == 12
    assert completed_months(D(2020, 2, 29), D(2024, 2, 29)) == 48
    assert add_months(D(2020, 2, 29), 12) == D(2021, 3, 1)
    assert add_months(D(2020, 1, 31), 1) == D(2020, 3, 1)  # there is no 31 February
    assert add_months(D(2020, 1, 30), 1) == D(2020, 3, 1)  # nor a 30 February in 2020
    assert add_months(D(2021, 1, 28), 1) == D(2021, 2, 28)


def test_month_end_start() -> None:
    # 31 Aug → 30 Sep is not yet a month (the 31st has not come); 1 Oct is.
    assert completed_months(D(2024, 8, 31), D(2024, 9, 30)) == 0
    assert completed_months(D(2024, 8, 31), D(2024, 10, 1)) == 1


def test_summed_periods_merge_overlaps_and_carry_days() -> None:
    # Two periods of 1 year 20 days each: 24 months + 40 days → 25 months (40 // 30 = 1 month carried).
    first = (D(2018, 1, 1), D(2019, 1, 21))
    second = (D(2020, 1, 1), D(2021, 1, 21))
    assert span_months([first, second]) == 25
    # The same period recorded twice (an SK and its correction) counts once.
    assert span_months([first, first]) == 12
    # Back-to-back periods (end = next start) add up like one: 2018-01-01 → 2021-01-01 is 36 months.
    assert span_months([(D(2018, 1, 1), D(2019, 7, 1)), (D(2019, 7, 1), D(2021, 1, 1))]) == 36


def test_texts() -> None:
    assert duration_text(41) == "3 years 5 months"
    assert duration_text(41, "id") == "3 tahun 5 bulan"
    assert duration_text(12) == "1 year"
    assert duration_text(0) == "0 months"
    assert iso_duration(41) == "P3Y5M" and iso_duration(48) == "P4Y" and iso_duration(7) == "P7M"


dates = st.dates(min_value=D(1950, 1, 1), max_value=D(2080, 12, 31))


@given(start=dates, months=st.integers(min_value=0, max_value=600))
def test_add_months_is_the_first_day_the_count_is_reached(start: dt.date, months: int) -> None:
    reached = add_months(start, months)
    assert completed_months(start, reached) == months
    assert completed_months(start, reached - dt.timedelta(days=1)) == months - 1 if months else True


@given(start=dates, a=dates, b=dates)
def test_completed_months_is_monotone(start: dt.date, a: dt.date, b: dt.date) -> None:
    low, high = sorted((a, b))
    if low >= start:
        assert completed_months(start, low) <= completed_months(start, high)


def test_one_period_never_carries_days() -> None:
    # 2021-01-04 → 2024-01-03 is 35 months and 30 days: still short of 36 (the anniversary is 2024-01-04).
    assert span_months([(D(2021, 1, 4), D(2024, 1, 3))]) == 35
    assert span_months([(D(2021, 1, 4), D(2024, 1, 4))]) == 36
