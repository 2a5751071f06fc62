"""Safeguarding and sanctions alerts raised during an event (SG-1, SG-2).

Confidential by default: an alert is seen by the inspector who raised it, the HMI Prisons
coordinators and the people on its escalation ladder (the event's team leader; system
administrators once escalated that far), and nobody else: not the rest of the team, not
quality assurance, not the establishment, not the public, and it appears in no report or
export. Every read is logged (DP-1).
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from inspectorate.accounts.permissions import user_has_duty
from inspectorate.accounts.roles import Duty
from inspectorate.audit.tracking import audited
from inspectorate.lib.models import Versioned, user_link
from inspectorate.programme.models import Event
from inspectorate.safeguarding.constants import AlertKind, AlertStatus, EntryKind


class AlertQuerySet(models.QuerySet["Alert"]):
    def visible_to(self, user: Any) -> AlertQuerySet:
        if not getattr(user, "is_authenticated", False) or user.is_establishment_user:
            return self.none()
        # The programme coordinators: "the coordinator of that event" is one of them.
        if user_has_duty(user, Duty.READS_SAFEGUARDING):
            return self
        return self.filter(Q(raised_by=user) | Q(ladder__contains=[user.pk]))


@audited()
class Alert(Versioned):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=20, choices=AlertKind)
    summary = models.TextField(help_text="What was seen or said, by whom, and when.")
    where = models.CharField(max_length=200, blank=True)
    raised_by = user_link()
    raised_at = models.DateTimeField(default=timezone.now)
    ladder = ArrayField(
        models.PositiveIntegerField(),
        default=list,
        help_text="User ids told in turn until someone acknowledges: the escalation ladder.",
    )
    notified_up_to = models.PositiveSmallIntegerField(
        default=0, help_text="How many people of the ladder have been told."
    )
    last_escalated_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=AlertStatus, default=AlertStatus.RAISED)
    acknowledged_by = user_link(optional=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["status", "last_escalated_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display().split(':')[0]} alert at {self.event.establishment}"


@audited()
class AlertEntry(models.Model):
    """One line of the alert's timeline: raised, told, escalated, acknowledged, acted, closed."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=20, choices=EntryKind)
    by = user_link(optional=True)
    at = models.DateTimeField(default=timezone.now)
    text = models.TextField()

    class Meta:
        ordering = ["alert", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"
