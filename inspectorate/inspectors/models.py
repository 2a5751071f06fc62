"""Inspectors. The issue on inspectors adds vetting, conflicts of interest and leave."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from inspectorate.audit.tracking import audited
from inspectorate.inspectors.constants import Grade, Organisation, Region


class InspectorQuerySet(models.QuerySet["Inspector"]):
    def visible_to(self, user: Any) -> InspectorQuerySet:
        """Inspectors' records are for staff; establishment users and the public see none."""
        if getattr(user, "is_authenticated", False) and user.has_staff_role:
            return self
        return self.none()


@audited()
class Inspector(models.Model):
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
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    objects = InspectorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_organisation_display()})"
