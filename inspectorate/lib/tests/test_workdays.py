"""Tests for inspectorate.lib.workdays: working days (WD-1) and month windows (WD-2).

Fixed expected dates were checked by hand against the ``holidays`` package's UK calendars
(subdivisions ENG, WLS, SCT, NIR); they are written out, never computed with the code
under test.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspectorate.lib.workdays import (
    Nation,
    add_months,
    add_working_days,
    bank_holidays,
    is_bank_holiday,
    is_working_day,
    month_window,
    next_working_day,
    on_or_after_working_day,
    on_or_before_working_day,
    previous_working_day,
    working_days_between,
)

ENGLAND = Nation.ENGLAND
WALES = Nation.WALES
SCOTLAND = Nation.SCOTLAND
NORTHERN_IRELAND = Nation.NORTHERN_IRELAND

dates = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
nations = st.sampled_from(list(Nation))
counts = st.integers(min_value=0, max_value=400)


def _is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def _is_listed_holiday(day: date, nation: Nation) -> bool:
    return day in bank_holidays(nation, day.year)


def _brute_force_working_days(start: date, end: date, nation: Nation) -> int:
    """Working days d with start < d <= end, counted one day at a time (start <= end)."""
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        if not _is_weekend(day) and not _is_listed_holiday(day, nation):
            count += 1
        day += timedelta(days=1)
    return count


# --- Nation ---------------------------------------------------------------------------------


def test_nation_values_are_the_stored_strings() -> None:
    assert [nation.value for nation in Nation] == [
        "england",
        "wales",
        "scotland",
        "northern_ireland",
    ]
    assert Nation("northern_ireland") is NORTHERN_IRELAND


def test_unknown_nation_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="Unknown nation 'france'"):
        bank_holidays("france", 2024)  # type: ignore[arg-type]


def test_plain_string_nation_is_accepted() -> None:
    assert not is_working_day(date(2024, 1, 2), "scotland")  # type: ignore[arg-type]


# --- WD-1: the calendars ------------------------------------------------------------------


@pytest.mark.rule("WD-1")
def test_weekends_are_not_working_days() -> None:
    for nation in Nation:
        assert not is_working_day(date(2024, 3, 9), nation)  # Saturday
        assert not is_working_day(date(2024, 3, 10), nation)  # Sunday
        assert is_working_day(date(2024, 3, 11), nation)  # Monday


@pytest.mark.rule("WD-1")
@pytest.mark.parametrize(
    "holiday",
    [date(2022, 6, 2), date(2022, 6, 3), date(2022, 9, 19), date(2023, 5, 8)],
    ids=["spring-bank-holiday-2022", "platinum-jubilee", "state-funeral", "coronation"],
)
@pytest.mark.parametrize("nation", list(Nation))
def test_one_off_bank_holidays_apply_in_every_nation(holiday: date, nation: Nation) -> None:
    assert is_bank_holiday(holiday, nation)
    assert not is_working_day(holiday, nation)


def test_one_off_holiday_names() -> None:
    england_2022 = bank_holidays(ENGLAND, 2022)
    assert "Jubilee" in england_2022[date(2022, 6, 3)]
    assert "Funeral" in england_2022[date(2022, 9, 19)]
    assert "Coronation" in bank_holidays(ENGLAND, 2023)[date(2023, 5, 8)]


@pytest.mark.rule("WD-1")
def test_england_2024_calendar() -> None:
    assert set(bank_holidays(ENGLAND, 2024)) == {
        date(2024, 1, 1),
        date(2024, 3, 29),  # Good Friday
        date(2024, 4, 1),  # Easter Monday
        date(2024, 5, 6),
        date(2024, 5, 27),
        date(2024, 8, 26),
        date(2024, 12, 25),
        date(2024, 12, 26),
    }


@pytest.mark.rule("WD-1")
@pytest.mark.parametrize("year", [2021, 2022, 2023, 2024, 2025])
def test_wales_follows_the_england_calendar(year: int) -> None:
    assert bank_holidays(WALES, year) == bank_holidays(ENGLAND, year)


@pytest.mark.rule("WD-1")
def test_second_of_january_is_a_scottish_bank_holiday_only() -> None:
    assert not is_working_day(date(2024, 1, 2), SCOTLAND)
    for nation in (ENGLAND, WALES, NORTHERN_IRELAND):
        assert is_working_day(date(2024, 1, 2), nation)
    assert add_working_days(date(2023, 12, 29), 1, ENGLAND) == date(2024, 1, 2)
    assert add_working_days(date(2023, 12, 29), 1, SCOTLAND) == date(2024, 1, 3)


@pytest.mark.rule("WD-1")
def test_st_andrews_day_and_its_substitute_in_scotland() -> None:
    assert not is_working_day(date(2022, 11, 30), SCOTLAND)  # Wednesday
    assert is_working_day(date(2022, 11, 30), ENGLAND)
    assert add_working_days(date(2022, 11, 29), 1, SCOTLAND) == date(2022, 12, 1)
    # 30 November 2024 is a Saturday: the substitute is Monday 2 December.
    assert not is_working_day(date(2024, 12, 2), SCOTLAND)
    assert is_working_day(date(2024, 12, 2), ENGLAND)
    assert add_working_days(date(2024, 11, 29), 1, SCOTLAND) == date(2024, 12, 3)
    assert add_working_days(date(2024, 11, 29), 1, ENGLAND) == date(2024, 12, 2)


@pytest.mark.rule("WD-1")
def test_northern_ireland_st_patricks_day_and_twelfth_of_july() -> None:
    assert not is_working_day(date(2023, 3, 17), NORTHERN_IRELAND)
    assert is_working_day(date(2023, 3, 17), ENGLAND)
    assert add_working_days(date(2023, 3, 16), 1, NORTHERN_IRELAND) == date(2023, 3, 20)
    assert add_working_days(date(2023, 3, 16), 1, ENGLAND) == date(2023, 3, 17)
    # 17 March 2024 is a Sunday: the substitute is Monday 18 March.
    assert add_working_days(date(2024, 3, 15), 1, NORTHERN_IRELAND) == date(2024, 3, 19)
    assert add_working_days(date(2024, 3, 15), 1, WALES) == date(2024, 3, 18)
    assert not is_working_day(date(2023, 7, 12), NORTHERN_IRELAND)
    assert is_working_day(date(2023, 7, 12), SCOTLAND)
    assert add_working_days(date(2023, 7, 11), 1, NORTHERN_IRELAND) == date(2023, 7, 13)


@pytest.mark.rule("WD-1")
def test_good_friday_everywhere_easter_monday_not_in_scotland() -> None:
    for nation in Nation:
        assert not is_working_day(date(2024, 3, 29), nation)
    assert not is_working_day(date(2024, 4, 1), ENGLAND)
    assert not is_working_day(date(2024, 4, 1), NORTHERN_IRELAND)
    assert is_working_day(date(2024, 4, 1), SCOTLAND)
    assert add_working_days(date(2024, 3, 28), 1, ENGLAND) == date(2024, 4, 2)
    assert add_working_days(date(2024, 3, 28), 1, SCOTLAND) == date(2024, 4, 1)


@pytest.mark.rule("WD-1")
def test_christmas_substitute_days() -> None:
    # 2021: Christmas Day and Boxing Day fall at the weekend; substitutes 27 and 28 December.
    assert not is_working_day(date(2021, 12, 27), ENGLAND)
    assert not is_working_day(date(2021, 12, 28), ENGLAND)
    assert add_working_days(date(2021, 12, 24), 1, ENGLAND) == date(2021, 12, 29)
    # 2022: Christmas Day is a Sunday; Boxing Day 26th, substitute for Christmas 27th.
    assert not is_working_day(date(2022, 12, 26), ENGLAND)
    assert not is_working_day(date(2022, 12, 27), ENGLAND)
    assert add_working_days(date(2022, 12, 23), 1, ENGLAND) == date(2022, 12, 28)


@pytest.mark.rule("WD-1")
def test_new_year_substitutes_differ_between_scotland_and_england() -> None:
    assert add_working_days(date(2022, 12, 30), 1, ENGLAND) == date(2023, 1, 3)
    assert add_working_days(date(2022, 12, 30), 1, SCOTLAND) == date(2023, 1, 4)


# --- WD-1: counting from the day after the trigger ------------------------------------------


@pytest.mark.rule("WD-1")
def test_one_working_day_after_a_friday_is_the_monday() -> None:
    assert add_working_days(date(2024, 3, 8), 1, ENGLAND) == date(2024, 3, 11)


@pytest.mark.rule("WD-1")
def test_one_working_day_skips_the_platinum_jubilee() -> None:
    assert add_working_days(date(2022, 6, 1), 1, ENGLAND) == date(2022, 6, 6)


@pytest.mark.rule("WD-1")
def test_one_working_day_skips_the_state_funeral_and_the_coronation() -> None:
    assert add_working_days(date(2022, 9, 16), 1, ENGLAND) == date(2022, 9, 20)
    assert add_working_days(date(2023, 5, 5), 1, ENGLAND) == date(2023, 5, 9)


@pytest.mark.rule("WD-1")
def test_report_within_13_working_days_of_the_end_of_the_inspection() -> None:
    # Inspection ends Friday 9 September 2022; the state funeral on 19 September is skipped.
    for nation in Nation:
        assert add_working_days(date(2022, 9, 9), 13, nation) == date(2022, 9, 29)
    assert working_days_between(date(2022, 9, 9), date(2022, 9, 29), ENGLAND) == 13
    assert working_days_between(date(2022, 9, 9), date(2022, 9, 30), ENGLAND) == 14


@pytest.mark.rule("WD-1")
def test_within_five_working_days_of_a_visit() -> None:
    assert add_working_days(date(2022, 5, 30), 5, ENGLAND) == date(2022, 6, 8)
    # Twelfth of July 2024 is a Friday: a Northern Ireland deadline moves a day later.
    assert add_working_days(date(2024, 7, 10), 5, NORTHERN_IRELAND) == date(2024, 7, 18)
    assert add_working_days(date(2024, 7, 10), 5, ENGLAND) == date(2024, 7, 17)


@pytest.mark.rule("WD-1")
def test_zero_working_days_returns_the_start_unchanged() -> None:
    assert add_working_days(date(2024, 3, 11), 0, ENGLAND) == date(2024, 3, 11)
    assert add_working_days(date(2022, 6, 4), 0, ENGLAND) == date(2022, 6, 4)  # Saturday


@pytest.mark.rule("WD-1")
def test_negative_working_days_count_backwards() -> None:
    assert add_working_days(date(2022, 6, 6), -1, ENGLAND) == date(2022, 6, 1)
    assert add_working_days(date(2022, 6, 6), -3, ENGLAND) == date(2022, 5, 30)
    assert add_working_days(date(2022, 6, 4), -1, ENGLAND) == date(2022, 6, 1)  # from Saturday
    assert add_working_days(date(2024, 1, 3), -1, ENGLAND) == date(2024, 1, 2)
    assert add_working_days(date(2024, 1, 3), -1, SCOTLAND) == date(2023, 12, 29)


@pytest.mark.rule("WD-1")
def test_working_days_between_fixed_cases() -> None:
    assert working_days_between(date(2022, 6, 1), date(2022, 6, 6), ENGLAND) == 1
    assert working_days_between(date(2022, 6, 6), date(2022, 6, 1), ENGLAND) == -1
    assert working_days_between(date(2022, 6, 2), date(2022, 6, 5), ENGLAND) == 0
    assert working_days_between(date(2024, 3, 11), date(2024, 3, 11), ENGLAND) == 0
    # 2024 has 262 weekdays; (1 Jan, 31 Dec] drops New Year's Day and the weekday holidays.
    assert working_days_between(date(2024, 1, 1), date(2024, 12, 31), ENGLAND) == 254
    assert working_days_between(date(2024, 1, 1), date(2024, 12, 31), SCOTLAND) == 253
    assert working_days_between(date(2024, 1, 1), date(2024, 12, 31), NORTHERN_IRELAND) == 252


def test_next_and_previous_working_day_fixed_cases() -> None:
    assert next_working_day(date(2022, 6, 1), ENGLAND) == date(2022, 6, 6)
    assert previous_working_day(date(2022, 6, 6), ENGLAND) == date(2022, 6, 1)
    assert next_working_day(date(2024, 3, 11), ENGLAND) == date(2024, 3, 12)
    assert on_or_after_working_day(date(2024, 3, 11), ENGLAND) == date(2024, 3, 11)
    assert on_or_after_working_day(date(2022, 6, 3), ENGLAND) == date(2022, 6, 6)
    assert on_or_before_working_day(date(2024, 3, 11), ENGLAND) == date(2024, 3, 11)
    assert on_or_before_working_day(date(2022, 6, 5), ENGLAND) == date(2022, 6, 1)


def test_bank_holidays_returns_a_copy() -> None:
    first = bank_holidays(ENGLAND, 2024)
    first.clear()
    assert date(2024, 12, 25) in bank_holidays(ENGLAND, 2024)


# --- WD-2: calendar months ------------------------------------------------------------------


@pytest.mark.rule("WD-2")
@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2023, 11, 15), 3, date(2024, 2, 15)),
        (date(2024, 5, 31), -13, date(2023, 4, 30)),
        (date(2024, 8, 31), 1, date(2024, 9, 30)),
        (date(2024, 6, 15), 0, date(2024, 6, 15)),
    ],
)
def test_add_months_clamps_the_day_of_month(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_add_months_out_of_range_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="outside the supported years"):
        add_months(date(9999, 12, 1), 1)


@pytest.mark.rule("WD-2")
def test_month_window_on_working_days_is_unchanged() -> None:
    # 8 and 12 months after Thursday 12 October 2023 are Wed 12 June and Sat 12 October 2024.
    assert month_window(date(2023, 10, 12), 8, 12, ENGLAND) == (
        date(2024, 6, 12),
        date(2024, 10, 11),  # Saturday moves back to Friday
    )


@pytest.mark.rule("WD-2")
def test_month_window_end_on_a_bank_holiday_moves_back() -> None:
    # 12 months after 26 August 2023 is Monday 26 August 2024: bank holiday in England,
    # a working day in Scotland (whose summer bank holiday is in early August).
    assert month_window(date(2023, 8, 26), 8, 12, ENGLAND) == (
        date(2024, 4, 26),
        date(2024, 8, 23),
    )
    assert month_window(date(2023, 8, 26), 8, 12, SCOTLAND) == (
        date(2024, 4, 26),
        date(2024, 8, 26),
    )


@pytest.mark.rule("WD-2")
def test_month_window_end_on_boxing_day_and_start_on_a_bank_holiday() -> None:
    # End: Thursday 26 December 2024 -> back past Christmas Day to Tuesday 24 December.
    # Start: Monday 26 August 2024 (English bank holiday) -> forward to Tuesday 27 August.
    assert month_window(date(2023, 12, 26), 8, 12, ENGLAND) == (
        date(2024, 8, 27),
        date(2024, 12, 24),
    )
    assert month_window(date(2023, 12, 26), 8, 12, SCOTLAND) == (
        date(2024, 8, 26),
        date(2024, 12, 24),
    )


@pytest.mark.parametrize(("start_months", "end_months"), [(12, 8), (8, 8)])
def test_month_window_must_end_after_it_starts(start_months: int, end_months: int) -> None:
    with pytest.raises(ValueError, match="must end after it starts"):
        month_window(date(2024, 1, 1), start_months, end_months, ENGLAND)


# --- Properties -----------------------------------------------------------------------------


@pytest.mark.rule("WD-1")
@given(start=dates, n=counts, nation=nations)
def test_counting_back_the_added_working_days(start: date, n: int, nation: Nation) -> None:
    assert working_days_between(start, add_working_days(start, n, nation), nation) == n


@pytest.mark.rule("WD-1")
@given(start=dates, n=st.integers(min_value=1, max_value=400), nation=nations)
def test_deadline_is_never_a_weekend_or_bank_holiday(start: date, n: int, nation: Nation) -> None:
    deadline = add_working_days(start, n, nation)
    assert deadline > start
    assert not _is_weekend(deadline)
    assert not _is_listed_holiday(deadline, nation)


@pytest.mark.rule("WD-1")
@given(start=dates, n=st.integers(min_value=1, max_value=400), nation=nations)
def test_negative_n_lands_on_a_working_day_before(start: date, n: int, nation: Nation) -> None:
    earlier = add_working_days(start, -n, nation)
    assert earlier < start
    assert is_working_day(earlier, nation)
    assert add_working_days(earlier, n, nation) == on_or_after_working_day(start, nation)
    if is_working_day(start, nation):
        assert working_days_between(start, earlier, nation) == -n


@pytest.mark.rule("WD-1")
@given(start=dates, end=dates, nation=nations)
def test_working_days_between_matches_a_day_by_day_count(
    start: date, end: date, nation: Nation
) -> None:
    low, high = sorted((start, end))
    expected = _brute_force_working_days(low, high, nation)
    assert working_days_between(low, high, nation) == expected
    assert working_days_between(high, low, nation) == -expected


@pytest.mark.rule("WD-1")
@given(a=dates, b=dates, c=dates, nation=nations)
def test_working_days_between_is_additive(a: date, b: date, c: date, nation: Nation) -> None:
    assert working_days_between(a, b, nation) + working_days_between(
        b, c, nation
    ) == working_days_between(a, c, nation)


@pytest.mark.rule("WD-1")
@given(day=dates, nation=nations)
def test_next_and_previous_working_days(day: date, nation: Nation) -> None:
    after = next_working_day(day, nation)
    before = previous_working_day(day, nation)
    assert before < day < after
    assert is_working_day(after, nation)
    assert is_working_day(before, nation)
    assert not _is_weekend(after)
    assert not _is_listed_holiday(after, nation)
    assert not _is_weekend(before)
    assert not _is_listed_holiday(before, nation)
    assert working_days_between(day, after, nation) == 1
    assert working_days_between(before, day, nation) == (1 if is_working_day(day, nation) else 0)


@pytest.mark.rule("WD-1")
@given(day=dates, nation=nations)
def test_on_or_after_and_on_or_before(day: date, nation: Nation) -> None:
    after = on_or_after_working_day(day, nation)
    before = on_or_before_working_day(day, nation)
    assert before <= day <= after
    assert is_working_day(after, nation)
    assert is_working_day(before, nation)
    assert (after == day) == is_working_day(day, nation)
    assert (before == day) == is_working_day(day, nation)
    assert working_days_between(before, after, nation) == (0 if after == before else 1)


@pytest.mark.rule("WD-2")
@given(day=dates, months=st.integers(min_value=-240, max_value=240))
def test_add_months_moves_the_month_and_clamps(day: date, months: int) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and (moved + timedelta(1)).day == 1)


@pytest.mark.rule("WD-2")
@given(
    anchor=dates,
    start_months=st.integers(min_value=0, max_value=24),
    length=st.integers(min_value=1, max_value=24),
    nation=nations,
)
def test_month_window_ends_are_working_days(
    anchor: date, start_months: int, length: int, nation: Nation
) -> None:
    end_months = start_months + length
    start, end = month_window(anchor, start_months, end_months, nation)
    assert start <= end
    assert is_working_day(start, nation)
    assert is_working_day(end, nation)
    raw_start, raw_end = add_months(anchor, start_months), add_months(anchor, end_months)
    assert raw_start <= start < raw_start + timedelta(days=10)
    assert raw_end - timedelta(days=10) < end <= raw_end
    # Nothing between the raw end and the moved end is a working day (WD-2).
    assert working_days_between(end, raw_end, nation) == 0
