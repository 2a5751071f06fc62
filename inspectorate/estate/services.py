"""Writes about establishments."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from inspectorate.estate.constants import EstablishmentStatus
from inspectorate.estate.models import Establishment
from inspectorate.estate.register import EstablishmentRecord


def establishments_load_register(*, records: Iterable[EstablishmentRecord]) -> tuple[int, int]:
    """Create or update establishments from register records; unchanged rows are not written.

    Returns (created, updated). Idempotent: loading the same records twice changes nothing.
    """
    created = updated = 0
    with transaction.atomic():
        existing = {e.code: e for e in Establishment.objects.select_for_update()}
        for record in records:
            values = {
                "name": record.name,
                "kind": record.kind,
                "function": record.function,
                "nation": record.nation,
                "operator": record.operator,
                "operator_company_number": record.operator_company_number,
                "status": EstablishmentStatus.CLOSED
                if record.closed_on
                else EstablishmentStatus.OPEN,
                "closed_on": record.closed_on,
                "opened_on": record.opened_on,
            }
            current = existing.get(record.code)
            if current is None:
                Establishment.objects.create(code=record.code, **values)
                created += 1
            elif any(getattr(current, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(current, field, value)
                current.version += 1
                current.save()
                updated += 1
    return created, updated
