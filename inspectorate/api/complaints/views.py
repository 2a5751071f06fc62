"""Concerns and complaints about inspections through the API (CP-1): the same selectors and
services as the complaint screens; every step carries If-Match with the complaint's
version."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.api import serializers as s
from inspectorate.api.base import (
    Acting,
    DetailedReads,
    Write,
    chosen,
    own_writes,
    record_action,
    scoped,
    valid_input,
)
from inspectorate.api.complaints import serializers as sc
from inspectorate.api.filters import Filter
from inspectorate.api.permissions import visible_events
from inspectorate.complaints import selectors, services
from inspectorate.complaints.models import Complaint


def _step(
    summary: str, given: type[BaseSerializer[Any]], url_path: str | None = None
) -> Callable[..., Any]:
    """A step of the complaint's course: the body checked with `given`, and the complaint
    moved on by the handler's service at the version in If-Match."""
    return record_action(
        summary=summary, input=given, output=sc.ComplaintDetailSerializer, url_path=url_path
    )


@own_writes(
    sc.ComplaintDetailSerializer,
    create=Write(
        "Raise a concern about an inspection (CP-1)", sc.ComplaintRaiseInput, if_match=False
    ),
)
class ComplaintViewSet(mixins.CreateModelMixin, DetailedReads):
    """Concerns and complaints about inspections (CP-1)."""

    serializer_class = s.ComplaintSerializer
    detail_serializer_class = sc.ComplaintDetailSerializer
    query_filters = {
        "event": Filter("event_id", int),
        "stage": Filter("stage"),
        "status": Filter("status"),
    }
    ordering_fields = ("raised_on",)
    ordering = ("-raised_on",)

    def get_queryset(self) -> QuerySet[Complaint]:
        return scoped(self.request, selectors.complaint_list(self.request.user))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = valid_input(sc.ComplaintRaiseInput, request)
        event = chosen(
            visible_events(request), data.pop("event"), "event", "Select an inspection you can see"
        )
        complaint = services.complaint_raise(actor=signed_in_user(request), event=event, **data)
        return self.answer(complaint, sc.ComplaintDetailSerializer, status.HTTP_201_CREATED)

    @_step("The lead inspector's reply to the concern", sc.LeadReplyInput)
    def reply(self, act: Acting) -> Complaint:
        return services.complaint_lead_reply(**act.service_args("complaint"))

    @_step("Make the concern a formal complaint", sc.ReasonInput)
    def formal(self, act: Acting) -> Complaint:
        return services.complaint_make_formal(**act.service_args("complaint"))

    @_step("Respond to a formal complaint, with how to ask for a review", sc.ResponseInput)
    def respond(self, act: Acting) -> Complaint:
        return services.complaint_respond(**act.service_args("complaint"))

    @_step("Ask for a review of the response", sc.ReasonInput)
    def review(self, act: Acting) -> Complaint:
        return services.complaint_request_review(**act.service_args("complaint"))

    @_step(
        "Respond to the review, with how to ask for an independent one",
        sc.ResponseInput,
        url_path="review-respond",
    )
    def review_respond(self, act: Acting) -> Complaint:
        return services.complaint_review_respond(**act.service_args("complaint"))
