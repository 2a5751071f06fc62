"""The demo's complaint about the full inspection of HMP/YOI Pentonville (November 2025):
the inspection missed the new reading strategy. Raised by the demo governor if they belong
to Pentonville, otherwise by the programme coordinator on the governor's behalf; answered by
the team leader, then made formal and answered within 20 working days with how to ask for a
review (CP-1). Written through the services; idempotent."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from inspectorate.accounts.models import User
from inspectorate.complaints import services
from inspectorate.complaints.constants import DEFAULT_REVIEW_ROUTE
from inspectorate.complaints.models import Complaint
from inspectorate.programme.constants import EventKind
from inspectorate.programme.models import Event

PENTONVILLE = "PV"


def _complainant(event: Event) -> tuple[User | None, str]:
    """Who records the concern, and the complainant's name and role."""
    governor = User.objects.filter(username="governor").first()
    if governor is not None and governor.establishment_id == event.establishment_id:
        return governor, f"{governor.get_full_name()}, governor"
    coordinator = User.objects.filter(username="coordinator").first()
    return coordinator, f"The governor, {event.establishment.name} (by telephone)"


def demo_complaints_load() -> int:
    """Return the number of complaints in the demo."""
    event = Event.objects.filter(
        establishment__code=PENTONVILLE,
        kind=EventKind.FULL_INSPECTION,
        starts_on=date(2025, 11, 3),
    ).first()
    if event is None or Complaint.objects.filter(event=event).exists():
        return Complaint.objects.count()
    raiser, complainant = _complainant(event)
    leader = User.objects.filter(username="teamleader").first()
    coordinator = User.objects.filter(username="coordinator").first()
    if raiser is None or leader is None or coordinator is None:
        return Complaint.objects.count()
    with transaction.atomic():
        complaint = services.complaint_raise(
            actor=raiser,
            event=event,
            complainant=complainant,
            concern="The inspection did not take account of the reading strategy launched in "
            "October, so the judgement of the quality of provision is unfair.",
        )
        complaint = services.complaint_lead_reply(
            actor=leader,
            complaint=complaint,
            reply="Inspectors saw the strategy's first sessions and the screening plan; the "
            "report credits the peer mentors but finds that screening had not started.",
            resolved=False,
            version=complaint.version,
        )
        complaint = services.complaint_make_formal(
            actor=raiser,
            complaint=complaint,
            reason="The establishment does not accept the reply and asks for a formal answer.",
            version=complaint.version,
        )
        services.complaint_respond(
            actor=coordinator,
            complaint=complaint,
            response="We have reviewed the evidence forms and the team's records: the findings "
            "are supported by the evidence. We do not uphold the complaint.",
            review_route=DEFAULT_REVIEW_ROUTE,
            version=complaint.version,
        )
    return Complaint.objects.count()
