"""The demo teams: complete, within the rules, the demo users on some, and idempotent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import ChainLink
from inspectorate.inspectors.constants import Grade, Organisation, UnavailabilityKind
from inspectorate.inspectors.demo import demo_email
from inspectorate.inspectors.models import InspectorBooking
from inspectorate.inspectors.services import conflict_declare, unavailability_add
from inspectorate.programme.constants import EventKind, EventStatus, TeamRole
from inspectorate.programme.demo_teams import demo_teams_load
from inspectorate.programme.models import Event, TeamMember
from inspectorate.programme.tests.test_team_helpers import (
    make_establishment,
    make_event,
    make_inspector,
    make_programme,
)

pytestmark = pytest.mark.django_db


def _person(name: str, organisation: str = Organisation.HMI_PRISONS, **values):
    return make_inspector(name, organisation, email=demo_email(name), **values)


@pytest.fixture
def demo(make_user):
    """A small 2026-27 programme: overlapping events in England and Wales, one cancelled."""
    coordinator = make_user(Role.HMIP_COORDINATOR, username="coordinator")
    people = {
        "leaders": [
            _person(name, grade=Grade.HMIP_TEAM_LEADER)
            for name in ("Martin Lomax", "Anna Abbott", "Bill Barker")
        ],
        "hmip": [
            _person(name)
            for name in (
                "Deborah Okafor",
                "Carl Carter",
                "Dina Dixon",
                "Ed Ellis",
                "Flo Foster",
                "Gus Gibson",
                "Hana Hall",
                "Ian Iqbal",
            )
        ],
        "ofsted": [
            _person("Helen Marsh", Organisation.OFSTED),
            _person("Olu Osei", Organisation.OFSTED),
            _person("Pat Parker", Organisation.OFSTED, grade=Grade.OFSTED_INSPECTOR),
            _person("Quin Quinn", Organisation.OFSTED, grade=Grade.OFSTED_INSPECTOR),
        ],
        "estyn": [
            _person("Rhiannon Pritchard", Organisation.ESTYN),
            _person("Gethin Rees", Organisation.ESTYN),
        ],
    }
    programme = make_programme(2026)
    prisons = [
        make_establishment(code, name)
        for code, name in (("LE", "HMP Leeds"), ("WD", "HMP Wakefield"), ("HV", "HMP Haverigg"))
    ]
    cardiff = make_establishment("CF", "HMP/YOI Cardiff", nation="wales")
    monday = date(2026, 6, 1)
    events = []
    for n in range(6):
        events.append(
            make_event(
                prisons[n % 3],
                programme=programme,
                starts_on=monday + timedelta(weeks=n),  # each overlaps the next
            )
        )
    events.append(
        make_event(cardiff, programme=programme, starts_on=date(2026, 9, 7), education="estyn")
    )
    events.append(
        make_event(
            prisons[0],
            programme=programme,
            kind=EventKind.IRP,
            starts_on=date(2026, 10, 6),
            education="",
        )
    )
    cancelled = make_event(
        prisons[1], programme=programme, starts_on=date(2026, 11, 2), status=EventStatus.CANCELLED
    )
    # Deborah Okafor has a conflict at Haverigg; Carl Carter is on leave in June.
    conflict_declare(
        actor=coordinator,
        inspector=people["hmip"][0],
        establishment=prisons[2],
        starts_on=date(2024, 2, 1),
        reason="Sister works in healthcare at HMP Haverigg.",
    )
    unavailability_add(
        actor=coordinator,
        inspector=people["hmip"][1],
        kind=UnavailabilityKind.ANNUAL_LEAVE,
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 6, 30),
    )
    return {"people": people, "events": events, "cancelled": cancelled, "haverigg": prisons[2]}


@pytest.mark.rule("TM-1")
@pytest.mark.rule("TM-2")
@pytest.mark.rule("TM-3")
@pytest.mark.rule("TM-5")
@pytest.mark.rule("PG-9")
def test_every_planned_event_gets_a_whole_team_within_the_rules(demo) -> None:
    total = demo_teams_load()
    assert total == TeamMember.objects.count() > 0
    for event in demo["events"]:
        team = list(event.team.select_related("inspector", "booking"))
        roles = [member.role for member in team]
        hmip = [
            m for m in team if m.role == TeamRole.INSPECTOR and m.inspector.organisation == "hmip"
        ]
        assert roles.count(TeamRole.TEAM_LEADER) == 1, event
        assert 2 <= len(hmip) <= 4, event
        education = [m for m in team if m.inspector.organisation in {"ofsted", "estyn"}]
        if event.education_inspectorate:
            assert roles.count(TeamRole.OFSTED_LEAD) == 1, event
            assert 2 <= len(education) <= 3, event
            assert {m.inspector.organisation for m in education} == {event.education_inspectorate}
        else:
            assert education == []
        for member in team:
            # Booked for exactly their days; Ofsted and Estyn in the education week.
            assert (member.booking.starts_on, member.booking.ends_on) == (
                member.starts_on,
                member.ends_on,
            )
            if member in education and event.kind == EventKind.FULL_INSPECTION:
                assert member.starts_on == event.education_week_starts_on
    assert not demo["cancelled"].team.exists()
    # Nobody is booked twice on one day: the database would have refused it; and the
    # conflicted and the absent were skipped.
    deborah, carl = demo["people"]["hmip"][0], demo["people"]["hmip"][1]
    assert not TeamMember.objects.filter(
        inspector=deborah, event__establishment=demo["haverigg"]
    ).exists()
    assert not TeamMember.objects.filter(inspector=carl, starts_on__lte=date(2026, 6, 30)).exists()
    assert InspectorBooking.objects.filter(kind="booking").count() == total


def test_the_demo_users_are_on_some_events(demo) -> None:
    demo_teams_load()
    for name, role in (
        ("Martin Lomax", TeamRole.TEAM_LEADER),
        ("Helen Marsh", TeamRole.OFSTED_LEAD),
        ("Deborah Okafor", TeamRole.INSPECTOR),
    ):
        assert TeamMember.objects.filter(inspector__name=name, role=role).exists(), name


def test_a_second_run_writes_nothing(demo) -> None:
    first = demo_teams_load()
    links = ChainLink.objects.count()
    assert demo_teams_load() == first
    assert ChainLink.objects.count() == links


def test_the_same_data_gives_the_same_teams(demo) -> None:
    demo_teams_load()
    before = sorted(TeamMember.objects.values_list("event_id", "inspector__name", "role"))
    TeamMember.objects.all().delete()
    InspectorBooking.objects.filter(kind="booking").delete()
    demo_teams_load()
    after = sorted(TeamMember.objects.values_list("event_id", "inspector__name", "role"))
    assert after == before


def test_no_programme_no_teams(db) -> None:
    assert demo_teams_load() == 0
    assert not Event.objects.exists()
