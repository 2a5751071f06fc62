"""Establishments: prisons, young offender institutions and the other places inspected.

The issue on establishments and providers extends this with providers, capacity and
history; the foundation needs enough to bind establishment users and load the demo.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from inspectorate.audit.tracking import audited
from inspectorate.estate.constants import (
    DatePrecision,
    EstablishmentKind,
    EstablishmentStatus,
    FactKind,
    Nation,
    Organisation,
    ProviderService,
    Region,
    SecurityCategory,
)
from inspectorate.estate.policy import education_inspectorate
from inspectorate.lib.models import ConditionQuerySet, Versioned, ends_on_or_after_start


def staff_or_own_filter(user: Any, own: str) -> Q | None:
    """Staff see every row; an establishment user sees the rows whose `own` lookup is their
    establishment's id; nobody else sees any (None)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.has_staff_role:
        return Q()
    if user.is_establishment_user:
        return Q(**{own: user.establishment_id})
    return None


class EstablishmentQuerySet(ConditionQuerySet["Establishment"]):
    def visible_to(self, user: Any) -> EstablishmentQuerySet:
        """Staff see every establishment; an establishment user sees only their own."""
        return self.meeting(staff_or_own_filter(user, "pk"), distinct=False)


@audited()
class Establishment(Versioned):
    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=EstablishmentKind)
    function = models.CharField(
        max_length=200, blank=True, help_text="For example 'Category C training prison'."
    )
    nation = models.CharField(
        max_length=20,
        choices=Nation,
        default=Nation.ENGLAND,
        help_text="Selects the bank holidays and the education inspectorate (Ofsted or Estyn).",
    )
    region = models.CharField(max_length=20, choices=Region, blank=True)
    security_category = models.CharField(max_length=20, choices=SecurityCategory, blank=True)
    max_inspectors_on_site = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The most inspectors the site can take at once (PG-11); empty if not set.",
    )
    probation_group = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Probation areas only: group 1 to 4 (PG-13)."
    )
    operator = models.CharField(
        max_length=200, blank=True, help_text="The contractor running it; empty for public sector."
    )
    operator_company_number = models.CharField(max_length=8, blank=True)
    status = models.CharField(
        max_length=10, choices=EstablishmentStatus, default=EstablishmentStatus.OPEN
    )
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    renamed_from = models.CharField(
        max_length=200, blank=True, help_text="Its former name, when it has been renamed."
    )

    objects = EstablishmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="closed_establishment_has_closing_date_only_when_closed",
                condition=Q(status=EstablishmentStatus.CLOSED) | Q(closed_on__isnull=True),
                violation_error_message="Only a closed establishment has a closing date.",
            ),
            models.CheckConstraint(
                name="probation_group_only_for_probation_areas",
                condition=(
                    Q(probation_group__isnull=True)
                    | Q(kind=EstablishmentKind.PROBATION_AREA, probation_group__range=(1, 4))
                ),
                violation_error_message="Only a probation area has a probation group, from 1 to 4.",
            ),
            models.CheckConstraint(
                name="on_site_maximum_is_positive",
                condition=Q(max_inspectors_on_site__isnull=True) | Q(max_inspectors_on_site__gt=0),
                violation_error_message="The on-site maximum must be at least one inspector.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public_sector(self) -> bool:
        return not self.operator

    @property
    def operator_label(self) -> str:
        return self.operator or "Public sector"

    @property
    def is_closed(self) -> bool:
        return self.status == EstablishmentStatus.CLOSED

    def closure_text(self) -> str:
        """When it closed, as precisely as the register's source says ("in 2017", "in
        January 2016", "on 21 December 2012"); one query."""
        fact = self.facts.filter(kind=FactKind.CLOSED).order_by("-position").first()
        if fact is not None and fact.on is not None:
            return fact.when_text
        if self.closed_on is not None:
            return f"on {self.closed_on.day} {self.closed_on:%B %Y}"
        return ""

    @property
    def education_inspectorate(self) -> Organisation | None:
        """Who inspects education, skills and work here: Ofsted or Estyn (PG-10)."""
        return education_inspectorate(self)


@audited()
class RegisterFact(models.Model):
    """One fact of the register about an establishment, with where it comes from and when
    it was last checked: that it is listed, opened, closed, was renamed."""

    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="facts")
    kind = models.CharField(max_length=10, choices=FactKind)
    on = models.DateField(null=True, blank=True)
    precision = models.CharField(max_length=5, choices=DatePrecision, default=DatePrecision.DAY)
    detail = models.CharField(
        max_length=200, blank=True, help_text="The name listed, or the former name."
    )
    source = models.CharField(max_length=500, help_text="A web address, or the register.")
    checked_on = models.DateField(
        null=True, blank=True, help_text="Empty: as published in the register, not re-checked."
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["establishment", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["establishment", "position"], name="register_fact_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.establishment_id}: {self.get_kind_display()} {self.when_text}".strip()

    @property
    def when_text(self) -> str:
        """The date as precisely as the source gives it: 'in 2017', 'in January 2016',
        'on 29 May 2023'; empty without a date."""
        if self.on is None:
            return ""
        if self.precision == DatePrecision.YEAR:
            return f"in {self.on.year}"
        if self.precision == DatePrecision.MONTH:
            return f"in {self.on:%B %Y}"
        return f"on {self.on.day} {self.on:%B %Y}"

    @property
    def source_is_link(self) -> bool:
        return self.source.startswith(("https://", "http://"))


class ProviderQuerySet(ConditionQuerySet["Provider"]):
    def visible_to(self, user: Any) -> ProviderQuerySet:
        """Staff see every provider; an establishment user sees those of their establishment."""
        return self.meeting(staff_or_own_filter(user, "contracts__establishment_id"))


@audited()
class Provider(Versioned):
    """An education, skills and work provider: a college or company contracted to teach."""

    name = models.CharField(max_length=200, unique=True)
    ukprn = models.CharField(
        "UK provider reference number", max_length=8, blank=True, help_text="8 digits."
    )

    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="ukprn_is_eight_digits",
                condition=Q(ukprn="") | Q(ukprn__regex=r"^[0-9]{8}$"),
                violation_error_message="A UK provider reference number is 8 digits.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


@audited()
class ProviderContract(Versioned):
    """A provider's contract to deliver a service at an establishment, with its dates."""

    establishment = models.ForeignKey(
        Establishment, on_delete=models.PROTECT, related_name="contracts"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="contracts")
    service = models.CharField(max_length=20, choices=ProviderService)
    contract_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="What it was let under, for example 'Prison Education Framework'.",
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["establishment__name", "-starts_on"]
        constraints = [
            ends_on_or_after_start(
                "contract_ends_after_it_starts",
                "A contract cannot end before it starts.",
                open_ended=True,
            ),
            models.UniqueConstraint(
                fields=["establishment", "provider", "service", "starts_on"],
                name="one_contract_per_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} at {self.establishment} ({self.get_service_display()})"
