"""Programme screens: thin, the selectors read and the services write.

An event a user may not see answers 404, exactly like one that does not exist, before any
permission check: a 403 would tell them it exists (PG-3).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inspectorate.accounts.reauth import reauthentication_required
from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.estate.models import Establishment
from inspectorate.lib.csv_views import csv_download
from inspectorate.lib.form_views import apply_errors, form_status, restaled
from inspectorate.lib.listing import page_of, paging
from inspectorate.lib.versions import StaleVersion
from inspectorate.lib.wording import count_noun
from inspectorate.lib.xlsxio import XLSX_CONTENT_TYPE
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
from inspectorate.programme.models import Event, Notification
from inspectorate.programme.pages import event_page, programme_page
from inspectorate.programme.teams.selectors import team_panel_context


def _require(request: HttpRequest, permission: str, target: Any = None, reason: str = "") -> None:
    if not request.user.has_perm(permission, target):
        raise PermissionDenied(reason or "You cannot do this.")


def _add_warnings(form: Form, warning: services.OverrideRequired) -> None:
    """Each rule's warning on its field (or above the form), for the reason to be given."""
    for field, message in warning.warnings.items():
        form.add_error(field if field in form.fields else None, message)


# Programmes -----------------------------------------------------------------------------


@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    _require(request, "programme.view_programme", reason="You cannot see the programme.")
    context = {
        "rows": selectors.programme_rows(request.user),
        "can_create": request.user.has_perm("programme.change_programme"),
        "can_record_history": request.user.has_perm("programme.record_history"),
    }
    return render(request, "programme/programme_list.html", context)


@require_GET
def programme_current(request: HttpRequest) -> HttpResponse:
    """The calendar of the programme running today (the navigation's entry point)."""
    _require(request, "programme.view_programme", reason="You cannot see the programme.")
    programme = selectors.current_programme()
    if programme is None:
        return redirect("programme:list")
    return redirect("programme:calendar", year=programme.year)


@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    _require(
        request,
        "programme.change_programme",
        reason="Only HMI Prisons programme staff and system administrators draft programmes.",
    )
    form = ProgrammeCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                actor=signed_in_user(request), year=form.cleaned_data["year"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Programme {programme.label} drafted")
            return redirect("programme:detail", year=programme.year)
    return render(
        request, "programme/programme_create.html", {"form": form}, status=form_status(form)
    )


@require_GET
def programme_detail(request: HttpRequest, year: int) -> HttpResponse:
    _require(request, "programme.view_programme", reason="You cannot see the programme.")
    programme = selectors.programme_for(year)
    overview = selectors.programme_overview(request.user, programme)
    form = ProgrammeEventFilterForm(request.GET, user=request.user)
    matching = selectors.programme_events_matching(overview.events, form.values())
    page = page_of(matching, request.GET.get("page"))
    selectors.confidential_reads_record(
        user=request.user, events=page.object_list, path=request.path
    )
    user = request.user
    can_change = user.has_perm("programme.change_programme")
    context = {
        "programme": programme,
        "overview": overview,
        **paging(page),
        "form": form,
        "events": page.object_list,
        "today": timezone.localdate(),
        "can_change": can_change,
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


@require_http_methods(["GET", "POST"])
def programme_open_consultation(request: HttpRequest, year: int) -> HttpResponse:
    """GET: what opening consultation will do (who is sent the draft); POST: do it."""
    _require(
        request,
        "programme.change_programme",
        reason="Only HMI Prisons programme staff open a programme to consultation.",
    )
    programme = selectors.programme_for(year)
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
    try:
        services.programme_open_consultation(
            actor=signed_in_user(request), programme=programme, version=form.cleaned_data["version"]
        )
    except ValidationError as error:  # a StaleVersion too
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Programme {programme.label} opened to consultation: Ofsted's schedulers were "
            "sent the draft",
        )
    return redirect("programme:detail", year=year)


@require_http_methods(["GET", "POST"])
def programme_confirm(request: HttpRequest, year: int) -> HttpResponse:
    _require(
        request,
        "programme.change_programme",
        reason="Only HMI Prisons programme staff confirm a programme.",
    )
    programme = selectors.programme_for(year)
    form = ProgrammeConfirmForm(request.POST or None, initial={"version": programme.version})
    stale = False
    needs_reason = False
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_confirm(
                actor=signed_in_user(request),
                programme=programme,
                version=form.cleaned_data["version"],
                confirmed_on=form.cleaned_data["confirmed_on"],
                override_reason=form.cleaned_data.get("override_reason") or "",
            )
        except services.OverrideRequired as warning:
            needs_reason = True
            _add_warnings(form, warning)
        except StaleVersion as error:
            stale = True
            form = restaled(type(form), request, error)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, f"Programme {programme.label} confirmed: Ofsted's schedulers were told"
            )
            return redirect("programme:detail", year=year)
    context = {
        "programme": programme,
        "form": form,
        "needs_reason": needs_reason,
        "consultation": consultation.consultation_summary(request.user, programme),
        "warnings": services.confirmation_warnings(programme, timezone.localdate()),
    }
    return render(
        request, "programme/programme_confirm.html", context, status=form_status(form, stale)
    )


def _filter_form(request: HttpRequest) -> EventFilterForm:
    return EventFilterForm(
        request.GET or None, inspectors=selectors.inspector_choices(request.user)
    )


@require_GET
def programme_calendar(request: HttpRequest, year: int) -> HttpResponse:
    _require(request, "programme.view_programme", reason="You cannot see the programme.")
    programme = selectors.programme_for(year)
    form = _filter_form(request)
    filters = form.filters() if request.GET else selectors.EventFilters()
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


@require_GET
@reauthentication_required
def programme_export(request: HttpRequest, year: int) -> HttpResponse:
    _require(request, "programme.export_events", reason="You cannot download the programme.")
    programme = selectors.programme_for(year)
    form = _filter_form(request)
    filters = form.filters() if request.GET else selectors.EventFilters()
    text = selectors.events_export_csv(request.user, programme, filters, path=request.path)
    return csv_download(f"programme-{programme.year}-{programme.year + 1}.csv", text)


@require_GET
@reauthentication_required
def programme_export_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    _require(request, "programme.export_events", reason="You cannot download the programme.")
    programme = selectors.programme_for(year)
    form = _filter_form(request)
    filters = form.filters() if request.GET else selectors.EventFilters()
    data = selectors.events_export_xlsx(request.user, programme, filters, path=request.path)
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    name = f"programme-{programme.year}-{programme.year + 1}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# Events ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def event_schedule(request: HttpRequest, year: int) -> HttpResponse:
    _require(
        request,
        "programme.open_schedule_form",
        reason="Only HMI Prisons programme staff, and Ofsted's schedulers for Ofsted's own "
        "inspections, add events.",
    )
    programme = selectors.programme_for(year)
    follow_ups = selectors.follow_up_choices(request.user, programme)
    form = EventScheduleForm(request.POST or None, user=request.user, follow_ups=follow_ups)
    needs_reason = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        establishment = Establishment.objects.filter(code=data["establishment"]).first()
        by_pk = {str(e.pk): e for e in follow_ups}
        try:
            event = services.event_schedule(
                actor=signed_in_user(request),
                programme=programme,
                kind=data["kind"],
                establishment=establishment,
                starts_on=data["starts_on"],
                ends_on=data.get("ends_on"),
                education_week_starts_on=data.get("education_week_starts_on"),
                education_week_reason=data.get("education_week_reason") or "",
                follows_up=by_pk.get(data.get("follows_up") or ""),
                previous_education_judgement=data.get("previous_education_judgement") or None,
                notes=data.get("notes") or "",
                override_reason=data.get("override_reason") or "",
            )
        except services.OverrideRequired as warning:
            needs_reason = True
            _add_warnings(form, warning)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            impossible = event.milestones.filter(status=MilestoneStatus.IMPOSSIBLE).count()
            passed = (
                f". {count_noun(impossible, 'deadline')} had already passed: record why under "
                "Milestones"
                if impossible
                else ""
            )
            messages.success(request, f"{event} added to the programme{passed}")
            if Event.objects.visible_to(request.user).filter(pk=event.pk).exists():
                return redirect("programme:event-detail", pk=event.pk)
            return redirect("programme:detail", year=year)
    context = {"programme": programme, "form": form, "needs_reason": needs_reason}
    return render(request, "programme/event_schedule.html", context, status=form_status(form))


@require_http_methods(["GET", "POST"])
def history_record(request: HttpRequest) -> HttpResponse:
    """Record an event that happened before it was recorded here (HI-1)."""
    _require(
        request,
        "programme.record_history",
        reason="Only the HMI Prisons programme coordinator or a system administrator records "
        "history.",
    )
    follow_ups = selectors.history_follow_up_choices(request.user)
    form = HistoricalEventForm(request.POST or None, follow_ups=follow_ups)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_pk = {str(e.pk): e for e in follow_ups}
        try:
            event = history.record_historical_event(
                actor=signed_in_user(request),
                establishment=Establishment.objects.filter(code=data["establishment"]).first(),
                kind=data["kind"],
                starts_on=data["starts_on"],
                ends_on=data.get("ends_on"),
                follows_up=by_pk.get(data.get("follows_up") or ""),
                source=data["source"],
                education_inspectorate=form.education(),
                notes=data.get("notes") or "",
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Recorded as history: {event}")
            return redirect("programme:event-detail", pk=event.pk)
    return render(
        request, "programme/history_record.html", {"form": form}, status=form_status(form)
    )


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
        "event_irp_announce_by": services.irp_latest_announcement(
            event.starts_on, event.establishment.nation
        )
        if event.kind == EventKind.IRP
        else None,
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
    _require(request, f"programme.{what}_event", event, f"You cannot {what} this event.")
    return event


@require_http_methods(["GET", "POST"])
def event_move(request: HttpRequest, pk: int) -> HttpResponse:
    event = _changeable_event(request, pk, "move")
    stale = False
    needs_reason = False
    if request.method == "POST":
        form = EventMoveForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.event_move(
                    actor=signed_in_user(request),
                    event=event,
                    version=data["version"],
                    starts_on=data["starts_on"],
                    ends_on=data.get("ends_on"),
                    education_week_starts_on=data.get("education_week_starts_on"),
                    education_week_reason=data.get("education_week_reason") or None,
                    reason=data.get("reason") or "",
                    override_reason=data.get("override_reason") or "",
                )
            except services.OverrideRequired as warning:
                needs_reason = True
                _add_warnings(form, warning)
            except StaleVersion as error:
                stale = True
                form = restaled(type(form), request, error)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Event moved")
                return redirect("programme:event-detail", pk=event.pk)
    else:
        # Only the start is filled in: the end and the education week, left empty, follow
        # it (the form's hints), so changing the start alone moves the whole event.
        form = EventMoveForm(initial={"version": event.version, "starts_on": event.starts_on})
    context = {"event": event, "form": form, "needs_reason": needs_reason}
    return render(request, "programme/event_move.html", context, status=form_status(form, stale))


@require_http_methods(["GET", "POST"])
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _changeable_event(request, pk, "cancel")
    stale = False
    form = EventCancelForm(request.POST or None, initial={"version": event.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(
                actor=signed_in_user(request),
                event=event,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except StaleVersion as error:
            stale = True
            form = restaled(type(form), request, error)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Event cancelled")
            return redirect("programme:event-detail", pk=event.pk)
    context = {"event": event, "form": form}
    return render(request, "programme/event_cancel.html", context, status=form_status(form, stale))


@require_http_methods(["GET", "POST"])
def event_announce(request: HttpRequest, pk: int) -> HttpResponse:
    event = _changeable_event(request, pk, "announce")
    stale = False
    needs_reason = False
    form = EventAnnounceForm(request.POST or None, initial={"version": event.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.event_announce(
                actor=signed_in_user(request),
                event=event,
                version=form.cleaned_data["version"],
                announced_on=form.cleaned_data.get("announced_on"),
                override_reason=form.cleaned_data.get("override_reason") or "",
            )
        except services.OverrideRequired as warning:
            needs_reason = True
            for field, message in warning.warnings.items():
                form.add_error(field if field in form.fields else None, message)
        except StaleVersion as error:
            stale = True
            form = restaled(type(form), request, error)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Event announced")
            return redirect("programme:event-detail", pk=event.pk)
    context = {
        "event": event,
        "form": form,
        "needs_reason": needs_reason,
        "announce_by": services.irp_latest_announcement(event.starts_on, event.establishment.nation)
        if event.kind == EventKind.IRP
        else None,
    }
    return render(
        request, "programme/event_announce.html", context, status=form_status(form, stale)
    )


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
