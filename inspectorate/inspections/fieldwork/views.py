"""The fieldwork pages of an event: briefing, evidence, observations and meetings.

Anyone who may not know of the event gets 404, exactly as for a missing one (PG-3); those
who see the event but not its fieldwork (only its team and quality assurance do) get 403,
as do those who see the fieldwork but may not change it. Opening the fieldwork of an
unannounced event is logged. Thin: the selectors read, the services write and judge.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.audit.services import access_record
from inspectorate.inspections.fieldwork import selectors, services
from inspectorate.inspections.fieldwork.forms import (
    BriefingForm,
    EvidenceEntryForm,
    EvidenceFilterForm,
    FieldworkForm,
    MeetingForm,
    ObservationForm,
)
from inspectorate.inspections.models import EvidenceForm, Meeting, Observation
from inspectorate.inspections.rules import remember_team_roles
from inspectorate.inspections.view_helpers import tab_context
from inspectorate.lib.form_views import apply_errors, form_status
from inspectorate.lib.versions import StaleVersion
from inspectorate.programme.models import Event, today
from inspectorate.programme.selectors import event_for

DRAFT_SAVED = "fieldwork_draft_saved"  # session key: the form whose browser draft to clear


# Shared ---------------------------------------------------------------------------------------


def _fieldwork(request: HttpRequest, event_pk: int) -> tuple[Event, bool]:
    """The event if `request.user` may see its fieldwork, and whether they may record it:
    404 if they may not know of the event, 403 if they may see it but not its fieldwork."""
    user = request.user
    event = event_for(user, event_pk)
    if not user.has_perm("inspections.see_fieldwork", event):
        raise PermissionDenied("Only the event's team and quality assurance see its fieldwork.")
    remember_team_roles(user, event)  # the page asks about many of its records
    return event, user.has_perm("inspections.record_fieldwork", event)


def _log(request: HttpRequest, event: Event, record: models.Model | None = None) -> None:
    """An unannounced inspection's fieldwork is confidential: every read is logged (PG-3)."""
    if not event.is_announced:
        access_record(actor=signed_in_user(request), record=record or event, path=request.path)


def _recorder(may_record: bool) -> None:
    if not may_record:
        raise PermissionDenied("Only the event's team records its fieldwork.")


def _stale(form: FieldworkForm, request: HttpRequest, error: StaleVersion) -> None:
    """Keep everything the user typed, carry the version now saved, and say what happened:
    saving again is then a deliberate choice, made having seen the other change."""
    data = request.POST.copy()
    data["version"] = str(getattr(error.record, "version"))  # noqa: B009
    form.data = data
    form.add_error(None, str(error))


def _saved(request: HttpRequest, message: str) -> None:
    messages.success(request, message)
    request.session[DRAFT_SAVED] = request.path


def _version(form: FieldworkForm) -> int:
    return int(form.cleaned_data.get("version") or 0)


# The briefing (IN-1) --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def briefing(request: HttpRequest, event_pk: int) -> HttpResponse:
    event, may_record = _fieldwork(request, event_pk)
    if request.method == "POST":
        _recorder(may_record)
    _log(request, event)
    user = signed_in_user(request)
    current = selectors.briefing_get(user=user, event=event)
    required = services.has_briefing_requirement(event)
    team = selectors.team_users(event)
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {
            "held_on": current.held_on,
            "attendees": [str(person.pk) for person in current.attendees.all()],
            "notes": current.notes,
            "version": current.version,
        }
    form = BriefingForm(request.POST or None, initial=initial, team=team)
    stale = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.briefing_record(
                actor=user,
                event=event,
                held_on=data["held_on"],
                attendees=form.chosen_attendees(),
                notes=data["notes"],
                override_reason=data["override_reason"],
                version=data["version"],
            )
        except StaleVersion as error:
            _stale(form, request, error)
            stale = True
            current = selectors.briefing_get(user=user, event=event)
        except services.OverrideNeeded as warning:
            form.ask_for_override(warning.warnings)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The briefing has been recorded.")
            return redirect("inspections:briefing", event_pk=event.pk)
    context = tab_context(
        request,
        event,
        "briefing",
        briefing=current,
        required=required,
        fieldwork_starts_on=services.fieldwork_starts_on(event),
        leads=selectors.leads(event),
        form=form if may_record and required else None,
    )
    return render(
        request, "inspections/fieldwork/briefing.html", context, status=form_status(form, stale)
    )


# Evidence forms (IN-7) ------------------------------------------------------------------------


@require_GET
def evidence_list(request: HttpRequest, event_pk: int) -> HttpResponse:
    event, may_record = _fieldwork(request, event_pk)
    _log(request, event)
    user = request.user
    aspects = selectors.aspect_choices(event)
    filters = EvidenceFilterForm(
        request.GET or None,
        aspects=aspects,
        authors=selectors.evidence_authors(user=user, event=event),
    )
    chosen = filters.filters()
    forms = selectors.evidence_list(user=user, event=event, **chosen)
    context = tab_context(
        request,
        event,
        "evidence",
        filters=filters,
        filtered=bool(chosen),
        rows=[(form, _editable(user, event, form)) for form in forms],
        counts=selectors.evidence_counts(user=user, event=event),
        may_record=may_record,
        draft_saved=request.session.pop(DRAFT_SAVED, ""),
    )
    return render(request, "inspections/fieldwork/evidence_list.html", context)


def _editable(user: Any, event: Event, evidence: EvidenceForm) -> bool:
    evidence.event = event  # the page's event, whose team places are remembered
    return bool(user.has_perm("inspections.edit_evidence", evidence))


def _evidence_form(
    request: HttpRequest, event: Event, initial: dict[str, Any]
) -> EvidenceEntryForm:
    return EvidenceEntryForm(
        request.POST or None,
        initial=initial,
        aspects=selectors.aspect_choices(event),
        observations=selectors.observation_choices(user=request.user, event=event),
    )


def _evidence_values(form: EvidenceEntryForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "evidence_on": data["evidence_on"],
        "source": data["source"],
        "aspect": form.chosen_aspect(),
        "observation": form.chosen_observation(),
        "text": data["text"],
    }


def _render_evidence(
    request: HttpRequest,
    event: Event,
    form: EvidenceEntryForm,
    *,
    stale: bool = False,
    **values: Any,
) -> HttpResponse:
    context = tab_context(request, event, "evidence", form=form, **values)
    return render(
        request,
        "inspections/fieldwork/evidence_form.html",
        context,
        status=form_status(form, stale),
    )


@require_http_methods(["GET", "POST"])
def evidence_add(request: HttpRequest, event_pk: int) -> HttpResponse:
    event, may_record = _fieldwork(request, event_pk)
    _recorder(may_record)
    _log(request, event)
    day = today()
    initial: dict[str, Any] = {
        "aspect": request.GET.get("aspect", ""),
        "evidence_on": day if event.starts_on <= day <= event.ends_on else None,
    }
    form = _evidence_form(request, event, initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_create(
                actor=signed_in_user(request), event=event, **_evidence_values(form)
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            _saved(request, "Your evidence form has been saved.")
            return redirect("inspections:evidence-list", event_pk=event.pk)
    return _render_evidence(request, event, form, evidence=None)


@require_http_methods(["GET", "POST"])
def evidence_edit(request: HttpRequest, event_pk: int, pk: int) -> HttpResponse:
    event, _ = _fieldwork(request, event_pk)
    evidence = selectors.evidence_get(user=request.user, event=event, pk=pk)
    if not _editable(request.user, event, evidence):
        raise PermissionDenied(
            "Only the author of an evidence form or a lead inspector changes it."
        )
    _log(request, event, evidence)
    initial = {
        "aspect": evidence.aspect_id,
        "source": evidence.source,
        "evidence_on": evidence.evidence_on,
        "observation": evidence.observation_id,
        "text": evidence.text,
        "version": evidence.version,
    }
    form = _evidence_form(request, event, initial)
    saved_now: EvidenceForm | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_update(
                actor=signed_in_user(request),
                evidence=evidence,
                version=_version(form),
                **_evidence_values(form),
            )
        except StaleVersion as error:
            _stale(form, request, error)
            saved_now = selectors.evidence_get(user=request.user, event=event, pk=pk)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            _saved(request, "The evidence form has been saved.")
            return redirect("inspections:evidence-list", event_pk=event.pk)
    return _render_evidence(
        request, event, form, stale=saved_now is not None, evidence=evidence, saved_now=saved_now
    )


# Observations (IN-8) --------------------------------------------------------------------------


@require_GET
def observation_list(request: HttpRequest, event_pk: int) -> HttpResponse:
    event, may_record = _fieldwork(request, event_pk)
    _log(request, event)
    context = tab_context(
        request,
        event,
        "observations",
        observations=selectors.observation_list(user=request.user, event=event),
        may_record=may_record,
    )
    return render(request, "inspections/fieldwork/observation_list.html", context)


def _observation_values(form: ObservationForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "observed_on": data["observed_on"],
        "activity": data["activity"],
        "location": data["location"],
        "duration_minutes": data["duration_minutes"],
        "grade": form.chosen_grade(),
        "feedback": data["feedback"],
        "provider_observer": data["provider_observer"],
        "override_reason": data["override_reason"],
    }


@require_http_methods(["GET", "POST"])
def observation_add(request: HttpRequest, event_pk: int) -> HttpResponse:
    return _observation_page(request, event_pk, None)


@require_http_methods(["GET", "POST"])
def observation_edit(request: HttpRequest, event_pk: int, pk: int) -> HttpResponse:
    return _observation_page(request, event_pk, pk)


def _observation_page(request: HttpRequest, event_pk: int, pk: int | None) -> HttpResponse:
    event, may_record = _fieldwork(request, event_pk)
    _recorder(may_record)
    observation: Observation | None = None
    initial: dict[str, Any] = {}
    if pk is not None:
        observation = selectors.observation_get(user=request.user, event=event, pk=pk)
        observation.event = event
        initial = {
            name: getattr(observation, name)
            for name in (
                "kind",
                "observed_on",
                "activity",
                "location",
                "duration_minutes",
                "feedback",
                "provider_observer",
                "version",
            )
        }
        initial["grade"] = observation.grade_id
    _log(request, event, observation)
    form = ObservationForm(
        request.POST or None, initial=initial, levels=selectors.observation_levels(event)
    )
    stale = False
    if request.method == "POST" and form.is_valid():
        values = _observation_values(form)
        try:
            if observation is None:
                services.observation_create(actor=signed_in_user(request), event=event, **values)
            else:
                services.observation_update(
                    actor=signed_in_user(request),
                    observation=observation,
                    version=_version(form),
                    **values,
                )
        except StaleVersion as error:
            _stale(form, request, error)
            stale = True
        except services.OverrideNeeded as warning:
            form.ask_for_override(warning.warnings)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The observation has been saved.")
            return redirect("inspections:observation-list", event_pk=event.pk)
    context = tab_context(request, event, "observations", form=form, observation=observation)
    return render(
        request,
        "inspections/fieldwork/observation_form.html",
        context,
        status=form_status(form, stale),
    )


# Meetings (IN-3, IN-4) ------------------------------------------------------------------------


@require_GET
def meeting_list(request: HttpRequest, event_pk: int) -> HttpResponse:
    event, may_record = _fieldwork(request, event_pk)
    _log(request, event)
    context = tab_context(
        request,
        event,
        "meetings",
        meetings=selectors.meeting_list(user=request.user, event=event),
        deliberation_day=services.deliberation_day(event),
        may_record=may_record,
    )
    return render(request, "inspections/fieldwork/meeting_list.html", context)


@require_http_methods(["GET", "POST"])
def meeting_add(request: HttpRequest, event_pk: int) -> HttpResponse:
    return _meeting_page(request, event_pk, None)


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, event_pk: int, pk: int) -> HttpResponse:
    return _meeting_page(request, event_pk, pk)


def _meeting_page(request: HttpRequest, event_pk: int, pk: int | None) -> HttpResponse:
    event, may_record = _fieldwork(request, event_pk)
    _recorder(may_record)
    meeting: Meeting | None = None
    initial: dict[str, Any] = {}
    if pk is not None:
        meeting = selectors.meeting_get(user=request.user, event=event, pk=pk)
        meeting.event = event
        initial = {
            "kind": meeting.kind,
            "held_on": meeting.held_on,
            "attendees": [str(person.pk) for person in meeting.attendees.all()],
            "others_present": meeting.others_present,
            "notes": meeting.notes,
            "version": meeting.version,
        }
    _log(request, event, meeting)
    form = MeetingForm(request.POST or None, initial=initial, team=selectors.team_users(event))
    stale = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {
            "kind": data["kind"],
            "held_on": data["held_on"],
            "attendees": form.chosen_attendees(),
            "others_present": data["others_present"],
            "notes": data["notes"],
            "override_reason": data["override_reason"],
        }
        try:
            if meeting is None:
                services.meeting_create(actor=signed_in_user(request), event=event, **values)
            else:
                services.meeting_update(
                    actor=signed_in_user(request), meeting=meeting, version=_version(form), **values
                )
        except StaleVersion as error:
            _stale(form, request, error)
            stale = True
        except services.OverrideNeeded as warning:
            form.ask_for_override(warning.warnings)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The meeting has been recorded.")
            return redirect("inspections:meeting-list", event_pk=event.pk)
    context = tab_context(
        request,
        event,
        "meetings",
        form=form,
        meeting=meeting,
        deliberation_day=services.deliberation_day(event),
    )
    return render(
        request, "inspections/fieldwork/meeting_form.html", context, status=form_status(form, stale)
    )
