"""Consultation on the draft programme (PG-14, PROT 13): reads and writes.

Opening consultation (`services.programme_open_consultation`) tells each partner's people
(Ofsted's scheduling team) with the draft. Each partner records its response: resourcing
confirmed or not, and challenges to particular events, each raised at once with the
coordinators. The coordinators answer challenges and confirm with the responses in view
(`services.programme_confirm`). Everything here is as confidential as the programme (PG-3):
only the programme roles see it (`programme.view_consultation`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from inspectorate.accounts.permissions import user_has_duty
from inspectorate.accounts.roles import DUTIES, Duty
from inspectorate.inspectors.constants import Organisation
from inspectorate.lib.versions import StaleVersion, saved
from inspectorate.programme.constants import ProgrammeStatus
from inspectorate.programme.models import (
    ConsultationChallenge,
    ConsultationResponse,
    Event,
    Programme,
)
from inspectorate.programme.notifications import notify, users_with_duty

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

# Who answers for which partner (PG-14): the duty whose holders respond for it.
PARTNER_DUTIES: dict[str, Duty] = {Organisation.OFSTED: Duty.SCHEDULES_OFSTED}
TEXT_LIMIT = 2000


def partner_of(user: Any) -> str | None:
    """The partner `user` answers for, or None."""
    for partner, duty in PARTNER_DUTIES.items():
        if user_has_duty(user, duty):
            return partner
    return None


def respond_url(programme: Programme) -> str:
    return reverse("programme:consultation-respond", kwargs={"year": programme.year})


def summary_url(programme: Programme) -> str:
    return reverse("programme:detail", kwargs={"year": programme.year}) + "#consultation"


# Reads ----------------------------------------------------------------------------------


@dataclass
class PartnerResponse:
    partner: str
    label: str
    response: ConsultationResponse | None
    challenges: list[ConsultationChallenge] = field(default_factory=list)

    @property
    def responded(self) -> bool:
        return self.response is not None and (
            self.response.resourcing_confirmed is not None or bool(self.challenges)
        )


@dataclass
class ConsultationSummary:
    programme: Programme
    partners: list[PartnerResponse]

    @property
    def challenges(self) -> list[ConsultationChallenge]:
        return [c for p in self.partners for c in p.challenges]

    @property
    def outstanding(self) -> list[ConsultationChallenge]:
        return [c for c in self.challenges if not c.is_answered]

    @property
    def awaiting(self) -> list[PartnerResponse]:
        return [p for p in self.partners if not p.responded]

    @property
    def resourcing_refused(self) -> list[PartnerResponse]:
        return [p for p in self.partners if p.response and p.response.resourcing_confirmed is False]


def _challenges(user: Any) -> QuerySet[ConsultationChallenge]:
    """Challenges to events `user` may see, with their event and people (PG-3)."""
    return (
        ConsultationChallenge.objects.filter(event__in=Event.objects.visible_to(user))
        .select_related("event__establishment", "raised_by", "answered_by")
        .order_by("raised_at", "pk")
    )


def consultation_summary(user: Any, programme: Programme) -> ConsultationSummary | None:
    """Each partner's response and challenges, for the programme roles; None for anyone
    else, who may not know of the consultation (two queries)."""
    if not user.has_perm("programme.view_consultation"):
        return None
    responses = {
        r.partner: r
        for r in ConsultationResponse.objects.visible_to(user)
        .filter(programme=programme)
        .select_related("responded_by")
        .prefetch_related(Prefetch("challenges", queryset=_challenges(user)))
    }
    partners = [
        PartnerResponse(
            partner=partner,
            label=str(Organisation(partner).label),
            response=responses.get(partner),
            challenges=list(responses[partner].challenges.all()) if partner in responses else [],
        )
        for partner in PARTNER_DUTIES
    ]
    return ConsultationSummary(programme=programme, partners=partners)


def consultations_awaiting(user: Any) -> list[Programme]:
    """Programmes in consultation still waiting for the response of `user`'s partner: for
    "consultation: your response is due" on their dashboard."""
    partner = partner_of(user)
    if partner is None or not user.has_perm("programme.respond_to_consultation"):
        return []
    answered = ConsultationResponse.objects.filter(partner=partner).exclude(
        resourcing_confirmed__isnull=True
    )
    return list(
        Programme.objects.filter(status=ProgrammeStatus.CONSULTATION)
        .exclude(pk__in=answered.values("programme_id"))
        .order_by("year")
    )


# Writes ---------------------------------------------------------------------------------


def _open_programme(programme: Programme) -> Programme:
    current = Programme.objects.select_for_update().get(pk=programme.pk)
    if current.status != ProgrammeStatus.CONSULTATION:
        raise ValidationError(
            f"The {current.label} programme is not in consultation: responses are recorded "
            "while it is."
        )
    return current


def _text(value: str, field_name: str, what: str, *, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field_name: f"Enter {what}"})
    if len(text) > TEXT_LIMIT:
        raise ValidationError({field_name: f"{what.capitalize()} must be 2000 characters or fewer"})
    return text


def _response_for(actor: User, programme: Programme) -> ConsultationResponse:
    partner = partner_of(actor)
    if partner is None or not actor.has_perm("programme.respond_to_consultation"):
        raise PermissionDenied("Only a partner's scheduling team responds to the consultation.")
    response, _ = ConsultationResponse.objects.select_for_update().get_or_create(
        programme=programme, partner=partner, defaults={"responded_by": actor}
    )
    return response


def _tell_coordinators(subject: str, body: str, programme: Programme) -> None:
    notify(
        recipients=users_with_duty(Duty.COORDINATES_PROGRAMME),
        subject=subject,
        body=body,
        url=summary_url(programme),
    )


def consultation_respond(
    *,
    actor: User,
    programme: Programme,
    resourcing_confirmed: bool | None,
    comment: str = "",
    version: int | None = None,
) -> ConsultationResponse:
    """Record whether `actor`'s partner has the resourcing for the draft (PG-14). A refusal
    is raised with the coordinators at once. `version` guards a change to an earlier answer.
    """
    if resourcing_confirmed is None:
        raise ValidationError(
            {"resourcing_confirmed": "Select whether you have the resourcing for the programme"}
        )
    comment = _text(comment, "comment", "the comment", required=not resourcing_confirmed)
    with transaction.atomic():
        current = _open_programme(programme)
        response = _response_for(actor, current)
        answered_before = response.resourcing_confirmed is not None
        if version is not None and answered_before and response.version != version:
            raise StaleVersion(
                response,
                f"{response.responded_by} changed the response while you were working on it: "
                "check it, then try again",
                field="version",
            )
        response.resourcing_confirmed = resourcing_confirmed
        response.comment = comment
        response.responded_by = actor
        response.responded_at = timezone.now()
        saved(response)
        partner = response.get_partner_display()
        if resourcing_confirmed:
            subject = f"{partner} confirmed its resourcing for the {current.label} programme"
            body = f"{actor} confirmed {partner}'s resourcing (PG-14). {comment}".strip()
        else:
            subject = f"{partner} cannot resource the {current.label} programme as drafted"
            body = f"{actor} raised a resourcing challenge (PG-14): {comment}"
        _tell_coordinators(subject, body, current)
    return response


def consultation_challenge_raise(
    *, actor: User, programme: Programme, event: Event | None, text: str
) -> ConsultationChallenge:
    """Challenge one event of the draft, raised with the coordinators at once (PG-14)."""
    text = _text(text, "text", "the challenge", required=True)
    if event is None or event.programme_id != programme.pk:
        raise ValidationError({"event": "Select the event you are challenging"})
    if not Event.objects.visible_to(actor).filter(pk=event.pk).exists():
        raise ValidationError({"event": "Select the event you are challenging"})
    with transaction.atomic():
        current = _open_programme(programme)
        response = _response_for(actor, current)
        challenge = ConsultationChallenge.objects.create(
            response=response, event=event, text=text, raised_by=actor
        )
        partner = response.get_partner_display()
        _tell_coordinators(
            f"{partner} challenges {event}",
            f"{actor} raised a challenge to {event} (PG-14): {text}",
            current,
        )
    return challenge


def consultation_challenge_answer(
    *, actor: User, challenge: ConsultationChallenge, answer: str
) -> ConsultationChallenge:
    """HMI Prisons' answer to a challenge, told to whoever raised it."""
    if not actor.has_perm("programme.answer_challenge"):
        raise PermissionDenied("Only HMI Prisons programme staff answer challenges.")
    answer = _text(answer, "answer", "the answer", required=True)
    with transaction.atomic():
        current = ConsultationChallenge.objects.select_for_update().get(pk=challenge.pk)
        programme = current.response.programme
        if programme.status != ProgrammeStatus.CONSULTATION:
            raise ValidationError("Challenges are answered while the programme is in consultation.")
        if current.is_answered:
            raise ValidationError({"answer": f"{current.answered_by} has already answered it"})
        current.answer = answer
        current.answered_by = actor
        current.answered_at = timezone.now()
        current.save()
        notify(
            recipients=[current.raised_by],
            subject=f"Your challenge to {current.event} was answered",
            body=f"{actor} answered: {answer}",
            url=respond_url(programme),
        )
    return current


def partner_recipients() -> list[str]:
    """Who opening consultation sends the draft to, in words: 'Ofsted (3 people in the
    Ofsted scheduler role)'."""
    from inspectorate.lib.wording import count_noun

    lines = []
    for partner, duty in PARTNER_DUTIES.items():
        people = count_noun(len(users_with_duty(duty)), "person", "people")
        roles = " or ".join(sorted(str(role.label) for role in DUTIES[duty]))
        lines.append(f"{Organisation(partner).label}: {people} with the {roles} role")
    return lines
