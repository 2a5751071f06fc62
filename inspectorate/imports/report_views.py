"""The screens of the importer of published reports (HI-2): upload, review, confirm.

Upload reads the file and shows what importing it would do, item by item, writing no
record; the file waits in the cache (an hour, for this user) until the user confirms. Confirm
plans again from the same bytes (the register may have moved on) and commits, all or nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.imports.models import SourceDocument
from inspectorate.imports.published.commit import ImportRefused
from inspectorate.imports.published.plan import ImportPlan
from inspectorate.imports.published.services import (
    ACCEPTED,
    MAX_REPORT_BYTES,
    NotImportable,
    report_import,
    report_review,
)

STASH_SECONDS = 60 * 60
ACCEPT = ".pdf,.docx,.txt,application/pdf,text/plain"


class ReportUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a published report",
        help_text="A full inspection or IRP report of HMI Prisons: PDF, Word (.docx) or plain "
        f"text, up to {MAX_REPORT_BYTES // (1024 * 1024)} MB.",
        error_messages={
            "required": "Select a report file",
            "empty": "The selected file is empty",
        },
    )


class ConfirmForm(forms.Form):
    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$")


def _require(request: HttpRequest) -> None:
    if not request.user.has_perm("imports.import_report"):
        raise PermissionDenied(
            "Only the programme coordinator and system administrators can import reports."
        )


def _stash_key(request: HttpRequest, sha256: str) -> str:
    return f"published-report:{request.user.pk}:{sha256}"


def _page(
    request: HttpRequest, form: ReportUploadForm, status: int = 200, problem: str = ""
) -> HttpResponse:
    documents = SourceDocument.objects.select_related("establishment", "event", "imported_by")[:50]
    context = {
        "title": "Import published reports",
        "form": form,
        "documents": documents,
        "accepted": ACCEPTED,
        "accept": ACCEPT,
        "shown": request.GET.get("document", ""),
        "problem": problem,
    }
    return render(request, "imports/reports.html", context, status=status)


def _review(request: HttpRequest, plan: ImportPlan, status: int = 200) -> HttpResponse:
    context = {"title": f"Review the import of {plan.filename}", "plan": plan}
    return render(request, "imports/report_review.html", context, status=status)


def report_upload(request: HttpRequest) -> HttpResponse:
    """GET: the upload form and the reports imported so far. POST: the review."""
    _require(request)
    form = ReportUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, form, 400 if request.method == "POST" else 200)
    upload = form.cleaned_data["file"]
    data = upload.read(MAX_REPORT_BYTES + 1)
    try:
        plan = report_review(actor=signed_in_user(request), data=data, filename=upload.name)
    except NotImportable as problem:
        form.add_error("file", str(problem))
        return _page(request, form, 400)
    cache.set(_stash_key(request, plan.sha256), (upload.name, data), STASH_SECONDS)
    return _review(request, plan)


@require_POST
def report_confirm(request: HttpRequest) -> HttpResponse:
    """Import the reviewed file: all or nothing."""
    _require(request)
    form = ConfirmForm(request.POST)
    stashed: Any = (
        cache.get(_stash_key(request, form.data.get("sha256", ""))) if form.is_valid() else None
    )
    if stashed is None:
        # Confirmed twice (a second tab, back and submit again): the first did the import.
        done = SourceDocument.objects.filter(sha256=form.data.get("sha256", "")).first()
        if form.is_valid() and done is not None:
            messages.info(request, f"{done.filename} was imported already: nothing changed.")
            return redirect(f"{reverse('imports:reports')}?document={done.pk}")
        problem = "The reviewed file is no longer waiting to be imported: upload it again"
        return _page(request, ReportUploadForm(), 400, problem)
    filename, data = stashed
    try:
        plan, result = report_import(actor=signed_in_user(request), data=data, filename=filename)
    except ImportRefused:
        plan = report_review(actor=signed_in_user(request), data=data, filename=filename)
        return _review(request, plan, 400)
    cache.delete(_stash_key(request, plan.sha256))
    messages.success(request, f"Report imported: {result.summary}.")
    return redirect(f"{reverse('imports:reports')}?document={result.document.pk}")
