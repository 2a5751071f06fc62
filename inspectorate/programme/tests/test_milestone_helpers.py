"""Builders shared by the milestone tests (no tests here). Events are made with the ORM and
the programme's signal is sent by hand, as the event services do."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import count
from typing import Any

import time_machine
from django.utils import timezone

from inspectorate.estate.models import Establishment
from inspectorate.inspectors.constants import Grade, Organisation
from inspectorate.inspectors.models import Inspector
from inspectorate.programme import signals
from inspectorate.programme.constants import EventKind, TeamRole
from inspectorate.programme.models import Event, Programme, TeamMember

_serial = count(1)

# "Today" in these tests: Monday 23 November 2026, at noon in London.
TODAY = date(2026, 11, 23)
NOON = timezone.make_aware(datetime(2026, 11, 23, 12, 0))


def make_establishment(
    code: str = "LE", name: str = "HMP Leeds", *, nation: str = "england", **values: Any
) -> Establishment:
    values.setdefault("kind", "prison")
    return Establishment.objects.get_or_create(
        code=code, defaults={"name": name, "nation": nation, **values}
    )[0]


def make_programme(year: int = 2026) -> Programme:
    return Programme.objects.get_or_create(year=year)[0]


def make_event(
    establishment: Establishment | None = None,
    *,
    kind: str = EventKind.FULL_INSPECTION,
    starts_on: date = date(2027, 1, 11),
    ends_on: date | None = None,
    education: str = "ofsted",
    signal: bool = True,
    **values: Any,
) -> Event:
    """An event made with the ORM; `signal` sends event_dates_changed, as the services do."""
    if ends_on is None:
        length = {EventKind.FULL_INSPECTION: 11, EventKind.IRP: 2}.get(EventKind(kind), 3)
        ends_on = starts_on + timedelta(days=length)
    year = starts_on.year if starts_on.month >= 4 else starts_on.year - 1
    event = Event.objects.create(
        programme=make_programme(year),
        kind=kind,
        establishment=establishment or make_establishment(),
        starts_on=starts_on,
        ends_on=ends_on,
        education_inspectorate=education,
        **values,
    )
    if signal:
        signals.event_dates_changed.send(sender=Event, event=event, actor=None)
    return event


def move_event(event: Event, starts_on: date, ends_on: date, actor: Any = None) -> Event:
    event.starts_on, event.ends_on = starts_on, ends_on
    event.version += 1
    event.save()
    signals.event_dates_changed.send(sender=Event, event=event, actor=actor)
    return event


def make_inspector(user: Any = None, organisation: str = Organisation.OFSTED) -> Inspector:
    number = next(_serial)
    grade = Grade.OFSTED_HMI if organisation == Organisation.OFSTED else Grade.HMIP_TEAM_LEADER
    return Inspector.objects.create(
        user=user,
        name=f"Inspector {number}",
        email=f"milestone-inspector{number}@example.invalid",
        organisation=organisation,
        grade=grade,
    )


def put_on_team(
    event: Event, user: Any, role: str = TeamRole.OFSTED_LEAD, *, actor: Any = None
) -> TeamMember:
    organisation = Organisation.HMI_PRISONS if role == TeamRole.TEAM_LEADER else Organisation.OFSTED
    member = TeamMember.objects.create(
        event=event,
        inspector=make_inspector(user, organisation),
        role=role,
        starts_on=event.starts_on,
        ends_on=event.ends_on,
    )
    signals.team_changed.send(sender=TeamMember, event=event, actor=actor)
    return member


def made_in_time(on: date, **values: Any) -> Event:
    """An event added to the programme on `on` (its milestones made then, in time), then
    brought up to today, as the daily run would: a deadline passed since is missed, not
    impossible when created."""
    from inspectorate.programme.milestones.services import milestones_recompute

    with time_machine.travel(on, tick=False):
        event = make_event(**values)
    milestones_recompute(event=event)
    return event
