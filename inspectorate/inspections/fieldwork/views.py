"""The fieldwork pages of an event: briefing, evidence, observations and meetings.

Anyone who may not know of the event gets 404, exactly as for a missing one (PG-3); those
who see the event but not its fieldwork (only its team and quality assurance do) get 403,
as do those who see the fieldwork but may not change it. Opening the fieldwork of an
unannounced event is logged. Thin: the selectors read, the services write and judge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
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
from inspectorate.inspections.form_pages import tab_form
from inspectorate.inspections.models import EvidenceForm, Meeting, Observation
from inspectorate.inspections.rules import remember_team_roles
from inspectorate.inspections.view_helpers import tab_context
from inspectorate.lib.form_views import Submission, saved_then_redirect, submit
from inspectorate.lib.models import attributes
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


def _saved(request: HttpRequest, message: str, to: str, event: Event) -> HttpResponse:
    """Say what was saved, tell the list page to clear the browser's draft, and go there."""
    request.session[DRAFT_SAVED] = request.path
    return saved_then_redirect(request, message, to, event_pk=event.pk)


def _version(data: dict[str, Any]) -> int:
    return int(data.get("version") or 0)


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
    outcome = submit(
        request,
        lambda data: BriefingForm(data, initial=initial, team=team),
        lambda data: services.briefing_record(actor=user, event=event, **data),
    )
    if outcome.saved:
        return saved_then_redirect(
            request, "The briefing has been recorded.", "inspections:briefing", event_pk=event.pk
        )
    if outcome.stale:
        current = selectors.briefing_get(user=user, event=event)
    return tab_form(
        request,
        event,
        "briefing",
        "inspections/fieldwork/briefing.html",
        outcome,
        briefing=current,
        required=required,
        fieldwork_starts_on=services.fieldwork_starts_on(event),
        leads=selectors.leads(event),
        form=outcome.form if may_record and required else None,
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
) -> Callable[[Any], EvidenceEntryForm]:
    aspects = selectors.aspect_choices(event)
    observations = selectors.observation_choices(user=request.user, event=event)
    return lambda data: EvidenceEntryForm(
        data, initial=initial, aspects=aspects, observations=observations
    )


def _evidence_page(
    request: HttpRequest, event: Event, outcome: Submission[Any], message: str, **values: Any
) -> HttpResponse:
    if outcome.saved:
        return _saved(request, message, "inspections:evidence-list", event)
    return tab_form(
        request, event, "evidence", "inspections/fieldwork/evidence_form.html", outcome, **values
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
    outcome = submit(
        request,
        _evidence_form(request, event, initial),
        lambda data: services.evidence_create(
            actor=signed_in_user(request), event=event, **_evidence_values(data)
        ),
    )
    return _evidence_page(
        request, event, outcome, "Your evidence form has been saved.", evidence=None
    )


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
    outcome = submit(
        request,
        _evidence_form(request, event, initial),
        lambda data: services.evidence_update(
            actor=signed_in_user(request),
            evidence=evidence,
            version=_version(data),
            **_evidence_values(data),
        ),
    )
    saved_now = (
        selectors.evidence_get(user=request.user, event=event, pk=pk) if outcome.stale else None
    )
    return _evidence_page(
        request,
        event,
        outcome,
        "The evidence form has been saved.",
        evidence=evidence,
        saved_now=saved_now,
    )


def _evidence_values(data: dict[str, Any]) -> dict[str, Any]:
    names = ("evidence_on", "source", "aspect", "observation", "text")
    return {name: data[name] for name in names}


# Observations (IN-8) and meetings (IN-3, IN-4): one list page and one page to add or edit -----


@dataclass(frozen=True)
class _Recorded:
    """What the list page and the add-or-edit page of observations, or of meetings, need."""

    name: str  # the record's name in the services' arguments and the template
    tab: str
    get: Callable[..., Any]
    initial: Callable[[Any], dict[str, Any]]
    form: Callable[[Event], Callable[..., FieldworkForm]]  # with the event's choices
    create: Callable[..., Any]
    update: Callable[..., Any]
    listed: Callable[..., list[Any]]
    saved: str
    context: Callable[[Event], dict[str, Any]] = lambda event: {}

    def template(self, page: str) -> str:
        return f"inspections/fieldwork/{self.name}_{page}.html"


def _list_page(request: HttpRequest, event_pk: int, kind: _Recorded) -> HttpResponse:
    event, may_record = _fieldwork(request, event_pk)
    _log(request, event)
    records = kind.listed(user=request.user, event=event)
    context = tab_context(
        request,
        event,
        kind.tab,
        **{kind.tab: records},
        **kind.context(event),
        may_record=may_record,
    )
    return render(request, kind.template("list"), context)


def _record_page(
    request: HttpRequest, event_pk: int, pk: int | None, kind: _Recorded
) -> HttpResponse:
    event, may_record = _fieldwork(request, event_pk)
    _recorder(may_record)
    record: Any = None
    initial: dict[str, Any] = {}
    if pk is not None:
        record = kind.get(user=request.user, event=event, pk=pk)
        record.event = event
        initial = {**kind.initial(record), "version": record.version}
    _log(request, event, record)
    make_form = kind.form(event)

    def save(data: dict[str, Any]) -> Any:
        actor = signed_in_user(request)
        values = {name: value for name, value in data.items() if name != "version"}
        if record is None:
            return kind.create(actor=actor, event=event, **values)
        return kind.update(actor=actor, version=_version(data), **{kind.name: record}, **values)

    outcome = submit(request, lambda data: make_form(data, initial=initial), save)
    if outcome.saved:
        return saved_then_redirect(
            request, kind.saved, f"inspections:{kind.name}-list", event_pk=event.pk
        )
    return tab_form(
        request,
        event,
        kind.tab,
        kind.template("form"),
        outcome,
        **{kind.name: record},
        **kind.context(event),
    )


def _observation_initial(observation: Observation) -> dict[str, Any]:
    names = (
        "kind",
        "observed_on",
        "activity",
        "location",
        "duration_minutes",
        "feedback",
        "provider_observer",
    )
    return {**attributes(observation, *names), "grade": observation.grade_id}


def _meeting_initial(meeting: Meeting) -> dict[str, Any]:
    return {
        "kind": meeting.kind,
        "held_on": meeting.held_on,
        "attendees": [str(person.pk) for person in meeting.attendees.all()],
        "others_present": meeting.others_present,
        "notes": meeting.notes,
    }


_OBSERVATIONS = _Recorded(
    name="observation",
    tab="observations",
    get=selectors.observation_get,
    initial=_observation_initial,
    form=lambda event: partial(ObservationForm, levels=selectors.observation_levels(event)),
    create=services.observation_create,
    update=services.observation_update,
    listed=selectors.observation_list,
    saved="The observation has been saved.",
)

_MEETINGS = _Recorded(
    name="meeting",
    tab="meetings",
    get=selectors.meeting_get,
    initial=_meeting_initial,
    form=lambda event: partial(MeetingForm, team=selectors.team_users(event)),
    create=services.meeting_create,
    update=services.meeting_update,
    listed=selectors.meeting_list,
    saved="The meeting has been recorded.",
    context=lambda event: {"deliberation_day": services.deliberation_day(event)},
)


View = Callable[..., HttpResponse]


def _views(kind: _Recorded) -> tuple[View, View]:
    """The list page of `kind`, and its page to add (without `pk`) or edit one."""

    @require_GET
    def listing(request: HttpRequest, event_pk: int) -> HttpResponse:
        return _list_page(request, event_pk, kind)

    @require_http_methods(["GET", "POST"])
    def editing(request: HttpRequest, event_pk: int, pk: int | None = None) -> HttpResponse:
        return _record_page(request, event_pk, pk, kind)

    return listing, editing


observation_list, observation_edit = _views(_OBSERVATIONS)
observation_add = observation_edit
meeting_list, meeting_edit = _views(_MEETINGS)
meeting_add = meeting_edit
