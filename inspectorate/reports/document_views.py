"""A report as a document: the page (with its PDF and Word panel), the PDF request and its
progress (an htmx partial; without JavaScript the page reloads itself), the PDF download
and the Word export. 404 for a report, or a render, the user may not see."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.lib.downloads import download
from inspectorate.reports import documents, docx_export, pdf
from inspectorate.reports.constants import RenderStatus, ReportStage
from inspectorate.reports.models import Report, ReportRender

ACTIVE = frozenset({RenderStatus.QUEUED, RenderStatus.RENDERING})
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _report(request: HttpRequest, pk: int) -> Report:
    reports = Report.objects.visible_to(request.user).select_related(
        "event__establishment", "event__follows_up"
    )
    return get_object_or_404(reports, pk=pk)


def _status_context(request: HttpRequest, report: Report) -> dict[str, Any]:
    latest = pdf.latest_render(report)
    return {
        "report": report,
        "render": latest,
        "active": latest is not None and latest.status in ACTIVE,
        "downloadable": latest is not None and pdf.downloadable(request.user, latest),
    }


def filename(report: Report, extension: str) -> str:
    event = report.event
    kind = report.kind.replace("_", "-")
    return f"{slugify(event.establishment.name)}-{kind}-{event.starts_on:%Y-%m}.{extension}"


@require_GET
def document_page(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    context = {
        **_status_context(request, report),
        "article": documents.report_article(report),
        "may_export": report.stage != ReportStage.PUBLISHED,
    }
    return render(request, "reports/documents/page.html", context)


@require_POST
def pdf_request(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    pdf.render_request(actor=signed_in_user(request), report=report)
    if getattr(request, "htmx", False):
        return render(
            request, "reports/documents/_render_status.html", _status_context(request, report)
        )
    messages.success(request, "The PDF is being made: this page shows its progress.")
    return redirect(reverse("reports:document", kwargs={"pk": report.pk}) + "#pdf")


@require_GET
def pdf_status(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return render(
        request, "reports/documents/_render_status.html", _status_context(request, report)
    )


@login_not_required
@require_GET
def pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    render_ = get_object_or_404(
        ReportRender.objects.select_related("report__event__establishment"), pk=pk
    )
    if not pdf.downloadable(request.user, render_) or render_.content is None:
        raise Http404("No such PDF.")
    response = HttpResponse(bytes(render_.content), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename(render_.report, "pdf")}"'
    return response


@require_GET
def docx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    return download(filename(report, "docx"), docx_export.export(report), DOCX_TYPE)
