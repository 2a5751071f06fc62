"""Concerns and complaints about inspections through the API (CP-1): the same selectors and
services as the complaint screens; every step carries If-Match with the complaint's
version."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.api import serializers as s
from inspectorate.api.base import IF_MATCH, ReadViewSet, require_version, scoped, valid_input
from inspectorate.api.complaints import serializers as sc
from inspectorate.api.filters import Filter
from inspectorate.api.permissions import visible_events
from inspectorate.complaints import selectors, services
from inspectorate.complaints.models import Complaint


def _step(summary: str, request: type[BaseSerializer[Any]]) -> Callable[[Any], Any]:
    return extend_schema(
        summary=summary,
        request=request,
        responses=sc.ComplaintDetailSerializer,
        parameters=[IF_MATCH],
    )


@extend_schema_view(
    create=extend_schema(
        summary="Raise a concern about an inspection (CP-1)",
        request=sc.ComplaintRaiseInput,
        responses={201: sc.ComplaintDetailSerializer},
    ),
    retrieve=extend_schema(responses=sc.ComplaintDetailSerializer),
)
class ComplaintViewSet(mixins.CreateModelMixin, ReadViewSet):
    """Concerns and complaints about inspections (CP-1)."""

    serializer_class = s.ComplaintSerializer
    query_filters = {
        "event": Filter("event_id", int),
        "stage": Filter("stage"),
        "status": Filter("status"),
    }
    ordering_fields = ("raised_on",)
    ordering = ("-raised_on",)

    def get_queryset(self) -> QuerySet[Complaint]:
        return scoped(self.request, selectors.complaint_list(self.request.user))

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return sc.ComplaintDetailSerializer
        return s.ComplaintSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = valid_input(sc.ComplaintRaiseInput, request)
        event = visible_events(request).filter(pk=data.pop("event")).first()
        if event is None:
            raise ValidationError({"event": "Select an inspection you can see"})
        complaint = services.complaint_raise(actor=signed_in_user(request), event=event, **data)
        return self.answer(complaint, sc.ComplaintDetailSerializer, status.HTTP_201_CREATED)

    def _take_step(
        self, request: Request, given: type[BaseSerializer[Any]], service: Callable[..., Complaint]
    ) -> Response:
        """Validate the body with `given`, and move the complaint on with `service` at the
        version in If-Match."""
        complaint = self.get_object()
        data = valid_input(given, request)
        moved = service(
            actor=request.user,
            complaint=complaint,
            version=require_version(request, complaint),
            **data,
        )
        return self.answer(moved, sc.ComplaintDetailSerializer)

    @_step("The lead inspector's reply to the concern", sc.LeadReplyInput)
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        return self._take_step(request, sc.LeadReplyInput, services.complaint_lead_reply)

    @_step("Make the concern a formal complaint", sc.ReasonInput)
    @action(detail=True, methods=["post"])
    def formal(self, request: Request, pk: str) -> Response:
        return self._take_step(request, sc.ReasonInput, services.complaint_make_formal)

    @_step("Respond to a formal complaint, with how to ask for a review", sc.ResponseInput)
    @action(detail=True, methods=["post"])
    def respond(self, request: Request, pk: str) -> Response:
        return self._take_step(request, sc.ResponseInput, services.complaint_respond)

    @_step("Ask for a review of the response", sc.ReasonInput)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        return self._take_step(request, sc.ReasonInput, services.complaint_request_review)

    @_step("Respond to the review, with how to ask for an independent one", sc.ResponseInput)
    @action(detail=True, methods=["post"], url_path="review-respond")
    def review_respond(self, request: Request, pk: str) -> Response:
        return self._take_step(request, sc.ResponseInput, services.complaint_review_respond)
