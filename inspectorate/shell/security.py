"""Security headers on every response: a strict Content-Security-Policy, a Permissions-Policy
denying the browser features the service never uses, and `Cache-Control: no-store` on every
answer to a signed-in person or an API token, unless the view opts in with `@allow_caching`.

The middleware runs first, so it also covers what WhiteNoise serves and every error page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from inspectorate.lib.http_headers import permissions_header, policy_header

View = TypeVar("View", bound=Callable[..., Any])

_CACHING_ALLOWED = "_inspectorate_allow_caching"


def allow_caching(view: View) -> View:
    """Let browsers and proxies keep this view's answers to signed-in users: only for views
    whose answers hold nothing confidential (the default is `no-store`)."""
    setattr(view, _CACHING_ALLOWED, True)
    return view


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.csp = policy_header(settings.CONTENT_SECURITY_POLICY)
        self.permissions = permissions_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        if _has_credentials(request) and not getattr(request, _CACHING_ALLOWED, False):
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
            response.headers.pop("Expires", None)
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        if getattr(view_func, _CACHING_ALLOWED, False):
            setattr(request, _CACHING_ALLOWED, True)


def _has_credentials(request: HttpRequest) -> bool:
    """A signed-in session or an API token (DRF sets the token's user on the request after
    the view authenticated it); a request carrying an Authorization header counts even when
    refused, so a proxy never keeps an answer meant for one caller."""
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    user = getattr(request, "user", None)  # absent when WhiteNoise answered (static files)
    return bool(user is not None and user.is_authenticated)
