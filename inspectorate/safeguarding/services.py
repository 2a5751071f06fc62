"""Every write of safeguarding and sanctions alerts (SG-1, SG-2, DP-1).

Raising an alert takes one short form from any page of the event. The people on its
escalation ladder are told in turn: at once the event's HMI Prisons team leader and a
programme coordinator (for a concern about someone not detained, the coordinators only,
SG-2); every hour without an acknowledgement, the next person on the ladder, and after the
last of them the system administrators. Notifications are in-app and by e-mail, sent after
commit. The timeline of raise, notify, escalate, acknowledge, actions and close is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from inspectorate.accounts.models import User
from inspectorate.accounts.permissions import require
from inspectorate.accounts.roles import Duty
from inspectorate.lib.versions import locked, saved
from inspectorate.programme.constants import TeamRole
from inspectorate.programme.models import Event
from inspectorate.programme.notifications import notify, users_with_duty
from inspectorate.safeguarding.constants import (
    ESCALATE_AFTER,
    NON_DETAINED_ROUTE,
    AlertKind,
    AlertStatus,
    EntryKind,
)
from inspectorate.safeguarding.models import Alert, AlertEntry

TOLD_AT_ONCE = 2  # the team leader and a coordinator (SG-1)


def _url(alert: Alert) -> str:
    return reverse("safeguarding:alert-detail", kwargs={"pk": alert.pk})


def _team_leader(event: Event) -> User | None:
    place = (
        event.team.filter(role=TeamRole.TEAM_LEADER, inspector__user__isnull=False)
        .select_related("inspector__user")
        .first()
    )
    return place.inspector.user if place else None


def escalation_ladder(event: Event, kind: str) -> list[User]:
    """Who is told, in turn: the team leader, then the coordinators (SG-1); a concern about
    someone not detained goes to the coordinators only (SG-2)."""
    coordinators = users_with_duty(Duty.COORDINATES_PROGRAMME)
    leader = _team_leader(event) if kind != AlertKind.NON_DETAINED else None
    ladder = [leader] if leader else []
    return ladder + [c for c in coordinators if c not in ladder]


def _entry(alert: Alert, kind: str, text: str, by: Any = None) -> AlertEntry:
    return AlertEntry.objects.create(alert=alert, kind=kind, text=text, by=by)


def _tell(alert: Alert, people: Sequence[User], *, escalated: bool) -> None:
    if not people:
        return
    kind = alert.get_kind_display().split(":")[0]
    prefix = "Escalated, not yet acknowledged: " if escalated else ""
    notify(
        recipients=people,
        subject=f"{prefix}{kind} alert at {alert.event.establishment}",
        body=f"{alert.summary}\n\nRaised by {alert.raised_by.get_full_name()} at "
        f"{timezone.localtime(alert.raised_at):%H:%M on %-d %B %Y}. Acknowledge it at once.",
        url=_url(alert),
    )
    names = ", ".join(person.get_full_name() or person.username for person in people)
    _entry(alert, EntryKind.ESCALATED if escalated else EntryKind.NOTIFIED, f"Told {names}.")


TEAM_ONLY = "Only the people on this event's team raise its alerts."


def alert_raise(*, actor: User, event: Event, kind: str, summary: str, where: str = "") -> Alert:
    """Raise an alert: any inspector on the event, at once; no confidentiality undertaking
    stops it (SG-1)."""
    require(actor, "safeguarding.raise_alert", event, TEAM_ONLY)
    problems = {}
    if kind not in AlertKind.values:
        problems["kind"] = "Select what the alert is about"
    if not summary.strip():
        problems["summary"] = "Say what you saw or were told"
    if problems:
        raise ValidationError(problems)
    ladder = escalation_ladder(event, kind)
    with transaction.atomic():
        alert = Alert.objects.create(
            event=event,
            kind=kind,
            summary=summary.strip(),
            where=where.strip(),
            raised_by=actor,
            ladder=[person.pk for person in ladder],
            notified_up_to=min(TOLD_AT_ONCE, len(ladder)),
        )
        _entry(alert, EntryKind.RAISED, alert.summary, by=actor)
        if kind == AlertKind.NON_DETAINED:
            _entry(alert, EntryKind.ACTION, NON_DETAINED_ROUTE)
        _tell(alert, ladder[:TOLD_AT_ONCE], escalated=False)
    return alert


def _handler_alert(actor: User, alert: Alert, version: int | None) -> Alert:
    require(
        actor,
        "safeguarding.handle_alert",
        alert,
        "Only the people the alert was escalated to act on it.",
    )
    return locked(Alert, alert.pk, version)


def alert_acknowledge(*, actor: User, alert: Alert, version: int | None = None) -> Alert:
    """Acknowledging stops the escalation."""
    with transaction.atomic():
        current = _handler_alert(actor, alert, version)
        if current.status != AlertStatus.RAISED:
            raise ValidationError("The alert has already been acknowledged")
        current = saved(
            current,
            status=AlertStatus.ACKNOWLEDGED,
            acknowledged_by=actor,
            acknowledged_at=timezone.now(),
        )
        _entry(current, EntryKind.ACKNOWLEDGED, "Acknowledged.", by=actor)
    return current


def alert_action_add(*, actor: User, alert: Alert, text: str) -> AlertEntry:
    """Record what was done: who was told at the establishment, the prisoner's safety."""
    require(
        actor,
        "safeguarding.record_alert_action",
        alert,
        "Only the people handling the alert record its actions.",
    )
    if not text.strip():
        raise ValidationError({"text": "Say what was done"})
    with transaction.atomic():
        return _entry(alert, EntryKind.ACTION, text.strip(), by=actor)


def alert_close(*, actor: User, alert: Alert, outcome: str, version: int | None) -> Alert:
    if not outcome.strip():
        raise ValidationError({"outcome": "Record the outcome before closing the alert"})
    with transaction.atomic():
        current = _handler_alert(actor, alert, version)
        if current.status == AlertStatus.RAISED:
            raise ValidationError("Acknowledge the alert before closing it")
        if current.status == AlertStatus.CLOSED:
            raise ValidationError("The alert is already closed")
        current = saved(
            current, status=AlertStatus.CLOSED, closed_at=timezone.now(), outcome=outcome.strip()
        )
        _entry(current, EntryKind.CLOSED, outcome.strip(), by=actor)
    return current


def _escalate_one(alert: Alert, now: datetime) -> None:
    ladder = list(alert.ladder)
    told = alert.notified_up_to
    if told >= len(ladder):  # the ladder is exhausted: the administrators are next
        extra = [u for u in users_with_duty(Duty.ADMINISTERS) if u.pk not in ladder]
        ladder += [u.pk for u in extra]
    people = list(User.objects.filter(pk__in=ladder[told : told + 1]))
    alert.ladder = ladder
    saved(alert, notified_up_to=told + len(people), last_escalated_at=now)
    _tell(alert, people, escalated=True)


def alerts_escalate(now: datetime | None = None) -> int:
    """Tell the next person about every alert unacknowledged for an hour since anyone was
    last told. Safe to run as often as wanted: each alert moves at most one step an hour.
    Returns how many alerts were escalated."""
    moment = now or timezone.now()
    count = 0
    with transaction.atomic():
        due = (
            Alert.objects.select_for_update(skip_locked=True)
            .filter(status=AlertStatus.RAISED, last_escalated_at__lte=moment - ESCALATE_AFTER)
            .select_related("event__establishment", "raised_by")
        )
        for alert in due:
            _escalate_one(alert, moment)
            count += 1
    return count
