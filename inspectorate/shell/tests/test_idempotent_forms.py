"""Forms posted twice write once (finding 6): every POST form carries an idempotency token;
the first successful submission's answer is given to any repeat of it, even a concurrent one;
a form redisplayed with errors can still be sent."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import apply_production
from inspectorate.accounts.roles import Role
from inspectorate.complaints.models import Complaint
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.lib import idempotency
from inspectorate.programme.models import Notification
from inspectorate.programme.tests.email_helpers import email_jobs_run
from inspectorate.safeguarding.constants import EntryKind
from inspectorate.safeguarding.models import Alert, AlertEntry
from inspectorate.shell.models import IdempotencyRecord

FORM = re.compile(r"<form\b(?P<tag>[^>]*)>(?P<body>.*?)(?:</form>|\Z)", re.S | re.I)
POSTS = re.compile(r"""method\s*=\s*["']?post""", re.I)
ALERT = {"kind": "safeguarding", "summary": "Bruising seen on a young adult's arm."}
TOKEN = {idempotency.FORM_FIELD: "Zx1-double-click-token"}


def test_every_post_form_in_the_templates_carries_an_idempotency_token() -> None:
    missing = [
        f"{path.relative_to(settings.BASE_DIR)}: <form{match['tag']}>"
        for path in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))
        for match in FORM.finditer(path.read_text())
        if POSTS.search(match["tag"]) and "{% idempotency_token %}" not in match["body"]
    ]
    assert missing == []


def test_the_tag_gives_each_form_its_own_token(client: Client, db: None) -> None:
    page = client.get(reverse("accounts:sign-in"))
    tokens = re.findall(rf'name="{idempotency.FORM_FIELD}" value="([^"]+)"', page.text)
    assert len(tokens) == 1
    again = client.get(reverse("accounts:sign-in"))
    assert tokens[0] not in again.text


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


@pytest.fixture
def event(db: None):
    return h.full_inspection()


@pytest.fixture
def inspector(event):
    leader = h.team_leader(event)
    leader.email = "leader@example.gov.uk"
    leader.save()
    return h.team_inspector(event)


def raise_url(event) -> str:
    return reverse("safeguarding:alert-raise", kwargs={"event_pk": event.pk})


@pytest.mark.django_db
@pytest.mark.rule("SEC-3")
def test_an_alert_form_sent_twice_raises_one_alert_and_one_escalation(
    client: Client, event, inspector, django_capture_on_commit_callbacks
) -> None:
    client.force_login(inspector)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(raise_url(event), {**ALERT, **TOKEN})
    email_jobs_run()  # the e-mails go by the job queue
    told = (Notification.objects.count(), len(mail.outbox))
    assert told[1] > 0
    assert told[0] > 0
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(raise_url(event), {**ALERT, **TOKEN})
    email_jobs_run()
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert second[idempotency.REPLAYED_HEADER] == "true"
    alert = Alert.objects.get()
    assert AlertEntry.objects.filter(alert=alert, kind=EntryKind.NOTIFIED).count() == 1
    assert (Notification.objects.count(), len(mail.outbox)) == told


@pytest.mark.django_db
@pytest.mark.rule("SEC-3")
def test_a_complaint_form_sent_twice_raises_one_complaint(client: Client, event) -> None:
    governor = h.user(Role.ESTABLISHMENT_USER, establishment=event.establishment)
    client.force_login(governor)
    url = reverse("complaints:raise", kwargs={"event_pk": event.pk})
    data = {"complainant": "Claire Dawson", "concern": "Too rushed.", **TOKEN}
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Complaint.objects.count() == 1


@pytest.mark.django_db
def test_a_form_redisplayed_with_errors_can_still_be_sent(client: Client, event, inspector) -> None:
    client.force_login(inspector)
    refused = client.post(raise_url(event), {**ALERT, "summary": "", **TOKEN})
    assert refused.status_code in (200, 400)
    assert not IdempotencyRecord.objects.exists()
    sent = client.post(raise_url(event), {**ALERT, **TOKEN})
    assert sent.status_code == 302
    assert idempotency.REPLAYED_HEADER not in sent
    assert Alert.objects.count() == 1


@pytest.mark.django_db
def test_the_same_token_with_different_answers_is_refused_and_writes_nothing(
    client: Client, event, inspector
) -> None:
    client.force_login(inspector)
    assert client.post(raise_url(event), {**ALERT, **TOKEN}).status_code == 302
    changed = client.post(raise_url(event), {**ALERT, "summary": "Something else.", **TOKEN})
    assert changed.status_code == 409
    assert "already sent with different answers" in changed.text
    assert Alert.objects.count() == 1


@pytest.mark.django_db
def test_tokens_belong_to_their_user_and_expire(client: Client, event, inspector) -> None:
    client.force_login(inspector)
    assert client.post(raise_url(event), {**ALERT, **TOKEN}).status_code == 302
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert idempotency.expired_purge() == 1
    assert client.post(raise_url(event), {**ALERT, **TOKEN}).status_code == 302
    assert Alert.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.rule("SEC-3")
def test_two_concurrent_submits_raise_one_alert(event, inspector) -> None:
    url, barrier = raise_url(event), threading.Barrier(2)
    answers: list[int] = []

    def submit() -> None:
        client = Client()
        client.force_login(inspector)
        barrier.wait()
        try:
            answers.append(client.post(url, {**ALERT, **TOKEN}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert answers == [302, 302]
    assert Alert.objects.count() == 1


def _verified_client(user) -> Client:
    """Signed in with the password and the second factor, over HTTPS, CSRF enforced."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(enforce_csrf_checks=True, headers={"X-Forwarded-Proto": "https"})
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _sent_twice_over_https(client: Client, url: str, answers: dict[str, str]) -> list[Any]:
    """The form's page read, then the form sent twice with its own hidden fields."""
    page = client.get(url, secure=True)
    assert page.status_code == 200
    form = re.search(r'<form method="post" novalidate>.*?</form>', page.text, re.S)
    assert form is not None
    fields = dict(
        re.findall(r'name="(csrfmiddlewaretoken|idempotency_token)" value="([^"]+)"', form[0])
    )
    assert set(fields) == {"csrfmiddlewaretoken", idempotency.FORM_FIELD}
    referer = {"Referer": f"https://testserver{url}"}
    return [client.post(url, {**answers, **fields}, headers=referer, secure=True) for _ in range(2)]


@pytest.fixture
def production(settings) -> None:
    apply_production(settings)


@pytest.mark.django_db
def test_under_production_settings_an_alert_sent_twice_raises_one(
    production, event, inspector
) -> None:
    first, second = _sent_twice_over_https(_verified_client(inspector), raise_url(event), ALERT)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Alert.objects.count() == 1


@pytest.mark.django_db
def test_under_production_settings_a_complaint_sent_twice_raises_one(production, event) -> None:
    governor = h.user(Role.ESTABLISHMENT_USER, establishment=event.establishment)
    url = reverse("complaints:raise", kwargs={"event_pk": event.pk})
    answers = {"complainant": "Claire Dawson", "concern": "Too rushed."}
    first, second = _sent_twice_over_https(_verified_client(governor), url, answers)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Complaint.objects.count() == 1
