"""What a token may do. A token acts as its user: the user's own rules (visible_to, the
services' permission checks) decide everything; a token's scope and organisations only
narrow that, never widen it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from rest_framework import permissions
from rest_framework.request import Request

from inspectorate.api.models import ApiToken
from inspectorate.programme.models import Event
from inspectorate.programme.selectors import _organisation_takes_part


def token_of(request: Request) -> ApiToken | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


class TokenScopeAllows(permissions.BasePermission):
    """A read token reads; only a write token (or a signed-in session) writes."""

    message = "This API token is read only: use a token with the write scope."

    def has_permission(self, request: Request, view: Any) -> bool:
        token = token_of(request)
        if token is None or request.method in permissions.SAFE_METHODS:
            return True
        return token.can_write


class SessionOnly(permissions.BasePermission):
    """Tokens are managed from a signed-in session: a token cannot mint or revoke tokens."""

    message = "Manage API tokens while signed in to the service, not with a token."

    def has_permission(self, request: Request, view: Any) -> bool:
        return token_of(request) is None


def events_in_scope(request: Request, events: QuerySet[Event]) -> QuerySet[Event]:
    """Narrow events to those the token's organisations take part in (PG-3 already applied)."""
    token = token_of(request)
    if token is None or not token.organisations:
        return events
    condition = Q(pk__in=[])
    for organisation in token.organisations:
        condition |= _organisation_takes_part(organisation)
    return events.filter(condition)


def visible_events(request: Request) -> QuerySet[Event]:
    """The events the request may know about: `Event.objects.visible_to` (PG-3), narrowed by
    the token's organisations."""
    return events_in_scope(request, Event.objects.visible_to(request.user))
