"""Builders shared by the team tests (no tests here)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count
from typing import Any

from inspectorate.estate.models import Establishment
from inspectorate.inspectors.constants import Clearance, DbsLevel, Grade, Organisation
from inspectorate.inspectors.models import Inspector
from inspectorate.programme.constants import EventKind
from inspectorate.programme.models import Event, Programme

_serial = count(1)

# A full inspection: two weeks from Monday 7 June 2027; Ofsted's week is the second.
FULL_START = date(2027, 6, 7)
FULL_END = date(2027, 6, 18)
EDUCATION_WEEK = (date(2027, 6, 14), date(2027, 6, 18))

GRADES = {
    Organisation.HMI_PRISONS: Grade.HMIP_INSPECTOR,
    Organisation.OFSTED: Grade.OFSTED_HMI,
    Organisation.ESTYN: Grade.ESTYN_HMI,
    Organisation.CQC: Grade.SPECIALIST,
    Organisation.GPHC: Grade.SPECIALIST,
}


def make_inspector(
    name: str | None = None, organisation: str = Organisation.HMI_PRISONS, **values: Any
) -> Inspector:
    """An active inspector with an enhanced DBS check valid 2025-01-01 to 2028-12-31, and SC."""
    number = next(_serial)
    defaults: dict[str, Any] = {
        "email": f"team-inspector{number}@example.invalid",
        "grade": GRADES[Organisation(organisation)],
        "dbs_level": DbsLevel.ENHANCED,
        "dbs_checked_on": date(2025, 1, 1),
        "dbs_renewal_due_on": date(2028, 12, 31),
        "clearance": Clearance.SC,
    }
    defaults.update(values)
    return Inspector.objects.create(
        name=name or f"Inspector {number}", organisation=organisation, **defaults
    )


def make_leader(name: str | None = None, **values: Any) -> Inspector:
    return make_inspector(name, grade=Grade.HMIP_TEAM_LEADER, **values)


def make_establishment(code: str = "LE", name: str = "HMP Leeds", **values: Any) -> Establishment:
    values.setdefault("kind", "prison")
    values.setdefault("security_category", "b")
    establishment, _ = Establishment.objects.get_or_create(
        code=code, defaults={"name": name, **values}
    )
    return establishment


def make_programme(year: int = 2027) -> Programme:
    return Programme.objects.get_or_create(year=year)[0]


def make_event(
    establishment: Establishment | None = None,
    *,
    kind: str = EventKind.FULL_INSPECTION,
    starts_on: date = FULL_START,
    ends_on: date | None = None,
    education: str = "ofsted",
    programme: Programme | None = None,
    **values: Any,
) -> Event:
    """A planned event; a full inspection runs two weeks with the education week second."""
    if ends_on is None:
        length = {EventKind.FULL_INSPECTION: 11, EventKind.IRP: 2}.get(EventKind(kind), 4)
        ends_on = starts_on + timedelta(days=length)
    if kind == EventKind.FULL_INSPECTION and education:
        values.setdefault("education_week_starts_on", starts_on + timedelta(days=7))
    return Event.objects.create(
        programme=programme
        or make_programme(starts_on.year if starts_on.month >= 4 else starts_on.year - 1),
        kind=kind,
        establishment=establishment or make_establishment(),
        starts_on=starts_on,
        ends_on=ends_on,
        education_inspectorate=education,
        **values,
    )
