"""The user of a request only a signed-in user reaches, typed as the services' `actor`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

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


T = TypeVar("T")


def by_signed_in_user(
    request: HttpRequest, service: Callable[..., T], **fixed: Any
) -> Callable[[Mapping[str, Any]], T]:
    """A form page's `save`: `service` called with the signed-in user as its `actor`, with
    `fixed` and with the form's values, each under its field's name."""
    return lambda data: service(actor=signed_in_user(request), **fixed, **data)
