"""The feed: the user's own team places and the milestones they answer for, never anyone
else's confidential events. Every item keeps its UID for life; its SEQUENCE and DTSTAMP follow
the record's changes (its version and the audit trail), so a calendar program that already has
the item replaces it when it moves and strikes it out when the event is cancelled."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, DateTimeField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from icalendar import Event as CalendarEvent

from inspectorate.calendars import ical
from inspectorate.calendars.models import CalendarToken
from inspectorate.lib.tokens import token_hash
from inspectorate.programme.constants import EventStatus, MilestoneStatus
from inspectorate.programme.milestones.deadlines import UNMET, responsible_q
from inspectorate.programme.models import Event, Milestone, TeamMember

PRODID = ical.PRODID
MILESTONE_LENGTH = timedelta(minutes=30)


def feed_owner(token: str) -> Any | None:
    """The user whose live token this is (None for an unknown or revoked token)."""
    found = (
        CalendarToken.objects.select_related("user")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return found.user if found else None


def _last_change(model: Any, outer: str) -> Subquery:
    """When the audit trail last recorded a change of the row `outer` points at."""
    history = model.audit_events.field.model
    return Subquery(
        history.objects.filter(pgh_obj=OuterRef(outer))
        .values("pgh_obj")
        .annotate(last=Max("pgh_created_at"))
        .values("last"),
        output_field=DateTimeField(),
    )


def _update_count(model: Any) -> Subquery:
    history = model.audit_events.field.model
    return Subquery(
        history.objects.filter(pgh_obj=OuterRef("pk"), pgh_label="update")
        .values("pgh_obj")
        .annotate(n=Count("pgh_id"))
        .values("n")
    )


def _with_history(queryset: QuerySet[Any], model: Any) -> QuerySet[Any]:
    """`changed_at`: the later of the row's and its event's last recorded change."""
    own = _last_change(model, "pk")
    event = _last_change(Event, "event_id")
    return queryset.annotate(
        changed_at=Greatest(Coalesce(own, event), Coalesce(event, own)),
        updates=Coalesce(_update_count(model), 0),
    )


def _url(base: str, event_id: int) -> str:
    return base + reverse("programme:event-detail", kwargs={"pk": event_id})


def _assignment(place: Any, base: str) -> CalendarEvent:
    event = place.event
    item = ical.new_event(
        uid=f"team-place-{place.pk}@inspectorate",
        changed_at=place.changed_at,
        sequence=(event.version - 1) + place.updates,
        cancelled=event.status == EventStatus.CANCELLED,
    )
    item.add("summary", f"{event.get_kind_display()}: {event.establishment.name}")
    ical.all_day(item, place.starts_on, place.ends_on)
    description = f"Your role: {place.get_role_display()}."
    if event.status == EventStatus.CANCELLED:
        description = f"Cancelled. {description}"
    item.add("description", description)
    item.add("url", _url(base, event.pk))
    return item


def _milestone(milestone: Any, base: str) -> CalendarEvent:
    event = milestone.event
    item = ical.new_event(
        uid=f"milestone-{milestone.pk}@inspectorate",
        changed_at=milestone.changed_at,
        sequence=(event.version - 1) + (milestone.version - 1) + milestone.updates,
        cancelled=event.status == EventStatus.CANCELLED,
    )
    item.add("summary", f"Due: {milestone.title} ({event.establishment.name})")
    if milestone.due_time:
        start = ical.london(milestone.due_on, milestone.due_time)
        item.add("dtstart", start)
        item.add("dtend", start + MILESTONE_LENGTH)
    else:
        ical.all_day(item, milestone.due_on, milestone.due_on)
    item.add("url", _url(base, event.pk))
    return item


def feed_ics(user: Any, base: str = "") -> bytes:
    """The user's assignments and their milestones as iCalendar; those of a cancelled event
    stay in the feed as cancelled, so calendars that copied them learn of it."""
    base = base or getattr(settings, "SITE_URL", "")
    places = _with_history(
        TeamMember.objects.filter(inspector__user=user)
        .select_related("event__establishment")
        .order_by("event__starts_on", "pk"),
        TeamMember,
    )
    milestones = _with_history(
        Milestone.objects.filter(event__team__inspector__user=user, event__historical=False)
        .filter(
            Q(status__in=UNMET)
            | Q(event__status=EventStatus.CANCELLED) & ~Q(status=MilestoneStatus.MET)
        )
        .filter(responsible_q(user))
        .select_related("event__establishment")
        .distinct()
        .order_by("due_on", "pk"),
        Milestone,
    )
    calendar = ical.new_calendar("Inspectorate: my inspections")
    for place in places:
        calendar.add_component(_assignment(place, base))
    for milestone in milestones:
        calendar.add_component(_milestone(milestone, base))
    return calendar.to_ical()
