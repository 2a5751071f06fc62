"""The team pages of an event: the team, adding a member, removing one.

Establishment users, and anyone who cannot see the event (PG-3), get 404; staff who see it
but manage no place on teams get 403. Opening a page of an unannounced event is logged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from inspectorate.accounts.permissions import require
from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.audit.services import access_record
from inspectorate.lib.form_views import button_action, saved_then_redirect, submit
from inspectorate.programme.models import Event, TeamMember
from inspectorate.programme.teams import selectors, services
from inspectorate.programme.teams.forms import TeamFilterForm, TeamMemberForm

T = TypeVar("T")


def _event(request: HttpRequest, pk: int) -> Event:
    user = request.user
    if not getattr(user, "has_staff_role", False):
        raise Http404("No such event.")
    event = get_object_or_404(
        Event.objects.visible_to(user).select_related("establishment", "programme"), pk=pk
    )
    if not user.has_perm("programme.manage_team", event):
        raise PermissionDenied("You cannot change this event's team.")
    if event.is_confidential():
        access_record(actor=signed_in_user(request), record=event, path=request.path)  # PG-3, DP-1
    return event


@require_GET
def team_manage(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = _event(request, event_pk)
    members = selectors.team_members(event)
    context = {
        "event": event,
        "event_url": selectors.event_url(event),
        "team_rows": selectors.team_rows(event, members, request.user),
        "team_warnings": selectors.team_warnings(event, members),
        "can_add": bool(services.manageable_roles(request.user, event)),
    }
    return render(request, "programme/team_manage.html", context)


def _denial_refused(call: Callable[[], T]) -> T:
    """`call()`, where the team's services refusing a place (PermissionDenied) is a refusal
    to show like any other."""
    try:
        return call()
    except PermissionDenied as error:
        raise ValidationError(str(error)) from error


@require_http_methods(["GET", "POST"])
def team_member_add(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = _event(request, event_pk)
    user = signed_in_user(request)
    members = selectors.team_members(event)
    organisations = services.manageable_organisations(user, event)
    filters = TeamFilterForm(request.GET or None, organisations=organisations)
    candidates = selectors.team_candidates(event, user, members, organisation=filters.chosen())
    filled = {member.role for member in members}
    roles = [
        (role.value, services.role_label(event, role))
        for role in services.manageable_roles(user, event)
        if role in {"inspector", "specialist"} or role not in filled
    ]

    def add(data: dict[str, Any]) -> str:
        inspector = next(c.inspector for c in candidates.all if c.inspector.pk == data["inspector"])
        member = _denial_refused(
            lambda: services.team_member_add(
                actor=user,
                event=event,
                inspector=inspector,
                role=data["role"],
                override_reason=data["override_reason"],
            )
        )
        return f"{inspector.name} added to the team as {services.role_label(event, member.role)}."

    outcome = submit(
        request,
        lambda data: TeamMemberForm(data, candidates=candidates.all, roles=roles),
        add,
    )
    if outcome.saved:
        return saved_then_redirect(
            request, cast(str, outcome.result), "programme:team", event_pk=event.pk
        )
    context = {
        "event": event,
        "event_url": selectors.event_url(event),
        "filters": filters,
        "form": outcome.form,
        "candidates": candidates,
        "lead_label": services.lead_role_label(event),
        "education_week": services.education_week(event)
        if event.kind == "full_inspection" and event.education_inspectorate
        else None,
    }
    return render(request, "programme/team_add.html", context, status=outcome.status)


@require_http_methods(["GET", "POST"])
def team_member_remove(request: HttpRequest, event_pk: int, member_pk: int) -> HttpResponse:
    event = _event(request, event_pk)
    member = get_object_or_404(
        TeamMember.objects.select_related("inspector"), pk=member_pk, event=event
    )
    require(
        request.user,
        "programme.manage_place",
        member,
        "You cannot change this place on the team.",
    )
    if request.method == "POST":
        button_action(
            request,
            lambda: _denial_refused(
                lambda: services.team_member_remove(actor=signed_in_user(request), member=member)
            ),
            f"{member.inspector.name} removed from the team.",
        )
        return redirect("programme:team", event_pk=event.pk)
    context = {
        "event": event,
        "member": member,
        "role": services.role_label(event, member.role),
    }
    return render(request, "programme/team_remove.html", context)
