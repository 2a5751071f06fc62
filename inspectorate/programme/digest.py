"""The daily e-mail digest: for each person who chose it, their notifications not yet
e-mailed and what is due (overdue and this week), in plain text and HTML with absolute
links. Built per person from the same selectors as their pages, so it names nothing they
may not see (PG-3); each confidential event it names is logged as read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from inspectorate.accounts.constants import EmailPreference
from inspectorate.accounts.models import User
from inspectorate.programme.milestones.deadlines import deadlines_for, event_url
from inspectorate.programme.models import Milestone, Notification, today
from inspectorate.programme.notifications import absolute, send_messages
from inspectorate.programme.selectors import confidential_reads_record

DIGEST_PATH = "e-mail: daily digest"


@dataclass
class DigestLine:
    text: str
    url: str  # absolute


@dataclass
class Digest:
    person: User
    day: date
    notifications: list[Notification]
    overdue: list[DigestLine]
    due: list[DigestLine]
    events: list[Any]  # the events its deadlines name

    @property
    def is_empty(self) -> bool:
        return not (self.notifications or self.overdue or self.due)


def _line(milestone: Milestone) -> DigestLine:
    due = f"{milestone.due_on:%A %-d %B %Y}"
    return DigestLine(
        text=f"{milestone.title}: {milestone.event}, due {due}",
        url=absolute(event_url(milestone.event)),
    )


def digest_for(person: User, *, on: date) -> Digest:
    """What `person`'s digest of `on` holds: their notifications not yet e-mailed, and the
    deadlines they answer for among the events they may see (PG-3)."""
    notifications = list(
        Notification.objects.filter(
            recipient=person, emailed_at__isnull=True, read_at__isnull=True
        ).order_by("created_at", "pk")
    )
    deadlines = list(deadlines_for(person, on=on))
    return Digest(
        person=person,
        day=on,
        notifications=notifications,
        overdue=[_line(m) for m in deadlines if m.due_on < on],
        due=[_line(m) for m in deadlines if m.due_on >= on],
        events=list({m.event_id: m.event for m in deadlines}.values()),
    )


def digest_message(digest: Digest, connection: Any = None) -> EmailMultiAlternatives:
    """The digest as one e-mail: a plain text part and an HTML part, links absolute."""
    context = {
        "digest": digest,
        "notifications": [
            DigestLine(text=f"{n.subject}: {n.body}", url=absolute(n.url) if n.url else "")
            for n in digest.notifications
        ],
        "deadlines_url": absolute(reverse("programme:milestone-dashboard")),
        "notifications_url": absolute(reverse("programme:notifications")),
        "account_url": absolute(reverse("accounts:account")),
        "site_url": settings.SITE_URL,
    }
    subject = f"What is due: {digest.day:%A %-d %B %Y}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("programme/email/digest.txt", context),
        to=[digest.person.email],
        connection=connection,
    )
    message.attach_alternative(
        render_to_string("programme/email/digest.html", context), "text/html"
    )
    return message


def digests_send(*, on: date | None = None) -> int:
    """Send today's digest to each active person who chose it and has an address, once a
    day (`digest_sent_on`), and only when it holds something. Their notifications so sent
    get `emailed_at`. Returns the number of e-mails sent."""
    day = on or today()
    people = (
        User.objects.filter(is_active=True, email_preference=EmailPreference.DAILY)
        .exclude(email="")
        .exclude(digest_sent_on__gte=day)
    )

    def messages() -> Iterator[tuple[EmailMultiAlternatives, Callable[[], object]]]:
        for person in people.order_by("pk"):
            digest = digest_for(person, on=day)
            if not digest.is_empty:
                yield digest_message(digest), partial(_digest_sent, digest)

    return send_messages(messages())


def _digest_sent(digest: Digest) -> None:
    """Once the SMTP server has taken `digest`: the reads it made logged (PG-3), its
    notifications e-mailed, the person's digest of the day sent (a retry skips them)."""
    person, day = digest.person, digest.day
    confidential_reads_record(user=person, events=digest.events, path=DIGEST_PATH, on=day)
    Notification.objects.filter(pk__in=[n.pk for n in digest.notifications]).update(
        emailed_at=timezone.now()
    )
    User.objects.filter(pk=person.pk).update(digest_sent_on=day)
