"""Demo teams for the 2026-27 programme.

Every planned event gets a team through the same service people use (team_member_add), so
DBS, clearance, conflicts of interest, leave and double booking are all respected: an
inspector who cannot be booked is skipped and the next one tried, in a fixed order. HMI
Prisons-led events (full inspections, IRPs) get a team leader and two to four HMI Prisons
inspectors; where Ofsted or Estyn takes part, a lead inspector and one or two inspectors.
The demo's own people (Martin Lomax, Helen Marsh, Deborah Okafor) are put first in line for
some events so that their dashboards have something on them.

Idempotent: a role already filled is left alone, so a second run writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role
from inspectorate.inspectors.constants import Grade, Organisation
from inspectorate.inspectors.demo import demo_email
from inspectorate.inspectors.models import Inspector
from inspectorate.lib.overrides import OverrideNeeded
from inspectorate.programme.constants import EventKind, EventStatus, TeamRole
from inspectorate.programme.models import Event, Programme, TeamMember
from inspectorate.programme.teams.selectors import team_candidates
from inspectorate.programme.teams.services import (
    EDUCATION_ORGANISATIONS,
    HMIP_LED_KINDS,
    team_member_add,
)

DEMO_YEAR = 2026
TEAM_LEADER_EMAIL = demo_email("Martin Lomax")
EDUCATION_LEAD_EMAIL = demo_email("Helen Marsh")
INSPECTOR_EMAIL = demo_email("Deborah Okafor")
EDUCATION_HMI_GRADES = frozenset({Grade.OFSTED_HMI, Grade.ESTYN_HMI})
# The IRP whose record the demo writes in full (inspections/demo.py): led by the demo's own
# team leader and Ofsted lead, who sign in.
SHOWCASE_IRP_ESTABLISHMENT = "PV"


def _showcase(event: Event) -> bool:
    return event.kind == EventKind.IRP and event.establishment.code == SHOWCASE_IRP_ESTABLISHMENT


def _demo_actor() -> User:
    actor = (
        User.objects.filter(roles__contains=[Role.HMIP_COORDINATOR.value], is_active=True)
        .order_by("pk")
        .first()
    )
    if actor is None:
        raise RuntimeError(
            "The demo teams are added by an HMI Prisons coordinator: load the demo users "
            "(the shell demo's 'coordinator') first."
        )
    return actor


def _rotate(people: Sequence[Inspector], start: int, first: str = "") -> list[Inspector]:
    """`people` from position `start` round, with the one whose email is `first` (if any)
    moved to the front: a fixed order that differs from event to event."""
    if not people:
        return []
    start %= len(people)
    order = list(people[start:]) + list(people[:start])
    order.sort(key=lambda inspector: inspector.email != first)  # stable: only moves `first`
    return order


class _Staffer:
    """Fills one event's places, trying candidates in order until one is booked."""

    def __init__(self, actor: User, event: Event) -> None:
        self.actor = actor
        self.event = event
        self.members = list(TeamMember.objects.filter(event=event).select_related("inspector"))
        self.full = False  # a 'normally' rule (PG-11, PG-13) says: no more people
        self._free: set[int] | None = None

    def free_ids(self) -> set[int]:
        """Inspectors free, vetted and unconflicted for this event (computed once)."""
        if self._free is None:
            candidates = team_candidates(self.event, self.actor, self.members)
            self._free = {candidate.inspector.pk for candidate in candidates.available}
        return self._free

    def count(self, test: Callable[[TeamMember], bool]) -> int:
        return sum(1 for member in self.members if test(member))

    def fill(self, role: TeamRole, wanted: int, people: Sequence[Inspector]) -> None:
        have = self.count(lambda member: member.role == role and member.inspector in people)
        for inspector in people:
            if have >= wanted or self.full:
                return
            if inspector.pk not in self.free_ids():
                continue
            try:
                member = team_member_add(
                    actor=self.actor, event=self.event, inspector=inspector, role=role
                )
            except OverrideNeeded:
                self.full = True
                return
            except ValidationError:
                self.free_ids().discard(inspector.pk)
                continue
            self.members.append(member)
            self.free_ids().discard(inspector.pk)
            have += 1


def _staff(actor: User, event: Event, index: int, people: dict[str, list[Inspector]]) -> None:
    staffer = _Staffer(actor, event)
    if event.kind in HMIP_LED_KINDS:
        leaders = _rotate(
            people["leaders"],
            index * 3,
            TEAM_LEADER_EMAIL if index % 6 == 0 or _showcase(event) else "",
        )
        staffer.fill(TeamRole.TEAM_LEADER, 1, leaders)
    education = event.education_inspectorate
    if education in EDUCATION_ORGANISATIONS:
        hmi = [i for i in people[education] if i.grade in EDUCATION_HMI_GRADES]
        others = [i for i in people[education] if i.grade not in EDUCATION_HMI_GRADES]
        lead_first = EDUCATION_LEAD_EMAIL if index % 5 == 1 or _showcase(event) else ""
        staffer.fill(TeamRole.OFSTED_LEAD, 1, _rotate(hmi, index * 2, lead_first) + others)
        staffer.fill(TeamRole.INSPECTOR, 1 + index % 2, _rotate(people[education], index * 5 + 1))
    if event.kind in HMIP_LED_KINDS:
        inspector_first = INSPECTOR_EMAIL if index % 6 == 2 else ""
        staffer.fill(
            TeamRole.INSPECTOR,
            2 + index % 3,
            _rotate(people["hmip"], index * 4, inspector_first),
        )


def demo_teams_load() -> int:
    """Give every planned event of the 2026-27 programme its team; return how many team
    members the programme's events have. Idempotent."""
    programme = Programme.objects.filter(year=DEMO_YEAR).first()
    if programme is None:
        return 0
    events = list(
        Event.objects.filter(programme=programme, status=EventStatus.PLANNED)
        .select_related("establishment")
        .order_by("starts_on", "establishment__code", "pk")
    )
    inspectors = list(Inspector.objects.filter(active=True).order_by("name", "email"))
    people: dict[str, list[Inspector]] = {
        "leaders": [
            i
            for i in inspectors
            if i.organisation == Organisation.HMI_PRISONS and i.grade == Grade.HMIP_TEAM_LEADER
        ],
        "hmip": [
            i
            for i in inspectors
            if i.organisation == Organisation.HMI_PRISONS and i.grade == Grade.HMIP_INSPECTOR
        ],
        Organisation.OFSTED: [i for i in inspectors if i.organisation == Organisation.OFSTED],
        Organisation.ESTYN: [i for i in inspectors if i.organisation == Organisation.ESTYN],
    }
    if events:
        actor = _demo_actor()
        with transaction.atomic():
            for index, event in enumerate(events):
                _staff(actor, event, index, people)
    return TeamMember.objects.filter(event__programme=programme).count()
