"""Who may do what with the annual programme (django-rules).

Seeing an event is decided by `Event.objects.visible_to(user)` alone (PG-3); these rules
decide who may change things. HMI Prisons' coordinators and team leaders, and system
administrators, write the programme. The Ofsted scheduling team records Ofsted's own
standalone inspections and monitoring visits (PG-7), and may change only those.
"""

from __future__ import annotations

from typing import Any

import rules

from inspectorate.accounts.roles import Role
from inspectorate.accounts.rules import has_role, is_establishment_user, is_staff_member
from inspectorate.programme.constants import OFSTED_RECORDED_KINDS, EventStatus
from inspectorate.programme.models import PROGRAMME_ROLES, Event, today

is_programme_writer = has_role(
    Role.HMIP_COORDINATOR, Role.HMIP_TEAM_LEADER, Role.SYSTEM_ADMINISTRATOR
)
is_ofsted_scheduler = has_role(Role.OFSTED_SCHEDULER)
sees_whole_programme = has_role(*PROGRAMME_ROLES)


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


# Reading: every signed-in user with a role opens the programme; what they see of it
# follows visible_to (an establishment user sees only their own announced or started events).
rules.add_perm("programme.view_programme", is_staff_member | is_establishment_user)
rules.add_perm("programme.export_events", is_staff_member | is_establishment_user)
# The amendments log names every change, confidential dates included: programme staff only.
rules.add_perm("programme.view_amendments", sees_whole_programme)
# The IRP count (PG-2) counts events others may not see.
rules.add_perm("programme.view_irp_count", sees_whole_programme)

# Consultation on the draft (PG-14): as confidential as the programme; the Ofsted scheduling
# team answers for Ofsted, and the programme writers answer its challenges.
rules.add_perm("programme.view_consultation", sees_whole_programme)
rules.add_perm("programme.respond_to_consultation", is_ofsted_scheduler)
rules.add_perm("programme.answer_challenge", is_programme_writer)

# Writing.
rules.add_perm("programme.change_programme", is_programme_writer)
# With an event kind (a string) or an event as the object.
rules.add_perm(
    "programme.schedule_event",
    is_programme_writer | (is_ofsted_scheduler & is_ofsted_recorded_kind),
)
changes_event = is_programme_writer | (is_ofsted_scheduler & is_ofsted_recorded_kind)
rules.add_perm("programme.change_event", changes_event)
# What the event page offers is exactly what its services permit: these three, asked by both.
rules.add_perm("programme.move_event", changes_event & sees_event & is_not_over & is_planned_here)
rules.add_perm("programme.cancel_event", changes_event & sees_event & is_not_over & is_planned_here)
rules.add_perm(
    "programme.announce_event", changes_event & sees_event & is_unannounced & is_planned_here
)
# May open the scheduling form at all (the kinds offered depend on the role).
rules.add_perm("programme.open_schedule_form", is_programme_writer | is_ofsted_scheduler)
# Recording what happened before the service (HI-1): the programme coordinator and system
# administrators only, since history is exempt from the rules that guard planning.
is_history_recorder = has_role(Role.HMIP_COORDINATOR, Role.SYSTEM_ADMINISTRATOR)
rules.add_perm("programme.record_history", is_history_recorder)
