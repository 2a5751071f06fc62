"""The user of a request only a signed-in user reaches, typed as the services' `actor`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.request import Request

from inspectorate.accounts.models import User


def signed_in_user(request: HttpRequest | Request) -> User:
    """`request.user` as a User. Pages are behind LoginRequiredMiddleware and the API behind
    DRF's IsAuthenticated, so an anonymous user never gets here; if one did, it is refused
    as a service refuses it."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied("Sign in first.")
    return user
