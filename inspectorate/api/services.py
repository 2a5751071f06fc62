"""Issuing and revoking API tokens. The secret is returned once and stored only hashed."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inspectorate.accounts.permissions import require
from inspectorate.api.models import ApiToken, TokenScope
from inspectorate.inspectors.constants import Organisation
from inspectorate.lib.tokens import token_hash

if TYPE_CHECKING:
    from inspectorate.accounts.models import User

SECRET_PREFIX = "insp_"
PREFIX_LENGTH = 12
MAX_LIVE_TOKENS = 20
DEFAULT_LIFETIME = timedelta(days=90)
MAX_LIFETIME = timedelta(days=366)  # a year, and the leap day


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once; never stored


def api_token_issue(
    *,
    actor: User,
    name: str,
    scope: str = TokenScope.READ,
    organisations: Iterable[str] = (),
    expires_at: datetime | None = None,
) -> IssuedToken:
    """A new token acting as `actor`; the secret is in the answer and nowhere else.

    Every token expires: after DEFAULT_LIFETIME unless `expires_at` chooses a time within
    MAX_LIFETIME.
    """
    require(
        actor, "api.hold_tokens", message="Only people with a role in the service hold API tokens."
    )
    name = (name or "").strip()
    chosen = list(dict.fromkeys(organisations or []))
    problems: dict[str, str] = {}
    if not name:
        problems["name"] = "Enter a name for the token, saying what uses it"
    elif len(name) > 100:
        problems["name"] = "Name must be 100 characters or fewer"
    if scope not in TokenScope.values:
        problems["scope"] = "Select read or write"
    unknown = [o for o in chosen if o not in Organisation.values]
    if unknown:
        problems["organisations"] = f"Unknown organisation: {', '.join(map(str, unknown))}"
    now = timezone.now()
    if expires_at is None:
        expires_at = now + DEFAULT_LIFETIME
    elif expires_at <= now:
        problems["expires_at"] = "Expiry must be in the future"
    elif expires_at > now + MAX_LIFETIME:
        problems["expires_at"] = "Expiry must be within a year of today"
    if problems:
        raise ValidationError(problems)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        live = ApiToken.objects.select_for_update().filter(user=actor, revoked_at__isnull=True)
        if len(live) >= MAX_LIVE_TOKENS:
            raise ValidationError(
                {"name": f"You hold {MAX_LIVE_TOKENS} live tokens: revoke one before adding one"}
            )
        token = ApiToken.objects.create(
            user=actor,
            name=name,
            prefix=secret[:PREFIX_LENGTH],
            token_hash=token_hash(secret),
            scope=scope,
            organisations=chosen,
            expires_at=expires_at,
        )
    return IssuedToken(token=token, secret=secret)


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token at once: its owner, or a system administrator, may."""
    require(actor, "api.revoke_token", token, "You cannot revoke this token.")
    with transaction.atomic():
        current = ApiToken.objects.select_for_update().get(pk=token.pk)
        if current.revoked_at is None:
            current.revoked_at = timezone.now()
            current.revoked_by = actor
            current.save(update_fields=["revoked_at", "revoked_by"])
    return current
