"""Account recovery: a password reset by e-mail, throttled, and what a completed reset ends.

The reset link is Django's: single-use (its token is made from the password hash and the
last sign-in, both of which a reset changes) and valid for PASSWORD_RESET_TIMEOUT. Asking for
a reset queues one task whether or not an account uses the address, so the answer and its
timing say nothing about which accounts exist; the worker looks the address up and sends.
"""

from __future__ import annotations

import time
from datetime import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from inspectorate.accounts.models import User
from inspectorate.accounts.session_state import sessions_end_all

SUBJECT_TEMPLATE = "accounts/password_reset_subject.txt"
EMAIL_TEMPLATE = "accounts/password_reset_email.txt"


class ResetThrottled(Exception):
    """Too many reset e-mails asked for this address, or from this client; try after `until`."""

    def __init__(self, until: datetime) -> None:
        super().__init__(f"Password reset throttled until {until.isoformat()}")
        self.until = until


def _recent(key: str, now: float) -> list[float]:
    window = settings.PASSWORD_RESET_THROTTLE_WINDOW.total_seconds()
    return [moment for moment in cache.get(key, []) if moment > now - window]


def _throttle(keys_and_limits: list[tuple[str, int]]) -> None:
    """Count one request against each key, or raise ResetThrottled if any key is at its limit.

    The counts live in the shared database cache, so every server process sees them.
    """
    now = time.time()
    window = settings.PASSWORD_RESET_THROTTLE_WINDOW.total_seconds()
    histories = {key: _recent(key, now) for key, _ in keys_and_limits}
    full = [
        min(histories[key]) + window
        for key, limit in keys_and_limits
        if len(histories[key]) >= limit
    ]
    if full:
        raise ResetThrottled(
            until=datetime.fromtimestamp(max(full), tz=timezone.get_current_timezone())
        )
    for key, history in histories.items():
        cache.set(key, [*history, now], timeout=int(window))


def password_reset_request(*, email: str, client: str, domain: str, use_https: bool) -> None:
    """Queue the reset e-mail for whichever active accounts use `email` (perhaps none).

    Raises ResetThrottled after PASSWORD_RESET_MAX_PER_ADDRESS requests for one address, or
    PASSWORD_RESET_MAX_PER_CLIENT from one client, within PASSWORD_RESET_THROTTLE_WINDOW.
    """
    address = email.strip().lower()
    _throttle(
        [
            (f"password-reset:address:{address}", settings.PASSWORD_RESET_MAX_PER_ADDRESS),
            (f"password-reset:client:{client}", settings.PASSWORD_RESET_MAX_PER_CLIENT),
        ]
    )
    from inspectorate.accounts.tasks import password_reset_mail_task

    transaction.on_commit(
        lambda: password_reset_mail_task.defer(email=address, domain=domain, use_https=use_https)
    )


def password_reset_mail_send(*, email: str, domain: str, use_https: bool) -> None:
    """Send each active account using `email` its single-use reset link (run by the worker)."""
    form = PasswordResetForm(data={"email": email})
    if form.is_valid():
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name=SUBJECT_TEMPLATE,
            email_template_name=EMAIL_TEMPLATE,
            extra_email_context={
                "service_name": settings.SERVICE_NAME,
                "valid_minutes": str(settings.PASSWORD_RESET_TIMEOUT // 60),
            },
        )


def password_reset_completed(*, user: User) -> None:
    """After a reset: end every session of the user, and clear their sign-in pauses."""
    with transaction.atomic():
        sessions_end_all(user=user)
        AccessAttempt.objects.filter(username=user.get_username()).delete()
