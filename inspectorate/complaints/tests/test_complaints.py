"""CP-1: a concern goes first to the lead inspector; unresolved, a formal complaint is
answered within 20 working days with how to ask for a review; a review is recorded the same
way. Only those concerned see it."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.complaints import services
from inspectorate.complaints.constants import Stage, Status
from inspectorate.complaints.models import Complaint
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.lib.versions import StaleVersion
from inspectorate.programme.models import Notification

pytestmark = pytest.mark.django_db

ROUTE = "Reply within 20 working days to ask for an internal review."
INDEPENDENT = "Reply within 20 working days to ask for an independent review."


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture
def event():
    return h.full_inspection()


@pytest.fixture
def lead(event):
    return h.team_leader(event)


@pytest.fixture
def governor(event):
    return h.establishment_user(event)


def raise_concern(event, governor) -> Complaint:
    return services.complaint_raise(
        actor=governor,
        event=event,
        complainant="Claire Dawson, governor",
        concern="Inspectors did not look at the new reading strategy.",
    )


def formal(complaint, governor) -> Complaint:
    return services.complaint_make_formal(
        actor=governor, complaint=complaint, reason="Not resolved.", version=complaint.version
    )


@pytest.mark.rule("CP-1")
def test_a_concern_goes_first_to_the_lead_inspector(event, lead, governor) -> None:
    complaint = raise_concern(event, governor)
    assert complaint.stage == Stage.CONCERN
    assert Notification.objects.filter(recipient=lead).exists()
    with pytest.raises(ValidationError):  # not before the lead has had a chance to reply
        complaint = services.complaint_respond(
            actor=h.user(Role.HMIP_COORDINATOR),
            complaint=complaint,
            response="Answer.",
            review_route=ROUTE,
            version=complaint.version,
        )
    replied = services.complaint_lead_reply(
        actor=lead,
        complaint=complaint,
        reply="We looked at it on day 3.",
        resolved=True,
        version=complaint.version,
    )
    assert replied.status == Status.RESOLVED


@pytest.mark.rule("CP-1")
def test_a_formal_complaint_is_due_in_20_working_days(event, lead, governor) -> None:
    complaint = raise_concern(event, governor)
    complaint = services.complaint_lead_reply(
        actor=lead, complaint=complaint, reply="Noted.", resolved=False, version=complaint.version
    )
    coordinator = h.user(Role.HMIP_COORDINATOR)
    complaint = formal(complaint, governor)
    assert complaint.formal_on == h.TODAY
    assert complaint.response_due_on == date(2026, 12, 21)  # Monday 23 November + 20
    assert Notification.objects.filter(recipient=coordinator).exists()


@pytest.mark.rule("CP-1")
def test_the_20_working_days_skip_the_christmas_bank_holidays(event, lead, governor) -> None:
    with time_machine.travel(date(2026, 12, 21), tick=False):
        complaint = formal(raise_concern(event, governor), governor)
    # 20 working days after Monday 21 December 2026: 25 and 28 December and 1 January are
    # bank holidays in England.
    assert complaint.response_due_on == date(2027, 1, 21)


@pytest.mark.rule("CP-1")
def test_the_response_says_how_to_ask_for_a_review_and_a_review_is_recorded(
    event, lead, governor
) -> None:
    complaint = formal(raise_concern(event, governor), governor)
    coordinator = h.user(Role.HMIP_COORDINATOR)
    with pytest.raises(ValidationError) as refusal:
        services.complaint_respond(
            actor=coordinator,
            complaint=complaint,
            response="We reviewed it.",
            review_route=" ",
            version=complaint.version,
        )
    assert "review_route" in refusal.value.message_dict
    answered = services.complaint_respond(
        actor=coordinator,
        complaint=complaint,
        response="We reviewed it.",
        review_route=ROUTE,
        version=complaint.version,
    )
    assert answered.status == Status.ANSWERED
    assert answered.review_route == ROUTE
    assert Notification.objects.filter(recipient=governor, body__contains=ROUTE).exists()
    reviewed = services.complaint_request_review(
        actor=governor, complaint=answered, reason="Still not satisfied.", version=answered.version
    )
    assert reviewed.stage == Stage.REVIEW
    assert reviewed.review_due_on == date(2026, 12, 21)
    with pytest.raises(ValidationError) as refusal:
        services.complaint_review_respond(
            actor=coordinator,
            complaint=reviewed,
            response="Upheld in part.",
            review_route="",
            version=reviewed.version,
        )
    assert "review_route" in refusal.value.message_dict
    done = services.complaint_review_respond(
        actor=coordinator,
        complaint=reviewed,
        response="Upheld in part.",
        review_route=INDEPENDENT,
        version=reviewed.version,
    )
    assert (done.status, done.review_response) == (Status.ANSWERED, "Upheld in part.")
    assert (done.independent_review_route, done.review_responded_by) == (INDEPENDENT, coordinator)
    assert Notification.objects.filter(
        recipient=governor, subject__startswith="Review of your complaint"
    ).exists()


@pytest.mark.rule("CP-1")
def test_only_the_establishment_raises_and_only_the_lead_replies(event, lead, governor) -> None:
    other = h.user(
        Role.ESTABLISHMENT_USER, establishment=h.make_establishment("BL", "HMP Belmarsh")
    )
    with pytest.raises(PermissionDenied):
        raise_concern(event, other)
    complaint = raise_concern(event, governor)
    with pytest.raises(PermissionDenied):
        services.complaint_lead_reply(
            actor=h.team_inspector(event),
            complaint=complaint,
            reply="x",
            resolved=True,
            version=complaint.version,
        )
    with pytest.raises(StaleVersion):
        services.complaint_lead_reply(
            actor=lead, complaint=complaint, reply="x", resolved=True, version=complaint.version + 1
        )
    assert Complaint.objects.get().lead_reply == ""


@pytest.mark.rule("CP-1")
def test_who_sees_a_complaint(client, event, lead, governor) -> None:
    complaint = raise_concern(event, governor)
    url = reverse("complaints:detail", kwargs={"pk": complaint.pk})
    for reader in (governor, lead, h.user(Role.HMIP_COORDINATOR), h.user(Role.QUALITY_ASSURANCE)):
        client.force_login(reader)
        assert client.get(url).status_code == 200
    for outsider in (
        h.team_inspector(event),
        h.user(Role.OFSTED_SCHEDULER),
        h.user(Role.ESTABLISHMENT_USER, establishment=h.make_establishment("BL", "HMP Belmarsh")),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_governor_raises_from_the_event_page(client, event, lead, governor) -> None:
    client.force_login(governor)
    page = client.get(reverse("programme:event-detail", kwargs={"pk": event.pk}))
    raise_url = reverse("complaints:raise", kwargs={"event_pk": event.pk})
    assert raise_url in page.text
    response = client.post(raise_url, {"complainant": "Claire Dawson", "concern": "Too rushed."})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    client.force_login(lead)
    page = client.get(reverse("complaints:detail", kwargs={"pk": complaint.pk}))
    assert "Send the reply" in page.text


@pytest.mark.rule("CP-1")
def test_the_response_due_is_on_the_coordinators_deadlines(client, event, lead, governor) -> None:
    coordinator = h.user(Role.HMIP_COORDINATOR)
    with time_machine.travel(date(2026, 10, 26), tick=False):
        formal(raise_concern(event, governor), governor)  # due Monday 23 November 2026
    client.force_login(coordinator)
    page = client.get(reverse("programme:milestone-dashboard"))
    assert "Response to the formal complaint about the full inspection of HMP Leeds" in page.text
    assert "Overdue" not in page.text.split("Letters and complaint responses")[1]


def test_the_notification_names_the_inspection_inside_its_sentence(event, lead, governor) -> None:
    """Issue 22 (wording): 'A concern about the Full inspection of …' had a capital mid-sentence."""
    complaint = raise_concern(event, governor)
    told = Notification.objects.get(recipient=lead)
    assert told.subject.startswith("A concern about the full inspection of ")
    assert str(complaint).startswith("Complaint about the full inspection of ")
