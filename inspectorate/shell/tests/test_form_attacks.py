"""The forms added last round, attacked: consultation challenges and answers, the e-mail
preference, retention approval and the subject-access request. Markup and template syntax are
kept as text and shown escaped, huge values and NUL bytes are field errors naming the field
(never a 500), another programme's event or a record not due is refused, and a double submit
writes once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inspectorate.accounts.constants import EmailPreference
from inspectorate.accounts.roles import Role
from inspectorate.complaints.constants import Status
from inspectorate.complaints.models import Complaint
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.lib import idempotency
from inspectorate.programme import consultation, services
from inspectorate.programme.models import ConsultationChallenge
from inspectorate.programme.tests.test_programme_helpers import (
    make_establishment,
    make_event,
    make_programme,
)
from inspectorate.retention.models import DisposalApproval

pytestmark = pytest.mark.django_db

NUL = "Wales\x00week"
MARKUP = "<script>alert(1)</script>{{ request.user }}{% debug %}"
CHALLENGE = reverse("programme:consultation-challenge", kwargs={"year": 2027})
RESPOND = reverse("programme:consultation-respond", kwargs={"year": 2027})
SUBJECT = reverse("retention:subject-access")
APPROVALS = reverse("retention:approvals")


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture
def event(db):
    return make_event(
        make_programme(2027), make_establishment("LE", "HMP Leeds"), starts_on=date(2027, 5, 10)
    )


@pytest.fixture
def scheduler(event):
    coordinator = h.user(Role.HMIP_COORDINATOR)
    programme = event.programme
    services.programme_open_consultation(
        actor=coordinator,
        programme=programme,
        version=programme.version,
        opened_on=date(2026, 11, 2),
    )
    return h.user(Role.OFSTED_SCHEDULER)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def error_of(response) -> str:
    assert response.status_code == 400, response.status_code
    return response.text


@pytest.mark.rule("PG-14")
@pytest.mark.parametrize(
    ("text", "message"),
    [
        (NUL, "Your challenge must not contain a null character"),
        ("x" * 2001, "Your challenge must be 2000 characters or fewer"),
        ("  ", "Enter your challenge"),
    ],
)
def test_a_bad_challenge_is_a_field_error(event, scheduler, text, message) -> None:
    page = signed_in(scheduler).post(CHALLENGE, {"event": str(event.pk), "text": text})
    assert message in error_of(page)
    assert not ConsultationChallenge.objects.exists()


@pytest.mark.rule("PG-14")
def test_a_challenge_keeps_markup_and_template_syntax_as_text(event, scheduler) -> None:
    client = signed_in(scheduler)
    response = client.post(CHALLENGE, {"event": str(event.pk), "text": MARKUP})
    assert response.status_code == 302
    assert ConsultationChallenge.objects.get().text == MARKUP
    page = client.get(RESPOND)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;{{ request.user }}{% debug %}" in page.text
    assert "<script>alert(1)" not in page.text


@pytest.mark.rule("PG-14")
def test_another_programmes_event_or_a_bad_id_is_refused(event, scheduler) -> None:
    other = make_event(
        make_programme(2028), make_establishment("BL", "HMP Belmarsh"), starts_on=date(2028, 5, 8)
    )
    client = signed_in(scheduler)
    for value in (str(other.pk), f"{event.pk}\x00", "-1", "9" * 40, "<b>"):
        page = client.post(CHALLENGE, {"event": value, "text": "Our team is away"})
        assert "Select the event you are challenging" in error_of(page)
    assert not ConsultationChallenge.objects.exists()


@pytest.mark.rule("PG-14")
def test_a_challenge_posted_twice_is_raised_once(event, scheduler) -> None:
    client = signed_in(scheduler)
    form = {"event": str(event.pk), "text": "Away that week", idempotency.FORM_FIELD: "Zx1-twice"}
    first, second = client.post(CHALLENGE, form), client.post(CHALLENGE, form)
    assert first.status_code == second.status_code == 302
    assert ConsultationChallenge.objects.count() == 1


@pytest.mark.rule("PG-14")
def test_a_nul_in_an_answer_or_a_response_is_a_field_error(event, scheduler) -> None:
    challenge = consultation.consultation_challenge_raise(
        actor=scheduler, programme=event.programme, event=event, text="Away that week"
    )
    answer_url = reverse("programme:challenge-answer", kwargs={"pk": challenge.pk})
    page = signed_in(h.user(Role.HMIP_COORDINATOR)).post(answer_url, {"answer": NUL})
    assert "Your answer must not contain a null character" in error_of(page)
    page = signed_in(scheduler).post(RESPOND, {"resourcing_confirmed": "no", "comment": NUL})
    assert "Comment must not contain a null character" in error_of(page)


@pytest.mark.parametrize("value", ["\x00", "daily\x00", "<b>daily</b>", "x" * 5000, ""])
def test_a_bad_email_preference_is_a_field_error(value) -> None:
    user = h.user(Role.HMIP_INSPECTOR)
    page = signed_in(user).post(reverse("accounts:email-preference"), {"email_preference": value})
    assert "Select how you want to be told by e-mail" in error_of(page)
    assert "<b>daily" not in page.text
    user.refresh_from_db()
    assert user.email_preference == EmailPreference.EACH


def test_an_email_preference_posted_twice_is_saved_once() -> None:
    user = h.user(Role.HMIP_INSPECTOR)
    client = signed_in(user)
    form = {"email_preference": EmailPreference.DAILY, idempotency.FORM_FIELD: "Zx1-pref"}
    first = client.post(reverse("accounts:email-preference"), form)
    second = client.post(reverse("accounts:email-preference"), form)
    assert first.status_code == second.status_code == 302
    assert second[idempotency.REPLAYED_HEADER] == "true"
    user.refresh_from_db()
    assert user.email_preference == EmailPreference.DAILY


@pytest.mark.rule("DP-1")
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("admin\x00", "Username must not contain a null character"),
        ("a" * 151, "Username must be 150 characters or fewer"),
        (MARKUP, "Enter the username of an existing account"),
    ],
)
def test_a_bad_subject_access_username_is_a_field_error(value, message) -> None:
    page = signed_in(h.user(Role.SYSTEM_ADMINISTRATOR)).post(SUBJECT, {"username": value})
    assert message in error_of(page)
    assert "<script>alert(1)" not in page.text
    assert "Content-Disposition" not in page.headers


def _complaint_due_for_disposal():
    event = h.full_inspection()
    return Complaint.objects.create(
        event=event,
        raised_by=h.team_leader(event),
        complainant="Someone",
        concern="Something",
        raised_on=timezone.localdate() - timedelta(days=5 * 365),
        status=Status.ANSWERED,
        responded_on=timezone.localdate() - timedelta(days=4 * 365),
    )


@pytest.mark.rule("DP-1")
def test_retention_approval_refuses_bad_ids_and_approves_once() -> None:
    complaint = _complaint_due_for_disposal()
    qa = signed_in(h.user(Role.QUALITY_ASSURANCE))
    for entry, record in [
        ("complaint\x00", str(complaint.pk)),
        ("complaint", f"{complaint.pk}\x00"),
        ("x" * 5000, "1"),
        ("complaint", str(complaint.pk + 1000)),  # no such record due
        ("alert", str(complaint.pk)),  # another entry's id
    ]:
        response = qa.post(APPROVALS, {"entry": entry, "record": record}, follow=True)
        assert response.status_code == 200
        assert "Disposal approved" not in response.text
    assert not DisposalApproval.objects.exists()
    form = {"entry": "complaint", "record": str(complaint.pk), idempotency.FORM_FIELD: "Zx1-a"}
    qa.post(APPROVALS, form)
    qa.post(APPROVALS, form)
    assert DisposalApproval.objects.count() == 1
    other = signed_in(h.user(Role.HMIP_INSPECTOR))
    assert other.post(APPROVALS, {"entry": "complaint", "record": "1"}).status_code == 404
