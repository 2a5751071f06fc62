"""The one place that answers "may this user see or do this" for one event's inspection
record. Views call these with the event already fetched through
`Event.objects.visible_to(user)` (PG-3): an event the user may not see is a 404 before any
of these is asked."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from inspectorate.accounts.roles import Role
from inspectorate.inspections.models import fieldwork_filter, findings_filter
from inspectorate.programme.constants import TeamRole
from inspectorate.programme.models import Event


def _event_matches(event: Event, condition: Q | None) -> bool:
    if condition is None:
        return False
    return Event.objects.filter(condition, pk=event.pk).exists()


def event_for(user: Any, pk: int) -> Event:
    """The event, if `user` may know of it; otherwise 404, as for a missing one (PG-3)."""
    event = (
        Event.objects.visible_to(user)
        .select_related("programme", "establishment", "follows_up")
        .filter(pk=pk)
        .first()
    )
    if event is None:
        raise Http404("No such event.")
    return event


def team_roles(user: Any, event: Event) -> set[str]:
    """The roles `user` holds on the event's team (empty if not on it)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(event.team.filter(inspector__user=user).values_list("role", flat=True))


def may_see_fieldwork(user: Any, event: Event) -> bool:
    return _event_matches(event, fieldwork_filter(user, prefix=""))


def may_see_findings(user: Any, event: Event) -> bool:
    return _event_matches(event, findings_filter(user, prefix=""))


def may_record_fieldwork(user: Any, event: Event) -> bool:
    """Anyone on the team records evidence, observations and meetings."""
    return bool(team_roles(user, event))


def is_lead(user: Any, event: Event) -> bool:
    """The HMI Prisons team leader or the Ofsted (or Estyn) lead inspector of the event."""
    return bool(team_roles(user, event) & {TeamRole.TEAM_LEADER, TeamRole.OFSTED_LEAD})


def is_quality_assurance(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(Role.QUALITY_ASSURANCE))
