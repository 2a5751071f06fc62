"""Programme screens: thin, the selectors read and the services write.

An event a user may not see answers 404, exactly like one that does not exist, before any
permission check: a 403 would tell them it exists (PG-3).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inspectorate.accounts.permissions import require, requires
from inspectorate.accounts.reauth import reauthentication_required
from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.estate.models import Establishment
from inspectorate.lib.downloads import download
from inspectorate.lib.form_views import button_action, form_page, saved_then_redirect
from inspectorate.lib.listing import page_of, paging
from inspectorate.lib.wording import count_noun
from inspectorate.programme import consultation, history, notifications, selectors, services
from inspectorate.programme.constants import EventKind, EventStatus, MilestoneStatus
from inspectorate.programme.forms import (
    EventAnnounceForm,
    EventCancelForm,
    EventFilterForm,
    EventMoveForm,
    EventScheduleForm,
    HistoricalEventForm,
    ProgrammeConfirmForm,
    ProgrammeCreateForm,
    ProgrammeEventFilterForm,
    VersionForm,
)
from inspectorate.programme.milestones.deadlines import milestone_panel_context
from inspectorate.programme.models import Event, Notification, Programme
from inspectorate.programme.pages import event_page, programme_page
from inspectorate.programme.teams.selectors import team_panel_context

CANNOT_SEE = "You cannot see the programme."


# Programmes -----------------------------------------------------------------------------


@require_GET
@requires("programme.view_programme", CANNOT_SEE)
def programme_list(request: HttpRequest) -> HttpResponse:
    context = {
        "rows": selectors.programme_rows(request.user),
        "can_create": request.user.has_perm("programme.change_programme"),
        "can_record_history": request.user.has_perm("programme.record_history"),
    }
    return render(request, "programme/programme_list.html", context)


@require_GET
@requires("programme.view_programme", CANNOT_SEE)
def programme_current(request: HttpRequest) -> HttpResponse:
    """The calendar of the programme running today (the navigation's entry point)."""
    programme = selectors.current_programme()
    if programme is None:
        return redirect("programme:list")
    return redirect("programme:calendar", year=programme.year)


@require_http_methods(["GET", "POST"])
@requires(
    "programme.change_programme",
    "Only HMI Prisons programme staff and system administrators draft programmes.",
)
def programme_create(request: HttpRequest) -> HttpResponse:
    return form_page(
        request,
        lambda data: ProgrammeCreateForm(
            data, initial={"year": selectors.next_programme_year(selectors.today())}
        ),
        lambda data: services.programme_create(actor=signed_in_user(request), year=data["year"]),
        done=lambda programme: saved_then_redirect(
            request, f"Programme {programme.label} drafted", "programme:detail", year=programme.year
        ),
        template="programme/programme_create.html",
    )


@require_GET
@requires("programme.view_programme", CANNOT_SEE)
def programme_detail(request: HttpRequest, year: int) -> HttpResponse:
    programme = selectors.programme_for(year)
    overview = selectors.programme_overview(request.user, programme)
    form = ProgrammeEventFilterForm(request.GET, user=request.user)
    matching = selectors.programme_events_matching(overview.events, form.values())
    page = page_of(matching, request.GET.get("page"))
    selectors.confidential_reads_record(
        user=request.user, events=page.object_list, path=request.path
    )
    user = request.user
    context = {
        "programme": programme,
        "overview": overview,
        **paging(page),
        "form": form,
        "events": page.object_list,
        "today": timezone.localdate(),
        "can_change": user.has_perm("programme.change_programme"),
        "can_schedule": user.has_perm("programme.open_schedule_form"),
        "can_export": user.has_perm("programme.export_events"),
        "can_plan": user.has_perm("planner.use_planner"),
        "version_form": VersionForm(initial={"version": programme.version}),
        "consultation": consultation.consultation_summary(user, programme),
        "can_respond": user.has_perm("programme.respond_to_consultation"),
        # SC-7, SC-8, SC-9: re-inspections the improvement cases make due in this year
        # (the improvement app registers them).
        **programme_page.context(programme, user),
    }
    return render(request, "programme/programme_detail.html", context)


def _programme_to_change(request: HttpRequest, year: int, doing: str) -> Programme:
    """The programme of `year`, if the user is of the programme staff, who alone `doing`."""
    require(
        request.user,
        "programme.change_programme",
        message=f"Only HMI Prisons programme staff {doing}.",
    )
    return selectors.programme_for(year)


@require_http_methods(["GET", "POST"])
def programme_open_consultation(request: HttpRequest, year: int) -> HttpResponse:
    """GET: what opening consultation will do (who is sent the draft); POST: do it."""
    programme = _programme_to_change(request, year, "open a programme to consultation")
    if request.method == "GET":
        context = {
            "programme": programme,
            "version_form": VersionForm(initial={"version": programme.version}),
            "draft_summary": services.draft_summary(programme),
            "partners": consultation.partner_recipients(),
        }
        return render(request, "programme/consultation_open.html", context)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The programme could not be opened to consultation: try again")
        return redirect("programme:detail", year=year)
    button_action(
        request,
        lambda: services.programme_open_consultation(
            actor=signed_in_user(request), programme=programme, version=form.cleaned_data["version"]
        ),
        f"Programme {programme.label} opened to consultation: Ofsted's schedulers were "
        "sent the draft",
    )
    return redirect("programme:detail", year=year)


@require_http_methods(["GET", "POST"])
def programme_confirm(request: HttpRequest, year: int) -> HttpResponse:
    programme = _programme_to_change(request, year, "confirm a programme")
    return form_page(
        request,
        lambda data: ProgrammeConfirmForm(data, initial={"version": programme.version}),
        lambda data: services.programme_confirm(
            actor=signed_in_user(request), programme=programme, **data
        ),
        done=lambda _: saved_then_redirect(
            request,
            f"Programme {programme.label} confirmed: Ofsted's schedulers were told",
            "programme:detail",
            year=year,
        ),
        template="programme/programme_confirm.html",
        context={
            "programme": programme,
            "consultation": consultation.consultation_summary(request.user, programme),
            "warnings": services.confirmation_warnings(programme, timezone.localdate()),
        },
    )


def _filtered(
    request: HttpRequest, year: int
) -> tuple[Programme, EventFilterForm, selectors.EventFilters]:
    """The programme of `year`, the calendar's filter form and the filters it asks for
    (none without a query)."""
    programme = selectors.programme_for(year)
    form = EventFilterForm(
        request.GET or None, inspectors=selectors.inspector_choices(request.user)
    )
    filters = form.filters() if request.GET else selectors.EventFilters()
    return programme, form, filters


@require_GET
@requires("programme.view_programme", CANNOT_SEE)
def programme_calendar(request: HttpRequest, year: int) -> HttpResponse:
    programme, form, filters = _filtered(request, year)
    months, events = selectors.programme_calendar(request.user, programme, filters)
    selectors.confidential_reads_record(user=request.user, events=events, path=request.path)
    context = {
        "programme": programme,
        "months": months,
        "events": events,
        "form": form,
        "filters": filters,
        "query": form.query() if request.GET else "",
        "can_export": request.user.has_perm("programme.export_events"),
        "today": timezone.localdate(),
    }
    return render(request, "programme/programme_calendar.html", context)


def _programme_download(request: HttpRequest, year: int, extension: str) -> HttpResponse:
    """The programme's events, as the calendar's filters choose them, as a file."""
    programme, _, filters = _filtered(request, year)
    export, content_type = selectors.EVENT_EXPORTS[extension]
    data = export(request.user, programme, filters, path=request.path)
    return download(selectors.events_download_name(programme, extension), data, content_type)


@require_GET
@reauthentication_required
@requires("programme.export_events", "You cannot download the programme.")
def programme_export(request: HttpRequest, year: int) -> HttpResponse:
    return _programme_download(request, year, "csv")


@require_GET
@reauthentication_required
@requires("programme.export_events", "You cannot download the programme.")
def programme_export_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    return _programme_download(request, year, "xlsx")


# Events ---------------------------------------------------------------------------------


def _scheduled(request: HttpRequest, event: Event, year: int) -> HttpResponse:
    """Say the event was added (and how many of its deadlines had already passed), then show
    it, or the programme when the user may not see it."""
    messages.success(request, f"{event} added to the programme{_passed_deadlines(event)}")
    if Event.objects.visible_to(request.user).filter(pk=event.pk).exists():
        return redirect("programme:event-detail", pk=event.pk)
    return redirect("programme:detail", year=year)


def _passed_deadlines(event: Event) -> str:
    """'. 2 deadlines had already passed: record why under Milestones' when the event's
    dates left deadlines nobody could meet and nobody has yet said why; else nothing."""
    impossible = event.milestones.filter(
        status=MilestoneStatus.IMPOSSIBLE, impossible_reason=""
    ).count()
    if not impossible:
        return ""
    return f". {count_noun(impossible, 'deadline')} had already passed: record why under Milestones"


@require_http_methods(["GET", "POST"])
@requires(
    "programme.open_schedule_form",
    "Only HMI Prisons programme staff, and Ofsted's schedulers for Ofsted's own "
    "inspections, add events.",
)
def event_schedule(request: HttpRequest, year: int) -> HttpResponse:
    programme = selectors.programme_for(year)
    follow_ups = selectors.follow_up_choices(request.user, programme)
    by_pk = {str(e.pk): e for e in follow_ups}
    return form_page(
        request,
        lambda data: EventScheduleForm(data, user=request.user, follow_ups=follow_ups),
        lambda data: services.event_schedule(
            actor=signed_in_user(request),
            programme=programme,
            kind=data["kind"],
            establishment=Establishment.objects.filter(code=data["establishment"]).first(),
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
            education_week_starts_on=data.get("education_week_starts_on"),
            education_week_reason=data.get("education_week_reason") or "",
            follows_up=by_pk.get(data.get("follows_up") or ""),
            previous_education_judgement=data.get("previous_education_judgement") or None,
            notes=data.get("notes") or "",
            override_reason=data.get("override_reason") or "",
        ),
        done=lambda event: _scheduled(request, event, year),
        template="programme/event_schedule.html",
        context={"programme": programme},
    )


@require_http_methods(["GET", "POST"])
@requires(
    "programme.record_history",
    "Only the HMI Prisons programme coordinator or a system administrator records history.",
)
def history_record(request: HttpRequest) -> HttpResponse:
    """Record an event that happened before it was recorded here (HI-1)."""
    follow_ups = selectors.history_follow_up_choices(request.user)
    by_pk = {str(e.pk): e for e in follow_ups}
    return form_page(
        request,
        lambda data: HistoricalEventForm(data, follow_ups=follow_ups),
        lambda data: history.record_historical_event(
            actor=signed_in_user(request),
            establishment=Establishment.objects.filter(code=data["establishment"]).first(),
            kind=data["kind"],
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
            follows_up=by_pk.get(data.get("follows_up") or ""),
            source=data["source"],
            education_inspectorate=HistoricalEventForm.education(data),
            notes=data.get("notes") or "",
        ),
        done=lambda event: saved_then_redirect(
            request, f"Recorded as history: {event}", "programme:event-detail", pk=event.pk
        ),
        template="programme/history_record.html",
    )


def _irp_announce_by(event: Event) -> date | None:
    """The latest day an IRP may be announced (None for other kinds of event)."""
    if event.kind != EventKind.IRP:
        return None
    return services.irp_latest_announcement(event.starts_on, event.establishment.nation)


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for(request.user, pk)
    user = request.user
    confidential = event.is_confidential()
    selectors.confidential_reads_record(user=user, events=[event], path=request.path)
    context: dict[str, Any] = {
        "event": event,
        "programme": event.programme,
        "event_confidential": confidential,
        "event_follow_ups": selectors.event_follow_ups(user, event),
        "event_amendments": selectors.event_amendments(user, event),
        # Each offer asks the permission its service requires (rules.py).
        "event_can_move": user.has_perm("programme.move_event", event),
        "event_can_cancel": user.has_perm("programme.cancel_event", event),
        "event_can_announce": user.has_perm("programme.announce_event", event),
        "event_irp_announce_by": _irp_announce_by(event),
        "event_default_education_week": services.default_education_week(event.starts_on),
        "event_on_site_from": services.on_site_from(
            event.kind, event.starts_on, event.establishment
        ),
        "today": timezone.localdate(),
    }
    # The team and milestones panels bring their own context (team_selectors, milestones).
    context.update(team_panel_context(event, user))
    context.update(milestone_panel_context(event, user))
    # The inspection record's tabs (the inspections app registers them).
    context.update(event_page.context(event, user))
    return render(request, "programme/event_detail.html", context)


def _changeable_event(request: HttpRequest, pk: int, what: str) -> Event:
    """The event, if the user may `what` ("move", "cancel", "announce") it: the permission
    its service requires, which is also what the event page offers."""
    event = selectors.event_for(request.user, pk)  # 404 first: nothing about it leaks
    if event.status == EventStatus.CANCELLED:
        raise PermissionDenied("This event is cancelled: it cannot be changed.")
    require(request.user, f"programme.{what}_event", event, f"You cannot {what} this event.")
    return event


def _event_form(
    request: HttpRequest,
    event: Event,
    what: str,
    *,
    initial: dict[str, Any] | None = None,
    **context: Any,
) -> HttpResponse:
    """The page that does `what` to an event (programme/event_<what>.html): its service
    (EVENT_CHANGES) is given the actor, the event and the form's values; what was done is
    then said on the event's page."""
    form_class, change, done = EVENT_CHANGES[what]
    return form_page(
        request,
        lambda data: form_class(data, initial={"version": event.version, **(initial or {})}),
        lambda data: change(actor=signed_in_user(request), event=event, **data),
        done=lambda _: saved_then_redirect(
            request, done(event), "programme:event-detail", pk=event.pk
        ),
        template=f"programme/event_{what}.html",
        context={"event": event, **context},
    )


def _move(*, education_week_reason: str, **values: Any) -> Event:
    """services.event_move, with no reason for another education week when none is given."""
    return services.event_move(education_week_reason=education_week_reason or None, **values)


# What each change to an event asks for, which service makes it, and what is then said
# (a move, with any deadline it took into the past).
EVENT_CHANGES: dict[
    str, tuple[type[VersionForm], Callable[..., object], Callable[[Event], str]]
] = {
    "move": (EventMoveForm, _move, lambda event: f"Event moved{_passed_deadlines(event)}"),
    "cancel": (EventCancelForm, services.event_cancel, lambda _: "Event cancelled"),
    "announce": (EventAnnounceForm, services.event_announce, lambda _: "Event announced"),
}


@require_http_methods(["GET", "POST"])
def event_move(request: HttpRequest, pk: int) -> HttpResponse:
    event = _changeable_event(request, pk, "move")
    # Only the start is filled in: the end and the education week, left empty, follow it
    # (the form's hints), so changing the start alone moves the whole event.
    return _event_form(request, event, "move", initial={"starts_on": event.starts_on})


@require_http_methods(["GET", "POST"])
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _changeable_event(request, pk, "cancel")
    return _event_form(request, event, "cancel")


@require_http_methods(["GET", "POST"])
def event_announce(request: HttpRequest, pk: int) -> HttpResponse:
    event = _changeable_event(request, pk, "announce")
    return _event_form(request, event, "announce", announce_by=_irp_announce_by(event))


# Notifications --------------------------------------------------------------------------


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    items = selectors.notifications_for(request.user)
    context = {"notifications": items, "unread": sum(1 for n in items if n.read_at is None)}
    return render(request, "programme/notifications.html", context)


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's notification is answered like a missing one.
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    notifications.notification_mark_read(actor=signed_in_user(request), notification=notification)
    if notification.url and request.POST.get("open"):
        return redirect(notification.url)
    return redirect("programme:notifications")


@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications.notifications_mark_all_read(actor=signed_in_user(request))
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read")
    return redirect("programme:notifications")
