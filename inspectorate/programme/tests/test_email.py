"""E-mail by each person's choice: each notification as it is sent, a daily digest of
notifications and what is due, or none. The digest goes through a real SMTP server on
loopback (aiosmtpd) and is read back: headers, a plain text and an HTML part, absolute
links, and nothing about an unannounced inspection to someone who may not see it (PG-3)."""

from __future__ import annotations

import datetime as dt
import re
from datetime import date
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core import mail
from django.test import Client
from django.urls import reverse
from procrastinate.contrib.django import app

from inspectorate.accounts.constants import EmailPreference
from inspectorate.accounts.roles import Role
from inspectorate.accounts.tests.conftest import (  # smtp_inbox is a fixture
    Inbox,
    _free_port,
    smtp_inbox,  # noqa: F401
)
from inspectorate.audit.models import AccessEvent
from inspectorate.programme import tasks
from inspectorate.programme.constants import MilestoneStrength, ProgrammeStatus
from inspectorate.programme.digest import DIGEST_PATH, digests_send
from inspectorate.programme.models import Milestone, Notification
from inspectorate.programme.notifications import notify
from inspectorate.programme.tests.email_helpers import email_jobs_run
from inspectorate.programme.tests.test_programme_helpers import (
    make_establishment,
    make_event,
    make_programme,
)

MONDAY = dt.datetime(2026, 11, 23, 6, 30, tzinfo=ZoneInfo("Europe/London"))
SITE = "https://inspectorate.example.gov.uk"


@pytest.fixture(autouse=True)
def _monday_morning(settings):
    settings.SITE_URL = SITE
    with time_machine.travel(MONDAY, tick=False):
        yield


def _person(make_user, role, name, preference):
    user = make_user(role, username=name)
    user.email = f"{name}@justice.example.gov.uk"
    user.email_preference = preference
    user.save()
    return user


@pytest.fixture
def unannounced_deadline(db):
    """A deadline this week of an unannounced full inspection at HMP Leeds (PG-3)."""
    event = make_event(
        make_programme(2026, ProgrammeStatus.CONFIRMED),
        make_establishment("LE", "HMP Leeds"),
        starts_on=date(2027, 5, 10),
    )
    return Milestone.objects.create(
        event=event,
        rule_code="pg5_ofsted_notified",
        rule_id="PG-5",
        title="HMI Prisons notifies Ofsted of the inspection",
        strength=MilestoneStrength.NORMALLY,
        due_on=date(2026, 11, 26),
    )


def test_each_notification_is_e_mailed_only_to_those_who_chose_it(
    make_user, django_capture_on_commit_callbacks
) -> None:
    people = [
        _person(make_user, Role.HMIP_INSPECTOR, name, preference)
        for name, preference in (("each", "each"), ("daily", "daily"), ("none", "none"))
    ]
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=people, subject="A change", body="Something changed", url="/programme/")
    assert mail.outbox == []  # queued as one job, not sent by the request
    assert email_jobs_run() == 1
    assert [m.to for m in mail.outbox] == [["each@justice.example.gov.uk"]]
    assert f"See {SITE}/programme/" in mail.outbox[0].body
    assert Notification.objects.count() == 3  # everyone is told in the service


@pytest.mark.django_db
@pytest.mark.rule("PG-3")
def test_the_daily_digest_through_a_real_smtp_server(
    smtp_inbox: Inbox,  # noqa: F811
    make_user,
    unannounced_deadline,
) -> None:
    coordinator = _person(make_user, Role.HMIP_COORDINATOR, "coordinator", "daily")
    inspector = _person(make_user, Role.HMIP_INSPECTOR, "inspector", "daily")
    _person(make_user, Role.HMIP_COORDINATOR, "each", "each")
    _person(make_user, Role.HMIP_COORDINATOR, "silent", "none")
    notify(
        recipients=[inspector],
        subject="Your availability was recorded",
        body="Leave from 1 to 5 December 2026.",
        url=reverse("programme:notifications"),
    )
    assert smtp_inbox.messages == []  # a digest reader is not e-mailed at once

    assert digests_send() == 2
    by_to = {message["To"]: message for message in smtp_inbox.messages}
    assert set(by_to) == {"coordinator@justice.example.gov.uk", "inspector@justice.example.gov.uk"}

    message = by_to["coordinator@justice.example.gov.uk"]
    assert message["Subject"] == "What is due: Monday 23 November 2026"
    assert message["From"] == "Inspectorate <no-reply@inspectorate.invalid>"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert "HMI Prisons notifies Ofsted of the inspection" in text
    assert "HMP Leeds" in text
    assert "HMP Leeds" in html
    event_link = f"{SITE}/programme/events/{unannounced_deadline.event_id}/"
    assert event_link in text
    assert f'href="{event_link}"' in html
    # Every link is absolute: no href starts with a bare path.
    assert not re.search(r'href="/', html)
    assert all(url.startswith(SITE) for url in re.findall(r"https?://\S+", text))
    # The coordinator saw an unannounced inspection's dates by e-mail: logged (PG-3).
    assert AccessEvent.objects.filter(actor=coordinator, path=DIGEST_PATH).count() == 1

    # The inspector may not see the unannounced inspection: the digest never names it.
    theirs = by_to["inspector@justice.example.gov.uk"]
    whole = theirs.as_string()
    assert "HMP Leeds" not in whole
    assert "Your availability was recorded" in whole
    assert Notification.objects.get(recipient=inspector).emailed_at is not None

    # Once a day: a second run sends nothing.
    assert digests_send() == 0
    assert len(smtp_inbox.messages) == 2


@pytest.mark.django_db
def test_a_digest_that_the_smtp_server_refused_goes_on_the_retry(
    make_user, unannounced_deadline, settings
) -> None:
    port = _free_port()  # nothing listens there yet: the SMTP server is down
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    coordinator = _person(make_user, Role.HMIP_COORDINATOR, "coordinator", "daily")
    # The job fails, and procrastinate retries it (EMAIL_RETRY).
    with pytest.raises(ConnectionRefusedError):
        digests_send()
    coordinator.refresh_from_db()
    assert coordinator.digest_sent_on is None  # nothing recorded as sent
    assert not AccessEvent.objects.filter(actor=coordinator, path=DIGEST_PATH).exists()

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        assert digests_send() == 1  # the retry
    finally:
        server.stop()
    assert [m["To"] for m in inbox.messages] == ["coordinator@justice.example.gov.uk"]
    coordinator.refresh_from_db()
    assert coordinator.digest_sent_on == MONDAY.date()
    assert tasks.email_digest_daily.retry_strategy is tasks.EMAIL_RETRY  # retried, as above


def test_the_digest_is_a_periodic_task() -> None:
    periodic = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert periodic[tasks.email_digest_daily.name] == "0 7 * * *"


def test_the_account_page_sets_the_e_mail_preference(make_user) -> None:
    user = _person(make_user, Role.HMIP_INSPECTOR, "priya", "each")
    client = Client()
    client.force_login(user)
    assert "Each notification, when it is sent" in client.get(reverse("accounts:account")).text
    url = reverse("accounts:email-preference")
    bad = client.post(url, {"email_preference": "weekly"})
    assert bad.status_code == 400
    assert "Select how you want to be told by e-mail" in bad.text
    assert client.post(url, {"email_preference": "daily"}).status_code == 302
    user.refresh_from_db()
    assert user.email_preference == EmailPreference.DAILY
