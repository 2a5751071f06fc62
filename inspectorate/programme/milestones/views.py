"""Milestone screens: the per-user deadline dashboard, marking a milestone met, and
overriding a "normally" milestone with a reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inspectorate.accounts.permissions import require
from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.inspectors.forms import GovukDateField
from inspectorate.lib.form_views import (
    button_action,
    posted_version,
    saved_then_redirect,
    stale_as_refusal,
    submit,
)
from inspectorate.programme.milestones import services as milestone_services
from inspectorate.programme.milestones.deadlines import (
    LOOK_AHEAD_WEEKS,
    MilestoneRow,
    dashboard_context,
    event_url,
    rule_for,
)
from inspectorate.programme.models import Event, Milestone, today
from inspectorate.programme.pages import deadlines_page

# The milestones marked met in this session, which their marker may undo without a reason.
UNDO_KEY = "milestone_undo"
UNDO_KEEP = 20


class OverrideForm(forms.Form):
    reason_label = "Why is this deadline being set aside?"
    reason = forms.CharField(
        label=reason_label,
        help_text="This is recorded with your name and shown with the milestone.",
        widget=forms.Textarea,
        required=False,  # the service says what is missing, naming the field
        max_length=2000,
        error_messages={
            "max_length": "The reason must be 2000 characters or fewer",
            "null_characters_not_allowed": "The reason must not contain a null character",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = self.reason_label


def _milestone(request: HttpRequest, pk: int) -> Milestone:
    """The milestone, if its event is one the user may see (PG-3): otherwise 404, so that
    nothing says a confidential event exists."""
    visible = Event.objects.visible_to(request.user)
    return get_object_or_404(
        Milestone.objects.select_related("event__establishment", "met_by").filter(
            event__in=visible
        ),
        pk=pk,
    )


def _back(request: HttpRequest, milestone: Milestone, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return event_url(milestone.event) or reverse("programme:milestone-dashboard")


DEADLINE_LISTS = ("deadline_overdue", "deadline_this_week", "deadline_later")


def _filter_choices(context: dict[str, Any]) -> tuple[list[tuple[str, str]], list[str]]:
    """(events, rule IDs) among the deadlines shown, for the filters."""
    rows = [row for key in DEADLINE_LISTS for row in context[key]]
    events = {
        str(row.milestone.event_id): f"{row.milestone.event.get_kind_display()} of "
        f"{row.milestone.event.establishment.name}, from {row.milestone.event.starts_on:%-d %B %Y}"
        for row in rows
    }
    rule_ids = sorted({row.milestone.rule_id for row in rows if row.milestone.rule_id})
    return sorted(events.items(), key=lambda pair: pair[1]), rule_ids


def _apply_filter(context: dict[str, Any], event_id: str, rule_id: str) -> None:
    for key in DEADLINE_LISTS:
        context[key] = [
            row
            for row in context[key]
            if (not event_id or str(row.milestone.event_id) == event_id)
            and (not rule_id or row.milestone.rule_id == rule_id)
        ]


@require_GET
def milestone_dashboard(request: HttpRequest) -> HttpResponse:
    """What is due: overdue, this week (today and six days after), the four weeks after;
    filtered by event and by kind of deadline (its rule)."""
    if not request.user.has_perm("programme.view_deadlines"):
        raise PermissionDenied("Only inspectorate staff have deadlines here.")
    everyone = request.GET.get("show") == "all"
    context = dashboard_context(
        request.user, everyone=everyone, path=request.path, weeks_ahead=LOOK_AHEAD_WEEKS
    )
    events, rule_ids = _filter_choices(context)
    event_id = request.GET.get("event", "")
    rule_id = request.GET.get("rule", "")
    event_id = event_id if event_id in dict(events) else ""
    rule_id = rule_id if rule_id in rule_ids else ""
    _apply_filter(context, event_id, rule_id)
    context |= {
        "filter_events": events,
        "filter_rule_ids": rule_ids,
        "filter_event": event_id,
        "filter_rule": rule_id,
        "filtered": bool(event_id or rule_id),
    }
    by = context["deadline_later_ends_on"]
    # Deadlines kept outside the programme's events: letters of improvement visits (SC-4)
    # and responses to complaints (CP-1), registered by their apps.
    context |= deadlines_page.context(request.user, by)
    return render(request, "programme/milestone_dashboard.html", context)


def _allowed(request: HttpRequest, pk: int, permission: str, refused: str) -> Milestone:
    """The milestone (404 unless its event is one the user sees), if they hold `permission`
    on it; else PermissionDenied saying `refused`."""
    milestone = _milestone(request, pk)
    require(request.user, permission, milestone, refused)
    return milestone


@require_POST
def milestone_mark_met(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _allowed(
        request, pk, "programme.milestone_mark_met", "You cannot mark this milestone as met."
    )

    def mark_met() -> None:
        milestone_services.milestone_mark_met(
            actor=signed_in_user(request), milestone=milestone, version=posted_version(request)
        )
        undoable = request.session.get(UNDO_KEY, [])
        request.session[UNDO_KEY] = [*undoable[-(UNDO_KEEP - 1) :], milestone.pk]

    button_action(
        request,
        mark_met,
        f"Marked as met: {milestone.title} ({milestone.rule_id}). "
        "If that was a mistake, undo it beside the milestone.",
    )
    return redirect(_back(request, milestone, request.POST.get("next")))


def _milestone_page(
    request: HttpRequest,
    milestone: Milestone,
    *,
    form_class: type[forms.Form],
    save: Callable[[dict[str, Any]], str],
    template: str,
) -> HttpResponse:
    """A form about one milestone, shown with its row: once `save(data)` has recorded it,
    what it says is said and the user goes back where they came from. A stale version is
    refused on the form like any other refusal."""
    initial = {"version": milestone.version, "next": request.GET.get("next", "")}
    outcome = submit(
        request, lambda data: form_class(data, initial=initial), stale_as_refusal(save)
    )
    if outcome.saved:
        back = _back(request, milestone, outcome.form.cleaned_data.get("next"))
        return saved_then_redirect(request, cast(str, outcome.result), back)
    context: dict[str, Any] = {
        "form": outcome.form,
        "row": MilestoneRow(milestone=milestone, rule=rule_for(milestone.rule_code), today=today()),
        "milestone": milestone,
        "back_url": _back(request, milestone, request.GET.get("next") or request.POST.get("next")),
    }
    return render(request, template, context, status=outcome.status)


class RecordMetForm(forms.Form):
    met_on = GovukDateField(
        label="Date it was met",
        what="the date the deadline was met",
        help_text="The day it actually happened, not today (HI-1); not in the future.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    next = forms.CharField(widget=forms.HiddenInput, required=False)


@require_http_methods(["GET", "POST"])
def milestone_record_met(request: HttpRequest, pk: int) -> HttpResponse:
    """A historical event's milestone marked met on the day it was met (HI-1)."""
    milestone = _milestone(request, pk)
    if not milestone.event.historical:
        raise Http404("Only a historical event's milestones are recorded with the date met.")
    require(
        request.user,
        "programme.milestone_mark_met",
        milestone,
        "You cannot mark this milestone as met.",
    )

    def record_met(data: dict[str, Any]) -> str:
        milestone_services.milestone_mark_met(
            actor=signed_in_user(request),
            milestone=milestone,
            version=data["version"],
            met_on=data["met_on"],
        )
        return (
            f"Recorded as met on {data['met_on']:%-d %B %Y}: {milestone.title} "
            f"({milestone.rule_id})."
        )

    return _milestone_page(
        request,
        milestone,
        form_class=RecordMetForm,
        save=record_met,
        template="programme/milestone_record_met.html",
    )


class ReopenForm(OverrideForm):
    """The override form's fields, asking why the deadline is reopened."""

    reason_label = "Why is this deadline being reopened?"


@require_http_methods(["GET", "POST"])
def milestone_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a "met" marked in this session at once, or reopen one later with a reason."""
    milestone = _allowed(
        request, pk, "programme.milestone_mark_met", "You cannot reopen this milestone."
    )
    undo = request.POST.get("undo") == "1" and pk in request.session.get(UNDO_KEY, [])
    reopened = f"Reopened: {milestone.title} ({milestone.rule_id}) is due again."

    def reopen(data: dict[str, Any]) -> str:
        milestone_services.milestone_reopen(
            actor=signed_in_user(request),
            milestone=milestone,
            version=data["version"],
            reason=data["reason"],
            undo=undo,
        )
        request.session[UNDO_KEY] = [
            other for other in request.session.get(UNDO_KEY, []) if other != pk
        ]
        return reopened

    if undo:  # at once, from the milestone's row: a refusal is said, not shown on a form
        form = ReopenForm(request.POST)
        if form.is_valid():
            button_action(request, lambda: reopen(form.cleaned_data), reopened)
            return redirect(_back(request, milestone, form.cleaned_data.get("next")))
    return _milestone_page(
        request,
        milestone,
        form_class=ReopenForm,
        save=reopen,
        template="programme/milestone_reopen.html",
    )


class ExplainImpossibleForm(OverrideForm):
    """The override form's fields, asking why a deadline impossible when created passed."""

    reason_label = "Why could this deadline not be met?"


# Each page that asks for a reason about one milestone: what someone who may not is told, its
# form, the milestone service that records the reason (taking actor, milestone, reason and
# version), and the message after it, with {title} and {rule} filled in. Its permission is
# programme.milestone_<page>, its template programme/milestone_<page>.html.
REASON_PAGES: dict[str, tuple[str, type[OverrideForm], Callable[..., Any], str]] = {
    "override": (
        "You cannot override this milestone.",
        OverrideForm,
        milestone_services.milestone_override,
        "Let go, with your reason: {title} ({rule}). It is off the list of what is due.",
    ),
    "explain_impossible": (
        "You cannot record a reason for this milestone.",
        ExplainImpossibleForm,
        milestone_services.milestone_explain_impossible,
        "Reason recorded: {title} ({rule}). It is off the list of what is overdue.",
    ),
}


def _reason_page(request: HttpRequest, pk: int, page: str) -> HttpResponse:
    """A page that asks for a reason and records it on one milestone (REASON_PAGES)."""
    refused, form_class, record, done = REASON_PAGES[page]
    milestone = _allowed(request, pk, f"programme.milestone_{page}", refused)

    def record_reason(data: dict[str, Any]) -> str:
        record(
            actor=request.user,
            milestone=milestone,
            reason=data["reason"],
            version=data["version"],
        )
        return done.format(title=milestone.title, rule=milestone.rule_id)

    return _milestone_page(
        request,
        milestone,
        form_class=form_class,
        save=record_reason,
        template=f"programme/milestone_{page}.html",
    )


@require_http_methods(["GET", "POST"])
def milestone_override(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_page(request, pk, "override")


@require_http_methods(["GET", "POST"])
def milestone_explain_impossible(request: HttpRequest, pk: int) -> HttpResponse:
    """Record why a deadline already past when its event was added could not be met."""
    return _reason_page(request, pk, "explain_impossible")
