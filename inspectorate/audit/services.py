"""Writes to the audit trail that are not made by triggers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models

from inspectorate.audit.constants import AccessPurpose
from inspectorate.audit.models import AccessEvent

if TYPE_CHECKING:
    from inspectorate.accounts.models import User


def _access_event(
    actor: User, record: models.Model, purpose: AccessPurpose, path: str
) -> AccessEvent:
    is_user = getattr(actor, "is_authenticated", False)
    return AccessEvent(
        actor=actor if is_user else None,
        actor_label=actor.get_username() if is_user else "anonymous",
        purpose=purpose,
        record_type=record._meta.label_lower,
        record_id=str(record.pk),
        record_label=str(record)[:300],
        path=path[:500],
    )


def access_record(
    *,
    actor: User,
    record: models.Model,
    purpose: AccessPurpose = AccessPurpose.VIEW,
    path: str = "",
) -> AccessEvent:
    """Log that `actor` read a confidential `record` (PG-3, DP-1)."""
    event = _access_event(actor, record, purpose, path)
    event.save()
    return event


def access_records(
    *,
    actor: User,
    records: Iterable[models.Model],
    purpose: AccessPurpose = AccessPurpose.VIEW,
    path: str = "",
) -> int:
    """Log, in one query, that `actor` read each of `records` (PG-3, DP-1). Returns how many."""
    rows = [_access_event(actor, record, purpose, path) for record in records]
    if rows:
        AccessEvent.objects.bulk_create(rows)
    return len(rows)
