"""The audit trail through the API, as on the audit screen (/audit/): system administrators
and quality assurance only (`accounts.view_audit_trail`). Reads of confidential records
(DP-1, PG-3) page by page with filters, the latest changes, and a verification of the
whole hash chain."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.accounts.permissions import require
from inspectorate.api.audit import serializers as aus
from inspectorate.api.base import LoginNotRequired, ReadViewSet
from inspectorate.api.filters import Filter
from inspectorate.audit.models import AccessEvent
from inspectorate.audit.selectors import chain_verify, recent_changes

AUDITORS_ONLY = "Only system administrators and quality assurance see the audit trail."
MOST_CHANGES = 200
LIMIT = OpenApiParameter(
    "limit",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    description=f"How many of the latest changes (1 to {MOST_CHANGES}; 50 unless given).",
)


class AccessEventViewSet(ReadViewSet):
    """Who read which confidential record, when and where from: newest first."""

    serializer_class = aus.AccessEventSerializer
    query_filters = {
        "record_type": Filter("record_type", description="For example programme.event."),
        "record_id": Filter("record_id"),
        "actor": Filter("actor_id", int, "The reader's user id."),
        "purpose": Filter("purpose"),
        "from": Filter("created_at__date__gte", date, "On or after this day."),
        "to": Filter("created_at__date__lte", date, "On or before this day."),
    }
    ordering_fields = ("created_at",)
    ordering = ("-created_at",)

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)
        require(request.user, "accounts.view_audit_trail", message=AUDITORS_ONLY)

    def get_queryset(self) -> QuerySet[AccessEvent]:
        return AccessEvent.objects.all()


class AuditViewSet(LoginNotRequired, viewsets.GenericViewSet):
    """The latest changes to audited records, and the verification of the hash chain."""

    serializer_class = aus.ChangeSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)
        require(request.user, "accounts.view_audit_trail", message=AUDITORS_ONLY)

    @extend_schema(
        summary="The latest changes to audited records, newest first",
        parameters=[LIMIT],
        responses=aus.ChangeSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def changes(self, request: Request) -> Response:
        raw = request.query_params.get("limit", "50")
        if not raw.isdigit() or not 1 <= int(raw) <= MOST_CHANGES:
            raise ValidationError({"limit": f"Give a whole number from 1 to {MOST_CHANGES}"})
        rows = recent_changes(limit=int(raw))
        return Response(aus.ChangeSerializer(rows, many=True).data)

    @extend_schema(
        summary="Recompute the whole audit chain and report the first broken link",
        description="Writes nothing. `first_bad` names the first event row altered, removed "
        "or left out of the chain; null when the chain is intact.",
        request=None,
        responses=aus.ChainReportSerializer,
    )
    @action(detail=False, methods=["post"])
    def verify(self, request: Request) -> Response:
        return Response(aus.ChainReportSerializer(chain_verify()).data)
