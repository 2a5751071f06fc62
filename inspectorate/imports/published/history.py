"""The one place the importer makes historical events (HI-1). When the history service
(`record_historical_event`) lands, `historical_event_create` calls it instead."""

from __future__ import annotations

from datetime import date
from typing import Any

from inspectorate.programme.constants import EventStatus, ProgrammeStatus
from inspectorate.programme.models import Event, Programme

HISTORY_PROGRAMME_NOTE = "Recorded as history from published reports (HI-1)."


def programme_year(day: date) -> int:
    """The programme a day belongs to: April to March."""
    return day.year if day.month >= 4 else day.year - 1


def historical_programme(day: date) -> Programme:
    """The programme of `day`'s year, made (confirmed, as it was) when the register has none."""
    programme, _ = Programme.objects.get_or_create(
        year=programme_year(day),
        defaults={
            "status": ProgrammeStatus.CONFIRMED,
            "confirmation_reason": HISTORY_PROGRAMME_NOTE,
        },
    )
    return programme


def historical_event_create(
    *,
    actor: Any,
    kind: str,
    establishment: Any,
    starts_on: date,
    ends_on: date,
    source: str,
    follows_up: Event | None = None,
    education_inspectorate: str = "",
) -> Event:
    """An event that took place before it was recorded here: completed, announced when it
    started, with no milestones (nothing forward-looking applies to it)."""
    return Event.objects.create(
        programme=historical_programme(starts_on),
        kind=kind,
        establishment=establishment,
        starts_on=starts_on,
        ends_on=ends_on,
        status=EventStatus.COMPLETED,
        announced_on=starts_on,
        follows_up=follows_up,
        education_inspectorate=education_inspectorate,
        historical=True,
        history_source=source,
    )
