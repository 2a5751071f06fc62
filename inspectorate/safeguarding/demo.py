"""The demo's acknowledged safeguarding alert: raised by the Ofsted lead during the IRP at
HMP/YOI Pentonville and acknowledged by the team leader, with the action taken. Written
through the services; the timestamps are then set to the days of the IRP. Idempotent."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from inspectorate.accounts.models import User
from inspectorate.programme.constants import EventKind
from inspectorate.programme.demo_clock import happened_at
from inspectorate.programme.models import Event
from inspectorate.safeguarding import services
from inspectorate.safeguarding.constants import AlertKind
from inspectorate.safeguarding.models import Alert, AlertEntry

RAISED_AT = datetime(2026, 10, 6, 14, 20)
SUMMARY = (
    "A 19-year-old in the education block told me that an officer on G wing had threatened "
    "him after he complained about his education allocation. He is frightened to return to "
    "the wing tonight."
)


def demo_safeguarding_load() -> int:
    """Return the number of alerts in the demo."""
    review = Event.objects.filter(
        establishment__code="PV", kind=EventKind.IRP, starts_on=RAISED_AT.date() - timedelta(days=1)
    ).first()
    raiser = User.objects.filter(username="ofstedlead").first()
    leader = User.objects.filter(username="teamleader").first()
    if review is None or raiser is None or leader is None:
        return Alert.objects.count()
    if Alert.objects.filter(event=review).exists():
        return Alert.objects.count()
    if not review.team.filter(inspector__user=raiser).exists():
        raiser = leader
    raised = timezone.make_aware(RAISED_AT)
    with transaction.atomic():
        with happened_at(raised):
            alert = services.alert_raise(
                actor=raiser,
                event=review,
                kind=AlertKind.SAFEGUARDING,
                summary=SUMMARY,
                where="Education block",
            )
        with happened_at(raised + timedelta(minutes=12)):
            alert = services.alert_acknowledge(actor=leader, alert=alert)
        with happened_at(raised + timedelta(minutes=50)):
            services.alert_action_add(
                actor=leader,
                alert=alert,
                text="Raised with the governor at 15:05; the young man moved to another wing "
                "tonight and the safer custody team will see him tomorrow.",
            )
        Alert.objects.filter(pk=alert.pk).update(
            raised_at=raised,
            last_escalated_at=raised,
            acknowledged_at=raised + timedelta(minutes=12),
        )
        for index, entry in enumerate(AlertEntry.objects.filter(alert=alert).order_by("pk")):
            AlertEntry.objects.filter(pk=entry.pk).update(at=raised + timedelta(minutes=6 * index))
    return Alert.objects.count()
