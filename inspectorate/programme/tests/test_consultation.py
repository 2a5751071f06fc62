"""Consultation on the draft programme (PG-14): opening it sends Ofsted the draft; Ofsted's
scheduling team confirms its resourcing or challenges events, each raised at once; the
coordinator answers, and confirms with the responses in view. Only the programme roles see
any of it (PG-3)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from inspectorate.accounts.roles import Role
from inspectorate.programme import consultation, services
from inspectorate.programme.constants import ProgrammeStatus
from inspectorate.programme.models import ConsultationChallenge, ConsultationResponse, Notification
from inspectorate.programme.tests.test_programme_helpers import (
    NOON,
    date_post,
    make_establishment,
    make_event,
    make_programme,
)

RESPOND = reverse("programme:consultation-respond", kwargs={"year": 2027})
CHALLENGE = reverse("programme:consultation-challenge", kwargs={"year": 2027})
CONFIRM = reverse("programme:confirm", kwargs={"year": 2027})
DETAIL = reverse("programme:detail", kwargs={"year": 2027})


@pytest.fixture(autouse=True)
def _on_22_november():
    with time_machine.travel(NOON, tick=False):
        yield


@pytest.fixture
def coordinator(make_user):
    user = make_user(Role.HMIP_COORDINATOR, username="coordinator")
    user.email = "coordinator@hmip.invalid"
    user.save()
    return user


@pytest.fixture
def scheduler(make_user):
    user = make_user(Role.OFSTED_SCHEDULER, username="scheduler")
    user.email = "scheduler@ofsted.invalid"
    user.save()
    return user


@pytest.fixture
def event(db):
    return make_event(
        make_programme(2027), make_establishment("LE", "HMP Leeds"), starts_on=date(2027, 5, 10)
    )


@pytest.fixture
def opened(coordinator, scheduler, event):
    programme = event.programme
    return services.programme_open_consultation(
        actor=coordinator,
        programme=programme,
        version=programme.version,
        opened_on=date(2026, 11, 2),
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.rule("PG-14")
def test_opening_consultation_sends_ofsted_the_draft(
    opened, scheduler, django_capture_on_commit_callbacks
) -> None:
    notice = Notification.objects.get(recipient=scheduler)
    assert notice.subject == "Programme 2027 to 2028: consultation open, your response is due"
    assert "The draft runs from 10 May 2027 to 21 May 2027 (Full inspection: 1)" in notice.body
    assert notice.url == RESPOND
    assert consultation.consultations_awaiting(scheduler) == [opened]


@pytest.mark.rule("PG-14")
def test_a_partner_confirms_resourcing_and_the_coordinators_are_told(
    opened, scheduler, coordinator
) -> None:
    response = consultation.consultation_respond(
        actor=scheduler, programme=opened, resourcing_confirmed=True, comment="All set"
    )
    assert (response.partner, response.resourcing_confirmed) == ("ofsted", True)
    told = Notification.objects.get(recipient=coordinator)
    assert told.subject == "Ofsted confirmed its resourcing for the 2027 to 2028 programme"
    assert consultation.consultations_awaiting(scheduler) == []
    # A refusal needs the reason, and changes nothing without it.
    with pytest.raises(ValidationError) as problem:
        consultation.consultation_respond(
            actor=scheduler, programme=opened, resourcing_confirmed=False
        )
    assert problem.value.message_dict == {"comment": ["Enter the comment"]}
    assert ConsultationResponse.objects.get().resourcing_confirmed is True


@pytest.mark.rule("PG-14")
def test_only_the_partners_scheduling_team_responds(opened, make_user) -> None:
    for role in (Role.HMIP_COORDINATOR, Role.HMIP_INSPECTOR, Role.OFSTED_INSPECTOR):
        with pytest.raises(PermissionDenied):
            consultation.consultation_respond(
                actor=make_user(role, username=f"u_{role}"),
                programme=opened,
                resourcing_confirmed=True,
            )
    assert not ConsultationResponse.objects.exists()


@pytest.mark.rule("PG-14")
def test_a_challenge_is_raised_at_once_answered_and_confirmed_in_view(
    opened, scheduler, coordinator, event
) -> None:
    challenge = consultation.consultation_challenge_raise(
        actor=scheduler, programme=opened, event=event, text="Our team is in Wales that week"
    )
    raised = Notification.objects.get(recipient=coordinator)
    assert raised.subject.startswith("Ofsted challenges Full inspection of HMP Leeds")
    warnings = services.confirmation_warnings(opened, date(2026, 11, 20))
    assert warnings["challenges"] == "1 challenge to events is not answered (PG-14)."
    assert "response_ofsted" in warnings  # resourcing not yet confirmed

    consultation.consultation_challenge_answer(
        actor=coordinator, challenge=challenge, answer="Moved to June"
    )
    assert (
        Notification.objects.get(recipient=scheduler, subject__contains="answered").url == RESPOND
    )
    with pytest.raises(PermissionDenied):
        consultation.consultation_challenge_answer(
            actor=scheduler, challenge=challenge, answer="Thanks"
        )
    assert "challenges" not in services.confirmation_warnings(opened, date(2026, 11, 20))


@pytest.mark.rule("PG-14")
def test_a_consultation_of_no_working_days_is_a_warning(coordinator, scheduler, event) -> None:
    programme = services.programme_open_consultation(
        actor=coordinator, programme=event.programme, version=1
    )
    consultation.consultation_respond(
        actor=scheduler, programme=programme, resourcing_confirmed=True
    )
    warnings = services.confirmation_warnings(programme, date(2026, 11, 22))
    assert warnings["confirmed_on"] == (
        "Consultation opened on 22 November 2026: confirming on 22 November 2026 leaves the "
        "partners 0 working days to respond, fewer than 5 (PG-14)."
    )


@pytest.mark.rule("PG-3")
@pytest.mark.rule("PG-14")
def test_only_programme_roles_see_the_consultation(opened, scheduler, event, make_user) -> None:
    consultation.consultation_challenge_raise(
        actor=scheduler, programme=opened, event=event, text="A secret challenge"
    )
    for role in (Role.HMIP_COORDINATOR, Role.HMIP_TEAM_LEADER, Role.OFSTED_SCHEDULER):
        user = make_user(role, username=f"sees_{role}")
        summary = consultation.consultation_summary(user, opened)
        assert summary is not None
        assert len(summary.challenges) == 1
    governor = make_user(Role.ESTABLISHMENT_USER, username="gov", establishment=event.establishment)
    for user in (
        make_user(Role.HMIP_INSPECTOR, username="insp"),
        make_user(Role.OFSTED_INSPECTOR, username="oinsp"),
        make_user(Role.QUALITY_ASSURANCE, username="qa"),
        governor,
    ):
        assert consultation.consultation_summary(user, opened) is None
        assert not ConsultationResponse.objects.visible_to(user).exists()
        client = client_for(user)
        assert "A secret challenge" not in client.get(DETAIL).text
        assert client.get(RESPOND).status_code in (403, 404)
        assert client.get("/api/v1/programmes/2027/consultation/").status_code in (403, 404)


@pytest.mark.rule("PG-14")
def test_the_consultation_screens_from_opening_to_confirmation(
    coordinator, scheduler, event
) -> None:
    hmip, ofsted = client_for(coordinator), client_for(scheduler)
    opening = reverse("programme:open-consultation", kwargs={"year": 2027})
    check = hmip.get(opening)  # what will happen, before it happens
    assert check.status_code == 200
    assert "Ofsted: 1 person with the Ofsted scheduler role" in check.text
    assert event.programme.status == ProgrammeStatus.DRAFT
    assert hmip.post(opening, {"version": 1}).status_code == 302
    assert "Respond to the consultation" in ofsted.get(DETAIL).text

    refused = ofsted.post(RESPOND, {"resourcing_confirmed": "no"})
    assert refused.status_code == 400
    assert "Enter the comment" in refused.text
    assert ofsted.post(RESPOND, {"resourcing_confirmed": "yes"}).status_code == 302
    missing = ofsted.post(CHALLENGE, {"event": "", "text": "x"})
    assert missing.status_code == 400
    assert "Select the event you are challenging" in missing.text
    raised = ofsted.post(CHALLENGE, {"event": str(event.pk), "text": "Clashes with our survey"})
    assert raised.status_code == 302

    page = hmip.get(CONFIRM).text
    assert "Clashes with our survey" in page
    assert "1 challenge not answered" in page
    data = {"version": 2, **date_post("confirmed_on", date(2026, 11, 22))}
    warned = hmip.post(CONFIRM, data)
    assert warned.status_code == 400
    assert "1 challenge to events is not answered (PG-14)" in warned.text
    done = hmip.post(CONFIRM, {**data, "override_reason": "Settled by telephone"})
    assert done.status_code == 302
    event.programme.refresh_from_db()
    assert event.programme.status == ProgrammeStatus.CONFIRMED
    assert event.programme.confirmation_reason.endswith("Reason: Settled by telephone")


@pytest.mark.rule("PG-14")
def test_the_api_takes_responses_and_challenges(opened, scheduler, coordinator, event) -> None:
    ofsted = client_for(scheduler)
    base = "/api/v1/programmes/2027/consultation/"
    answered = ofsted.post(
        base + "respond/", {"resourcing_confirmed": True}, content_type="application/json"
    )
    assert answered.status_code == 200, answered.content
    assert answered.json()["partners"][0]["resourcing_confirmed"] is True
    raised = ofsted.post(
        base + "challenges/",
        {"event": event.pk, "text": "Too close to Christmas"},
        content_type="application/json",
    )
    assert raised.status_code == 201, raised.content
    summary = client_for(coordinator).get(base).json()
    assert summary["outstanding"] == 1
    assert summary["partners"][0]["challenges"][0]["text"] == "Too close to Christmas"
    assert ConsultationChallenge.objects.count() == 1
