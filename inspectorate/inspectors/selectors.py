"""Reads about inspectors: the filtered list, DBS warnings, conflicts (TM-2), the calendar."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import F, Q, QuerySet

from inspectorate.estate.models import Establishment
from inspectorate.inspectors.constants import (
    DBS_WARNING_DAYS,
    ENHANCED_DBS_LEVELS,
    Clearance,
    DbsStatus,
)
from inspectorate.inspectors.models import ConflictOfInterest, Inspector, InspectorBooking
from inspectorate.lib.wording import long_date

DateSpan = tuple[date, date]


def _span(on: date | DateSpan) -> DateSpan:
    start, end = on if isinstance(on, tuple) else (on, on)
    if end < start:
        raise ValueError("The range ends before it starts.")
    return start, end


# The list and the DBS warnings ---------------------------------------------------------


def dbs_status_q(status: DbsStatus | str, today: date) -> Q:
    """The inspectors whose DBS check is in `status` on `today`, as a filter."""
    enhanced = Q(dbs_level__in=ENHANCED_DBS_LEVELS, dbs_renewal_due_on__isnull=False)
    warn_until = today + timedelta(days=DBS_WARNING_DAYS)
    if status == DbsStatus.NONE:
        return ~enhanced
    if status == DbsStatus.EXPIRED:
        return enhanced & Q(dbs_renewal_due_on__lt=today)
    if status == DbsStatus.EXPIRING:
        return enhanced & Q(dbs_renewal_due_on__gte=today, dbs_renewal_due_on__lte=warn_until)
    return enhanced & Q(dbs_renewal_due_on__gt=warn_until)


def inspector_list(
    *,
    user: Any,
    today: date,
    organisation: str = "",
    grade: str = "",
    region: str = "",
    specialism: str = "",
    dbs_status: str = "",
    active_only: bool = True,
) -> QuerySet[Inspector]:
    """The inspectors `user` may see, filtered; every filter is optional."""
    inspectors = Inspector.objects.visible_to(user)
    if active_only:
        inspectors = inspectors.filter(active=True)
    if organisation:
        inspectors = inspectors.filter(organisation=organisation)
    if grade:
        inspectors = inspectors.filter(grade=grade)
    if region:
        inspectors = inspectors.filter(home_region=region)
    if specialism:
        inspectors = inspectors.filter(specialisms__contains=[specialism])
    if dbs_status:
        inspectors = inspectors.filter(dbs_status_q(dbs_status, today))
    return inspectors.order_by("name", "pk")


@dataclass
class DbsWarnings:
    expired: list[Inspector] = field(default_factory=list)
    expiring: list[Inspector] = field(default_factory=list)
    missing: list[Inspector] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.expired) + len(self.expiring) + len(self.missing)


def dbs_warnings(*, user: Any, today: date) -> DbsWarnings:
    """Active inspectors whose enhanced DBS check is overdue for renewal, due within 90 days,
    or not recorded at all (TM-1): one query."""
    inspectors = (
        Inspector.objects.visible_to(user)
        .filter(active=True)
        .filter(
            dbs_status_q(DbsStatus.EXPIRED, today)
            | dbs_status_q(DbsStatus.EXPIRING, today)
            | dbs_status_q(DbsStatus.NONE, today)
        )
        .order_by(F("dbs_renewal_due_on").asc(nulls_last=True), "name")
    )
    warnings = DbsWarnings()
    for inspector in inspectors:
        status = inspector.dbs_status(today)
        if status == DbsStatus.EXPIRED:
            warnings.expired.append(inspector)
        elif status == DbsStatus.EXPIRING:
            warnings.expiring.append(inspector)
        else:
            warnings.missing.append(inspector)
    return warnings


# Conflicts of interest (TM-2) ----------------------------------------------------------


def _conflicts_at(
    establishment: Establishment, start: date, end: date
) -> QuerySet[ConflictOfInterest]:
    """Conflicts in force on some day from `start` to `end` with `establishment`, or with a
    provider whose contract there overlaps the conflict on one of those days."""
    in_force = Q(starts_on__lte=end) & (Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    direct = Q(establishment=establishment)
    # One filter() call, so every condition on contracts applies to the same contract row.
    contract_in_range = Q(provider__contracts__starts_on__lte=end) & (
        Q(provider__contracts__ends_on__isnull=True) | Q(provider__contracts__ends_on__gte=start)
    )
    contract_meets_conflict = (
        Q(ends_on__isnull=True) | Q(provider__contracts__starts_on__lte=F("ends_on"))
    ) & (
        Q(provider__contracts__ends_on__isnull=True)
        | Q(provider__contracts__ends_on__gte=F("starts_on"))
    )
    provider_at_site = (
        Q(provider__contracts__establishment=establishment)
        & contract_in_range
        & contract_meets_conflict
    )
    ids = (
        ConflictOfInterest.objects.filter(in_force & (direct | provider_at_site))
        .values("pk")
        .distinct()
    )
    return ConflictOfInterest.objects.filter(pk__in=ids)


def conflicts_with(
    inspector: Inspector, establishment: Establishment, on: date | DateSpan
) -> list[ConflictOfInterest]:
    """TM-2: `inspector`'s declared conflicts that bar them from `establishment` on `on`
    (a day, or a (first, last) range, inclusive): conflicts with the establishment itself,
    and with any provider contracted there during the range. Empty when there are none."""
    start, end = _span(on)
    return list(
        _conflicts_at(establishment, start, end)
        .filter(inspector=inspector)
        .select_related("establishment", "provider")
        .order_by("starts_on", "pk")
    )


def conflicted_inspector_ids(
    establishment: Establishment,
    on: date | DateSpan,
    inspectors: Iterable[Inspector] | None = None,
) -> set[int]:
    """The ids of inspectors (of `inspectors`, or all) with a TM-2 conflict there: one query,
    for choosing a whole team."""
    start, end = _span(on)
    conflicts = _conflicts_at(establishment, start, end)
    if inspectors is not None:
        conflicts = conflicts.filter(inspector__in=[i.pk for i in inspectors])
    return set(conflicts.values_list("inspector_id", flat=True))


# Bookings and the calendar (TM-5) -------------------------------------------------------


def bookings_overlapping(
    inspector: Inspector, starts_on: date, ends_on: date
) -> list[InspectorBooking]:
    """`inspector`'s bookings on any day from `starts_on` to `ends_on` (inclusive)."""
    return list(
        InspectorBooking.objects.filter(
            inspector=inspector, starts_on__lte=ends_on, ends_on__gte=starts_on
        )
        .select_related("unavailability")
        .order_by("starts_on", "pk")
    )


def is_free(inspector: Inspector, starts_on: date, ends_on: date) -> bool:
    return not InspectorBooking.objects.filter(
        inspector=inspector, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).exists()


@dataclass(frozen=True)
class CalendarMonth:
    first_day: date
    last_day: date
    bookings: Sequence[InspectorBooking]

    @property
    def title(self) -> str:
        return f"{self.first_day:%B %Y}"


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def inspector_calendar(
    inspector: Inspector, *, user: Any, today: date, months: int = 12
) -> list[CalendarMonth]:
    """`months` calendar months from the current one, each with the bookings (assignments
    and unavailability) on any of its days that `user` may see (PG-3); one query."""
    first = today.replace(day=1)
    last = _add_months(first, months) - timedelta(days=1)
    bookings = list(
        InspectorBooking.objects.visible_to(user)
        .filter(inspector=inspector, starts_on__lte=last, ends_on__gte=first)
        .select_related("unavailability")
        .order_by("starts_on", "pk")
    )
    result = []
    for offset in range(months):
        month_start = _add_months(first, offset)
        month_end = month_start.replace(
            day=calendar.monthrange(month_start.year, month_start.month)[1]
        )
        in_month = [b for b in bookings if b.starts_on <= month_end and b.ends_on >= month_start]
        result.append(CalendarMonth(month_start, month_end, in_month))
    return result


# Export ---------------------------------------------------------------------------------


def inspectors_for_export(*, user: Any) -> QuerySet[Inspector]:
    return Inspector.objects.visible_to(user).order_by("email")


# Everything that bars an inspector from an assignment ------------------------------------


def assignment_problems(
    inspector: Inspector,
    establishment: Establishment,
    starts_on: date,
    ends_on: date,
    clearance_needed: Clearance | str = Clearance.NONE,
    *,
    custodial: bool = True,
) -> list[str]:
    """Why `inspector` cannot go on an event at `establishment` from `starts_on` to `ends_on`
    (inclusive), in words; empty when they can. TM-1 (vetting, for custodial events), TM-2
    (declared conflicts) and TM-5 (already booked or unavailable). Three queries."""
    problems: list[str] = []
    if custodial:
        problems += inspector.vetting_valid_throughout(starts_on, ends_on, clearance_needed).reasons
    for conflict in conflicts_with(inspector, establishment, (starts_on, ends_on)):
        problems.append(
            f"{inspector.name} has declared a conflict of interest with {conflict.subject} "
            f"from {long_date(conflict.starts_on)}: {conflict.reason}"
        )
    problems += [
        booking.clash_message(inspector.name)
        for booking in bookings_overlapping(inspector, starts_on, ends_on)
    ]
    return problems
