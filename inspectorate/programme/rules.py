"""Who may do what with the annual programme, its teams and its deadlines (django-rules).

Seeing an event is decided by `Event.objects.visible_to(user)` alone (PG-3); these rules
decide who may change things. HMI Prisons' coordinators and team leaders, and system
administrators, write the programme. The Ofsted scheduling team records Ofsted's own
standalone inspections and monitoring visits (PG-7), and may change only those.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import rules
from rules.predicates import Predicate

from inspectorate.accounts.permissions import Grant, grant, permission, permissions
from inspectorate.accounts.roles import Duty
from inspectorate.programme.constants import OFSTED_RECORDED_KINDS, EventStatus
from inspectorate.programme.milestones.deadlines import TEAM_ROLE_OF, MilestoneRule, rule_for
from inspectorate.programme.models import Event, TeamMember, today
from inspectorate.programme.teams.services import is_education_place


def _kind(target: Any) -> str | None:
    if isinstance(target, Event):
        return target.kind
    return str(target) if target else None


@rules.predicate
def is_ofsted_recorded_kind(user: Any, target: Any) -> bool:
    """The event (or event kind) is one Ofsted's scheduling team records itself (PG-7)."""
    return _kind(target) in OFSTED_RECORDED_KINDS


@rules.predicate
def sees_event(user: Any, event: Any) -> bool:
    """Nobody changes an event they may not see (PG-3)."""
    return isinstance(event, Event) and Event.objects.visible_to(user).filter(pk=event.pk).exists()


@rules.predicate
def is_not_over(user: Any, event: Any) -> bool:
    """Neither cancelled nor over: an event that took place is history, not moved or
    cancelled."""
    return (
        isinstance(event, Event)
        and event.status != EventStatus.CANCELLED
        and event.ends_on >= today()
    )


@rules.predicate
def is_unannounced(user: Any, event: Any) -> bool:
    """Neither cancelled nor announced yet (an announcement may be recorded after the
    start, dated on or before it)."""
    return (
        isinstance(event, Event)
        and event.status != EventStatus.CANCELLED
        and event.announced_on is None
    )


@rules.predicate
def is_planned_here(user: Any, event: Any) -> bool:
    """Not historical (HI-1): history is not moved, cancelled or announced after the fact."""
    return isinstance(event, Event) and not event.historical


@rules.predicate
def is_seen_current_and_planned(user: Any, event: Any) -> bool:
    """Seen by the user (PG-3), neither cancelled nor over, and not historical (HI-1)."""
    return bool(
        sees_event(user, event) and is_not_over(user, event) and is_planned_here(user, event)
    )


@rules.predicate
def is_seen_unannounced_and_planned(user: Any, event: Any) -> bool:
    """Seen by the user (PG-3), neither cancelled nor announced, and not historical (HI-1)."""
    return bool(
        sees_event(user, event) and is_unannounced(user, event) and is_planned_here(user, event)
    )


@rules.predicate
def is_own_establishment_event(user: Any, event: Any) -> bool:
    """The event is at the user's own establishment."""
    return isinstance(event, Event) and user.establishment_id == event.establishment_id


# Reading: every signed-in user with a role opens the programme; what they see of it
# follows visible_to (an establishment user sees only their own announced or started events).
permissions(
    "programme",
    grant(Duty.STAFF, Duty.ESTABLISHMENT),
    view_programme="Open the programme (what is shown follows who may see each event).",
    export_events="Export the events they may see.",
)
# The amendments log names every change, confidential dates included: programme staff only.
permission(
    "programme.view_amendments",
    grant(Duty.SEES_WHOLE_PROGRAMME),
    rule_ids=("PG-3",),
    text="Read the amendments log, confidential dates included.",
)
# The IRP count (PG-2) counts events others may not see.
permission(
    "programme.view_irp_count",
    grant(Duty.SEES_WHOLE_PROGRAMME),
    rule_ids=("PG-2", "PG-3"),
    text="See the count of independent reviews of progress in the programme.",
)

# Consultation on the draft (PG-14): as confidential as the programme; the Ofsted scheduling
# team answers for Ofsted, and the programme writers answer its challenges.
permission(
    "programme.view_consultation",
    grant(Duty.SEES_WHOLE_PROGRAMME),
    rule_ids=("PG-14", "PG-3"),
    text="Read the consultation on the draft programme.",
)
permission(
    "programme.respond_to_consultation",
    grant(Duty.SCHEDULES_OFSTED),
    rule_ids=("PG-14",),
    text="Respond to the consultation for Ofsted: resourcing, and challenges to events.",
)
permission(
    "programme.answer_challenge",
    grant(Duty.WRITES_PROGRAMME),
    rule_ids=("PG-14",),
    text="Answer a partner's challenge to an event in the draft.",
)

# Writing: the programme's writers, and Ofsted's scheduling team for the kinds it records.
permission(
    "programme.change_programme",
    grant(Duty.WRITES_PROGRAMME),
    text="Change the programme: consultation, confirmation, amendments.",
)


def writers_and_ofsted_for(is_ofsteds: Predicate) -> tuple[Grant, Grant]:
    """The programme's writers, and Ofsted's scheduling team for what `is_ofsteds` says is
    Ofsted's own."""
    return grant(Duty.WRITES_PROGRAMME), grant(Duty.SCHEDULES_OFSTED, when=is_ofsteds)


EVENT_WRITERS = writers_and_ofsted_for(is_ofsted_recorded_kind)
# With an event kind (a string) or an event as the object.
permissions(
    "programme",
    *EVENT_WRITERS,
    rule_ids=("PG-7",),
    schedule_event="Schedule an event of a kind (or the event's kind).",
    change_event="Change an event's details.",
)
# What the event page offers is exactly what its services permit: these three, asked by both.
permissions(
    "programme",
    *EVENT_WRITERS,
    provided=is_seen_current_and_planned,
    rule_ids=("PG-3", "PG-7", "HI-1"),
    move_event="Move an event to other dates.",
    cancel_event="Cancel an event.",
)
permission(
    "programme.announce_event",
    *EVENT_WRITERS,
    provided=is_seen_unannounced_and_planned,
    rule_ids=("PG-3", "PG-7", "HI-1"),
    text="Record that an event was announced to the establishment.",
)
# May open the scheduling form at all (the kinds offered depend on the role).
permission(
    "programme.open_schedule_form",
    grant(Duty.WRITES_PROGRAMME, Duty.SCHEDULES_OFSTED),
    rule_ids=("PG-7",),
    text="Open the form that schedules an event.",
)
# Recording what happened before the service (HI-1): the programme coordinator and system
# administrators only, since history is exempt from the rules that guard planning.
permission(
    "programme.record_history",
    grant(Duty.RECORDS_HISTORY),
    rule_ids=("HI-1",),
    text="Record an event that took place before the service.",
)


# Teams --------------------------------------------------------------------------------------


def _is_place(place: Any) -> bool:
    return hasattr(place, "inspector") and hasattr(place, "role")


@rules.predicate
def is_education_team_place(user: Any, place: Any) -> bool:
    """An Ofsted or Estyn place: the lead inspector for education, or an education inspector."""
    return _is_place(place) and is_education_place(place.inspector, place.role)


@rules.predicate
def is_hmip_team_place(user: Any, place: Any) -> bool:
    """An HMI Prisons place: the team leader, or an HMI Prisons or partner specialist member."""
    return _is_place(place) and not is_education_place(place.inspector, place.role)


permission(
    "programme.manage_team",
    grant(Duty.MANAGES_HMIP_PLACES, Duty.MANAGES_EDUCATION_PLACES),
    text="Change some place on an event's team (which places: programme.manage_place).",
)
# With a place (a team member, or `teams.services.Place`) as the object.
permission(
    "programme.manage_place",
    grant(Duty.MANAGES_HMIP_PLACES, when=is_hmip_team_place),
    grant(Duty.MANAGES_EDUCATION_PLACES, when=is_education_team_place),
    text="Fill or empty this place on an event's team.",
)


# Deadlines (milestones) -------------------------------------------------------------------


def _team_user_ids(event: Event) -> dict[str, set[int]]:
    """The user ids of the event's team leader and Ofsted lead, cached on the event."""
    cached: dict[str, set[int]] | None = getattr(event, "_milestone_team_users", None)
    if cached is None:
        cached = defaultdict(set)
        places = TeamMember.objects.filter(
            event=event, role__in=TEAM_ROLE_OF.values(), inspector__user__isnull=False
        ).values_list("role", "inspector__user_id")
        for role, user_id in places:
            cached[role].add(user_id)
        event._milestone_team_users = cached  # type: ignore[attr-defined]
    return cached


def _rule_of(milestone: Any) -> MilestoneRule | None:
    code = getattr(milestone, "rule_code", None)
    return rule_for(code) if code else None


@rules.predicate
def is_ofsted_milestone(user: Any, milestone: Any) -> bool:
    """The milestone is Ofsted's to meet (its rule's role is on Ofsted's side)."""
    rule = _rule_of(milestone)
    return bool(rule and rule.role.is_ofsted)


@rules.predicate
def is_responsible_on_team(user: Any, milestone: Any) -> bool:
    """The user holds the team place the milestone's rule names (team leader, Ofsted lead)."""
    rule = _rule_of(milestone)
    if rule is None or rule.role not in TEAM_ROLE_OF:
        return False
    return user.pk in _team_user_ids(milestone.event)[TEAM_ROLE_OF[rule.role]]


permission(
    "programme.view_deadlines",
    grant(Duty.STAFF),
    text="Open the deadlines dashboard (the deadlines of events they may see).",
)
MILESTONE_KEEPERS = writers_and_ofsted_for(is_ofsted_milestone)
# Whoever may mark a deadline met may say why one was impossible when it was created.
permissions(
    "programme",
    *MILESTONE_KEEPERS,
    grant(when=is_responsible_on_team),
    milestone_mark_met="Mark a deadline met.",
    milestone_explain_impossible="Say why a deadline was impossible when it was created.",
)
permission(
    "programme.milestone_override",
    *MILESTONE_KEEPERS,
    text='Let a "normally" deadline go, with a reason.',
)
