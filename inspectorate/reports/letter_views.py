"""The letter templates a system administrator edits: the list, and one template's form with
a preview (example values) and the variables it may use. A save over someone else's newer
save is refused with the form kept (409)."""

from __future__ import annotations

from contextlib import suppress

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.lib.form_views import apply_errors, form_status
from inspectorate.lib.versions import StaleVersion
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
    form = LetterTemplateForm(request.POST or None, initial=initial)
    preview: tuple[str, str] | None = None
    stale = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if "preview" in request.POST:
                preview = letters.letter_preview(kind, data["subject"], data["body"])
            else:
                letters.letter_template_update(
                    actor=signed_in_user(request),
                    template=template,
                    subject=data["subject"],
                    body=data["body"],
                    version=data["version"],
                )
                messages.success(request, f"{template.get_kind_display()}: template saved.")
                return redirect("reports:letter-edit", kind=kind)
        except StaleVersion as error:
            stale = True
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_errors(form, error)
    if preview is None and request.method == "GET":
        with suppress(ValidationError):  # wording the sandbox refuses has no preview
            preview = letters.letter_preview(kind, template.subject, template.body)
    context = {
        "template": template,
        "form": form,
        "preview": preview,
        "variables": letters.variables(kind),
        "filters": sorted(letters.FILTERS),
        "stale": stale,
    }
    return render(request, "reports/letters/edit.html", context, status=form_status(form, stale))
