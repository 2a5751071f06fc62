"""The one place the importer makes historical events (HI-1): through the history service,
so an imported event is recorded exactly as one entered on the screen."""

from __future__ import annotations

from datetime import date
from typing import Any

from inspectorate.programme.history import record_historical_event
from inspectorate.programme.models import Event


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
    """An event that took place before it was recorded here: completed, in the programme of
    its year (made on demand), none of its milestones due or missed."""
    return record_historical_event(
        actor=actor,
        kind=kind,
        establishment=establishment,
        starts_on=starts_on,
        ends_on=ends_on,
        follows_up=follows_up,
        source=source,
        education_inspectorate=education_inspectorate,
    )
