"""How the inspection record's form pages show a service's answer (`lib.form_views.submit`).

`tab_form` renders the form page within the event's tabs, with the status the outcome calls
for (400 with errors, 409 when someone else saved first).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from inspectorate.inspections.models import Judgement
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


def judgement_initial(judgement: Judgement | None) -> dict[str, Any]:
    """A judgement form's values as `judgement` has them saved (an aspect's or a follow-up
    item's; the progress form has no reason), or none before the first judgement."""
    if judgement is None:
        return {}
    return {
        "level": judgement.level_id,
        "rationale": judgement.rationale,
        "override_reason": judgement.override_reason,
        "evidence": [citation.evidence_id for citation in judgement.citations.all()],
        "version": judgement.version,
    }
