"""Every write of concerns and complaints (CP-1). Notifications go after commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple, TypedDict, Unpack

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


def _tell(recipients: Iterable[Any], subject: str, body: str, complaint: Complaint) -> None:
    """Notify `recipients` of the complaint: `subject` is followed by the event's name."""
    notify(
        recipients=recipients,
        subject=f"{subject} {lower_first(str(complaint.event))}",
        body=body,
        url=_url(complaint),
    )


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
        body = f"{who}: {text}\n\nPlease try to resolve it with them (CP-1)."
        _tell(_leads(event), "A concern about the", body, complaint)
    return complaint


def _locked_at(
    complaint: Complaint, version: int | None, stage: str, status: str, refused: dict[str, str]
) -> Complaint:
    """The complaint locked for a change; `refused` (a ValidationError) unless it is at
    `stage` with `status`."""
    current = locked(Complaint, complaint.pk, version)
    if current.stage != stage or current.status != status:
        raise ValidationError(refused)
    return current


def complaint_lead_reply(
    *, actor: User, complaint: Complaint, reply: str, resolved: bool, version: int | None
) -> Complaint:
    """The lead inspector's answer to the concern; resolved or not."""
    if not actor.has_perm("complaints.reply_to_concern", complaint):
        raise PermissionDenied("Only the inspection's lead inspector answers the concern.")
    text = _require_text(reply, "reply", "Enter your reply")
    with transaction.atomic():
        refused = {"reply": "The concern has already been dealt with"}
        current = _locked_at(complaint, version, Stage.CONCERN, Status.OPEN, refused)
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


class _Escalated(NamedTuple):
    """Where a stage the complainant opens keeps its facts, and how the coordinators are
    told: `subject` is followed by the event's name; `due_wording` formats the due date
    after the reason."""

    opened_on: str
    reason: str
    due_on: str
    subject: str
    due_wording: str


_ESCALATED: dict[str, _Escalated] = {
    Stage.FORMAL: _Escalated(
        "formal_on",
        "formal_reason",
        "response_due_on",
        "Formal complaint about the",
        "The response is due by {:%-d %B %Y} (CP-1).",
    ),
    Stage.REVIEW: _Escalated(
        "review_requested_on",
        "review_reason",
        "review_due_on",
        "Review asked for: complaint about the",
        "Due by {:%-d %B %Y}.",
    ),
}


def _escalate(current: Complaint, stage: str, text: str) -> Complaint:
    """Open `stage`, due in 20 working days, and tell the programme's coordinators."""
    fields = _ESCALATED[stage]
    day = today()
    due = response_due(current.event, day)
    facts: dict[str, Any] = {fields.opened_on: day, fields.reason: text, fields.due_on: due}
    current = saved(current, stage=stage, status=Status.OPEN, **facts)
    body = f"{text}\n\n{fields.due_wording.format(due)}"
    _tell(users_with_duty(Duty.COORDINATES_PROGRAMME), fields.subject, body, current)
    return current


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
        return _escalate(current, Stage.FORMAL, text)


class _Answered(NamedTuple):
    """Where a stage's answer keeps its facts, and what its service says."""

    response: str
    route: str  # how to ask for the next review
    on: str
    by: str
    wording: tuple[str, str, str]  # no response; no route; the subject, before the event


_ANSWERED: dict[str, _Answered] = {
    Stage.FORMAL: _Answered(
        "response",
        "review_route",
        "responded_on",
        "responded_by",
        (
            "Enter the response",
            "Say how to ask for a review (CP-1)",
            "Response to your complaint about the",
        ),
    ),
    Stage.REVIEW: _Answered(
        "review_response",
        "independent_review_route",
        "review_responded_on",
        "review_responded_by",
        (
            "Enter the review's response",
            "Say how to ask for an independent review (CP-1)",
            "Review of your complaint about the",
        ),
    ),
}


class Answer(TypedDict):
    """A formal complaint's or a review's answer, as its response form sends it."""

    response: str
    review_route: str
    version: int | None


def _answer(
    actor: User,
    complaint: Complaint,
    stage: str,
    *,
    response: str,
    review_route: str,
    version: int | None,
) -> Complaint:
    """Record the answer (its text, how to ask for the next review) at `stage` and send it to
    whoever raised the complaint, the subject naming the event."""
    fields = _ANSWERED[stage]
    no_response, no_route, subject = fields.wording
    text = _require_text(response, "response", no_response)
    route = _require_text(review_route, "review_route", no_route)
    with transaction.atomic():
        if not actor.has_perm("complaints.respond_to_complaint", complaint):
            raise PermissionDenied("Only HMI Prisons programme staff or the lead answer it.")
        refused = {"response": "There is nothing awaiting a response at this stage"}
        current = _locked_at(complaint, version, stage, Status.OPEN, refused)
        facts: dict[str, Any] = {
            fields.response: text,
            fields.route: route,
            fields.on: today(),
            fields.by: actor,
        }
        current = saved(current, status=Status.ANSWERED, **facts)
        _tell([current.raised_by], subject, f"{text}\n\n{route}", current)
    return current


def complaint_respond(*, actor: User, complaint: Complaint, **answer: Unpack[Answer]) -> Complaint:
    """The response to a formal complaint, with how to ask for a review (CP-1)."""
    return _answer(actor, complaint, Stage.FORMAL, **answer)


def complaint_request_review(
    *, actor: User, complaint: Complaint, reason: str, version: int | None
) -> Complaint:
    _require_complainant_side(actor, complaint)
    text = _require_text(reason, "reason", "Say why you ask for a review")
    with transaction.atomic():
        refused = {"reason": "A review follows the response to a formal complaint"}
        current = _locked_at(complaint, version, Stage.FORMAL, Status.ANSWERED, refused)
        return _escalate(current, Stage.REVIEW, text)


def complaint_review_respond(
    *, actor: User, complaint: Complaint, **answer: Unpack[Answer]
) -> Complaint:
    """The review's response, recorded like the first one: with how to ask for an
    independent review (CP-1)."""
    return _answer(actor, complaint, Stage.REVIEW, **answer)


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
