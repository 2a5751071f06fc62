"""The world the API tests read and change (no tests here).

"Today" is Monday 23 November 2026. HMP Leeds had a full inspection in November 2025, now
published, with recommendations and a complaint; its next full inspection, from Monday
11 January 2027, is unannounced: confidential (PG-3) to everyone but the programme staff
and its team. An IRP of the 2025 inspection was announced for March 2027.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.test import Client

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role
from inspectorate.api.services import api_token_issue
from inspectorate.complaints.models import Complaint
from inspectorate.estate.models import Establishment
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.tests import findings_helpers as fh
from inspectorate.programme.constants import EventKind, TeamRole
from inspectorate.programme.models import Event
from inspectorate.programme.tests.test_milestone_helpers import (
    make_establishment,
    make_event,
    put_on_team,
)

TODAY = fh.TODAY
NOON = fh.NOON
SECRET_START = date(2027, 1, 11)


@dataclass
class World:
    leeds: Establishment
    published: Event  # the 2025 full inspection, published
    secret: Event  # the unannounced full inspection (PG-3)
    irp: Event  # announced
    users: dict[str, User] = field(default_factory=dict)
    on_team: User | None = None


def person(username: str, *roles: str, establishment: Any = None) -> User:
    # No password: the tests sign in with force_login, and hashing with Argon2 is slow.
    return User.objects.create(
        username=username,
        first_name=username.title(),
        last_name="Tester",
        roles=list(roles),
        establishment=establishment,
    )


def build_world() -> World:
    leeds = make_establishment("LE", "HMP Leeds")
    published = fh.full_inspection(leeds, stage=Stage.PUBLISHED, announced_on=date(2025, 10, 1))
    fh.recommendations(published, 2)
    secret = make_event(leeds, kind=EventKind.FULL_INSPECTION, starts_on=SECRET_START)
    irp = fh.irp(published, announced_on=date(2026, 11, 2))
    world = World(leeds=leeds, published=published, secret=secret, irp=irp)
    for role in Role:
        establishment = leeds if role == Role.ESTABLISHMENT_USER else None
        world.users[role.value] = person(f"api-{role.value}", role, establishment=establishment)
    # An HMI Prisons inspector on the secret event's team sees it; one not on it does not.
    world.on_team = person("api-on-team", Role.HMIP_INSPECTOR)
    put_on_team(secret, world.on_team, TeamRole.INSPECTOR)
    Complaint.objects.create(
        event=published,
        raised_by=world.users[Role.ESTABLISHMENT_USER],
        complainant="Governor",
        concern="The feedback was rushed.",
        raised_on=date(2026, 1, 5),
    )
    return world


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def token_client(user: User, **values: Any) -> tuple[Client, str]:
    values.setdefault("name", "Test system")
    issued = api_token_issue(actor=user, **values)
    return Client(headers={"Authorization": f"Bearer {issued.secret}"}), issued.secret
