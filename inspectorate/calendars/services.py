"""Issue and revoke calendar feed tokens."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from inspectorate.calendars.models import CalendarToken
from inspectorate.lib.tokens import token_hash

if TYPE_CHECKING:
    from inspectorate.accounts.models import User


def feed_require_user(actor: User) -> None:
    """Calendar feeds are for inspectors: an establishment user holds none."""
    if getattr(actor, "is_establishment_user", False):
        raise PermissionDenied("Calendar feeds are for inspectors.")


def feed_revoke(*, actor: User, feed: CalendarToken | None = None) -> int:
    """Revoke `actor`'s live feed token (only `feed`, when named: a revoke racing a new
    issue must not take the new one); its URL stops working at once."""
    live = CalendarToken.objects.filter(user=actor, revoked_at__isnull=True)
    if feed is not None:
        live = live.filter(pk=feed.pk)
    return live.update(revoked_at=timezone.now())


def feed_issue(*, actor: User) -> str:
    """A new feed token for `actor` (any previous one revoked); returned once, stored hashed."""
    feed_require_user(actor)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        feed_revoke(actor=actor)
        CalendarToken.objects.create(user=actor, token_hash=token_hash(token))
    return token
