"""Builders shared by the findings tests (no tests here).

"Today" in these tests is Monday 23 November 2026. The full inspection of HMP Leeds ran in
November 2025 and is published; its IRP runs in March 2027, unannounced unless a test says
otherwise. Records are made with the ORM, the events' teams with put_on_team.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from itertools import count
from typing import Any

import time_machine
from django.utils import timezone

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role
from inspectorate.estate.models import Establishment
from inspectorate.frameworks.models import Aspect, Framework, Level
from inspectorate.inspections.constants import ConcernKind, FollowUpKind, JudgementStatus, Stage
from inspectorate.inspections.models import (
    Concern,
    FollowUp,
    Inspection,
    Judgement,
    Recommendation,
)
from inspectorate.programme.constants import EventKind, TeamRole
from inspectorate.programme.models import Event
from inspectorate.programme.tests.test_milestone_helpers import (
    make_establishment,
    make_event,
    put_on_team,
)

TODAY = date(2026, 11, 23)
NOON = timezone.make_aware(datetime(2026, 11, 23, 12, 0))
FULL_STARTS_ON = date(2025, 11, 3)
IRP_STARTS_ON = date(2027, 3, 8)

_serial = count(1)


def frozen_today() -> Iterator[None]:
    """For an autouse fixture: the tests' 'today'."""
    with time_machine.travel(NOON, tick=False):
        yield


def leeds() -> Establishment:
    return make_establishment("LE", "HMP Leeds")


def full_inspection(
    establishment: Establishment | None = None,
    *,
    starts_on: date = FULL_STARTS_ON,
    stage: str = Stage.PUBLISHED,
    education: str = "ofsted",
    **values: Any,
) -> Event:
    """A full inspection with its inspection record at `stage`."""
    event = make_event(
        establishment or leeds(),
        kind=EventKind.FULL_INSPECTION,
        starts_on=starts_on,
        education=education,
        signal=False,
        **values,
    )
    Inspection.objects.create(event=event, stage=stage)
    return event


def irp(
    follows_up: Event | None,
    *,
    starts_on: date = IRP_STARTS_ON,
    announced_on: date | None = None,
    education: str = "ofsted",
    stage: str | None = None,
) -> Event:
    """An IRP following up `follows_up` (at its establishment), unannounced by default."""
    event = make_event(
        follows_up.establishment if follows_up else leeds(),
        kind=EventKind.IRP,
        starts_on=starts_on,
        education=education,
        signal=False,
        follows_up=follows_up,
        announced_on=announced_on,
    )
    if stage is not None:
        Inspection.objects.create(event=event, stage=stage)
    return event


def set_stage(event: Event, stage: str) -> None:
    Inspection.objects.update_or_create(event=event, defaults={"stage": stage})


def user(*roles: str, establishment: Establishment | None = None) -> User:
    number = next(_serial)
    return User.objects.create_user(
        username=f"findings-user{number}",
        password="correct-horse-battery-staple",
        first_name="Findings",
        last_name=f"Tester {number}",
        roles=list(roles),
        establishment=establishment,
    )


def team_leader(event: Event) -> User:
    """An HMI Prisons team leader, placed as the event's team leader."""
    leader = user(Role.HMIP_TEAM_LEADER)
    put_on_team(event, leader, TeamRole.TEAM_LEADER)
    return leader


def ofsted_lead(event: Event) -> User:
    """An Ofsted lead inspector (who sees findings only of events they are on), placed as the
    event's Ofsted lead."""
    lead = user(Role.OFSTED_LEAD_INSPECTOR)
    put_on_team(event, lead, TeamRole.OFSTED_LEAD)
    return lead


def team_inspector(event: Event) -> User:
    """An Ofsted inspector on the event's team, not a lead."""
    member = user(Role.OFSTED_INSPECTOR)
    put_on_team(event, member, TeamRole.INSPECTOR)
    return member


def establishment_user(event: Event) -> User:
    return user(Role.ESTABLISHMENT_USER, establishment=event.establishment)


def concern(
    event: Event, text: str = "Prisoners spent too long locked up.", **values: Any
) -> Concern:
    values.setdefault("kind", ConcernKind.PRIORITY)
    return Concern.objects.create(event=event, text=text, **values)


def recommendations(event: Event, number: int, *, first: int = 12) -> list[Recommendation]:
    """`number` recommendations, paragraphs 1.<first> onwards."""
    return [
        Recommendation.objects.create(
            event=event,
            text=f"Recommendation {index}: leaders should act.",
            paragraph_reference=f"1.{first + index}",
            position=index,
        )
        for index in range(number)
    ]


def follow_up(event: Event, recommendation: Recommendation, **values: Any) -> FollowUp:
    return FollowUp.objects.create(
        event=event, kind=FollowUpKind.RECOMMENDATION, recommendation=recommendation, **values
    )


def theme(event: Event, text: str = "Attendance at education", **values: Any) -> FollowUp:
    return FollowUp.objects.create(event=event, kind=FollowUpKind.THEME, theme=text, **values)


def level(slug: str, framework: str) -> Level:
    return Level.objects.get(scale__framework__slug=framework, slug=slug)


def rec_level(slug: str) -> Level:
    return level(slug, "hmip-irp-progress")


def theme_level(slug: str) -> Level:
    return level(slug, "ofsted-irp-themes")


def progress_judgement(item: FollowUp, slug: str, decided_by: User) -> Judgement:
    """A progress judgement written with the ORM, for reading tests only."""
    framework_slug = (
        "hmip-irp-progress" if item.kind == FollowUpKind.RECOMMENDATION else "ofsted-irp-themes"
    )
    framework = Framework.objects.get(slug=framework_slug)
    aspect = Aspect.objects.get(framework=framework)
    return Judgement.objects.create(
        event=item.event,
        framework=framework,
        aspect=aspect,
        follow_up=item,
        level=level(slug, framework_slug),
        status=JudgementStatus.PROVISIONAL,
        decided_by=decided_by,
    )
