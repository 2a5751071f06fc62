"""Working-day and calendar-month deadline arithmetic for the four UK nations.

Pure functions: no Django, no database, no network. Bank holidays come from the
``holidays`` package (``country_holidays("GB", subdiv=...)``), cached per nation and year.

Rules implemented here:

WD-1
    A working day is Monday to Friday, excluding the bank holidays of the establishment's
    nation (England, Wales, Scotland, Northern Ireland). All "N working days" deadlines count
    from the day after the trigger, so ``add_working_days(friday, 1)`` is the following
    Monday when that Monday is a working day.

WD-2
    Calendar-month windows ("8-12 months after") are calendar arithmetic; a window end that
    falls on a non-working day moves to the previous working day.

Decisions beyond the rules:

* ``add_working_days(start, 0, nation)`` returns ``start`` unchanged, working day or not.
* ``working_days_between(start, end)`` counts the working days ``d`` with
  ``start < d <= end`` and is antisymmetric: ``working_days_between(a, b) ==
  -working_days_between(b, a)``.
* ``month_window`` also moves the window *start* forward to a working day, so both
  endpoints of a window are working days.
* Bank holidays are whatever the installed ``holidays`` package lists, including one-off
  holidays (e.g. the 2022 Platinum Jubilee) and substitute ("observed") days. For years in
  the future it can only know the regular pattern; one-off holidays appear once the package
  is updated.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

import holidays

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


class Nation(StrEnum):
    """A UK nation, whose bank holidays decide which weekdays are working days (WD-1)."""

    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


# The ``holidays`` package's subdivision codes for the United Kingdom ("GB").
_SUBDIVISIONS: dict[Nation, str] = {
    Nation.ENGLAND: "ENG",
    Nation.WALES: "WLS",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}


def _nation(nation: Nation | str) -> Nation:
    """``nation`` as a Nation; a plain string equal to a member's value is accepted."""
    try:
        return Nation(nation)
    except ValueError:
        valid = ", ".join(repr(member.value) for member in Nation)
        raise ValueError(f"Unknown nation {nation!r}; expected one of {valid}.") from None


@lru_cache(maxsize=512)
def _holidays_in_year(nation: Nation, year: int) -> dict[date, str]:
    """The bank holidays of ``nation`` in ``year``. Cached: building them is slow.

    Callers must not mutate the returned dict; ``bank_holidays`` hands out copies.
    """
    calendar_for_year = holidays.country_holidays(
        "GB", subdiv=_SUBDIVISIONS[nation], years=year, expand=False
    )
    return {day: name for day, name in calendar_for_year.items() if day.year == year}


def bank_holidays(nation: Nation, year: int) -> dict[date, str]:
    """The bank holidays of ``nation`` in ``year``, as date -> holiday name.

    A holiday falling at a weekend is listed on its own date as well as on its substitute
    weekday (e.g. "Christmas Day (observed)").
    """
    return dict(_holidays_in_year(_nation(nation), year))


def is_bank_holiday(day: date, nation: Nation) -> bool:
    """Whether ``day`` is a bank holiday of ``nation`` (whatever day of the week it is)."""
    return day in _holidays_in_year(_nation(nation), day.year)


def is_working_day(day: date, nation: Nation) -> bool:
    """Whether ``day`` is Monday to Friday and not a bank holiday of ``nation`` (WD-1)."""
    return day.weekday() < _SATURDAY and not is_bank_holiday(day, nation)


def next_working_day(day: date, nation: Nation) -> date:
    """The first working day strictly after ``day``."""
    candidate = day + _ONE_DAY
    while not is_working_day(candidate, nation):
        candidate += _ONE_DAY
    return candidate


def previous_working_day(day: date, nation: Nation) -> date:
    """The last working day strictly before ``day``."""
    candidate = day - _ONE_DAY
    while not is_working_day(candidate, nation):
        candidate -= _ONE_DAY
    return candidate


def on_or_after_working_day(day: date, nation: Nation) -> date:
    """``day`` itself if it is a working day, otherwise the next working day."""
    return day if is_working_day(day, nation) else next_working_day(day, nation)


def on_or_before_working_day(day: date, nation: Nation) -> date:
    """``day`` itself if it is a working day, otherwise the previous working day."""
    return day if is_working_day(day, nation) else previous_working_day(day, nation)


def add_working_days(start: date, n: int, nation: Nation) -> date:
    """The ``n``-th working day after ``start``, counting from the day after (WD-1).

    ``start`` is the trigger and never counts itself: ``add_working_days(friday, 1)`` is the
    next Monday when that is a working day. ``n == 0`` returns ``start`` unchanged, even when
    it is not a working day. A negative ``n`` counts backwards: the ``-n``-th working day
    strictly before ``start``.
    """
    day = start
    for _ in range(abs(n)):
        day = next_working_day(day, nation) if n > 0 else previous_working_day(day, nation)
    return day


def _weekdays_after(start: date, end: date) -> int:
    """The number of Monday-to-Friday days ``d`` with ``start < d <= end``; ``start <= end``."""
    full_weeks, remainder = divmod((end - start).days, 7)
    extra = sum(
        1 for offset in range(1, remainder + 1) if (start + timedelta(offset)).weekday() < _SATURDAY
    )
    return full_weeks * 5 + extra


def _weekday_holidays_after(start: date, end: date, nation: Nation) -> int:
    """The number of bank holidays on Monday to Friday with ``start < d <= end``."""
    return sum(
        1
        for year in range(start.year, end.year + 1)
        for day in _holidays_in_year(nation, year)
        if start < day <= end and day.weekday() < _SATURDAY
    )


def working_days_between(start: date, end: date, nation: Nation) -> int:
    """The number of working days ``d`` with ``start < d <= end`` (WD-1 counting).

    So ``working_days_between(s, add_working_days(s, n)) == n`` for every ``n >= 0``. When
    ``end < start`` the result is the negative of ``working_days_between(end, start)``.
    """
    if end < start:
        return -working_days_between(end, start, nation)
    checked = _nation(nation)
    return _weekdays_after(start, end) - _weekday_holidays_after(start, end, checked)


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, clamping the day of the month.

    31 January + 1 month is 28 February (29 February in a leap year). ``months`` may be
    negative.
    """
    month_index = day.year * 12 + (day.month - 1) + months
    year, month_zero_based = divmod(month_index, 12)
    month = month_zero_based + 1
    if not date.min.year <= year <= date.max.year:
        raise ValueError(f"{day.isoformat()} plus {months} months is outside the supported years.")
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def month_window(
    anchor: date, start_months: int, end_months: int, nation: Nation
) -> tuple[date, date]:
    """The window from ``start_months`` to ``end_months`` calendar months after ``anchor`` (WD-2).

    E.g. "8-12 months after a full inspection" is ``month_window(inspection, 8, 12, nation)``.
    The end is ``add_months(anchor, end_months)``, moved back to the previous working day if
    it is not one (WD-2). The start is ``add_months(anchor, start_months)``, moved forward to
    the next working day if it is not one, so both endpoints are working days.

    Raises ValueError unless ``start_months < end_months``.
    """
    if start_months >= end_months:
        raise ValueError(
            f"A month window must end after it starts: got {start_months} to {end_months} months."
        )
    start = on_or_after_working_day(add_months(anchor, start_months), nation)
    end = on_or_before_working_day(add_months(anchor, end_months), nation)
    return start, end
