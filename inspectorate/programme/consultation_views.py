"""Consultation screens (PG-14): a partner's response page and the coordinators' answers to
challenges. Thin: `programme.consultation` reads and writes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.lib.form_views import apply_errors, form_status
from inspectorate.programme import consultation, selectors
from inspectorate.programme.constants import EventStatus, ProgrammeStatus
from inspectorate.programme.forms import (
    ChallengeAnswerForm,
    ConsultationChallengeForm,
    ConsultationResponseForm,
)
from inspectorate.programme.models import ConsultationChallenge, Event, Programme


def _respondable(request: HttpRequest, year: int) -> Programme:
    if not request.user.has_perm("programme.respond_to_consultation"):
        raise PermissionDenied("Only a partner's scheduling team responds to the consultation.")
    return selectors.programme_for(year)


def _events(request: HttpRequest, programme: Programme) -> list[Event]:
    return list(
        Event.objects.visible_to(request.user)
        .filter(programme=programme)
        .exclude(status=EventStatus.CANCELLED)
        .select_related("establishment")
        .order_by("starts_on", "establishment__name")
    )


def _page(
    request: HttpRequest,
    programme: Programme,
    response_form: ConsultationResponseForm,
    challenge_form: ConsultationChallengeForm,
) -> HttpResponse:
    summary = consultation.consultation_summary(request.user, programme)
    partner = consultation.partner_of(request.user)
    mine = next((p for p in summary.partners if p.partner == partner), None) if summary else None
    context = {
        "programme": programme,
        "response_form": response_form,
        "challenge_form": challenge_form,
        "mine": mine,
        "is_open": programme.status == ProgrammeStatus.CONSULTATION,
    }
    failed = response_form.errors or challenge_form.errors
    selectors.confidential_reads_record(
        user=request.user,
        events=[c.event for c in mine.challenges] if mine else [],
        path=request.path,
    )
    return render(
        request, "programme/consultation_respond.html", context, status=400 if failed else 200
    )


@require_http_methods(["GET", "POST"])
def consultation_respond(request: HttpRequest, year: int) -> HttpResponse:
    """The partner's response: resourcing confirmed or not, with a comment."""
    programme = _respondable(request, year)
    challenge_form = ConsultationChallengeForm(events=_events(request, programme))
    if request.method == "GET":
        summary = consultation.consultation_summary(request.user, programme)
        partner = consultation.partner_of(request.user)
        mine = (
            next((p for p in summary.partners if p.partner == partner), None) if summary else None
        )
        initial = {}
        if mine and mine.response and mine.response.resourcing_confirmed is not None:
            initial = {
                "resourcing_confirmed": "yes" if mine.response.resourcing_confirmed else "no",
                "comment": mine.response.comment,
                "version": mine.response.version,
            }
        return _page(request, programme, ConsultationResponseForm(initial=initial), challenge_form)
    form = ConsultationResponseForm(request.POST)
    if form.is_valid():
        try:
            consultation.consultation_respond(
                actor=signed_in_user(request),
                programme=programme,
                resourcing_confirmed=form.cleaned_data["resourcing_confirmed"],
                comment=form.cleaned_data.get("comment") or "",
                version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, "Your response was recorded: HMI Prisons' coordinators were told"
            )
            return redirect("programme:consultation-respond", year=year)
    return _page(request, programme, form, challenge_form)


@require_POST
def consultation_challenge(request: HttpRequest, year: int) -> HttpResponse:
    """Raise a challenge to one event, at once (PG-14)."""
    programme = _respondable(request, year)
    events = _events(request, programme)
    form = ConsultationChallengeForm(request.POST, events=events)
    if form.is_valid():
        event = next((e for e in events if str(e.pk) == form.cleaned_data["event"]), None)
        try:
            consultation.consultation_challenge_raise(
                actor=signed_in_user(request),
                programme=programme,
                event=event,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Your challenge was raised with HMI Prisons' coordinators")
            return redirect("programme:consultation-respond", year=year)
    return _page(request, programme, ConsultationResponseForm(), form)


@require_http_methods(["GET", "POST"])
def challenge_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator answers a challenge; a challenge to an event they may not see is 404."""
    if not request.user.has_perm("programme.answer_challenge"):
        raise PermissionDenied("Only HMI Prisons programme staff answer challenges.")
    challenge = get_object_or_404(
        ConsultationChallenge.objects.select_related(
            "event__establishment", "response__programme", "raised_by"
        ),
        pk=pk,
        event__in=Event.objects.visible_to(request.user),
    )
    form = ChallengeAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation.consultation_challenge_answer(
                actor=signed_in_user(request),
                challenge=challenge,
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Your answer was recorded and sent to whoever raised it")
            return redirect("programme:confirm", year=challenge.response.programme.year)
    context = {"challenge": challenge, "form": form, "programme": challenge.response.programme}
    return render(request, "programme/challenge_answer.html", context, status=form_status(form))
