"""Every write of concerns and complaints (CP-1). Notifications go after commit."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from inspectorate.accounts.roles import Duty
from inspectorate.complaints.constants import LEAD_PLACES, RESPONSE_WORKING_DAYS, Stage, Status
from inspectorate.complaints.models import Complaint
from inspectorate.lib.versions import locked, saved
from inspectorate.lib.wording import lower_first
from inspectorate.lib.workdays import Nation, add_working_days
from inspectorate.programme.models import Event, today
from inspectorate.programme.notifications import notify, users_with_duty

if TYPE_CHECKING:
    from inspectorate.accounts.models import User


def _url(complaint: Complaint) -> str:
    return reverse("complaints:detail", kwargs={"pk": complaint.pk})


def response_due(event: Event, start: date) -> date:
    """CP-1: 20 working days in the establishment's nation."""
    return add_working_days(start, RESPONSE_WORKING_DAYS, Nation(event.establishment.nation))


def _leads(event: Event) -> list[Any]:
    places = event.team.filter(role__in=LEAD_PLACES, inspector__user__isnull=False)
    return [place.inspector.user for place in places.select_related("inspector__user")]


def _require_text(value: str, field: str, message: str) -> str:
    if not value.strip():
        raise ValidationError({field: message})
    return value.strip()


def complaint_raise(*, actor: User, event: Event, complainant: str, concern: str) -> Complaint:
    """A concern about an inspection, raised with the lead inspector first (CP-1): by a user
    of the inspected establishment, or by HMI Prisons staff on their behalf."""
    if not actor.has_perm("complaints.raise_concern", event):
        raise PermissionDenied("Only the inspected establishment raises a concern about it.")
    text = _require_text(concern, "concern", "Describe the concern")
    who = _require_text(complainant, "complainant", "Enter the complainant's name and role")
    with transaction.atomic():
        complaint = Complaint.objects.create(
            event=event, raised_by=actor, complainant=who, concern=text, raised_on=today()
        )
        notify(
            recipients=_leads(event),
            subject=f"A concern about the {lower_first(str(event))}",
            body=f"{who}: {text}\n\nPlease try to resolve it with them (CP-1).",
            url=_url(complaint),
        )
    return complaint


def complaint_lead_reply(
    *, actor: User, complaint: Complaint, reply: str, resolved: bool, version: int | None
) -> Complaint:
    """The lead inspector's answer to the concern; resolved or not."""
    if not actor.has_perm("complaints.reply_to_concern", complaint):
        raise PermissionDenied("Only the inspection's lead inspector answers the concern.")
    text = _require_text(reply, "reply", "Enter your reply")
    with transaction.atomic():
        current = locked(Complaint, complaint.pk, version)
        if current.stage != Stage.CONCERN or current.status != Status.OPEN:
            raise ValidationError({"reply": "The concern has already been dealt with"})
        return saved(
            current,
            lead_reply=text,
            lead_replied_by=actor,
            lead_replied_on=today(),
            status=Status.RESOLVED if resolved else Status.OPEN,
        )


def _require_complainant_side(actor: User, complaint: Complaint) -> None:
    if not actor.has_perm("complaints.take_complaint_further", complaint):
        raise PermissionDenied("Only the complainant takes the complaint further.")


def complaint_make_formal(
    *, actor: User, complaint: Complaint, reason: str, version: int | None
) -> Complaint:
    """The concern was not resolved: a formal complaint, answered within 20 working days.
    Not once the lead inspector has resolved it; a lead who has not replied yet does not
    stop it (the concern has gone to them first)."""
    _require_complainant_side(actor, complaint)
    text = _require_text(reason, "reason", "Say why the concern is not resolved")
    with transaction.atomic():
        current = locked(Complaint, complaint.pk, version)
        if current.stage != Stage.CONCERN:
            raise ValidationError({"reason": "This is already a formal complaint"})
        if current.status != Status.OPEN:
            raise ValidationError({"reason": "The lead inspector has resolved this concern"})
        day = today()
        current = saved(
            current,
            stage=Stage.FORMAL,
            status=Status.OPEN,
            formal_on=day,
            formal_reason=text,
            response_due_on=response_due(current.event, day),
        )
        notify(
            recipients=users_with_duty(Duty.COORDINATES_PROGRAMME),
            subject=f"Formal complaint about the {lower_first(str(current.event))}",
            body=f"{text}\n\nThe response is due by {current.response_due_on:%-d %B %Y} (CP-1).",
            url=_url(current),
        )
    return current


def _respond(actor: User, complaint: Complaint, version: int | None, stage: str) -> Complaint:
    if not actor.has_perm("complaints.respond_to_complaint", complaint):
        raise PermissionDenied("Only HMI Prisons programme staff or the lead answer it.")
    current = locked(Complaint, complaint.pk, version)
    if current.stage != stage or current.status != Status.OPEN:
        raise ValidationError({"response": "There is nothing awaiting a response at this stage"})
    return current


def complaint_respond(
    *,
    actor: User,
    complaint: Complaint,
    response: str,
    review_route: str,
    version: int | None,
) -> Complaint:
    """The response to a formal complaint, with how to ask for a review (CP-1)."""
    text = _require_text(response, "response", "Enter the response")
    route = _require_text(review_route, "review_route", "Say how to ask for a review (CP-1)")
    with transaction.atomic():
        current = _respond(actor, complaint, version, Stage.FORMAL)
        current = saved(
            current,
            response=text,
            review_route=route,
            responded_on=today(),
            responded_by=actor,
            status=Status.ANSWERED,
        )
        notify(
            recipients=[current.raised_by],
            subject=f"Response to your complaint about the {lower_first(str(current.event))}",
            body=f"{text}\n\n{route}",
            url=_url(current),
        )
    return current


def complaint_request_review(
    *, actor: User, complaint: Complaint, reason: str, version: int | None
) -> Complaint:
    _require_complainant_side(actor, complaint)
    text = _require_text(reason, "reason", "Say why you ask for a review")
    with transaction.atomic():
        current = locked(Complaint, complaint.pk, version)
        if current.stage != Stage.FORMAL or current.status != Status.ANSWERED:
            raise ValidationError({"reason": "A review follows the response to a formal complaint"})
        day = today()
        current = saved(
            current,
            stage=Stage.REVIEW,
            status=Status.OPEN,
            review_requested_on=day,
            review_reason=text,
            review_due_on=response_due(current.event, day),
        )
        notify(
            recipients=users_with_duty(Duty.COORDINATES_PROGRAMME),
            subject=f"Review asked for: complaint about the {lower_first(str(current.event))}",
            body=f"{text}\n\nDue by {current.review_due_on:%-d %B %Y}.",
            url=_url(current),
        )
    return current


def complaint_review_respond(
    *,
    actor: User,
    complaint: Complaint,
    response: str,
    review_route: str,
    version: int | None,
) -> Complaint:
    """The review's response, recorded like the first one: with how to ask for an
    independent review (CP-1)."""
    text = _require_text(response, "response", "Enter the review's response")
    route = _require_text(
        review_route, "review_route", "Say how to ask for an independent review (CP-1)"
    )
    with transaction.atomic():
        current = _respond(actor, complaint, version, Stage.REVIEW)
        current = saved(
            current,
            review_response=text,
            independent_review_route=route,
            review_responded_on=today(),
            review_responded_by=actor,
            status=Status.ANSWERED,
        )
        notify(
            recipients=[current.raised_by],
            subject=f"Review of your complaint about the {lower_first(str(current.event))}",
            body=f"{text}\n\n{route}",
            url=_url(current),
        )
    return current


def complaint_actions(user: Any, complaint: Complaint) -> set[str]:
    """What `user` may do next with `complaint`: reply, formal, respond, review,
    review-respond."""
    actions: set[str] = set()
    lead = user.has_perm("complaints.reply_to_concern", complaint)
    complainant = user.has_perm("complaints.take_complaint_further", complaint)
    responder = user.has_perm("complaints.respond_to_complaint", complaint)
    stage, status = complaint.stage, complaint.status
    if stage == Stage.CONCERN and status == Status.OPEN and lead and not complaint.lead_reply:
        actions.add("reply")
    if stage == Stage.CONCERN and complainant and complaint.lead_reply and status == Status.OPEN:
        actions.add("formal")
    if stage == Stage.FORMAL and status == Status.OPEN and responder:
        actions.add("respond")
    if stage == Stage.FORMAL and status == Status.ANSWERED and complainant:
        actions.add("review")
    if stage == Stage.REVIEW and status == Status.OPEN and responder:
        actions.add("review-respond")
    return actions
