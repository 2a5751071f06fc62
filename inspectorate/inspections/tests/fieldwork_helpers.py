"""Builders shared by the fieldwork tests (no tests here).

The event is a full inspection of HMP Leeds with Ofsted: Monday 7 to Friday 18 June 2027,
Ofsted's week the second, so the deliberation meeting is on Thursday 17 June (IN-3) and the
feedback to prison staff on Friday 18 June (IN-4). "Today" is the Monday after, at noon,
unless a test travels elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from itertools import count
from typing import Any

import time_machine
from django.utils import timezone

from conftest import TEST_PASSWORD
from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role
from inspectorate.frameworks.models import Aspect, Level
from inspectorate.frameworks.services import frameworks_load
from inspectorate.inspections.constants import EvidenceSource
from inspectorate.inspections.fieldwork import services
from inspectorate.inspections.models import EvidenceForm
from inspectorate.programme.constants import EventKind, TeamRole
from inspectorate.programme.models import Event
from inspectorate.programme.tests.test_milestone_helpers import (
    make_establishment,
    make_event,
    put_on_team,
)

START = date(2027, 6, 7)
END = date(2027, 6, 18)
EDUCATION_WEEK = date(2027, 6, 14)
THURSDAY = date(2027, 6, 17)
TODAY = date(2027, 6, 21)
NOON = timezone.make_aware(datetime(2027, 6, 21, 12, 0))

_serial = count(1)


@contextmanager
def on(moment: datetime = NOON) -> Iterator[None]:
    """Freeze the clock (the server's too, in a live-server test)."""
    with time_machine.travel(moment, tick=False):
        yield


def person(username: str, *roles: str, establishment: Any = None) -> User:
    return User.objects.create_user(
        username=username,
        password=TEST_PASSWORD,
        first_name=username.replace("_", " ").title(),
        last_name="Tester",
        roles=list(roles),
        establishment=establishment,
    )


@dataclass
class Team:
    event: Event
    leader: User
    ofsted_lead: User
    inspector: User
    ofsted_inspector: User


def make_team_event(**values: Any) -> Team:
    """The full inspection with its team: a team leader, an Ofsted lead, an HMI Prisons
    inspector and an Ofsted inspector, each signing in. Its milestones are computed."""
    values.setdefault("starts_on", START)
    values.setdefault("ends_on", END)
    if values.get("education", "ofsted") and values.get("kind", EventKind.FULL_INSPECTION) == (
        EventKind.FULL_INSPECTION
    ):
        values.setdefault("education_week_starts_on", EDUCATION_WEEK)
    event = make_event(**values)
    n = next(_serial)
    team = Team(
        event=event,
        leader=person(f"leader{n}", Role.HMIP_TEAM_LEADER),
        ofsted_lead=person(f"ofstedlead{n}", Role.OFSTED_LEAD_INSPECTOR),
        inspector=person(f"inspector{n}", Role.HMIP_INSPECTOR),
        ofsted_inspector=person(f"ofstedinspector{n}", Role.OFSTED_INSPECTOR),
    )
    put_on_team(event, team.leader, TeamRole.TEAM_LEADER)
    if event.education_inspectorate:
        put_on_team(event, team.ofsted_lead, TeamRole.OFSTED_LEAD)
    put_on_team(event, team.inspector, TeamRole.INSPECTOR)
    put_on_team(event, team.ofsted_inspector, TeamRole.INSPECTOR)
    return team


def load_frameworks() -> None:
    frameworks_load(actor=None)


def aspect(code: str, framework: str = "eif-prisons") -> Aspect:
    return Aspect.objects.get(framework__slug=framework, code=code)


def level(slug: str, framework: str = "eif-prisons", scale: str = "grade") -> Level:
    return Level.objects.get(scale__framework__slug=framework, scale__slug=scale, slug=slug)


def write_evidence(
    team: Team,
    author: User | None = None,
    *,
    code: str = "QE",
    text: str = "Evidence.",
    day: date = date(2027, 6, 15),
) -> EvidenceForm:
    return services.evidence_create(
        actor=author or team.inspector,
        event=team.event,
        evidence_on=day,
        source=EvidenceSource.STAFF,
        aspect=aspect(code),
        text=text,
    )


def other_establishment(code: str = "WD", name: str = "HMP Wakefield") -> Any:
    return make_establishment(code, name)
