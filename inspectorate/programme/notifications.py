"""In-app notifications, with an e-mail copy sent by the job queue once the writing
transaction commits.

`notify` is the one way to tell people something: it writes a Notification row per recipient
inside the caller's transaction and, on commit, queues one job (`tasks.notification_emails`)
to e-mail those who chose each notification by e-mail. A change that rolls back sends
nothing (PG-4); a slow or failing SMTP server never delays or fails the request that
notified, and the job is retried for about ten hours; what it gives up on is sent by the
daily catch-up (`notification_emails_catch_up`) once the server is back.
`notification_emails_send` (the jobs' work) and the daily digest (`programme.digest`, also
a job) are the only senders of mail about notifications, both through `send_messages`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from inspectorate.accounts.constants import EmailPreference
from inspectorate.accounts.models import User
from inspectorate.accounts.roles import DUTIES, Duty
from inspectorate.programme.models import Notification


def users_with_duty(duty: Duty) -> list[User]:
    """Every active user holding a role that takes on `duty` (one query)."""
    roles = sorted(DUTIES[duty])
    return list(User.objects.filter(roles__overlap=roles, is_active=True).order_by("pk"))


def notify(
    *, recipients: Iterable[Any], subject: str, body: str, url: str = ""
) -> list[Notification]:
    """Notify each of `recipients` in the app now, and by e-mail after commit.

    Writes one Notification per distinct recipient (one query). The e-mails are queued, as
    one job, only when the surrounding transaction commits, and only for those whose e-mail
    preference is each notification (the daily digest, `programme.digest`, carries the
    rest); the job sends them and gives each `emailed_at`.
    """
    people = list({user.pk: user for user in recipients}.values())
    if not people:
        return []
    now = timezone.now()
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=user, subject=subject[:200], body=body, url=url[:300], created_at=now
        )
        for user in people
    )
    # Only those who chose each notification by e-mail; a daily digest carries the others'.
    ids = [n.pk for n in notifications if _wants_each(n.recipient)]
    if ids:
        transaction.on_commit(lambda: _queue_emails(ids))
    return notifications


def _wants_each(user: Any) -> bool:
    return bool(user.is_active and user.email) and user.email_preference == EmailPreference.EACH


def _queue_emails(ids: list[int]) -> None:
    from inspectorate.programme.tasks import notification_emails  # the tasks import this module

    notification_emails.defer(notification_ids=ids)


def notification_message(notification: Notification) -> EmailMessage:
    """The e-mail copy of one notification: its subject, its text and an absolute link."""
    link = f"\n\nSee {absolute(notification.url)}" if notification.url else ""
    return EmailMessage(
        subject=notification.subject,
        body=f"{notification.body}{link}",
        to=[notification.recipient.email],
    )


def send_messages(messages: Iterable[tuple[EmailMessage, Callable[[], object]]]) -> int:
    """Send each message over one SMTP connection, calling its `sent` callback as soon as
    the server has taken it, so a failure part-way leaves the rest unsent and recorded so
    (the job's retry sends only those). An SMTP error propagates: the job fails and is
    retried. Returns how many were sent."""
    count = 0
    connection = None  # opened for the first message: nothing to send, no SMTP at all
    try:
        for message, sent in messages:
            if connection is None:
                connection = get_connection()
                connection.open()
            message.connection = connection
            message.send()
            sent()
            count += 1
    finally:
        if connection is not None:
            connection.close()
    return count


def notification_emails_send(*, notification_ids: Iterable[int]) -> int:
    """E-mail each notification of `notification_ids` not yet e-mailed to its recipient, if
    they still choose each notification by e-mail (the choice is read now, when the job
    runs), and record `emailed_at`. Run by the job queue; running it again sends nothing
    twice. Returns how many were sent."""
    pending = (
        Notification.objects.filter(pk__in=list(notification_ids), emailed_at__isnull=True)
        .select_related("recipient")
        .order_by("pk")
    )

    def mark(pk: int) -> Callable[[], object]:
        return lambda: Notification.objects.filter(pk=pk).update(emailed_at=timezone.now())

    return send_messages(
        (notification_message(n), mark(n.pk)) for n in pending if _wants_each(n.recipient)
    )


# The e-mail job's nine attempts span about ten hours (programme.tasks.EMAIL_RETRY); an
# e-mail still unsent after this long was given up on. Older than EMAIL_CATCH_UP_DAYS, the
# page is where it is read.
EMAIL_GIVEN_UP_AFTER = timedelta(hours=12)
EMAIL_CATCH_UP_DAYS = 14


def notification_emails_catch_up() -> int:
    """E-mail the notifications whose job gave up (the SMTP server was down for longer than
    its retries lasted): those still unsent and unread after EMAIL_GIVEN_UP_AFTER, from
    the last EMAIL_CATCH_UP_DAYS, to those who still choose each notification by e-mail.
    Run daily by the job queue; running it again sends nothing twice. Returns how many were
    sent."""
    now = timezone.now()
    given_up = Notification.objects.filter(
        emailed_at__isnull=True,
        read_at__isnull=True,
        created_at__lt=now - EMAIL_GIVEN_UP_AFTER,
        created_at__gte=now - timedelta(days=EMAIL_CATCH_UP_DAYS),
    )
    return notification_emails_send(notification_ids=given_up.values_list("pk", flat=True))


def absolute(path: str) -> str:
    """`path` as an address to open from an e-mail: SITE_URL in front (the path alone when
    SITE_URL is not set)."""
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{site}{path}" if path.startswith("/") else path


def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    """Mark one of `actor`'s own notifications as read; nobody else's (PermissionDenied)."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied("You can only mark your own notifications as read.")
    if notification.read_at is None:
        with transaction.atomic():
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor: User) -> int:
    """Mark every unread notification of `actor` as read; how many were."""
    with transaction.atomic():
        return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
            read_at=timezone.now()
        )
