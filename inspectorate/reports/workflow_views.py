"""The report screens: an event's reports, one report with its next steps, the forms of each
step and the factual-accuracy comments. Thin: selectors read, services write and refuse.
404 for a report the user may not see; 403 for a step they may not take on one they see."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inspectorate.accounts.reauth import reauthentication_required
from inspectorate.accounts.roles import Duty
from inspectorate.accounts.signed_in import by_signed_in_user, signed_in_user
from inspectorate.inspections.view_helpers import tab_context
from inspectorate.lib.form_views import at_version, saved_then_redirect, submit
from inspectorate.lib.listing import paging
from inspectorate.lib.versions import StaleVersion
from inspectorate.programme.notifications import users_with_duty
from inspectorate.programme.selectors import event_for
from inspectorate.reports import selectors, services
from inspectorate.reports.forms import (
    CommentChangeForm,
    CommentForm,
    CreateForm,
    FactualAccuracyForm,
    ReportFilterForm,
    ReportForm,
    RespondForm,
    ReturnForm,
    VersionForm,
)
from inspectorate.reports.models import Report

TAB = "report"


def report_allowed(request: HttpRequest, pk: int, permission: str, refusal: str) -> Report:
    """The report (404 if the user may not see it), if they hold `permission` on it; else 403."""
    report = selectors.report_for(request.user, pk)
    if not request.user.has_perm(permission, report):
        raise PermissionDenied(refusal)
    return report


def commenting(request: HttpRequest, pk: int) -> Report:
    """The report, if the user may comment on it now (RP-3): the comment form and the Word
    upload both ask."""
    return report_allowed(request, pk, "reports.comment", "You may not comment on this report now.")


def _report_context(request: HttpRequest, report: Report, **values: Any) -> dict[str, Any]:
    return tab_context(request, report.event, TAB, report=report, **values)


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm(request.GET, user=request.user)
    filters = selectors.ReportFilters(**form.values())
    page = selectors.report_page(request.user, filters, request.GET.get("page"))
    context = {
        **paging(page),
        "reports": page.object_list,
        "form": form,
    }
    return render(request, "reports/workflow/list.html", context)


@require_GET
def event_reports(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = event_for(request.user, event_pk)
    reports = selectors.reports_of_event(request.user, event)
    may_start = request.user.has_perm("reports.create", event)
    if not reports and not may_start:
        raise PermissionDenied("You may not see this event's reports.")
    made = {report.kind for report in reports}
    missing = [kind for kind in services.kinds_for(event) if kind not in made] if may_start else []
    context = tab_context(request, event, TAB, reports=reports, missing=missing)
    return render(request, "reports/workflow/event_reports.html", context)


@require_POST
def report_create(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = event_for(request.user, event_pk)
    form = CreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose which report to start.")
        return redirect("reports:event-reports", event_pk=event.pk)
    try:
        report = services.report_create(
            actor=signed_in_user(request), event=event, kind=form.cleaned_data["kind"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:event-reports", event_pk=event.pk)
    messages.success(request, "Draft report started.")
    return redirect("reports:edit", pk=report.pk)


def _detail(
    request: HttpRequest, report: Report, *, problem: list[str] | None = None, status: int = 200
) -> HttpResponse:
    actions = services.report_actions(request.user, report)
    context = _report_context(
        request,
        report,
        actions=actions,
        comments=selectors.comments_for(request.user, report),
        checklist=(
            []
            if getattr(request.user, "is_establishment_user", True)
            else selectors.report_checklist(report)
        ),
        changeable={
            comment.pk
            for comment in selectors.comments_for(request.user, report)
            if request.user.has_perm("reports.change_comment", comment)
        },
        milestones=selectors.report_milestones(report),
        document_url=selectors.url_or_blank("reports:document", pk=report.pk),
        problem=problem or [],
        step_form=VersionForm(initial={"version": report.version}),
    )
    return render(request, "reports/workflow/detail.html", context, status=status)


@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.report_for(request.user, pk))


@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_allowed(request, pk, "reports.edit", "You may not edit this report now.")
    return _form_page(
        request,
        report,
        at_version(ReportForm, report, "summary", "planned_publication_on"),
        by_signed_in_user(request, services.report_update, report=report),
        template="reports/workflow/edit.html",
        done="Report saved.",
    )


# Each step writes with `service(actor=, report=, version=)`, then says what was done.
STEPS: dict[str, tuple[Callable[..., Report], str]] = {
    "submit": (services.report_submit_for_qa, "Report submitted for quality assurance."),
    "qa-approve": (services.report_qa_approve, "Report approved."),
    "finalise": (
        services.report_finalise,
        "The factual-accuracy check is closed: the report is final.",
    ),
    "publish": (services.report_publish, "Report published."),
}


def _step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    report = selectors.report_for(request.user, pk)
    form = VersionForm(request.POST)
    write, done = STEPS[name]
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        write(actor=request.user, report=report, version=version)
    except StaleVersion as error:
        report.refresh_from_db()
        return _detail(request, report, problem=[str(error)], status=409)
    except ValidationError as error:
        return _detail(request, report, problem=error.messages, status=400)
    messages.success(request, done)
    return redirect("reports:detail", pk=pk)


@require_http_methods(["GET", "POST"])
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what submitting does, before it is done; POST: submit for quality assurance."""
    if request.method == "GET":
        report = selectors.report_for(request.user, pk)
        if not request.user.has_perm("reports.submit", report):
            return redirect("reports:detail", pk=pk)
        context = _report_context(
            request,
            report,
            step_form=VersionForm(initial={"version": report.version}),
            reviewers=users_with_duty(Duty.ASSURES_QUALITY),
            document_url=selectors.url_or_blank("reports:document", pk=report.pk),
        )
        return render(request, "reports/workflow/submit_confirm.html", context)
    return _step(request, pk, "submit")


@require_POST
def report_qa_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "qa-approve")


@require_POST
def report_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "finalise")


@require_POST
@reauthentication_required
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "publish")


def _form_page(
    request: HttpRequest,
    report: Report,
    make_form: Callable[[Any], Form],
    save: Callable[[dict[str, Any]], Any],
    *,
    template: str,
    done: str,
    **values: Any,
) -> HttpResponse:
    """A step's form: saved, back to the report; else the page again, `stale` when someone
    else saved first."""
    outcome = submit(request, make_form, save)
    if outcome.saved:
        return saved_then_redirect(request, done, "reports:detail", pk=report.pk)
    stale = outcome.stale is not None
    context = _report_context(request, report, form=outcome.form, stale=stale, **values)
    return render(request, template, context, status=outcome.status)


@require_http_methods(["GET", "POST"])
def report_qa_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_allowed(
        request,
        pk,
        "reports.return_draft",
        "Only quality assurance sends a report back, while reviewing it.",
    )
    return _form_page(
        request,
        report,
        at_version(ReturnForm, report),
        by_signed_in_user(request, services.report_qa_return, report=report),
        template="reports/workflow/qa_return.html",
        done="Report sent back to its authors.",
    )


@require_http_methods(["GET", "POST"])
def report_factual_accuracy(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_allowed(
        request,
        pk,
        "reports.start_factual_accuracy",
        "You may not start the factual-accuracy check now.",
    )
    suggested = selectors.rp3_due_on(report)
    return _form_page(
        request,
        report,
        partial(FactualAccuracyForm, initial={"version": report.version, "due_on": suggested}),
        by_signed_in_user(request, services.report_factual_accuracy_start, report=report),
        template="reports/workflow/factual_accuracy.html",
        done="The draft has gone for its factual-accuracy check.",
        suggested=suggested,
    )


@require_http_methods(["GET", "POST"])
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = commenting(request, pk)
    return _form_page(
        request,
        report,
        partial(CommentForm, paragraphs=services.paragraphs_of(report)),
        by_signed_in_user(request, services.comment_submit, report=report),
        template="reports/workflow/comment_add.html",
        done="Your comment has gone to the inspection team.",
        document_url=selectors.url_or_blank("reports:document", pk=report.pk),
    )


# Each page about one comment: its form (opened at the comment's saved version with these
# fields as saved), the service that writes it, and what is said once it has. Its template is
# reports/workflow/comment_<page>.html.
COMMENT_PAGES: dict[str, tuple[Callable[..., Form], tuple[str, ...], Callable[..., Any], str]] = {
    "respond": (
        RespondForm,
        ("outcome", "response"),
        services.comment_respond,
        "Response to the comment on paragraph {paragraph} recorded.",
    ),
    "change": (
        CommentChangeForm,
        ("text", "proposed_text"),
        services.comment_update,
        "Your comment on paragraph {paragraph} has been changed.",
    ),
    "withdraw": (
        VersionForm,
        (),
        services.comment_withdraw,
        "Your comment on paragraph {paragraph} has been withdrawn.",
    ),
}


def _comment_page(request: HttpRequest, comment: Any, report: Report, page: str) -> HttpResponse:
    form_class, fields, service, done = COMMENT_PAGES[page]
    return _form_page(
        request,
        report,
        at_version(form_class, comment, *fields),
        by_signed_in_user(request, service, comment=comment),
        template=f"reports/workflow/comment_{page}.html",
        done=done.format(paragraph=comment.paragraph),
        comment=comment,
    )


@require_http_methods(["GET", "POST"])
def comment_respond(request: HttpRequest, pk: int) -> HttpResponse:
    comment = selectors.comment_for(request.user, pk)
    report = report_allowed(
        request,
        comment.report_id,
        "reports.respond_to_comments",
        "Only the event's leads answer comments, during the check.",
    )
    return _comment_page(request, comment, report, "respond")


def _own_comment(request: HttpRequest, pk: int) -> tuple[Any, Report]:
    comment = selectors.comment_for(request.user, pk)
    if not request.user.has_perm("reports.change_comment", comment):
        raise PermissionDenied(
            "Only the person who sent a comment changes or withdraws it, until the team responds."
        )
    return comment, comment.report


@require_http_methods(["GET", "POST"])
def comment_change(request: HttpRequest, pk: int) -> HttpResponse:
    return _comment_page(request, *_own_comment(request, pk), "change")


@require_http_methods(["GET", "POST"])
def comment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _comment_page(request, *_own_comment(request, pk), "withdraw")
