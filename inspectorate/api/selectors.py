"""Reads of API tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from inspectorate.api.models import ApiToken
from inspectorate.lib.tokens import token_hash


def tokens_visible_to(user: Any) -> QuerySet[ApiToken]:
    """A user's own tokens; a system administrator sees everyone's."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    tokens = ApiToken.objects.select_related("user")
    if user.has_perm("api.view_all_tokens"):
        return tokens
    return tokens.filter(user=user)


def token_for_secret(secret: str) -> ApiToken | None:
    """The token whose secret this is (live or not), with its user; one query."""
    return ApiToken.objects.select_related("user").filter(token_hash=token_hash(secret)).first()
