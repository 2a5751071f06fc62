"""Approvals of disposals the retention schedule reserves to a role (DP-1, DP-3)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from inspectorate.audit.tracking import audited
from inspectorate.lib.models import user_link


@audited()
class DisposalApproval(models.Model):
    """Someone holding the schedule entry's approving role agreed that this record may go;
    the next retention run disposes of it."""

    schedule_entry = models.CharField(max_length=60)
    record_id = models.CharField(max_length=64)
    approved_by = user_link()
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-approved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule_entry", "record_id"], name="one_approval_per_disposal"
            )
        ]

    def __str__(self) -> str:
        return f"Disposal of {self.schedule_entry} {self.record_id} approved"
