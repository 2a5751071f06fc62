"""The audit trail's own tables: the hash chain, the log of confidential reads, and the
record of what retention erased (DP-3).

Changes to domain models are recorded by django-pghistory event tables (see tracking.py);
this app adds what pghistory does not: a verifiable chain over those events, and access
events for reads of confidential records.
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models

from inspectorate.audit.chain import chain_trigger
from inspectorate.audit.constants import AccessPurpose


def append_only(*, chained: bool) -> list[pgtrigger.Trigger]:
    """The triggers of an audit table: its rows are never updated or deleted, and, when
    `chained`, each row inserted joins the hash chain."""
    protect = pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
    return [protect, chain_trigger()] if chained else [protect]


class ChainLink(models.Model):
    """One link of the hash chain; written only by the chain trigger."""

    event_table = models.CharField(max_length=63)
    event_id = models.CharField(max_length=64)
    previous_digest = models.CharField(max_length=64, blank=True)
    # sha256 of the event row's JSON when it was inserted: the chain covers the row through it.
    payload_digest = models.CharField(max_length=64, blank=True, default="")
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        triggers = append_only(chained=False)
        indexes = [models.Index(fields=["event_table", "event_id"])]

    def __str__(self) -> str:
        return f"{self.event_table}#{self.event_id}"


class AccessEvent(models.Model):
    """A read of a confidential record (DP-1, PG-3): who saw what, when, from where."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200)
    purpose = models.CharField(max_length=20, choices=AccessPurpose, default=AccessPurpose.VIEW)
    record_type = models.CharField(max_length=100)
    record_id = models.CharField(max_length=64)
    record_label = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=500, blank=True)

    class Meta:
        triggers = append_only(chained=True)
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.purpose} {self.record_type}#{self.record_id}"


class Erasure(models.Model):
    """One disposal under the retention schedule (DP-3): what went, when, under which entry
    of the schedule, approved by whom. Names the record by kind and id only, never by its
    content. Append-only and chained, like every audit event."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    schedule_entry = models.CharField(max_length=60)
    schedule_version = models.PositiveIntegerField()
    record_type = models.CharField(max_length=100)
    record_id = models.CharField(max_length=64)
    reason = models.CharField(max_length=300)
    due_on = models.DateField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by_label = models.CharField(max_length=200, blank=True)
    performed_by_label = models.CharField(max_length=200)

    class Meta:
        triggers = append_only(chained=True)
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"Erasure of {self.record_type}#{self.record_id} ({self.schedule_entry})"


class RedactedEvent(models.Model):
    """An audit event row whose personal data an Erasure replaced with the redaction marker.

    The chain still covers the row as it was inserted (ChainLink.payload_digest);
    redacted_digest is the digest of the row as erased, so a later change to the erased row
    is still detected."""

    created_at = models.DateTimeField(auto_now_add=True)
    erasure = models.ForeignKey(Erasure, on_delete=models.PROTECT, related_name="redactions")
    event_table = models.CharField(max_length=63)
    event_id = models.CharField(max_length=64)
    redacted_digest = models.CharField(max_length=64)

    class Meta:
        triggers = append_only(chained=True)
        indexes = [models.Index(fields=["event_table", "event_id"])]

    def __str__(self) -> str:
        return f"{self.event_table}#{self.event_id} redacted"
