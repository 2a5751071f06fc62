"""Who may see and do what with an event's inspection record: its fieldwork, findings,
judgements and follow-up.

Views ask these of an event already fetched through `Event.objects.visible_to(user)`
(PG-3): an event the user may not know of is a 404 before any of them is asked. Which
records a list shows is decided by each queryset's `visible_to(user)` (models.py); the
"see" permissions below answer the same question for one event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules
from django.db.models import Q
from rules.predicates import Predicate

from inspectorate.accounts.permissions import (
    condition,
    grant,
    permission,
    permissions,
)
from inspectorate.accounts.roles import Duty
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.models import (
    EvidenceForm,
    FollowUp,
    fieldwork_filter,
    findings_filter,
)
from inspectorate.programme.constants import TeamRole
from inspectorate.programme.models import Event
from inspectorate.programme.rules import is_own_establishment_event

# The team places that lead an event's inspection: they change anyone's evidence, the
# findings and the judgements.
LEAD_ROLES = frozenset({TeamRole.TEAM_LEADER, TeamRole.OFSTED_LEAD})

_TEAM_ROLES = "_inspections_team_roles"  # (user pk, their places) remembered on an event


# The team ---------------------------------------------------------------------------------


def team_roles(user: Any, event: Event) -> set[str]:
    """The places `user` holds on the event's team (empty if not on it): one query, or
    none after `remember_team_roles` for this user on this event object."""
    if not getattr(user, "is_authenticated", False) or not isinstance(event, Event):
        return set()
    remembered = getattr(event, _TEAM_ROLES, None)
    if remembered is not None and remembered[0] == user.pk:
        return set(remembered[1])
    return set(event.team.filter(inspector__user=user).values_list("role", flat=True))


def remember_team_roles(user: Any, event: Event) -> None:
    """Read `user`'s places on the team once, for the many records of `event` a page asks
    about: permissions on them then cost no query. Only for an event object of one request."""
    setattr(event, _TEAM_ROLES, (getattr(user, "pk", None), frozenset(team_roles(user, event))))


def _event_matches(event: Event, condition: Q | None) -> bool:
    if condition is None:
        return False
    return Event.objects.filter(condition, pk=event.pk).exists()


# Conditions on an event ----------------------------------------------------------------------


@rules.predicate
def is_on_event_team(user: Any, event: Any) -> bool:
    """On the event's team."""
    return bool(team_roles(user, event))


@rules.predicate
def is_lead(user: Any, event: Any) -> bool:
    """A lead on the event's team: the HMI Prisons team leader or the Ofsted (or Estyn)
    lead inspector."""
    return bool(team_roles(user, event) & LEAD_ROLES)


def leads_event_of(event_of: Callable[[Any], Event | None], name: str, doc: str) -> Predicate:
    """A condition on a record: the user leads the event `event_of` finds for it (if any)."""

    def test(user: Any, record: Any) -> bool:
        event = event_of(record)
        return event is not None and is_lead(user, event)

    return condition(test, name, doc)


@rules.predicate
def sees_event_fieldwork(user: Any, event: Any) -> bool:
    """The event's fieldwork reaches the user: quality assurance sees every event's, other
    staff only that of events they are on the team of."""
    return isinstance(event, Event) and _event_matches(event, fieldwork_filter(user, prefix=""))


@rules.predicate
def sees_event_findings(user: Any, event: Any) -> bool:
    """The event's findings reach the user: readers of all findings see every event's,
    improvement HMI a published report's or their team's, the establishment's own users
    their published report's, other staff their team's."""
    return isinstance(event, Event) and _event_matches(event, findings_filter(user, prefix=""))


# Conditions on a record ----------------------------------------------------------------------


@rules.predicate
def is_author_or_lead_on_team(user: Any, evidence: Any) -> bool:
    """On the team of the evidence form's event, and the form's author or a lead."""
    if not isinstance(evidence, EvidenceForm):
        return False
    places = team_roles(user, evidence.event)
    return bool(places) and (bool(places & LEAD_ROLES) or evidence.author_id == user.pk)


@rules.predicate
def is_follow_up_report_published(user: Any, item: Any) -> bool:
    """The report of the follow-up item's review is published."""
    if not isinstance(item, FollowUp):
        return False
    inspection = getattr(item.event, "inspection", None)
    return inspection is not None and inspection.stage == Stage.PUBLISHED


# Fieldwork ---------------------------------------------------------------------------------

permission(
    "inspections.see_fieldwork",
    grant(Duty.STAFF, when=sees_event_fieldwork),
    rule_ids=("PG-3",),
    text="See an event's briefing, evidence forms, observations and meetings.",
)
permission(
    "inspections.record_fieldwork",
    grant(when=is_on_event_team),
    text="Record an event's briefing, evidence, observations and meetings.",
)
permission(
    "inspections.edit_evidence",
    grant(when=is_author_or_lead_on_team),
    rule_ids=("IN-7",),
    text="Change an evidence form.",
)

# Seeing findings and follow-up ---------------------------------------------------------------

# Staff and establishment users whom the event's findings reach.
FINDINGS_READERS = grant(Duty.STAFF, Duty.ESTABLISHMENT, when=sees_event_findings)

permission(
    "inspections.see_findings",
    FINDINGS_READERS,
    rule_ids=("PG-3",),
    text="See an event's judgements, concerns, recommendations and notable positive practice.",
)
permission(
    "inspections.see_follow_ups",
    grant(Duty.ESTABLISHMENT, when=is_own_establishment_event),
    FINDINGS_READERS,
    rule_ids=("PG-3",),
    text="See what an independent review of progress follows up.",
)
permission(
    "inspections.see_follow_up_narrative",
    grant(Duty.STAFF),
    grant(Duty.ESTABLISHMENT, when=is_follow_up_report_published),
    text="Read the report's narrative on a follow-up item.",
)

# Findings, judgements and the report's stages: the event's leads -------------------------------

permissions(
    "inspections",
    grant(when=is_lead),
    change_findings="Change an event's concerns, recommendations, notable positive practice and "
    "follow-up items.",
    record_judgements="Record an event's judgements, follow-up progress judgements among them.",
    judge_follow_up="Judge the progress made on an item an independent review of progress "
    "follows up.",
    moderate_judgements="Confirm an event's judgements after moderation.",
)
permission(
    "inspections.correct_judgement",
    grant(when=is_lead),
    rule_ids=("JG-9",),
    text="Correct a judgement after the factual-accuracy check.",
)
permission(
    "inspections.advance_report",
    grant(when=is_lead),
    grant(Duty.ASSURES_QUALITY, Duty.SEES_WHOLE_PROGRAMME),
    text="Send the report for its factual-accuracy check, and publish it.",
)
permission(
    "inspections.approve_correction",
    grant(Duty.ASSURES_QUALITY),
    rule_ids=("JG-9",),
    text="Approve a factual correction of a judgement.",
)
