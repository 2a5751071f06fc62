"""Builders shared by the programme core's tests (no tests here).

`make_event` writes directly, bypassing the services, so a test sets up exactly the state it
needs; the service tests call the services themselves.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from inspectorate.estate.models import Establishment
from inspectorate.programme.constants import EventKind, ProgrammeStatus
from inspectorate.programme.models import Event, Programme

# The demo's "today": a Sunday in November 2026, in the middle of the 2026-27 programme.
TODAY = date(2026, 11, 22)
NOON = dt.datetime(2026, 11, 22, 12, 0, tzinfo=ZoneInfo("Europe/London"))
LENGTHS: dict[str, int] = {EventKind.FULL_INSPECTION: 11, EventKind.IRP: 2}


def make_establishment(code: str, name: str | None = None, **values: Any) -> Establishment:
    values.setdefault("kind", "prison")
    return Establishment.objects.create(code=code, name=name or f"HMP {code}", **values)


def make_programme(
    year: int = 2026, status: str = ProgrammeStatus.DRAFT, **values: Any
) -> Programme:
    if status == ProgrammeStatus.CONFIRMED:
        values.setdefault("consultation_opened_on", date(year - 1, 12, 1))
        values.setdefault("confirmed_on", date(year, 1, 19))
    return Programme.objects.create(year=year, status=status, **values)


def make_event(
    programme: Programme,
    establishment: Establishment,
    kind: str = EventKind.FULL_INSPECTION,
    starts_on: date = date(2027, 1, 11),
    **values: Any,
) -> Event:
    values.setdefault("ends_on", starts_on + timedelta(days=LENGTHS.get(kind, 1)))
    if kind == EventKind.FULL_INSPECTION and establishment.nation in {"england", "wales"}:
        values.setdefault(
            "education_inspectorate", "ofsted" if establishment.nation == "england" else "estyn"
        )
        values.setdefault("education_week_starts_on", starts_on + timedelta(days=7))
    return Event.objects.create(
        programme=programme, establishment=establishment, kind=kind, starts_on=starts_on, **values
    )


def date_post(prefix: str, value: date | None) -> dict[str, str]:
    """The three GOV.UK date boxes of a form field, as posted."""
    if value is None:
        return {f"{prefix}_day": "", f"{prefix}_month": "", f"{prefix}_year": ""}
    return {
        f"{prefix}_day": str(value.day),
        f"{prefix}_month": str(value.month),
        f"{prefix}_year": str(value.year),
    }
