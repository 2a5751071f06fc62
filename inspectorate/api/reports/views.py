"""Reports and their factual-accuracy comments through the API (RP-3, JG-9): the same
selectors, `visible_to(user)` querysets and services as the report screens. Every step
that the service checks against a version carries If-Match."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from inspectorate.accounts.models import User
from inspectorate.accounts.reauth import sensitive_api_permissions
from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.api.base import (
    Acting,
    Patchable,
    Write,
    chosen,
    own_writes,
    record_action,
    scoped,
    valid_input,
    visible_event,
    with_etag,
)
from inspectorate.api.filters import Filter
from inspectorate.api.renderers import FileRenderer
from inspectorate.api.reports import serializers as sr
from inspectorate.lib.downloads import download
from inspectorate.programme.models import Event
from inspectorate.reports import docx_export, pdf, selectors, services
from inspectorate.reports.constants import RenderStatus
from inspectorate.reports.document_views import DOCX_TYPE, filename
from inspectorate.reports.documents import report_article
from inspectorate.reports.models import FactualAccuracyComment, Report, ReportRender


@own_writes(
    sr.ReportSerializer,
    create=Write("Start a draft report", sr.ReportCreateInput, if_match=False),
    partial_update=Write(
        "Change a report's summary or planned publication date", sr.ReportUpdateInput
    ),
)
class ReportViewSet(mixins.CreateModelMixin, Patchable):
    """Reports, as `Report.objects.visible_to` allows: a draft only to the event's team,
    quality assurance and programme staff, and to the inspected establishment only at its
    factual-accuracy check (RP-3)."""

    serializer_class = sr.ReportSerializer
    patch_input = sr.ReportUpdateInput
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
        data = valid_input(sr.ReportCreateInput, request)
        event = visible_event(request, data.pop("event"))
        report = services.report_create(actor=signed_in_user(request), event=event, **data)
        return self.answer(report, sr.ReportSerializer, status.HTTP_201_CREATED)

    def patched(self, actor: User, record: Any, version: int, values: dict[str, Any]) -> Model:
        return services.report_update(actor=actor, report=record, version=version, **values)

    @record_action(summary="Submit the draft for quality assurance", output=sr.ReportSerializer)
    def submit(self, act: Acting) -> Report:
        return services.report_submit_for_qa(**act.service_args("report"))

    @record_action(
        summary="Approve the draft (quality assurance)",
        output=sr.ReportSerializer,
        url_path="qa-approve",
    )
    def qa_approve(self, act: Acting) -> Report:
        return services.report_qa_approve(**act.service_args("report"))

    @record_action(
        summary="Return the draft to its authors (quality assurance)",
        output=sr.ReportSerializer,
        input=sr.QaReturnInput,
        url_path="qa-return",
    )
    def qa_return(self, act: Acting) -> Report:
        return services.report_qa_return(**act.service_args("report"))

    @record_action(
        summary="Start the factual-accuracy check; the event's judgements lock (RP-3, JG-9)",
        output=sr.ReportSerializer,
        input=sr.FactualAccuracyStartInput,
        url_path="factual-accuracy-start",
    )
    def factual_accuracy_start(self, act: Acting) -> Report:
        return services.report_factual_accuracy_start(**act.service_args("report"))

    @record_action(
        summary="Finalise the report once every comment is answered (RP-3)",
        output=sr.ReportSerializer,
    )
    def finalise(self, act: Acting) -> Report:
        return services.report_finalise(**act.service_args("report"))

    @record_action(
        summary="Publish the final report",
        output=sr.ReportSerializer,
        permission_classes=sensitive_api_permissions(),
    )
    def publish(self, act: Acting) -> Report:
        return services.report_publish(**act.service_args("report"))

    @extend_schema(
        summary="Ask for a PDF of the report (made in the background)",
        request=None,
        responses={202: sr.RenderSerializer},
    )
    @action(detail=True, methods=["post"])
    def pdf(self, request: Request, pk: str) -> Response:
        render = pdf.render_request(actor=signed_in_user(request), report=self.get_object())
        body = sr.RenderSerializer(render, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="The report as the report page shows it (HTML of the document)",
        description="A published report answers its frozen snapshot; any other, the record "
        "as it is now, marked as a draft.",
        responses=sr.DocumentSerializer,
    )
    @action(detail=True, methods=["get"])
    def document(self, request: Request, pk: str) -> Response:
        report = self.get_object()
        body = {"report": report.pk, "stage": report.stage, "html": report_article(report)}
        return with_etag(Response(sr.DocumentSerializer(body).data), report)

    @extend_schema(
        summary="How the latest PDF is going (poll after pdf/)",
        responses=sr.RenderSerializer,
    )
    @action(detail=True, methods=["get"], url_path="pdf-status")
    def pdf_status(self, request: Request, pk: str) -> Response:
        render = pdf.latest_render(self.get_object())
        if render is None:
            raise Http404("No PDF has been asked for: ask for one with pdf/.")
        return Response(sr.RenderSerializer(render, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Download the latest finished PDF",
        description="404 until a PDF asked for with pdf/ is made (pdf-status/ says when), "
        "and for a draft's PDF to whoever may not read drafts at the stage it was made.",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="pdf-file",
        renderer_classes=[JSONRenderer, FileRenderer],
    )
    def pdf_file(self, request: Request, pk: str) -> HttpResponse:
        report = self.get_object()
        render = (
            ReportRender.objects.filter(report=report, status=RenderStatus.DONE)
            .order_by("-requested_at", "-pk")
            .first()
        )
        if render is None or not pdf.downloadable(request.user, render):
            raise Http404("No finished PDF of this report: ask for one with pdf/.")
        return download(filename(report, "pdf"), bytes(render.content or b""), "application/pdf")

    @extend_schema(
        summary="The report as a Word document, to work on outside the service",
        responses={(200, DOCX_TYPE): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, FileRenderer])
    def word(self, request: Request, pk: str) -> HttpResponse:
        report = self.get_object()
        return download(filename(report, "docx"), docx_export.export(report), DOCX_TYPE)


@own_writes(
    sr.CommentSerializer,
    create=Write(
        "Comment on a paragraph at the factual-accuracy check (RP-3)",
        sr.CommentSubmitInput,
        if_match=False,
    ),
    partial_update=Write(
        "Change your comment, until the team responds to it", sr.CommentChangeInput
    ),
)
class CommentViewSet(mixins.CreateModelMixin, Patchable):
    """Factual-accuracy comments, as `FactualAccuracyComment.objects.visible_to` allows. Its
    author changes or withdraws a comment until the team responds."""

    serializer_class = sr.CommentSerializer
    patch_input = sr.CommentChangeInput
    http_method_names = ["get", "post", "patch", "head", "options"]
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
        data = valid_input(sr.CommentSubmitInput, request)
        reports = Report.objects.visible_to(request.user)
        report = chosen(reports, data.pop("report"), "report", "Select a report you can see")
        comment = services.comment_submit(actor=signed_in_user(request), report=report, **data)
        return self.answer(comment, sr.CommentSerializer, status.HTTP_201_CREATED)

    @record_action(
        summary="Answer a comment: accepted, partly or not, and why",
        input=sr.CommentRespondInput,
        output=sr.CommentSerializer,
    )
    def respond(self, act: Acting) -> FactualAccuracyComment:
        return services.comment_respond(**act.service_args("comment"))

    def patched(self, actor: User, record: Any, version: int, values: dict[str, Any]) -> Model:
        return services.comment_update(actor=actor, comment=record, version=version, **values)

    @record_action(
        summary="Withdraw your comment, until the team responds to it",
        output=sr.CommentSerializer,
    )
    def withdraw(self, act: Acting) -> FactualAccuracyComment:
        return services.comment_withdraw(**act.service_args("comment"))
