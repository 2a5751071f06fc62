"""Concerns and complaints about an inspection (CP-1).

A concern goes first to the event's lead inspector; unresolved, it becomes a formal
complaint answered within 20 working days with how to ask for a review; a review is
recorded the same way. Seen by the complainant's establishment, the event's leads, HMI
Prisons coordinators, quality assurance and system administrators: never public.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from inspectorate.accounts.permissions import user_has_duty
from inspectorate.accounts.roles import Duty
from inspectorate.audit.tracking import audited
from inspectorate.complaints.constants import LEAD_PLACES, Stage, Status
from inspectorate.lib.models import Versioned, user_link
from inspectorate.lib.wording import lower_first
from inspectorate.programme.models import Event


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    def visible_to(self, user: Any) -> ComplaintQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user_has_duty(user, Duty.READS_COMPLAINTS):
            return self
        if user.is_establishment_user:
            return self.filter(event__establishment_id=user.establishment_id)
        leads = Q(event__team__inspector__user=user, event__team__role__in=LEAD_PLACES)
        return self.filter(leads | Q(raised_by=user)).distinct()


@audited()
class Complaint(Versioned):
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="complaints")
    raised_by = user_link()
    complainant = models.CharField(max_length=200, help_text="Name and role of the complainant.")
    concern = models.TextField()
    raised_on = models.DateField()
    stage = models.CharField(max_length=20, choices=Stage, default=Stage.CONCERN)
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN)
    lead_reply = models.TextField(blank=True)
    lead_replied_by = user_link(optional=True)
    lead_replied_on = models.DateField(null=True, blank=True)
    formal_on = models.DateField(null=True, blank=True)
    formal_reason = models.TextField(blank=True)
    response_due_on = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True)
    review_route = models.TextField(blank=True, help_text="How to ask for a review (CP-1).")
    responded_on = models.DateField(null=True, blank=True)
    responded_by = user_link(optional=True)
    review_requested_on = models.DateField(null=True, blank=True)
    review_reason = models.TextField(blank=True)
    review_due_on = models.DateField(null=True, blank=True)
    review_response = models.TextField(blank=True)
    review_responded_on = models.DateField(null=True, blank=True)
    review_responded_by = user_link(optional=True)
    independent_review_route = models.TextField(
        blank=True, help_text="How to ask for an independent review after the internal one."
    )

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-pk"]

    def __str__(self) -> str:
        return f"Complaint about the {lower_first(str(self.event))}"
