"""Writes to the audit trail that are not made by triggers."""

from __future__ import annotations

from typing import Any

from django.db import models

from inspectorate.audit.constants import AccessPurpose
from inspectorate.audit.models import AccessEvent


def access_record(
    *,
    actor: Any,
    record: models.Model,
    purpose: AccessPurpose = AccessPurpose.VIEW,
    path: str = "",
) -> AccessEvent:
    """Log that `actor` read a confidential `record` (PG-3, DP-1)."""
    is_user = getattr(actor, "is_authenticated", False)
    return AccessEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=actor.get_username() if is_user else "anonymous",
        purpose=purpose,
        record_type=record._meta.label_lower,
        record_id=str(record.pk),
        record_label=str(record)[:300],
        path=path[:500],
    )
