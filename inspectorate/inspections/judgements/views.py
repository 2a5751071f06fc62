"""The "Judgements" tab: every aspect graded at the event with the evidence it cites and the
grading engine's explanation of any limit; recording, moderation and factual corrections.

404 for an event the user may not know of (PG-3); 403 for one whose findings they may not
see, or whose judgements they may not change (only the event's leads record them).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import DUTIES, Duty
from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.inspections.constants import CORRECTION_ONLY_STAGES
from inspectorate.inspections.form_pages import judgement_initial, tab_form
from inspectorate.inspections.judgements import selectors, services
from inspectorate.inspections.judgements.forms import CorrectionForm, JudgementForm, ModerateForm
from inspectorate.inspections.models import Inspection
from inspectorate.inspections.view_helpers import log_confidential_read, tab_context
from inspectorate.lib.form_views import Submission, saved_then_redirect, submit
from inspectorate.lib.versions import StaleVersion
from inspectorate.programme.models import Event
from inspectorate.programme.selectors import event_for


def _event(request: HttpRequest, event_pk: int) -> Event:
    event = event_for(request.user, event_pk)
    if not request.user.has_perm("inspections.see_findings", event):
        raise PermissionDenied("You cannot see this inspection's judgements.")
    log_confidential_read(request, event)
    return event


def _lead_only(request: HttpRequest, event: Event, permission: str) -> None:
    if not request.user.has_perm(permission, event):
        raise PermissionDenied(
            "Only the team leader or the lead inspector for education on this event's team "
            "records its judgements."
        )


def _page_url(event: Event, anchor: str = "") -> str:
    url = reverse("inspections:judgements", kwargs={"event_pk": event.pk})
    return f"{url}#{anchor}" if anchor else url


def _page_context(request: HttpRequest, event: Event, page: Any, **values: Any) -> dict[str, Any]:
    """The judgements page, or the confirmation of moderation: the judgements, and the form
    that confirms them carrying the inspection's version."""
    inspection = page.inspection
    moderate_form = ModerateForm(initial={"version": inspection.version if inspection else None})
    return tab_context(
        request, event, "judgements", page=page, moderate_form=moderate_form, **values
    )


@require_GET
def judgements(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = _event(request, event_pk)
    page = selectors.judgements_page(request.user, event)
    inspection = page.inspection
    context = _page_context(
        request,
        event,
        page,
        may_record=request.user.has_perm("inspections.record_judgements", event),
        locked=bool(inspection and inspection.stage in CORRECTION_ONLY_STAGES),
    )
    return render(request, "inspections/judgements/judgements.html", context)


def _descriptors(levels: list[Any]) -> dict[str, str]:
    """Each grade's descriptor from the framework file, by its radio's value (the level's
    id as text, as the judgement form offers it)."""
    return {str(level.pk): level.definition for level in levels}


def _judgement_page(
    request: HttpRequest,
    event: Event,
    outcome: Submission[Any],
    *,
    saved: str,
    aspect_pk: int,
    template: str,
    **values: Any,
) -> HttpResponse:
    """Once saved, say `saved` and go to the aspect on the judgements page; else the form."""
    if outcome.saved:
        return saved_then_redirect(request, saved, _page_url(event, f"aspect-{aspect_pk}"))
    return tab_form(request, event, "judgements", template, outcome, **values)


@require_http_methods(["GET", "POST"])
def judgement_record(request: HttpRequest, event_pk: int, aspect_pk: int) -> HttpResponse:
    event = _event(request, event_pk)
    _lead_only(request, event, "inspections.record_judgements")
    aspect = selectors.aspect_for(event, aspect_pk)
    levels = selectors.level_choices(event, aspect)
    evidence = selectors.evidence_choices(request.user, event, aspect)
    current = selectors.aspect_judgement(request.user, event, aspect)
    initial = judgement_initial(current)
    outcome = submit(
        request,
        lambda data: JudgementForm(data, levels=levels, evidence=evidence, initial=initial),
        lambda data: services.judgement_record(
            actor=signed_in_user(request), event=event, aspect=aspect, **data
        ),
    )
    return _judgement_page(
        request,
        event,
        outcome,
        saved=f"{aspect.title}: judgement recorded (provisional).",
        aspect_pk=aspect.pk,
        template="inspections/judgements/judgement_form.html",
        aspect=aspect,
        levels=levels,
        judgement=current,
        cited=outcome.form.checked("evidence"),  # type: ignore[attr-defined]
        stale=outcome.stale is not None,
        descriptors=_descriptors([choice.level for choice in levels]),
    )


@require_http_methods(["GET", "POST"])
def judgements_moderate(request: HttpRequest, event_pk: int) -> HttpResponse:
    """GET: what confirming the moderated judgements does, and the judgements it confirms;
    POST: confirm them (they are no longer provisional)."""
    event = _event(request, event_pk)
    _lead_only(request, event, "inspections.moderate_judgements")
    if request.method == "GET":
        page = selectors.judgements_page(request.user, event)
        if page.stage == "moderated" or page.problems:
            return redirect(_page_url(event))
        context = _page_context(request, event, page)
        return render(request, "inspections/judgements/moderate_confirm.html", context)
    form = ModerateForm(request.POST)
    form.is_valid()
    try:
        services.judgements_moderate(
            actor=signed_in_user(request), event=event, version=form.cleaned_data.get("version")
        )
    except StaleVersion:
        messages.error(request, "The judgements changed since you opened the page: check them.")
    except ValidationError as error:
        messages.error(request, "Not moderated: " + "; ".join(error.messages) + ".")
    else:
        messages.success(request, "Judgements moderated. They are no longer provisional.")
    return redirect(_page_url(event))


def _approvers(actor: User) -> list[User]:
    return list(
        User.objects.filter(roles__overlap=sorted(DUTIES[Duty.ASSURES_QUALITY]), is_active=True)
        .exclude(pk=actor.pk)
        .order_by("last_name", "first_name", "username")
    )


@require_http_methods(["GET", "POST"])
def judgement_correct(request: HttpRequest, event_pk: int, pk: int) -> HttpResponse:
    event = _event(request, event_pk)
    _lead_only(request, event, "inspections.correct_judgement")
    judgement = selectors.judgement_for(request.user, event, pk)
    inspection = Inspection.objects.filter(event=event).first()
    if inspection is None or inspection.stage not in CORRECTION_ONLY_STAGES:
        messages.info(request, "Before the factual-accuracy check, change the judgement itself.")
        return redirect(_page_url(event, f"aspect-{judgement.aspect_id}"))
    levels = selectors.level_choices(event, judgement.aspect)
    approvers = _approvers(signed_in_user(request))
    outcome = submit(
        request,
        lambda data: CorrectionForm(
            data, levels=levels, approvers=approvers, initial={"version": judgement.version}
        ),
        lambda data: services.judgement_correct(
            actor=signed_in_user(request), judgement=judgement, **data
        ),
    )
    return _judgement_page(
        request,
        event,
        outcome,
        saved=f"{judgement.aspect.title}: factual correction recorded.",
        aspect_pk=judgement.aspect_id,
        template="inspections/judgements/judgement_correct.html",
        judgement=judgement,
    )
