"""A small programme in the database for the planner's tests (no tests here).

Programme 2027 (April 2027 to March 2028), planned on 1 October 2026:
- HMP Leeds: last full inspection June 2023, none published: a full inspection is due;
- HMP Cardiff (Wales): the same, with Estyn (PG-10);
- HMP Hull: a full inspection already in the draft, 5 July 2027, with its team leader;
- HMP Wakefield: full inspection September 2026: an IRP 8 to 12 months after it.
Six HMI Prisons inspectors (two team leaders, two health specialists), two Ofsted HMI and
two Estyn HMI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from inspectorate.estate.models import Establishment
from inspectorate.inspectors.constants import Grade, Organisation
from inspectorate.inspectors.models import Inspector
from inspectorate.programme.constants import TeamRole
from inspectorate.programme.models import Event, Programme, TeamMember
from inspectorate.programme.tests.test_team_helpers import (
    make_establishment,
    make_event,
    make_inspector,
    make_leader,
    make_programme,
)

PLANNING_DAY = date(2026, 10, 1)


@dataclass
class Setup:
    programme: Programme
    leeds: Establishment
    cardiff: Establishment
    hull: Establishment
    wakefield: Establishment
    hull_event: Event
    wakefield_full: Event
    leaders: list[Inspector]
    hmip: list[Inspector]
    ofsted: list[Inspector]
    estyn: list[Inspector]


def planning_setup() -> Setup:
    programme = make_programme(2027)
    leeds = make_establishment("LE", "HMP Leeds", region="yorkshire")
    cardiff = make_establishment("CF", "HMP Cardiff", region="wales", nation="wales")
    hull = make_establishment("HL", "HMP Hull", region="yorkshire")
    wakefield = make_establishment("WD", "HMP Wakefield", region="yorkshire")
    for place in (leeds, cardiff, hull):
        make_event(place, starts_on=date(2023, 6, 5), education="")
    wakefield_full = make_event(wakefield, starts_on=date(2026, 9, 7), education="")
    hull_event = make_event(hull, starts_on=date(2027, 7, 5), programme=programme)
    leaders = [
        make_leader("Martin Lomax", home_region="yorkshire"),
        make_leader("Aisha Khan", home_region="wales"),
    ]
    hmip = [
        make_inspector("Jo Evans", home_region="yorkshire", specialisms=["healthcare"]),
        make_inspector("Tom Reid", home_region="yorkshire", specialisms=["healthcare"]),
        make_inspector("Ruth Clarke", home_region="wales"),
        make_inspector("Dev Patel", home_region="london"),
    ]
    ofsted = [
        make_inspector(
            f"Ofsted {n}",
            Organisation.OFSTED,
            grade=Grade.OFSTED_HMI,
            specialisms=["esw"],
            home_region="yorkshire",
        )
        for n in (1, 2)
    ]
    estyn = [
        make_inspector(
            f"Estyn {n}",
            Organisation.ESTYN,
            grade=Grade.ESTYN_HMI,
            specialisms=["esw"],
            home_region="wales",
        )
        for n in (1, 2)
    ]
    TeamMember.objects.create(
        event=hull_event,
        inspector=leaders[0],
        role=TeamRole.TEAM_LEADER,
        starts_on=hull_event.starts_on,
        ends_on=hull_event.ends_on,
    )
    return Setup(
        programme,
        leeds,
        cardiff,
        hull,
        wakefield,
        hull_event,
        wakefield_full,
        leaders,
        hmip,
        ofsted,
        estyn,
    )
