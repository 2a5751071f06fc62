"""Inspectors: who they are, their vetting (TM-1), declared conflicts of interest (TM-2),
and the bookings that keep one inspector to one thing a day, leave included (TM-5)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import F, Func, Q, prefetch_related_objects
from django.utils import timezone

from inspectorate.accounts.permissions import DutyQuerySet, user_has_duty
from inspectorate.accounts.roles import Duty
from inspectorate.audit.tracking import audited
from inspectorate.estate.models import Establishment, Provider
from inspectorate.inspectors.constants import (
    CLEARANCE_RANK,
    DBS_WARNING_DAYS,
    ENHANCED_DBS_LEVELS,
    BookingKind,
    Clearance,
    DbsLevel,
    DbsStatus,
    Grade,
    Organisation,
    Region,
    Specialism,
    UnavailabilityKind,
)
from inspectorate.lib.models import (
    DatedSpan,
    Versioned,
    ends_on_or_after_start,
    labels_of,
    optional_link,
)
from inspectorate.lib.wording import long_date, lower_first

BOOKING_CLASH_CONSTRAINT = "inspector_booked_once_a_day"


class InspectorQuerySet(DutyQuerySet["Inspector"]):
    """Inspectors' records are for staff; establishment users and the public see none."""


@dataclass(frozen=True)
class VettingCheck:
    """The answer to 'may this inspector go on this custodial inspection?' (TM-1)."""

    valid: bool
    reasons: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.valid

    @property
    def reason(self) -> str:
        return " ".join(self.reasons)


@audited()
class Inspector(Versioned):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspector",
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    organisation = models.CharField(max_length=10, choices=Organisation)
    grade = models.CharField(max_length=20, choices=Grade)
    home_region = models.CharField(max_length=20, choices=Region, blank=True)
    specialisms = ArrayField(
        models.CharField(max_length=30, choices=Specialism),
        default=list,
        blank=True,
        help_text="What this inspector is qualified to inspect.",
    )
    dbs_level = models.CharField(
        "DBS check", max_length=20, choices=DbsLevel, default=DbsLevel.NONE
    )
    dbs_checked_on = models.DateField("DBS check date", null=True, blank=True)
    dbs_renewal_due_on = models.DateField(
        "DBS renewal date",
        null=True,
        blank=True,
        help_text="The check is valid up to and including this day.",
    )
    clearance = models.CharField(
        "security clearance", max_length=10, choices=Clearance, default=Clearance.NONE
    )
    active = models.BooleanField(default=True)

    objects = InspectorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="dbs_dates_recorded_with_a_check",
                condition=(
                    Q(
                        dbs_level=DbsLevel.NONE,
                        dbs_checked_on__isnull=True,
                        dbs_renewal_due_on__isnull=True,
                    )
                    | (
                        ~Q(dbs_level=DbsLevel.NONE)
                        & Q(dbs_checked_on__isnull=False, dbs_renewal_due_on__isnull=False)
                    )
                ),
                violation_error_message=(
                    "A DBS check needs both its check date and its renewal date; "
                    "no check means neither date."
                ),
            ),
            models.CheckConstraint(
                name="dbs_renewal_after_check",
                condition=Q(dbs_renewal_due_on__isnull=True)
                | Q(dbs_renewal_due_on__gt=F("dbs_checked_on")),
                violation_error_message="The DBS renewal date must be after the check date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_organisation_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """The register's columns are the current check: whatever writes them (a form, the
        import, the admin, the demo), the check joins the inspector's history (HI-1)."""
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        if fields is not None and not {"dbs_level", "dbs_checked_on", "dbs_renewal_due_on"} & set(
            fields
        ):
            return
        if (
            self.dbs_level == DbsLevel.NONE
            or not self.dbs_checked_on
            or not self.dbs_renewal_due_on
        ):
            # No check held now: one still running ends yesterday, one not yet begun is
            # withdrawn; what was held before stays, as past events are vetted against it.
            today = timezone.localdate()
            running = DbsCheck.objects.filter(inspector=self, expires_on__gte=today)
            running.filter(issued_on__gte=today - timedelta(days=1)).delete()
            running.update(expires_on=today - timedelta(days=1))
            return
        DbsCheck.objects.update_or_create(
            inspector=self,
            issued_on=self.dbs_checked_on,
            defaults={"level": self.dbs_level, "expires_on": self.dbs_renewal_due_on},
        )

    @property
    def specialism_labels(self) -> list[str]:
        return labels_of(Specialism, self.specialisms)

    @property
    def clearance_short(self) -> str:
        """'CTC', 'SC', 'DV' or 'None', for tables."""
        return "None" if self.clearance == Clearance.NONE else str(self.clearance).upper()

    @property
    def has_enhanced_dbs(self) -> bool:
        return self.dbs_level in ENHANCED_DBS_LEVELS

    def dbs_status(self, today: date) -> DbsStatus:
        """VALID, EXPIRING (renewal due within 90 days), EXPIRED or NONE, as on `today`."""
        if not self.has_enhanced_dbs or self.dbs_renewal_due_on is None:
            return DbsStatus.NONE
        if self.dbs_renewal_due_on < today:
            return DbsStatus.EXPIRED
        if self.dbs_renewal_due_on <= today + timedelta(days=DBS_WARNING_DAYS):
            return DbsStatus.EXPIRING
        return DbsStatus.VALID

    def _dbs_checks(self) -> list[DbsCheck]:
        """The inspector's recorded checks, newest first (prefetched as `dbs_checks` when
        listed: one query for many inspectors)."""
        return sorted(self.dbs_checks.all(), key=lambda c: c.issued_on, reverse=True)

    def current_check_covers(self, start: date, end: date) -> bool:
        """The current check (the register's columns) is enhanced and valid on every day."""
        checked, renewal = self.dbs_checked_on, self.dbs_renewal_due_on
        return bool(
            self.has_enhanced_dbs
            and checked is not None
            and renewal is not None
            and checked <= start
            and renewal >= end
        )

    def dbs_check_covering(self, start: date, end: date) -> DbsCheck | None:
        """The enhanced DBS check valid on every day from `start` to `end` (TM-1, HI-1):
        the one in force then, not necessarily the current one. None when none was."""
        for check in self._dbs_checks():
            if check.is_enhanced and check.issued_on <= start and check.expires_on >= end:
                return check
        return None

    def vetting_valid_throughout(
        self, start: date, end: date, clearance_needed: Clearance | str = Clearance.NONE
    ) -> VettingCheck:
        """TM-1: an enhanced DBS check valid on every day from `start` to `end` (inclusive),
        and security clearance at least `clearance_needed`. Falsy, with reasons, when not.

        The check is looked for in the inspector's history of checks: the current one
        (the register's columns) answers without a query when it covers the days."""
        if end < start:
            raise ValueError("The range ends before it starts.")
        reasons: list[str] = []
        if not self.current_check_covers(start, end) and (
            self.pk is None or self.dbs_check_covering(start, end) is None
        ):
            reasons += self._no_check_reasons(start, end)
        needed = Clearance(clearance_needed)
        if CLEARANCE_RANK[Clearance(self.clearance)] < CLEARANCE_RANK[needed]:
            held = Clearance(self.clearance)
            holds = "no security clearance" if held == Clearance.NONE else held.label
            reasons.append(f"{self.name} needs {needed.label} clearance but holds {holds}.")
        return VettingCheck(valid=not reasons, reasons=tuple(reasons))

    def _no_check_reasons(self, start: date, end: date) -> list[str]:
        """Why no check covers the days, told of the current check (as the register shows)."""
        checked, renewal = self.dbs_checked_on, self.dbs_renewal_due_on
        if not self.has_enhanced_dbs or checked is None or renewal is None:
            return [f"{self.name} has no enhanced DBS check recorded."]
        reasons = []
        if checked > start:
            reasons.append(
                f"{self.name}'s DBS check is dated {long_date(checked)}, "
                f"after the first day ({long_date(start)})."
            )
        if renewal < end:
            reasons.append(
                f"{self.name}'s DBS check is valid only until {long_date(renewal)}, "
                f"before the last day ({long_date(end)})."
            )
        return reasons


@audited()
class DbsCheck(models.Model):
    """One DBS check an inspector held: issued, valid up to and including `expires_on`.

    The history of checks answers TM-1 for any days, past or future; the inspector's
    `dbs_*` columns are the latest of them, as the register shows it."""

    inspector = models.ForeignKey(Inspector, on_delete=models.CASCADE, related_name="dbs_checks")
    level = models.CharField("DBS check", max_length=20, choices=DbsLevel)
    issued_on = models.DateField("date of the check")
    expires_on = models.DateField(
        "renewal date", help_text="The check is valid up to and including this day."
    )

    class Meta:
        ordering = ["inspector", "-issued_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspector", "issued_on"], name="one_dbs_check_per_inspector_and_day"
            ),
            models.CheckConstraint(
                name="dbs_check_expires_after_issue",
                condition=Q(expires_on__gt=F("issued_on")),
                violation_error_message="The DBS renewal date must be after the check date.",
            ),
            models.CheckConstraint(
                name="dbs_check_has_a_level",
                condition=~Q(level=DbsLevel.NONE),
                violation_error_message="A DBS check has a level.",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_level_display()} DBS check of {long_date(self.issued_on)}, "
            f"valid until {long_date(self.expires_on)}"
        )

    @property
    def is_enhanced(self) -> bool:
        return self.level in ENHANCED_DBS_LEVELS


def prefetch_check_history(inspectors: Iterable[Inspector], start: date, end: date) -> None:
    """Read, in one query, the past DBS checks of those of `inspectors` whose current check
    does not cover `start` to `end` (none when every current check does): vetting many
    inspectors then asks nothing more of the database."""
    uncovered = [i for i in inspectors if i.pk and not i.current_check_covers(start, end)]
    if uncovered:
        prefetch_related_objects(uncovered, "dbs_checks")


class ConflictQuerySet(DutyQuerySet["ConflictOfInterest"]):
    """Like inspectors themselves: staff only."""


class BookingQuerySet(models.QuerySet["InspectorBooking"]):
    def visible_to(self, user: Any) -> BookingQuerySet:
        """Staff only, and a booking for an event only to those who may see that event: an
        unannounced inspection's dates are confidential (PG-3)."""
        if not user_has_duty(user, Duty.STAFF):
            return self.none()
        event_model = apps.get_model("programme", "Event")  # programme builds on this app
        seen = event_model.objects.visible_to(user).values("pk")
        event_type = ContentType.objects.get_for_model(event_model)
        return self.exclude(Q(source_type=event_type) & ~Q(source_id__in=seen))


class UnavailabilityQuerySet(DutyQuerySet["Unavailability"]):
    """Staff only."""


@audited()
class ConflictOfInterest(Versioned):
    """A declared conflict with an establishment or a provider, from a date, maybe to one (TM-2)."""

    inspector = models.ForeignKey(Inspector, on_delete=models.CASCADE, related_name="conflicts")
    establishment = optional_link(Establishment, "inspector_conflicts")
    provider = optional_link(Provider, "inspector_conflicts")
    starts_on = models.DateField("from")
    ends_on = models.DateField("to", null=True, blank=True, help_text="Empty while it lasts.")
    reason = models.TextField()

    objects = ConflictQuerySet.as_manager()

    class Meta:
        ordering = ["inspector__name", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                name="conflict_names_establishment_or_provider",
                condition=(
                    Q(establishment__isnull=False, provider__isnull=True)
                    | Q(establishment__isnull=True, provider__isnull=False)
                ),
                violation_error_message=(
                    "A conflict of interest names either an establishment or a provider, "
                    "not both and not neither."
                ),
            ),
            ends_on_or_after_start(
                "conflict_ends_after_it_starts",
                "A conflict of interest cannot end before it starts.",
                open_ended=True,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspector.name}: conflict with {self.subject}"

    @property
    def subject(self) -> Establishment | Provider:
        subject = self.establishment or self.provider
        assert subject is not None  # the check constraint guarantees one
        return subject


class DateRange(Func):
    """PostgreSQL's daterange(lower, upper, bounds) over two date columns."""

    function = "daterange"
    output_field = DateRangeField()


@audited()
class InspectorBooking(DatedSpan, Versioned):
    """One inspector taken for some days: an event assignment or unavailability (TM-5).

    The exclusion constraint makes two bookings of one inspector on one day impossible,
    by whatever route they are written. Later apps book through
    services.inspector_book(), naming what the booking is for in `label` and `source`.
    """

    inspector = models.ForeignKey(Inspector, on_delete=models.PROTECT, related_name="bookings")
    kind = models.CharField(max_length=20, choices=BookingKind, default=BookingKind.BOOKING)
    label = models.CharField(
        max_length=200, help_text="What the inspector is booked for, as people read it."
    )
    source_type = optional_link(ContentType)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "inspector__name"]
        constraints = [
            ends_on_or_after_start(
                "booking_ends_after_it_starts", "A booking cannot end before it starts."
            ),
            models.CheckConstraint(
                name="booking_source_type_and_id_together",
                condition=Q(source_type__isnull=True, source_id__isnull=True)
                | Q(source_type__isnull=False, source_id__isnull=False),
                violation_error_message="A booking's source needs both its type and its id.",
            ),
            models.UniqueConstraint(
                fields=["source_type", "source_id", "inspector"],
                name="one_booking_per_source_and_inspector",
            ),
            ExclusionConstraint(
                name=BOOKING_CLASH_CONSTRAINT,
                expressions=[
                    (
                        DateRange("starts_on", "ends_on", RangeBoundary(inclusive_upper=True)),
                        RangeOperators.OVERLAPS,
                    ),
                    ("inspector", RangeOperators.EQUAL),
                ],
                violation_error_message="This inspector is already booked on one of these days.",
            ),
        ]
        indexes = [models.Index(fields=["inspector", "starts_on"])]

    def __str__(self) -> str:
        return (
            f"{self.inspector.name}: {self.label}, "
            f"{long_date(self.starts_on)} to {long_date(self.ends_on)}"
        )

    def clash_message(self, inspector_name: str) -> str:
        return (
            f"{inspector_name} is already booked from {long_date(self.starts_on)} "
            f"to {long_date(self.ends_on)} ({self.label})."
        )


@audited()
class Unavailability(DatedSpan, Versioned):
    """Leave, training, sickness: days the inspector cannot be booked (TM-5).

    Its `booking` holds the same days in the booking table, so the exclusion constraint
    keeps leave and assignments apart; the service writes both in one transaction.
    """

    inspector = models.ForeignKey(
        Inspector, on_delete=models.PROTECT, related_name="unavailability"
    )
    kind = models.CharField(max_length=20, choices=UnavailabilityKind)
    note = models.CharField(max_length=500, blank=True)
    booking = models.OneToOneField(
        InspectorBooking, on_delete=models.PROTECT, related_name="unavailability"
    )

    objects = UnavailabilityQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on"]
        verbose_name_plural = "unavailability"
        constraints = [
            ends_on_or_after_start(
                "unavailability_ends_after_it_starts", "Unavailability cannot end before it starts."
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.inspector.name}: {lower_first(self.get_kind_display())}, "
            f"{long_date(self.starts_on)} to {long_date(self.ends_on)}"
        )
