"""Who may raise, answer and take further concerns and complaints about an inspection (CP-1).

Who may *see* a complaint is `Complaint.objects.visible_to` (its readers are a duty); what
may be done next also depends on the complaint's stage (`services.complaint_actions`).
"""

from __future__ import annotations

from typing import Any

import rules

from inspectorate.accounts.permissions import condition, grant, permission
from inspectorate.accounts.roles import Duty
from inspectorate.complaints.models import Complaint
from inspectorate.inspections.rules import leads_event_of
from inspectorate.programme.models import Event
from inspectorate.programme.rules import is_own_establishment_event, sees_event

works_at_the_inspected_establishment = condition(
    is_own_establishment_event,
    "works_at_the_inspected_establishment",
    "A user of the establishment the event inspects.",
)
may_see_the_event = condition(
    sees_event, "may_see_the_event", "The event is one the user may see (PG-3)."
)


def _complained_about(complaint: Any) -> Event | None:
    return complaint.event if isinstance(complaint, Complaint) else None


leads_the_inspection = leads_event_of(
    _complained_about,
    "leads_the_inspection",
    "The team leader or Ofsted lead inspector of the inspection complained about.",
)


@rules.predicate
def is_the_complainant(user: Any, complaint: Any) -> bool:
    """Whoever raised it, or a user of the inspected establishment."""
    if not isinstance(complaint, Complaint):
        return False
    own = user.is_establishment_user and (user.establishment_id == complaint.event.establishment_id)
    return bool(own or user.pk == complaint.raised_by_id)


permission(
    "complaints.raise_concern",
    grant(Duty.ESTABLISHMENT, when=works_at_the_inspected_establishment),
    grant(Duty.ANSWERS_COMPLAINTS),
    provided=may_see_the_event,
    rule_ids=("CP-1",),
    text="Raise a concern about an inspection: its establishment, or HMI Prisons for them.",
)
permission(
    "complaints.reply_to_concern",
    grant(when=leads_the_inspection),
    rule_ids=("CP-1",),
    text="Answer a concern first, as the inspection's lead inspector.",
)
permission(
    "complaints.take_complaint_further",
    grant(when=is_the_complainant),
    rule_ids=("CP-1",),
    text="Make an unresolved concern formal, or ask for a review of the response.",
)
permission(
    "complaints.respond_to_complaint",
    grant(Duty.ANSWERS_COMPLAINTS),
    grant(when=leads_the_inspection),
    rule_ids=("CP-1",),
    text="Respond to a formal complaint or to a review.",
)
permission(
    "complaints.view_responses_due",
    grant(Duty.ANSWERS_COMPLAINTS, Duty.LEADS_INSPECTIONS),
    rule_ids=("CP-1",),
    text="See the complaint responses due (those of the user's inspections, for a lead).",
)
permission(
    "complaints.follow_complaints",
    grant(Duty.FOLLOWS_COMPLAINTS),
    text="Complaints in the menu (administrators reach them from Administration).",
)
