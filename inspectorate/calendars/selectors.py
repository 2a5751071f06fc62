"""The feed: the user's own team places and the milestones they answer for, never anyone
else's confidential events."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from inspectorate.calendars.models import CalendarToken
from inspectorate.calendars.services import token_hash
from inspectorate.programme.constants import EventStatus
from inspectorate.programme.milestones import UNMET, responsible_q
from inspectorate.programme.models import Milestone, TeamMember

PRODID = "-//HM Inspectorate of Prisons and Ofsted//Inspectorate//EN"


def feed_owner(token: str) -> Any | None:
    """The user whose live token this is (None for an unknown or revoked token)."""
    found = (
        CalendarToken.objects.select_related("user")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return found.user if found else None


def _assignment(place: TeamMember, base: str) -> CalendarEvent:
    event = place.event
    item = CalendarEvent()
    item.add("uid", f"team-place-{place.pk}@inspectorate")
    item.add("summary", f"{event.get_kind_display()}: {event.establishment.name}")
    item.add("dtstart", place.starts_on)
    item.add("dtend", place.ends_on + timedelta(days=1))  # DTEND is exclusive
    item.add("description", f"Your role: {place.get_role_display()}.")
    item.add("url", base + reverse("programme:event-detail", kwargs={"pk": event.pk}))
    return item


def _milestone(milestone: Milestone, base: str) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", f"milestone-{milestone.pk}@inspectorate")
    item.add("summary", f"Due: {milestone.title} ({milestone.event.establishment.name})")
    if milestone.due_time:
        start = datetime.combine(milestone.due_on, milestone.due_time)
        item.add("dtstart", start)
        item.add("dtend", start + timedelta(minutes=30))
    else:
        item.add("dtstart", milestone.due_on)
        item.add("dtend", milestone.due_on + timedelta(days=1))
    item.add("url", base + reverse("programme:event-detail", kwargs={"pk": milestone.event_id}))
    return item


def feed_ics(user: Any, base: str = "") -> bytes:
    """The user's assignments and their milestones as iCalendar."""
    base = base or getattr(settings, "SITE_URL", "")
    places = (
        TeamMember.objects.filter(inspector__user=user)
        .exclude(event__status=EventStatus.CANCELLED)
        .select_related("event__establishment")
        .order_by("event__starts_on")
    )
    milestones = (
        Milestone.objects.filter(event__team__inspector__user=user, status__in=UNMET)
        .filter(responsible_q(user))
        .exclude(event__status=EventStatus.CANCELLED)
        .select_related("event__establishment")
        .distinct()
        .order_by("due_on")
    )
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Inspectorate: my inspections")
    for place in places:
        calendar.add_component(_assignment(place, base))
    for milestone in milestones:
        calendar.add_component(_milestone(milestone, base))
    return calendar.to_ical()
