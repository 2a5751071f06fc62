"""Establishments: prisons, young offender institutions and the other places inspected.

The issue on establishments and providers extends this with providers, capacity and
history; the foundation needs enough to bind establishment users and load the demo.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from inspectorate.audit.tracking import audited
from inspectorate.estate.constants import EstablishmentKind, EstablishmentStatus, Nation


class EstablishmentQuerySet(models.QuerySet["Establishment"]):
    def visible_to(self, user: Any) -> EstablishmentQuerySet:
        """Staff see every establishment; an establishment user sees only their own."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.has_staff_role:
            return self
        if user.is_establishment_user:
            return self.filter(pk=user.establishment_id)
        return self.none()


@audited()
class Establishment(models.Model):
    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=EstablishmentKind)
    function = models.CharField(
        max_length=200, blank=True, help_text="For example 'Category C training prison'."
    )
    nation = models.CharField(max_length=20, choices=Nation, default=Nation.ENGLAND)
    operator = models.CharField(
        max_length=200, blank=True, help_text="The contractor running it; empty for public sector."
    )
    operator_company_number = models.CharField(max_length=8, blank=True)
    status = models.CharField(
        max_length=10, choices=EstablishmentStatus, default=EstablishmentStatus.OPEN
    )
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = EstablishmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="closed_establishment_has_closing_date_only_when_closed",
                condition=Q(status=EstablishmentStatus.CLOSED) | Q(closed_on__isnull=True),
                violation_error_message="Only a closed establishment has a closing date.",
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
