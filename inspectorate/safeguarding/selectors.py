"""Reads of alerts. Every read of an alert is logged (DP-1)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from inspectorate.accounts.models import User
from inspectorate.audit.services import access_record
from inspectorate.lib.listing import narrowed
from inspectorate.safeguarding.constants import AlertStatus
from inspectorate.safeguarding.models import Alert, AlertEntry


def alert_list(user: Any) -> QuerySet[Alert]:
    return (
        Alert.objects.visible_to(user)
        .select_related("event__establishment", "raised_by", "acknowledged_by")
        .order_by("status", "-raised_at")
    )


def alert_search(user: Any, filters: Mapping[str, Any]) -> QuerySet[Alert]:
    """The alerts `user` may see, narrowed by an `AlertFilterForm`'s values."""
    return narrowed(
        alert_list(user),
        filters,
        {"kind": "kind", "status": "status", "raised_from": "raised_at__date__gte"},
    )


def open_alert_count(user: Any) -> int:
    return Alert.objects.visible_to(user).exclude(status=AlertStatus.CLOSED).count()


def alert_for(user: Any, pk: int, *, path: str = "") -> Alert:
    """The alert if `user` may see it (404 otherwise, as for a missing one); the read is
    logged."""
    alert = alert_list(user).filter(pk=pk).first()
    if alert is None:
        raise Http404("No such alert.")
    access_record(actor=user, record=alert, path=path)
    return alert


def alert_timeline(alert: Alert) -> list[AlertEntry]:
    return list(AlertEntry.objects.filter(alert=alert).select_related("by").order_by("at", "pk"))


def ladder_people(alert: Alert) -> list[tuple[User, bool]]:
    """The escalation ladder in order, each with whether they have been told yet."""
    people = {user.pk: user for user in User.objects.filter(pk__in=alert.ladder)}
    return [
        (people[pk], index < alert.notified_up_to)
        for index, pk in enumerate(alert.ladder)
        if pk in people
    ]
