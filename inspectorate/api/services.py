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
    now = timezone.now()
    problems = _problems(name, scope, chosen, expires_at, now)
    if problems:
        raise ValidationError(problems)
    expires_at = expires_at or now + DEFAULT_LIFETIME
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


def _problems(
    name: str, scope: str, organisations: list[str], expires_at: datetime | None, now: datetime
) -> dict[str, str]:
    """What is wrong with a token asked for, by field."""
    unknown = [o for o in organisations if o not in Organisation.values]
    problems = {
        "name": _name_problem(name),
        "scope": "" if scope in TokenScope.values else "Select read or write",
        "organisations": f"Unknown organisation: {', '.join(map(str, unknown))}" if unknown else "",
        "expires_at": _expiry_problem(expires_at, now),
    }
    return {field: problem for field, problem in problems.items() if problem}


def _name_problem(name: str) -> str:
    if not name:
        return "Enter a name for the token, saying what uses it"
    if len(name) > 100:
        return "Name must be 100 characters or fewer"
    return ""


def _expiry_problem(expires_at: datetime | None, now: datetime) -> str:
    """None is the default lifetime; a chosen time is in the future, within a year."""
    if expires_at is None:
        return ""
    if expires_at <= now:
        return "Expiry must be in the future"
    if expires_at > now + MAX_LIFETIME:
        return "Expiry must be within a year of today"
    return ""


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
