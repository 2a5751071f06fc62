"""Re-authentication before sensitive actions: one decorator for views, one mixin for the
Django admin, one permission for the API.

Recent means within REAUTHENTICATION_WINDOW seconds of the last sign-in, second-factor step or
"Confirm it's you" (session_state.AUTHENTICATED_AT). Only sessions are concerned: an API call
made with a token is governed by the token's scope and expiry, not by this.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.settings import api_settings

from inspectorate.accounts.session_state import recently_authenticated

ViewT = TypeVar("ViewT", bound=Callable[..., HttpResponse])

CONFIRM_FIRST = "Confirm it's you before you do that."


def _return_to(request: HttpRequest) -> str:
    """Where to come back after confirming: this page for a GET; for a form that was posted,
    the page it was posted from (the post itself is not replayed)."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if referer and safe else "/"


def confirm_redirect(request: HttpRequest) -> HttpResponse:
    """Send the user to "Confirm it's you", coming back where they were."""
    if request.method not in ("GET", "HEAD"):
        messages.info(request, "You confirmed it's you too long ago: confirm, then try again.")
    query = urlencode({"next": _return_to(request)})
    return redirect(f"{reverse('accounts:confirm-identity')}?{query}")


def reauthentication_required(view: ViewT) -> ViewT:
    """The view runs only for a session that proved who it is recently."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not recently_authenticated(request):
            return confirm_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


class ReauthenticationRequiredAdminMixin:
    """For a ModelAdmin: adding, changing and deleting need a recent confirmation."""

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not recently_authenticated(request):
            return confirm_redirect(request)
        return super().changeform_view(request, *args, **kwargs)  # type: ignore[misc]

    def delete_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not recently_authenticated(request):
            return confirm_redirect(request)
        return super().delete_view(request, *args, **kwargs)  # type: ignore[misc]

    def changelist_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # A posted change list is a bulk action or list edit.
        if request.method == "POST" and not recently_authenticated(request):
            return confirm_redirect(request)
        return super().changelist_view(request, *args, **kwargs)  # type: ignore[misc]


class RecentlyAuthenticated(BasePermission):
    """API permission: a call authenticated by the browser session must come from a session
    that confirmed who it is recently; a token-authenticated call is not a session and passes
    (its scope and expiry govern it)."""

    message = (
        "Confirm it's you first: sign in again or use the service's \"Confirm it's you\" page "
        "(/account/confirm/), then repeat the request."
    )

    def has_permission(self, request: Any, view: Any) -> bool:
        if not isinstance(request.successful_authenticator, SessionAuthentication):
            return True
        return recently_authenticated(request._request)


def sensitive_api_permissions() -> list[type[BasePermission]]:
    """The API's usual permissions plus RecentlyAuthenticated, for an @action's
    permission_classes."""
    defaults = cast("list[type[BasePermission]]", api_settings.DEFAULT_PERMISSION_CLASSES)
    return [*defaults, RecentlyAuthenticated]
