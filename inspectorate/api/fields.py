"""Date-times in the API are in UTC, in the `Z` form the UK government's API standards
prefer: `2026-12-07T09:00:00Z`, whatever the service's own time zone (Europe/London)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db import models
from django.utils import timezone
from rest_framework import serializers


class UtcDateTimeField(serializers.DateTimeField):
    """Written in UTC with `Z`; read as DRF reads it (an offset, or the service's zone)."""

    def to_representation(self, value: Any) -> str | None:  # type: ignore[override]  # None stays null
        if not value:
            return None
        if isinstance(value, str):
            return value
        if not isinstance(value, datetime):
            return str(value)
        if timezone.is_naive(value):
            value = timezone.make_aware(value)  # the current zone, as DRF's default_timezone()
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def use_utc_everywhere() -> None:
    """Every model serializer's date-time fields write UTC (called once, at start-up)."""
    serializers.ModelSerializer.serializer_field_mapping[models.DateTimeField] = UtcDateTimeField
