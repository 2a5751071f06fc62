"""Alert pages: raise (from any page of an event, on a phone), read with its timeline,
acknowledge, record actions, close. 404 for what the user may not see (PG-3); 403 for what
they may see but not do."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inspectorate.accounts.permissions import require
from inspectorate.accounts.signed_in import by_signed_in_user, signed_in_user
from inspectorate.lib.form_views import button_action, form_page, saved_then_redirect
from inspectorate.lib.listing import list_page
from inspectorate.programme.selectors import event_for
from inspectorate.safeguarding import selectors, services
from inspectorate.safeguarding.constants import SANCTIONS_PROTOCOL, AlertKind, AlertStatus
from inspectorate.safeguarding.forms import (
    ActionForm,
    AlertFilterForm,
    AlertForm,
    CloseForm,
    VersionForm,
)
from inspectorate.safeguarding.models import Alert


@require_http_methods(["GET", "POST"])
def alert_raise(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = event_for(request.user, event_pk)
    require(request.user, "safeguarding.raise_alert", event, services.TEAM_ONLY)
    return form_page(
        request,
        AlertForm,
        by_signed_in_user(request, services.alert_raise, event=event),
        done=lambda alert: saved_then_redirect(
            request,
            "Alert raised: the team leader and coordinator are told.",
            "safeguarding:alert-detail",
            pk=alert.pk,
        ),
        template="safeguarding/raise.html",
        context={"event": event},
    )


@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.is_establishment_user:
        raise PermissionDenied("Alerts are for the inspection teams.")
    return list_page(
        request,
        AlertFilterForm(request.GET),
        partial(selectors.alert_search, user),
        "safeguarding/list.html",
        "alerts",
    )


@require_GET
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_for(request.user, pk, path=request.path)
    user: Any = request.user
    handles = user.pk in alert.ladder
    context = {
        "alert": alert,
        "timeline": selectors.alert_timeline(alert),
        "ladder": selectors.ladder_people(alert),
        "may_acknowledge": handles and alert.status == AlertStatus.RAISED,
        "may_close": handles and alert.status == AlertStatus.ACKNOWLEDGED,
        "may_act": (handles or alert.raised_by_id == user.pk)
        and alert.status != AlertStatus.CLOSED,
        "protocol": SANCTIONS_PROTOCOL if alert.kind == AlertKind.SANCTIONS else (),
        "action_form": ActionForm(),
        "close_form": CloseForm(initial={"version": alert.version}),
    }
    return render(request, "safeguarding/detail.html", context)


def _to_alert(alert: Alert) -> HttpResponse:
    return redirect("safeguarding:alert-detail", pk=alert.pk)


@require_POST
def alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_for(request.user, pk, path=request.path)
    form = VersionForm(request.POST)
    form.is_valid()
    button_action(
        request,
        lambda: services.alert_acknowledge(
            actor=signed_in_user(request), alert=alert, version=form.cleaned_data.get("version")
        ),
        "Acknowledged: the escalation has stopped.",
    )
    return _to_alert(alert)


@require_POST
def alert_action(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_for(request.user, pk, path=request.path)
    form = ActionForm(request.POST)
    if form.is_valid():
        services.alert_action_add(
            actor=signed_in_user(request), alert=alert, text=form.cleaned_data["text"]
        )
        messages.success(request, "Action recorded.")
    else:
        messages.error(request, "Say what was done.")
    return _to_alert(alert)


@require_POST
def alert_close(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_for(request.user, pk, path=request.path)
    form = CloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Record the outcome before closing the alert.")
        return _to_alert(alert)
    button_action(
        request,
        lambda: services.alert_close(
            actor=signed_in_user(request),
            alert=alert,
            outcome=form.cleaned_data["outcome"],
            version=form.cleaned_data.get("version"),
        ),
        "Alert closed.",
    )
    return _to_alert(alert)
