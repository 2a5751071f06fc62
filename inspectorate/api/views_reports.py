"""Reports and their factual-accuracy comments through the API (RP-3, JG-9): the same
selectors, `visible_to(user)` querysets and services as the report screens. Every step
that the service checks against a version carries If-Match."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from inspectorate.api import serializers_reports as sr
from inspectorate.api.filters import Filter
from inspectorate.api.permissions import visible_events
from inspectorate.api.views import IF_MATCH, ReadViewSet, _valid, require_version, scoped
from inspectorate.programme.models import Event
from inspectorate.reports import pdf, selectors, services
from inspectorate.reports.models import FactualAccuracyComment, Report


def _step(summary: str, request: type[BaseSerializer[Any]] | None = None) -> Callable[[Any], Any]:
    return extend_schema(
        summary=summary, request=request, responses=sr.ReportSerializer, parameters=[IF_MATCH]
    )


@extend_schema_view(
    create=extend_schema(
        summary="Start a draft report",
        request=sr.ReportCreateInput,
        responses={201: sr.ReportSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a report's summary or planned publication date",
        request=sr.ReportUpdateInput,
        responses=sr.ReportSerializer,
        parameters=[IF_MATCH],
    ),
)
class ReportViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadViewSet):
    """Reports, as `Report.objects.visible_to` allows: a draft only to the event's team,
    quality assurance and programme staff, and to the inspected establishment only at its
    factual-accuracy check (RP-3)."""

    serializer_class = sr.ReportSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    query_filters = {
        "event": Filter("event_id", int),
        "kind": Filter("kind"),
        "stage": Filter("stage"),
    }
    ordering_fields = ("created_at", "published_on", "stage")
    ordering = ("stage", "-created_at")

    def get_queryset(self) -> QuerySet[Report]:
        return scoped(self.request, selectors.report_list(self.request.user))

    def events_read(self, records: Sequence[Any]) -> Iterable[Event]:
        return [record.event for record in records]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _valid(sr.ReportCreateInput, request)
        event = visible_events(request).filter(pk=data.pop("event")).first()
        if event is None:
            raise ValidationError({"event": "Select an event you can see"})
        report = services.report_create(actor=request.user, event=event, **data)
        return self.answer(report, sr.ReportSerializer, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = self.get_object()
        data = _valid(sr.ReportUpdateInput, request)
        changed = services.report_update(
            actor=request.user,
            report=report,
            summary=data.get("summary", report.summary),
            planned_publication_on=data.get(
                "planned_publication_on", report.planned_publication_on
            ),
            version=require_version(request, report),
        )
        return self.answer(changed, sr.ReportSerializer)

    def _versioned(self, request: Request, write: Callable[..., Report], **values: Any) -> Response:
        report = self.get_object()
        done = write(
            actor=request.user, report=report, version=require_version(request, report), **values
        )
        return self.answer(done, sr.ReportSerializer)

    @_step("Submit the draft for quality assurance")
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._versioned(request, services.report_submit_for_qa)

    @_step("Approve the draft (quality assurance)")
    @action(detail=True, methods=["post"], url_path="qa-approve")
    def qa_approve(self, request: Request, pk: str) -> Response:
        return self._versioned(request, services.report_qa_approve)

    @_step("Return the draft to its authors (quality assurance)", sr.QaReturnInput)
    @action(detail=True, methods=["post"], url_path="qa-return")
    def qa_return(self, request: Request, pk: str) -> Response:
        data = _valid(sr.QaReturnInput, request)
        return self._versioned(request, services.report_qa_return, reason=data["reason"])

    @_step(
        "Start the factual-accuracy check; the event's judgements lock (RP-3, JG-9)",
        sr.FactualAccuracyStartInput,
    )
    @action(detail=True, methods=["post"], url_path="factual-accuracy-start")
    def factual_accuracy_start(self, request: Request, pk: str) -> Response:
        data = _valid(sr.FactualAccuracyStartInput, request)
        return self._versioned(
            request, services.report_factual_accuracy_start, due_on=data["due_on"]
        )

    @_step("Finalise the report once every comment is answered (RP-3)")
    @action(detail=True, methods=["post"])
    def finalise(self, request: Request, pk: str) -> Response:
        return self._versioned(request, services.report_finalise)

    @_step("Publish the final report")
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        return self._versioned(request, services.report_publish)

    @extend_schema(
        summary="Ask for a PDF of the report (made in the background)",
        request=None,
        responses={202: sr.RenderSerializer},
    )
    @action(detail=True, methods=["post"])
    def pdf(self, request: Request, pk: str) -> Response:
        render = pdf.render_request(actor=request.user, report=self.get_object())
        body = sr.RenderSerializer(render, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(
    create=extend_schema(
        summary="Comment on a paragraph at the factual-accuracy check (RP-3)",
        request=sr.CommentSubmitInput,
        responses={201: sr.CommentSerializer},
    )
)
class CommentViewSet(mixins.CreateModelMixin, ReadViewSet):
    """Factual-accuracy comments, as `FactualAccuracyComment.objects.visible_to` allows."""

    serializer_class = sr.CommentSerializer
    query_filters = {"report": Filter("report_id", int), "outcome": Filter("outcome")}
    ordering_fields = ("submitted_at",)
    ordering = ("report_id", "submitted_at")

    def get_queryset(self) -> QuerySet[FactualAccuracyComment]:
        user = self.request.user
        comments = FactualAccuracyComment.objects.visible_to(user).filter(
            report__in=Report.objects.visible_to(user)
        )
        return scoped(self.request, comments, prefix="report__event").select_related(
            "report__event__establishment", "author"
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _valid(sr.CommentSubmitInput, request)
        report = Report.objects.visible_to(request.user).filter(pk=data.pop("report")).first()
        if report is None:
            raise ValidationError({"report": "Select a report you can see"})
        comment = services.comment_submit(actor=request.user, report=report, **data)
        return self.answer(comment, sr.CommentSerializer, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Answer a comment: accepted, partly or not, and why",
        request=sr.CommentRespondInput,
        responses=sr.CommentSerializer,
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def respond(self, request: Request, pk: str) -> Response:
        comment = self.get_object()
        data = _valid(sr.CommentRespondInput, request)
        answered = services.comment_respond(
            actor=request.user,
            comment=comment,
            version=require_version(request, comment),
            **data,
        )
        return self.answer(answered, sr.CommentSerializer)
