"""The demo's improvement case: HMP/YOI Pentonville, judged requires improvement at its
full inspection of November 2025 (the case opened itself when the demo published that
inspection's outcome, SC-1). Aisha Begum (demo user `improvement`) is its improvement HMI; the
telephone conversation, the first visit and a follow-up visit are recorded, one of the first
visit's actions is done (SC-6), and both visits' letters were sent. Written through the
services; idempotent."""

from __future__ import annotations

from datetime import date
from functools import partial

from django.db import transaction
from django.urls import reverse

from inspectorate.accounts.models import User
from inspectorate.improvement import services
from inspectorate.improvement.constants import CaseStatus, ContactKind
from inspectorate.improvement.models import ImprovementCase
from inspectorate.inspections.demo_content import FULL_INSPECTION_PUBLISHED_ON
from inspectorate.programme.demo_clock import at, happened_at
from inspectorate.programme.models import Notification

ESTABLISHMENT_CODE = "PV"
HMI_NAMED_ON = date(2026, 2, 12)
TELEPHONE_ON = date(2026, 2, 23)
VISIT_ON = date(2026, 3, 16)
LETTER_SENT_ON = date(2026, 3, 20)  # within five working days (SC-4)
DETAILS = {
    "addressee": "The Governor, HMP/YOI Pentonville",
    "learning_provider": "Novus",
    "funding_body": "Education and Skills Funding Agency",
    "funding_body_email": "esfa.prisons@example.gov.uk",
    "commissioning_head": "Head of HMPPS Education Commissioning",
    "commissioning_email": "commissioning@example.gov.uk",
}
ACTIONS = (
    (
        "Set and publish attendance targets for every education and work activity.",
        "Head of learning and skills",
        date(2026, 5, 29),
    ),
    (
        "Start reading assessments on the wings within a week of arrival.",
        "Reading lead, Novus",
        date(2026, 4, 30),
    ),
    (
        "Use allocation data each week to fill empty places.",
        "Activities hub manager",
        date(2026, 4, 17),
    ),
)
SUPPORT = ("seminar", "progress_meeting")
READING_DONE_ON = date(2026, 4, 28)
FOLLOW_UP_ON = date(2026, 6, 15)
FOLLOW_UP_LETTER_SENT_ON = date(2026, 6, 19)
FOLLOW_UP_ACTIONS = (
    (
        "Report attendance against the targets to the senior leadership team each month.",
        "Head of learning and skills",
        date(2026, 9, 30),
    ),
)


def _date_the_opening(case: ImprovementCase) -> None:
    """The case opened when the inspection's outcome was published (SC-1): date it, and the
    notifications that told of it, then."""
    opened = at(FULL_INSPECTION_PUBLISHED_ON, 12)
    ImprovementCase.objects.filter(pk=case.pk).update(opened_at=opened)
    url = reverse("improvement:case-detail", kwargs={"pk": case.pk})
    Notification.objects.filter(url=url, created_at__gt=opened).update(created_at=opened)


def demo_improvement_load() -> int:
    """Name the HMI, record the contacts and send the letter; return open cases."""
    case = ImprovementCase.objects.filter(
        establishment__code=ESTABLISHMENT_CODE, status=CaseStatus.OPEN
    ).first()
    hmi = User.objects.filter(username="improvement").first()
    if case is None or hmi is None or case.contacts.exists():
        return ImprovementCase.objects.filter(status=CaseStatus.OPEN).count()
    scheduler = User.objects.get(username="scheduler")
    with transaction.atomic():
        _date_the_opening(case)
        with happened_at(at(HMI_NAMED_ON, 10)):
            case = services.case_assign_hmi(
                actor=scheduler, case=case, hmi=hmi, version=case.version
            )
        case = services.case_details_update(actor=hmi, case=case, version=case.version, **DETAILS)
        record_contact = partial(services.contact_record, actor=hmi, case=case)
        record_contact(
            kind=ContactKind.TELEPHONE,
            held_on=TELEPHONE_ON,
            notes="Agreed the date of the first visit and the areas for improvement to cover.",
        )
        visit = record_contact(
            kind=ContactKind.VISIT,
            held_on=VISIT_ON,
            notes="Met the governor, the head of learning and skills and Novus's manager.",
            actions=[services.ActionInput(*action) for action in ACTIONS],
            support=SUPPORT,
        )
        letter = services.letter_draft(actor=hmi, contact=visit)
        with happened_at(at(LETTER_SENT_ON, 16)):
            services.letter_send(
                actor=hmi, letter=letter, version=letter.version, sent_on=LETTER_SENT_ON
            )
        reading = visit.actions.get(owner="Reading lead, Novus")
        with happened_at(at(READING_DONE_ON, 10)):
            services.action_mark_done(
                actor=hmi, action=reading, done_on=READING_DONE_ON, version=reading.version
            )
        with happened_at(at(FOLLOW_UP_ON, 15)):
            follow_up = record_contact(
                kind=ContactKind.FOLLOW_UP,
                held_on=FOLLOW_UP_ON,
                notes=(
                    "Reviewed progress on the actions of March with the head of learning and "
                    "skills."
                ),
                actions=[services.ActionInput(*action) for action in FOLLOW_UP_ACTIONS],
            )
            letter = services.letter_draft(actor=hmi, contact=follow_up)
        with happened_at(at(FOLLOW_UP_LETTER_SENT_ON, 16)):
            services.letter_send(
                actor=hmi, letter=letter, version=letter.version, sent_on=FOLLOW_UP_LETTER_SENT_ON
            )
    return ImprovementCase.objects.filter(status=CaseStatus.OPEN).count()
