"""How the inspection record's form pages show a service's answer (`lib.form_views.submit`).

`tab_form` renders the form page within the event's tabs, with the status the outcome calls
for (400 with errors, 409 when someone else saved first).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from inspectorate.inspections.view_helpers import tab_context
from inspectorate.lib.form_views import Submission
from inspectorate.programme.models import Event

T = TypeVar("T")


def tab_form(
    request: HttpRequest,
    event: Event,
    tab: str,
    template: str,
    outcome: Submission[Any],
    **values: Any,
) -> HttpResponse:
    """The form page again, under the event's `tab`: the outcome's form (unless `values`
    names another) and `values`, answered 200, 400 or 409 as the outcome calls for."""
    context = tab_context(request, event, tab, **{"form": outcome.form, **values})
    return render(request, template, context, status=outcome.status)


def latest(outcome: Submission[Any], record: T) -> T:
    """The record as now saved when someone else saved first, else `record`."""
    return outcome.stale.record if outcome.stale is not None else record
