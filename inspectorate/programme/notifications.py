"""In-app notifications, with an e-mail copy sent only once the writing transaction commits.

`notify` is the one way to tell people something: it writes a Notification row per recipient
inside the caller's transaction and queues the e-mails with `transaction.on_commit`, so a
change that rolls back sends nothing (PG-4). Other parts of the programme (milestone
reminders, teams) may call it too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from inspectorate.accounts.constants import EmailPreference, Role
from inspectorate.accounts.models import User
from inspectorate.programme.models import Notification


def users_with_role(role: Role) -> list[User]:
    """Every active user holding `role` (one query)."""
    return list(User.objects.filter(roles__contains=[role.value], is_active=True).order_by("pk"))


def notify(
    *, recipients: Iterable[Any], subject: str, body: str, url: str = ""
) -> list[Notification]:
    """Notify each of `recipients` in the app now, and by e-mail after commit.

    Writes one Notification per distinct recipient (one query). The e-mails go only when
    the surrounding transaction commits, and only to those whose e-mail preference is each
    notification (the daily digest, `programme.digest`, carries the rest); each notification
    sent by e-mail gets `emailed_at`.
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
    addresses = {
        user.pk: user.email
        for user in people
        if user.email and getattr(user, "email_preference", EmailPreference.EACH) == "each"
    }
    ids = [n.pk for n in notifications if n.recipient_id in addresses]
    if ids:
        transaction.on_commit(lambda: _send_emails(ids))
    return notifications


def _send_emails(ids: list[int]) -> None:
    """Send the e-mail copy of each notification (after commit) and record when."""
    sent = []
    for notification in Notification.objects.filter(pk__in=ids).select_related("recipient"):
        link = f"\n\nSee {absolute(notification.url)}" if notification.url else ""
        send_mail(
            notification.subject,
            f"{notification.body}{link}",
            None,
            [notification.recipient.email],
        )
        sent.append(notification.pk)
    Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())


def absolute(path: str) -> str:
    """`path` as an address to open from an e-mail: SITE_URL in front (the path alone when
    SITE_URL is not set)."""
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{site}{path}" if path.startswith("/") else path


def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of `actor`'s own notifications as read; nobody else's (PermissionDenied)."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied("You can only mark your own notifications as read.")
    if notification.read_at is None:
        with transaction.atomic():
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of `actor` as read; how many were."""
    with transaction.atomic():
        return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
            read_at=timezone.now()
        )
