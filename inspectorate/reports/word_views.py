"""The factual-accuracy check in Word: upload the marked-up copy, review the comments found
on numbered paragraphs, confirm to send them (RP-3). Thin: word_comments reads the file
and saves what was confirmed; services refuse who may not comment."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.inspections.view_helpers import tab_context
from inspectorate.lib.form_views import form_status
from inspectorate.lib.wording import count_noun
from inspectorate.reports import word_comments
from inspectorate.reports.models import Report
from inspectorate.reports.workflow_views import commenting

TAB = "report"


class WordUploadForm(forms.Form):
    file = forms.FileField(
        label="Your marked-up copy of the draft (.docx)",
        error_messages={
            "required": "Select the Word file with your comments",
            "empty": "The selected Word file is empty",
        },
    )


def _upload_page(request: HttpRequest, report: Report, form: WordUploadForm) -> HttpResponse:
    context = tab_context(request, report.event, TAB, report=report, form=form)
    return render(request, "reports/workflow/word_upload.html", context, status=form_status(form))


def _content(upload: object) -> bytes:
    """The upload's bytes, reading no more than the limit allows."""
    if getattr(upload, "size", 0) > word_comments.MAX_UPLOAD_BYTES:
        raise word_comments.UploadRefused(
            "The selected Word file must be smaller than "
            f"{word_comments.MAX_UPLOAD_BYTES // 1024 // 1024} MB."
        )
    return upload.read(word_comments.MAX_UPLOAD_BYTES + 1)  # type: ignore[attr-defined]


@require_http_methods(["GET", "POST"])
def word_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """The upload form; on POST, the review of the comments found (nothing saved yet)."""
    report = commenting(request, pk)
    form = WordUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = word_comments.read_upload(_content(form.cleaned_data["file"]), report)
        except word_comments.UploadRefused as refusal:
            form.add_error("file", str(refusal))
        else:
            usable = [c for c in found if c.usable]
            context = tab_context(
                request,
                report.event,
                TAB,
                report=report,
                found=found,
                usable=usable,
                review=word_comments.sign(found, report=report, actor=signed_in_user(request)),
            )
            return render(request, "reports/workflow/word_review.html", context)
    return _upload_page(request, report, form)


@require_POST
def word_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the reviewed comments: each becomes a factual-accuracy comment on its paragraph."""
    report = commenting(request, pk)
    try:
        comments = word_comments.unsign(
            request.POST.get("review", ""), report=report, actor=signed_in_user(request)
        )
        made = word_comments.word_comments_save(
            actor=signed_in_user(request), report=report, comments=comments
        )
    except ValidationError as error:
        # The upload form again, with the refusal above it (an unbound form has no
        # cleaned data for add_error to prune until given some).
        form = WordUploadForm()
        form.cleaned_data = {}
        form.add_error(None, error.messages)
        return _upload_page(request, report, form)
    messages.success(
        request,
        f"{count_noun(len(made), 'comment', words=True).capitalize()} from your Word copy "
        f"{'has' if len(made) == 1 else 'have'} gone to the inspection team.",
    )
    return redirect("reports:detail", pk=report.pk)
