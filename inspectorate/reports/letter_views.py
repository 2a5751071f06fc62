"""The letter templates a system administrator edits: the list, and one template's form with
a preview (example values) and the variables it may use. A save over someone else's newer
save is refused with the form kept (409)."""

from __future__ import annotations

from contextlib import suppress
from functools import partial
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.lib.form_views import saved_then_redirect, submit
from inspectorate.reports import letters
from inspectorate.reports.constants import LetterKind


class LetterTemplateForm(forms.Form):
    subject = forms.CharField(max_length=300, label="Subject")
    body = forms.CharField(
        widget=forms.Textarea, label="Letter", help_text="Use the variables listed below."
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


def _require_editor(request: HttpRequest) -> None:
    if not request.user.has_perm("reports.edit_letter_templates"):
        raise PermissionDenied("Only a system administrator edits letter templates.")


@require_GET
def letter_list(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    return render(request, "reports/letters/list.html", {"templates": letters.letter_templates()})


@require_http_methods(["GET", "POST"])
def letter_edit(request: HttpRequest, kind: str) -> HttpResponse:
    _require_editor(request)
    if kind not in LetterKind.values:
        raise Http404("No such letter.")
    template = letters.letter_template(kind)
    initial = {"subject": template.subject, "body": template.body, "version": template.version}
    previewing = "preview" in request.POST

    def preview_or_save(data: dict[str, Any]) -> tuple[str, str] | None:
        if previewing:
            return letters.letter_preview(kind, data["subject"], data["body"])
        letters.letter_template_update(
            actor=signed_in_user(request),
            template=template,
            subject=data["subject"],
            body=data["body"],
            version=data["version"],
        )
        return None

    outcome = submit(request, partial(LetterTemplateForm, initial=initial), preview_or_save)
    if outcome.saved and not previewing:
        message = f"{template.get_kind_display()}: template saved."
        return saved_then_redirect(request, message, "reports:letter-edit", kind=kind)
    preview = outcome.result
    if preview is None and request.method == "GET":
        with suppress(ValidationError):  # wording the sandbox refuses has no preview
            preview = letters.letter_preview(kind, template.subject, template.body)
    context = {
        "template": template,
        "form": outcome.form,
        "preview": preview,
        "variables": letters.variables(kind),
        "filters": sorted(letters.FILTERS),
        "stale": outcome.stale is not None,
    }
    return render(request, "reports/letters/edit.html", context, status=outcome.status)
