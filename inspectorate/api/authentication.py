"""Token authentication for other systems: `Authorization: Bearer <secret>`.

The secret is looked up by its SHA-256 hash. A revoked or unknown token, or one whose user
is no longer active, is refused with 401 and the same message, whichever it is. An expired
token is refused with 401 saying when it expired: only the holder of its secret learns that.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from inspectorate.api.models import ApiToken
from inspectorate.api.selectors import token_for_secret

KEYWORDS = (b"bearer", b"token")
LAST_USED_EVERY = timedelta(minutes=5)  # do not write on every request
REFUSED = "The token is not valid: it may be wrong, expired or revoked."
EXPIRED = "The token expired at {when} UTC: issue a new one at /api/v1/tokens/manage/."


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Give the token after 'Bearer' and one space.")
        try:
            secret = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(REFUSED) from None
        token = token_for_secret(secret)
        if token is None or token.revoked_at is not None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(REFUSED)
        if token.is_expired:
            when = token.expires_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
            raise exceptions.AuthenticationFailed(EXPIRED.format(when=when), code="token_expired")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "inspectorate.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "An API token (insp_…)."}
