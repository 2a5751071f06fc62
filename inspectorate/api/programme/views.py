"""The annual programme through the API, as its screens offer it: drafting a programme,
opening it to consultation and confirming it (PG-1); its figures and its amendments log
(PG-2, PG-4); overriding a "normally" milestone; and each user's own notifications.

Every write calls the service the screen calls (`programme.services`,
`programme.milestone_services`, `programme.notifications`) and carries If-Match with the
version of the record the screen's form protects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.accounts.reauth import sensitive_api_permissions
from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.api import serializers as s
from inspectorate.api.base import (
    Acting,
    ReadViewSet,
    Write,
    events_of,
    own_writes,
    record_action,
    scoped,
    valid_input,
    with_etag,
)
from inspectorate.api.filters import Filter
from inspectorate.api.permissions import token_of, visible_events
from inspectorate.api.programme import serializers as ps
from inspectorate.api.renderers import FileRenderer
from inspectorate.lib.downloads import download
from inspectorate.lib.xlsxio import XLSX_CONTENT_TYPE
from inspectorate.programme import (
    consultation,
    notifications,
    selectors,
    services,
)
from inspectorate.programme.constants import EventKind, EventStatus
from inspectorate.programme.milestones import services as milestone_services
from inspectorate.programme.models import (
    Amendment,
    ConsultationChallenge,
    Event,
    Milestone,
    Notification,
    Programme,
)


def narrowed_by_organisations(request: Request) -> bool:
    """Is the caller a token limited to some organisations' events?"""
    token = token_of(request)
    return token is not None and bool(token.organisations)


def programme_overview(request: Request, programme: Programme) -> dict[str, Any]:
    """The programme page's figures (`selectors.programme_overview`), over the events the
    request may see. The IRP count (PG-2) counts the whole programme, so it is given only
    to those who see all of it, and not to a token narrowed to organisations."""
    events = list(visible_events(request).filter(programme=programme).only("kind", "status"))
    counts = selectors._kind_counts(events)
    whole = request.user.has_perm("programme.view_irp_count")
    irp_count = (
        next(c.count for c in counts if c.kind == EventKind.IRP)
        if whole and not narrowed_by_organisations(request)
        else None
    )
    return {
        "counts": [vars(count) for count in counts],
        "total": sum(count.count for count in counts),
        "cancelled": sum(1 for event in events if event.status == EventStatus.CANCELLED),
        "irp_count": irp_count,
        "irp_warning": None if irp_count is None else selectors.irp_count_warning(irp_count),
    }


# Programmes -------------------------------------------------------------------------------

EXPORT_AS = OpenApiParameter(
    "as",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["csv", "xlsx"],
    description="csv unless given.",
)


@own_writes(
    s.ProgrammeSerializer,
    create=Write(
        "Draft the programme for April to March (PG-1)",
        ps.ProgrammeCreateInput,
        description="A new programme has no version to match: no If-Match. One programme per "
        "year: a second one for the same year answers 400 naming `year`.",
        if_match=False,
    ),
)
class ProgrammeViewSet(mixins.CreateModelMixin, ReadViewSet):
    """HMI Prisons' annual programmes (April to March), by the year they start."""

    serializer_class = s.ProgrammeSerializer
    lookup_field = "year"
    lookup_value_regex = r"\d{4}"
    query_filters = {"status": Filter("status")}
    ordering_fields = ("year",)
    ordering = ("-year",)

    def get_queryset(self) -> QuerySet[Programme]:
        if not self.request.user.has_perm("programme.view_programme"):
            return Programme.objects.none()
        return Programme.objects.all()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = valid_input(ps.ProgrammeCreateInput, request)
        programme = services.programme_create(actor=signed_in_user(request), year=data["year"])
        return self.answer(programme, s.ProgrammeSerializer, status.HTTP_201_CREATED)

    @record_action(
        summary="Open the draft programme to consultation (PG-1)",
        description="If-Match: the programme's version. Only a draft is opened.",
        output=s.ProgrammeSerializer,
        url_path="open-consultation",
    )
    def open_consultation(self, act: Acting) -> Programme:
        return services.programme_open_consultation(**act.service_args("programme"))

    @record_action(
        summary="Confirm the programme after its consultation; Ofsted's schedulers are told",
        description="If-Match: the programme's version. From then on every change to its "
        "events is an amendment shared with Ofsted (PG-4).",
        input=ps.ProgrammeConfirmInput,
        output=s.ProgrammeSerializer,
    )
    def confirm(self, act: Acting) -> Programme:
        return services.programme_confirm(**act.service_args("programme"))

    @extend_schema(
        summary="The partners' responses to the draft and their challenges (PG-14)",
        description="Programme roles only (403 otherwise): the consultation is as "
        "confidential as the programme (PG-3).",
        responses=ps.ConsultationSerializer,
    )
    @action(detail=True, methods=["get"])
    def consultation(self, request: Request, year: str) -> Response:
        programme = self.get_object()
        summary = consultation.consultation_summary(request.user, programme)
        if summary is None or narrowed_by_organisations(request):
            raise PermissionDenied("You cannot see the consultation on this programme.")
        return Response(ps.ConsultationSerializer(summary).data)

    @record_action(
        summary="Record your organisation's response: resourcing confirmed or not (PG-14)",
        description="The Ofsted scheduling team answers for Ofsted. A refusal is raised with "
        "HMI Prisons' coordinators at once.",
        input=ps.ConsultationRespondInput,
        output=ps.ConsultationSerializer,
        url_path="consultation/respond",
        if_match=False,
    )
    def consultation_respond(self, act: Acting) -> Response:
        consultation.consultation_respond(actor=act.actor, programme=act.record, **act.data)
        summary = consultation.consultation_summary(act.actor, act.record)
        return Response(ps.ConsultationSerializer(summary).data)

    @record_action(
        summary="Challenge one event of the draft, raised at once (PG-14)",
        input=ps.ConsultationChallengeInput,
        output=ps.ConsultationChallengeSerializer,
        url_path="consultation/challenges",
        created=True,
        if_match=False,
    )
    def consultation_challenge(self, act: Acting) -> ConsultationChallenge:
        event = visible_events(act.request).filter(pk=act.data["event"]).first()
        return consultation.consultation_challenge_raise(
            actor=act.actor, programme=act.record, event=event, text=act.data["text"]
        )

    @extend_schema(
        summary="The programme's figures: events by kind and the IRP count (PG-2)",
        responses=ps.ProgrammeOverviewSerializer,
    )
    @action(detail=True, methods=["get"])
    def overview(self, request: Request, year: str) -> Response:
        programme = self.get_object()
        data = ps.ProgrammeOverviewSerializer(programme_overview(request, programme)).data
        return with_etag(Response(data), programme)

    @extend_schema(
        summary="The programme's events as a spreadsheet, one row per event",
        description="The same file as the programme page's downloads, with the events you "
        "may see; reads of confidential events are logged (PG-3). A token narrowed to "
        "organisations is refused: the file covers the whole programme. Called with a browser "
        'session, it needs a recent "Confirm it\'s you" (403 otherwise); a token is not asked.',
        parameters=[EXPORT_AS],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[JSONRenderer, FileRenderer],
        permission_classes=sensitive_api_permissions(),
    )
    def export(self, request: Request, year: str) -> HttpResponse:
        programme = self.get_object()
        if not request.user.has_perm("programme.export_events"):
            raise PermissionDenied("You cannot download the programme.")
        token = token_of(request)
        if token is not None and token.organisations:
            raise PermissionDenied(
                "The export covers the whole programme: use a token not narrowed to organisations."
            )
        kind = request.query_params.get("as", "csv")
        if kind not in selectors.EVENT_EXPORTS:
            raise ValidationError({"as": "Choose csv or xlsx"})
        export, content_type = selectors.EVENT_EXPORTS[kind]
        data = export(request.user, programme, selectors.EventFilters(), path=request.path)
        return download(selectors.events_download_name(programme, kind), data, content_type)


class AmendmentViewSet(ReadViewSet):
    """Changes to confirmed programmes, each shared with Ofsted (PG-4): the programme staff
    only, as on the programme page. They name confidential dates: reading them is logged."""

    serializer_class = ps.AmendmentSerializer
    query_filters = {
        "programme": Filter("programme__year", int, "The programme's year."),
        "event": Filter("event_id", int, "The event's id."),
    }
    ordering_fields = ("made_at",)
    ordering = ("-made_at",)

    def get_queryset(self) -> QuerySet[Amendment]:
        amendments = scoped(self.request, Amendment.objects.visible_to(self.request.user))
        return amendments.select_related("programme", "made_by", "event__establishment")

    def events_read(self, records: Sequence[Any]) -> Iterable[Event]:
        return [record.event for record in records if record.event is not None]


# Milestones -------------------------------------------------------------------------------


class MilestoneViewSet(ReadViewSet):
    """Deadlines of the events the user may see (staff only, as on the screens): marking one
    met (and reopening it), setting aside a "normally" one with a recorded reason, and
    recording why one impossible when created could not be met."""

    serializer_class = s.MilestoneSerializer
    query_filters = {
        "event": Filter("event_id", int),
        "status": Filter("status"),
        "rule_id": Filter("rule_id"),
        "due_from": Filter("due_on__gte", date, "Due on or after this day."),
        "due_to": Filter("due_on__lte", date, "Due on or before this day."),
    }
    ordering_fields = ("due_on", "status")
    ordering = ("due_on", "event_id")

    def get_queryset(self) -> QuerySet[Milestone]:
        if not self.request.user.has_perm("programme.view_deadlines"):
            return Milestone.objects.none()
        return Milestone.objects.filter(event__in=visible_events(self.request)).select_related(
            "event__establishment", "met_by"
        )

    def events_read(self, records: Sequence[Any]) -> Iterable[Event]:
        return events_of(records)

    @record_action(
        summary="Mark a milestone met", output=s.MilestoneSerializer, url_path="mark-met"
    )
    def mark_met(self, act: Acting) -> Milestone:
        return milestone_services.milestone_mark_met(**act.service_args("milestone"))

    @record_action(
        summary="Override a 'normally' milestone, with the reason",
        description="If-Match: the milestone's version. A hard deadline (must) cannot be "
        "overridden; `reason` is required.",
        input=ps.MilestoneOverrideInput,
        output=s.MilestoneSerializer,
    )
    def override(self, act: Acting) -> Milestone:
        return milestone_services.milestone_override(**act.service_args("milestone"))

    @record_action(
        summary="Record why a deadline impossible when created could not be met (PG-5)",
        description="If-Match: the milestone's version. Only a milestone whose status is "
        "`impossible` (due before it was made, or before its event was moved) takes a "
        "reason, once; it then leaves everyone's overdue list. `reason` is required.",
        input=ps.MilestoneExplainImpossibleInput,
        output=s.MilestoneSerializer,
        url_path="explain-impossible",
    )
    def explain_impossible(self, act: Acting) -> Milestone:
        return milestone_services.milestone_explain_impossible(**act.service_args("milestone"))

    @record_action(
        summary="Reopen a milestone marked met by hand, with the reason",
        description="If-Match: the milestone's version. It is due again, or missed if its "
        "day has passed. A milestone the service marks met (by the event's facts) cannot be "
        "reopened by hand. `reason` is required.",
        input=ps.MilestoneReopenInput,
        output=s.MilestoneSerializer,
    )
    def reopen(self, act: Acting) -> Milestone:
        return milestone_services.milestone_reopen(**act.service_args("milestone"))


# Notifications ----------------------------------------------------------------------------


class NotificationViewSet(ReadViewSet):
    """Your own notifications, newest first; anyone else's answers 404.

    Marking them read needs no If-Match: notifications have no version and the screens
    check none (marking read is idempotent and touches only your own). A token narrowed to
    organisations sees none: a notification belongs to no organisation, and its text may
    name any event."""

    serializer_class = ps.NotificationSerializer
    query_filters = {
        "unread": Filter(
            lambda unread: Q(read_at__isnull=unread),
            bool,
            "true: only those not yet read; false: only those read.",
        )
    }
    ordering_fields = ("created_at",)
    ordering = ("-created_at",)

    def get_queryset(self) -> QuerySet[Notification]:
        user = self.request.user
        if not user.is_authenticated or narrowed_by_organisations(self.request):
            return Notification.objects.none()
        return Notification.objects.filter(recipient=user)

    @record_action(
        summary="Mark one of your notifications read",
        output=ps.NotificationSerializer,
        if_match=False,
    )
    def read(self, act: Acting) -> Notification:
        return notifications.notification_mark_read(actor=act.actor, notification=act.record)

    @extend_schema(
        summary="Mark all your notifications read",
        request=None,
        responses=ps.NotificationsMarkedSerializer,
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        if narrowed_by_organisations(request):
            marked = 0
        else:
            marked = notifications.notifications_mark_all_read(actor=signed_in_user(request))
        return Response(ps.NotificationsMarkedSerializer({"marked": marked}).data)
