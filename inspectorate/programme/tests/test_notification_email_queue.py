"""The e-mail copy of a notification goes by the job queue (procrastinate), never from the
request: an SMTP server that is down neither delays nor fails the change that notified, and
the job is retried until a real SMTP server on loopback (aiosmtpd) takes the mail. Each
person's e-mail preference is read when the job runs."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from inspectorate.accounts.constants import EmailPreference
from inspectorate.accounts.roles import Role
from inspectorate.accounts.tests.conftest import Inbox, _free_port
from inspectorate.lib.jobs import EMAIL_QUEUE
from inspectorate.programme.constants import ProgrammeStatus
from inspectorate.programme.models import Notification
from inspectorate.programme.tasks import notification_emails
from inspectorate.programme.tests.test_programme_helpers import (
    date_post,
    make_establishment,
    make_event,
    make_programme,
)


def _scheduler(make_user: Any, name: str, preference: str) -> Any:
    user = make_user(Role.OFSTED_SCHEDULER, username=name)
    user.email = f"{name}@ofsted.example.gov.uk"
    user.email_preference = preference
    user.save()
    return user


def _email_jobs() -> list[ProcrastinateJob]:
    return list(ProcrastinateJob.objects.filter(task_name=notification_emails.name).order_by("id"))


def _retry_is_due() -> None:
    """The retry's wait has passed (the queue compares with the database's clock)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE procrastinate_jobs SET scheduled_at = now() WHERE task_name = %s",
            [notification_emails.name],
        )


@pytest.mark.rule("PG-4")
def test_the_request_returns_while_smtp_is_down_and_the_job_retries_and_delivers(
    make_user: Any, run_worker: Any, settings: Any
) -> None:
    port = _free_port()  # nothing listens there yet: the SMTP server is down
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_TIMEOUT = 5
    coordinator = make_user(Role.HMIP_COORDINATOR, username="coordinator")
    gareth = _scheduler(make_user, "gareth", EmailPreference.EACH)
    aled = _scheduler(make_user, "aled", EmailPreference.EACH)
    _scheduler(make_user, "carys", EmailPreference.DAILY)  # the digest carries hers
    starts_on = timezone.localdate() + timedelta(weeks=12)
    starts_on -= timedelta(days=starts_on.weekday())  # a Monday
    event = make_event(
        make_programme(starts_on.year - 1, ProgrammeStatus.CONFIRMED),
        make_establishment("LE", "HMP Leeds"),
        starts_on=starts_on,
    )
    client = Client()
    client.force_login(coordinator)

    # The request: the event is announced, an amendment shared with Ofsted (PG-4).
    response = client.post(
        reverse("programme:event-announce", kwargs={"pk": event.pk}),
        {"version": "1", "override_reason": "", **date_post("announced_on", None)},
    )
    assert response.status_code == 302
    told = Notification.objects.filter(recipient__username__in=["gareth", "aled", "carys"])
    assert told.count() == 3  # everyone is told in the service, at once
    [job] = _email_jobs()
    assert (job.status, job.queue_name) == ("todo", EMAIL_QUEUE)
    assert sorted(job.args["notification_ids"]) == sorted(
        n.pk for n in told.filter(recipient__in=[gareth, aled])
    )

    # The worker tries while the server is down: the job fails and waits to be retried.
    run_worker()
    [job] = _email_jobs()
    assert job.status == "todo"
    assert job.attempts == 1
    assert job.scheduled_at is not None
    assert job.scheduled_at > timezone.now()
    assert not told.filter(emailed_at__isnull=False).exists()

    # Aled changes his mind before the retry: it reads his choice when it runs.
    aled.email_preference = EmailPreference.DAILY
    aled.save()

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        _retry_is_due()
        run_worker()
        deadline = time.monotonic() + 5
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        server.stop()
    [job] = _email_jobs()
    assert (job.status, job.attempts) == ("succeeded", 2)
    assert [m["To"] for m in inbox.messages] == ["gareth@ofsted.example.gov.uk"]
    message = inbox.messages[0]
    assert message["Subject"] == told.get(recipient=gareth).subject
    assert f"/programme/events/{event.pk}/" in message.get_content()
    assert told.get(recipient=gareth).emailed_at is not None
    assert told.get(recipient=aled).emailed_at is None  # his digest will carry it

    # The job again (a duplicate delivery): nothing is sent twice.
    task: Any = notification_emails.func
    assert task.__wrapped__(notification_ids=job.args["notification_ids"]) == 0


@pytest.mark.rule("PG-4")
@pytest.mark.django_db
def test_what_the_job_gave_up_on_is_sent_by_the_daily_catch_up_once(make_user: Any) -> None:
    from django.core import mail

    from inspectorate.programme.notifications import notification_emails_catch_up

    each = _scheduler(make_user, "each", EmailPreference.EACH)
    digest = _scheduler(make_user, "digest", EmailPreference.DAILY)
    now = timezone.now()

    def notification(subject: str, person: Any, age: timedelta, **state: Any) -> None:
        Notification.objects.create(
            recipient=person, subject=subject, body="-", created_at=now - age, **state
        )

    notification("Given up on", each, timedelta(days=2))
    notification("Still being retried", each, timedelta(hours=2))
    notification("Read on the page", each, timedelta(days=2), read_at=now)
    notification("Sent", each, timedelta(days=2), emailed_at=now)
    notification("Too old to send now", each, timedelta(days=30))
    notification("For the digest", digest, timedelta(days=2))

    assert notification_emails_catch_up() == 1
    assert [m.subject for m in mail.outbox] == ["Given up on"]
    assert notification_emails_catch_up() == 0  # sent once
    assert Notification.objects.get(subject="Given up on").emailed_at is not None


def test_the_catch_up_runs_every_morning_on_the_email_queue() -> None:
    from procrastinate.contrib.django import app

    from inspectorate.programme.tasks import notification_emails_catch_up_daily as catch_up

    periodic = {task.task.name: task.cron for task in app.periodic_registry.periodic_tasks.values()}
    assert periodic[catch_up.name] == "30 6 * * *"
    assert catch_up.queue == EMAIL_QUEUE
