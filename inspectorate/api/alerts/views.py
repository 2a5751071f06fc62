"""Safeguarding and sanctions alerts through the API (SG-1, SG-2, DP-1): the same selectors
and services as the alert screens. An alert is seen only by whom `Alert.objects.visible_to`
allows (never an establishment user); every read is logged, as on the screens."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.api.alerts import serializers as sa
from inspectorate.api.base import (
    Acting,
    DetailedReads,
    Write,
    own_writes,
    record_action,
    scoped,
    valid_input,
    visible_event,
)
from inspectorate.api.filters import Filter
from inspectorate.audit.services import access_records
from inspectorate.safeguarding import selectors, services
from inspectorate.safeguarding.models import Alert, AlertEntry


@own_writes(
    sa.AlertDetailSerializer,
    create=Write("Raise an alert (SG-1, SG-2)", sa.AlertRaiseInput, if_match=False),
)
class AlertViewSet(mixins.CreateModelMixin, DetailedReads):
    """Safeguarding and sanctions alerts the user may see (SG-1, SG-2); every read is
    logged (DP-1)."""

    serializer_class = sa.AlertSerializer
    detail_serializer_class = sa.AlertDetailSerializer
    query_filters = {
        "event": Filter("event_id", int),
        "kind": Filter("kind"),
        "status": Filter("status"),
    }
    ordering_fields = ("raised_at", "status")
    ordering = ("status", "-raised_at")

    def get_queryset(self) -> QuerySet[Alert]:
        return scoped(self.request, selectors.alert_list(self.request.user))

    def record_reads(self, records: Sequence[Any]) -> None:
        """As the alert screens do (DP-1): one access record per alert read."""
        access_records(actor=signed_in_user(self.request), records=records, path=self.request.path)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = valid_input(sa.AlertRaiseInput, request)
        event = visible_event(request, data.pop("event"))
        alert = services.alert_raise(actor=signed_in_user(request), event=event, **data)
        return self.answer(alert, sa.AlertDetailSerializer, status.HTTP_201_CREATED)

    @record_action(
        summary="Acknowledge an alert: the escalation stops",
        output=sa.AlertDetailSerializer,
        logs_read=True,
    )
    def acknowledge(self, act: Acting) -> Alert:
        return services.alert_acknowledge(**act.service_args("alert"))

    @record_action(
        summary="Record what was done about an alert",
        input=sa.AlertActionInput,
        output=sa.AlertEntrySerializer,
        created=True,
        if_match=False,
        logs_read=True,
    )
    def actions(self, act: Acting) -> AlertEntry:
        return services.alert_action_add(**act.service_args("alert", versioned=False))

    @record_action(
        summary="Close an alert with its outcome",
        input=sa.AlertCloseInput,
        output=sa.AlertDetailSerializer,
        logs_read=True,
    )
    def close(self, act: Acting) -> Alert:
        return services.alert_close(**act.service_args("alert"))
