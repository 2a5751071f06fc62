"""Reads about event teams: the event page's team panel, the team page, the inspectors who
can join a team (and why the others cannot), and who inspected a place last and next (TM-4).

Each read makes a fixed number of queries whatever the size of the team or the number of
inspectors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.urls import reverse

from inspectorate.estate.models import Establishment
from inspectorate.estate.policy import exceeds_on_site_maximum, probation_team_size_problem
from inspectorate.inspectors.models import Inspector, InspectorBooking, prefetch_check_history
from inspectorate.inspectors.selectors import conflicted_inspector_ids
from inspectorate.programme.constants import EventKind, EventStatus, TeamRole
from inspectorate.programme.models import Event, TeamMember
from inspectorate.programme.teams.services import (
    HMIP_LED_KINDS,
    clash_messages,
    clearance_needed,
    default_days,
    education_member_count,
    is_probation_event,
    lead_role_label,
    manageable_organisations,
    on_site_peak,
    role_label,
    rule_message,
    vetting_messages,
)

ROLE_ORDER = {
    TeamRole.TEAM_LEADER: 0,
    TeamRole.OFSTED_LEAD: 1,
    TeamRole.INSPECTOR: 2,
    TeamRole.SPECIALIST: 3,
}
# TM-4 looks at inspections: every kind of event except an improvement visit.
INSPECTION_KINDS = [kind for kind in EventKind if kind != EventKind.IMPROVEMENT_VISIT]


def days_label(event: Event, first: date, last: date) -> str:
    """'Whole event', '14 to 18 June 2027', '28 June to 2 July 2027' or across years."""
    if (first, last) == (event.starts_on, event.ends_on):
        return "Whole event"
    if first == last:
        return f"{first.day} {first:%B %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day} to {last.day} {last:%B %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%B} to {last.day} {last:%B %Y}"
    return f"{first.day} {first:%B %Y} to {last.day} {last:%B %Y}"


@dataclass(frozen=True)
class TeamRow:
    member: TeamMember
    name: str
    organisation: str
    role: str
    days: str
    override_reason: str
    can_remove: bool
    dbs_check: str = ""  # a historical event's: the check that covered the member's days


def team_members(event: Event) -> list[TeamMember]:
    """`event`'s team, leaders first, then by name: one query (two for a historical event,
    whose members' past DBS checks are read too)."""
    found = TeamMember.objects.filter(event=event).select_related("inspector")
    if event.historical:
        found = found.prefetch_related("inspector__dbs_checks")
    members = list(found)
    members.sort(key=lambda m: (ROLE_ORDER.get(TeamRole(m.role), 9), m.inspector.name, m.pk))
    return members


def team_rows(event: Event, members: Sequence[TeamMember], user: Any) -> list[TeamRow]:
    return [
        TeamRow(
            member=member,
            name=member.inspector.name,
            organisation=member.inspector.get_organisation_display(),
            role=role_label(event, member.role),
            days=days_label(event, member.starts_on, member.ends_on),
            override_reason=member.override_reason,
            can_remove=user.has_perm("programme.manage_place", member),
            dbs_check=covering_check_text(member) if event.historical else "",
        )
        for member in members
    ]


def covering_check_text(member: TeamMember) -> str:
    """The DBS check that covered a member's days on a historical event, in words (HI-1)."""
    check = member.inspector.dbs_check_covering(member.starts_on, member.ends_on)
    if check is None:
        return "No enhanced DBS check on record for those days"
    return str(check)


def _conflict(inspector: Inspector, event: Event) -> str:
    return rule_message(
        "TM-2",
        f"{inspector.name} has declared a conflict of interest with "
        f"{event.establishment.name} or a provider there.",
    )


def team_warnings(event: Event, members: Sequence[TeamMember]) -> list[str]:
    """What is missing or wrong with the team as it stands, in words. One query (TM-2)."""
    warnings: list[str] = []
    roles = {member.role for member in members}
    # A past event's team is kept as it was (HI-1): nothing is still to come ("yet").
    past = event.historical
    if event.kind in HMIP_LED_KINDS and TeamRole.TEAM_LEADER not in roles:
        warnings.append(
            "No HMI Prisons team leader is recorded for this past event."
            if past
            else "The team has no HMI Prisons team leader yet."
        )
    if event.education_inspectorate and TeamRole.OFSTED_LEAD not in roles:
        lead = lead_role_label(event)
        missing = (
            f"no {lead} is recorded for this past event" if past else f"the team has no {lead} yet"
        )
        warnings.append(rule_message("TM-3", f"{missing} (see also PG-6)."))
    on_site = exceeds_on_site_maximum(event.establishment, on_site_peak(event, members))
    if on_site:
        warnings.append(rule_message("PG-11", on_site))
    if is_probation_event(event) and event.education_inspectorate:
        group = event.establishment.probation_group
        assert group is not None
        problem = probation_team_size_problem(group, education_member_count(event, members))
        if problem:
            warnings.append(rule_message("PG-13", problem))
    # Members checked when they joined may have fallen foul of a rule since; a historical
    # team is not checked against vetting afterwards (HI-1): its panel shows the check held.
    needed = clearance_needed(event.establishment)
    checked = [] if event.historical else members
    prefetch_check_history([m.inspector for m in checked], event.starts_on, event.ends_on)
    for member in checked:
        warnings += vetting_messages(member.inspector, member.starts_on, member.ends_on, needed)
    if members:
        conflicted = conflicted_inspector_ids(
            event.establishment,
            (event.starts_on, event.ends_on),
            [member.inspector for member in members],
        )
        for member in members:
            if member.inspector_id in conflicted:
                warnings.append(_conflict(member.inspector, event))
    return warnings


def event_url(event: Event) -> str:
    """The event's own page."""
    return reverse("programme:event-detail", args=[event.pk])


def team_panel_context(event: Event, user: Any) -> dict[str, Any]:
    """What the event page's team panel shows (templates/programme/includes/team_panel.html).

    Staff see the team, its warnings and the reasons recorded for overrides; an
    establishment user who may see the event sees who is on the team, nothing more. Two
    queries.
    """
    members = team_members(event)
    staff = bool(getattr(user, "has_staff_role", False))
    manage = staff and user.has_perm("programme.manage_team", event)
    return {
        "team_rows": team_rows(event, members, user),
        "team_members": members,
        "team_warnings": team_warnings(event, members) if staff else [],
        "team_overrides": [m for m in members if m.override_reason] if staff else [],
        "team_can_manage": manage,
        "team_manage_url": reverse("programme:team", args=[event.pk]) if manage else "",
    }


# Choosing a member -------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """An inspector who might join the team, on their default days, and why they cannot."""

    inspector: Inspector
    starts_on: date
    ends_on: date
    reasons: tuple[str, ...] = ()

    @property
    def available(self) -> bool:
        return not self.reasons


@dataclass
class Candidates:
    available: list[Candidate] = field(default_factory=list)
    unavailable: list[Candidate] = field(default_factory=list)

    @property
    def all(self) -> list[Candidate]:
        return self.available + self.unavailable


def team_candidates(
    event: Event, user: Any, members: Sequence[TeamMember], *, organisation: str = ""
) -> Candidates:
    """The active inspectors `user` may put on `event`'s team (of `organisation`, if given),
    split into those free and unconflicted on their days and the rest, with the reasons:
    vetting (TM-1), conflicts (TM-2) and bookings or leave (TM-5). Three queries."""
    organisations = manageable_organisations(user, event)
    if organisation:
        organisations = [o for o in organisations if o == organisation]
    on_team = {member.inspector_id for member in members}
    # A historical team is recorded as it was (HI-1): inspectors since retired were on it.
    found = Inspector.objects.visible_to(user).filter(organisation__in=organisations)
    if not event.historical:
        found = found.filter(active=True)
    inspectors = [
        inspector
        for inspector in found.order_by("organisation", "name", "pk")
        if inspector.pk not in on_team
    ]
    result = Candidates()
    if not inspectors:
        return result
    span = (event.starts_on, event.ends_on)
    conflicted = conflicted_inspector_ids(event.establishment, span)
    bookings: dict[int, list[InspectorBooking]] = defaultdict(list)
    for booking in InspectorBooking.objects.filter(
        inspector_id__in=[inspector.pk for inspector in inspectors],
        starts_on__lte=event.ends_on,
        ends_on__gte=event.starts_on,
    ).order_by("starts_on", "pk"):
        bookings[booking.inspector_id].append(booking)
    needed = clearance_needed(event.establishment)
    if not event.historical:
        prefetch_check_history(inspectors, event.starts_on, event.ends_on)
    for inspector in inspectors:
        first, last = default_days(event, inspector)
        reasons = [] if event.historical else vetting_messages(inspector, first, last, needed)
        if inspector.pk in conflicted:
            reasons.append(_conflict(inspector, event))
        reasons += clash_messages(
            inspector,
            (b for b in bookings[inspector.pk] if b.starts_on <= last and b.ends_on >= first),
        )
        candidate = Candidate(inspector, first, last, tuple(reasons))
        (result.available if candidate.available else result.unavailable).append(candidate)
    return result


# TM-4: who inspected last, who inspects next ---------------------------------------------


@dataclass(frozen=True)
class AdjacentInspections:
    """The last inspection of a place before a day and the next one from it, with their
    teams. TM-4: the improvement HMI is normally none of these people."""

    last: Event | None
    last_inspectors: list[Inspector]
    next: Event | None
    next_inspectors: list[Inspector]

    @property
    def inspector_ids(self) -> set[int]:
        return {i.pk for i in self.last_inspectors} | {i.pk for i in self.next_inspectors}

    def involves(self, inspector: Inspector) -> bool:
        return inspector.pk in self.inspector_ids


def inspectors_of_adjacent_inspections(
    establishment: Establishment, on: date
) -> AdjacentInspections:
    """Who was on the last inspection of `establishment` starting before `on`, and who is on
    the next one starting on or after it (cancelled events and improvement visits aside).

    Not filtered by user: the next inspection may be unannounced (PG-3), so callers use the
    answer to check or warn, never to show its dates. Three queries.
    """
    events = Event.objects.filter(establishment=establishment, kind__in=INSPECTION_KINDS).exclude(
        status=EventStatus.CANCELLED
    )
    last = events.filter(starts_on__lt=on).order_by("-starts_on", "-pk").first()
    following = events.filter(starts_on__gte=on).order_by("starts_on", "pk").first()
    chosen = [event.pk for event in (last, following) if event is not None]
    teams: dict[int, list[Inspector]] = defaultdict(list)
    if chosen:
        for member in (
            TeamMember.objects.filter(event_id__in=chosen)
            .select_related("inspector")
            .order_by("inspector__name", "pk")
        ):
            teams[member.event_id].append(member.inspector)
    return AdjacentInspections(
        last=last,
        last_inspectors=teams[last.pk] if last else [],
        next=following,
        next_inspectors=teams[following.pk] if following else [],
    )
