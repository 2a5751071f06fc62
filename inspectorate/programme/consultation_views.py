"""Consultation screens (PG-14): a partner's response page and the coordinators' answers to
challenges. Thin: `programme.consultation` reads and writes."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST

from inspectorate.accounts.permissions import require
from inspectorate.accounts.signed_in import signed_in_user
from inspectorate.lib.form_views import form_page, saved_then_redirect, stale_as_refusal, submit
from inspectorate.programme import consultation, selectors
from inspectorate.programme.constants import EventStatus, ProgrammeStatus
from inspectorate.programme.forms import (
    ChallengeAnswerForm,
    ConsultationChallengeForm,
    ConsultationResponseForm,
)
from inspectorate.programme.models import ConsultationChallenge, Event, Programme


def _respondable(request: HttpRequest, year: int) -> Programme:
    require(
        request.user,
        "programme.respond_to_consultation",
        message="Only a partner's scheduling team responds to the consultation.",
    )
    return selectors.programme_for(year)


def _events(request: HttpRequest, programme: Programme) -> list[Event]:
    return list(
        Event.objects.visible_to(request.user)
        .filter(programme=programme)
        .exclude(status=EventStatus.CANCELLED)
        .select_related("establishment")
        .order_by("starts_on", "establishment__name")
    )


def _mine(request: HttpRequest, programme: Programme) -> consultation.PartnerResponse | None:
    """The consultation of the user's own partner (None when there is none)."""
    summary = consultation.consultation_summary(request.user, programme)
    partner = consultation.partner_of(request.user)
    return next((p for p in summary.partners if p.partner == partner), None) if summary else None


def _page(
    request: HttpRequest,
    programme: Programme,
    response_form: ConsultationResponseForm,
    challenge_form: ConsultationChallengeForm,
) -> HttpResponse:
    mine = _mine(request, programme)
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


def _respond_initial(request: HttpRequest, programme: Programme) -> dict[str, Any]:
    """The partner's response so far, to change (nothing before they have responded)."""
    mine = _mine(request, programme)
    if mine and mine.response and mine.response.resourcing_confirmed is not None:
        return {
            "resourcing_confirmed": "yes" if mine.response.resourcing_confirmed else "no",
            "comment": mine.response.comment,
            "version": mine.response.version,
        }
    return {}


def _recorded(request: HttpRequest, message: str, year: int) -> HttpResponse:
    return saved_then_redirect(request, message, "programme:consultation-respond", year=year)


@require_http_methods(["GET", "POST"])
def consultation_respond(request: HttpRequest, year: int) -> HttpResponse:
    """The partner's response: resourcing confirmed or not, with a comment."""
    programme = _respondable(request, year)
    challenge_form = ConsultationChallengeForm(events=_events(request, programme))
    if request.method == "GET":
        form = ConsultationResponseForm(initial=_respond_initial(request, programme))
        return _page(request, programme, form, challenge_form)
    outcome = submit(
        request,
        ConsultationResponseForm,
        stale_as_refusal(
            lambda data: consultation.consultation_respond(
                actor=signed_in_user(request),
                programme=programme,
                resourcing_confirmed=data["resourcing_confirmed"],
                comment=data.get("comment") or "",
                version=data.get("version"),
            )
        ),
    )
    if outcome.saved:
        return _recorded(
            request, "Your response was recorded: HMI Prisons' coordinators were told", year
        )
    return _page(request, programme, cast(ConsultationResponseForm, outcome.form), challenge_form)


@require_POST
def consultation_challenge(request: HttpRequest, year: int) -> HttpResponse:
    """Raise a challenge to one event, at once (PG-14)."""
    programme = _respondable(request, year)
    events = _events(request, programme)
    outcome = submit(
        request,
        lambda data: ConsultationChallengeForm(data, events=events),
        lambda data: consultation.consultation_challenge_raise(
            actor=signed_in_user(request),
            programme=programme,
            event=next((e for e in events if str(e.pk) == data["event"]), None),
            text=data["text"],
        ),
    )
    if outcome.saved:
        return _recorded(request, "Your challenge was raised with HMI Prisons' coordinators", year)
    form = cast(ConsultationChallengeForm, outcome.form)
    return _page(request, programme, ConsultationResponseForm(), form)


@require_http_methods(["GET", "POST"])
def challenge_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """A coordinator answers a challenge; a challenge to an event they may not see is 404."""
    require(
        request.user,
        "programme.answer_challenge",
        message="Only HMI Prisons programme staff answer challenges.",
    )
    challenge = get_object_or_404(
        ConsultationChallenge.objects.select_related(
            "event__establishment", "response__programme", "raised_by"
        ),
        pk=pk,
        event__in=Event.objects.visible_to(request.user),
    )
    programme = challenge.response.programme
    return form_page(
        request,
        ChallengeAnswerForm,
        lambda data: consultation.consultation_challenge_answer(
            actor=signed_in_user(request), challenge=challenge, answer=data["answer"]
        ),
        done=lambda _: saved_then_redirect(
            request,
            "Your answer was recorded and sent to whoever raised it",
            "programme:confirm",
            year=programme.year,
        ),
        template="programme/challenge_answer.html",
        context={"challenge": challenge, "programme": programme},
    )
