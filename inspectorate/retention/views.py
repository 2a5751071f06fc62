"""The retention pages: disposals awaiting the approving role's agreement (DP-1), and the
subject-access export for system administrators."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from inspectorate.accounts.models import User
from inspectorate.accounts.permissions import require
from inspectorate.lib.downloads import download
from inspectorate.lib.form_views import button_action
from inspectorate.retention import selectors, services
from inspectorate.retention.schedule import schedule
from inspectorate.retention.subject_access import ADMINISTRATORS_ONLY, subject_access_export


class SubjectForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages={
            "required": "Enter the username of the person",
            "max_length": "Username must be 150 characters or fewer",
            "null_characters_not_allowed": "Username must not contain a null character",
        },
    )


@require_http_methods(["GET", "POST"])
def approvals(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.has_perm("retention.view_disposals"):
        raise Http404
    if request.method == "POST":
        button_action(
            request,
            lambda: services.disposal_approve(
                actor=user,
                entry_id=request.POST.get("entry", ""),
                record_id=request.POST.get("record", ""),
            ),
            "Disposal approved: the next nightly run erases it.",
        )
        return redirect("retention:approvals")
    due = selectors.approvable_by(user, timezone.localdate())
    context = {
        "pending": [d for d in due if d.approval is None],
        "approved": [d for d in due if d.approval is not None],
        "schedule": schedule(),
    }
    return render(request, "retention/approvals.html", context)


@require_http_methods(["GET", "POST"])
def subject_access(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    require(user, "retention.export_subject_access", message=ADMINISTRATORS_ONLY)
    form = SubjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subject = User.objects.filter(username=form.cleaned_data["username"]).first()
        if subject is None:
            form.add_error("username", "Enter the username of an existing account")
        else:
            text = subject_access_export(actor=user, subject=subject, path=request.path)
            name = f"subject-access-{subject.pk}-{timezone.localdate():%Y-%m-%d}.json"
            return download(name, text, "application/json")
    status = 400 if form.errors else 200
    return render(request, "retention/subject_access.html", {"form": form}, status=status)
