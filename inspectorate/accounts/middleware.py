from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from inspectorate.accounts import session_state

# Paths a signed-in but unverified user may still reach.
_TWO_FACTOR_EXEMPT_NAMES = (
    "accounts:two-factor-setup",
    "accounts:two-factor-verify",
    "accounts:sign-out",
)


class SessionLifetimeMiddleware:
    """End a signed-in session SESSION_ABSOLUTE_LIFETIME after sign-in, however active.

    The idle timeout (SESSION_COOKIE_AGE, renewed by each request) still applies on top.
    Placed before OTPMiddleware so that everything after it sees the anonymous user.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and session_state.lifetime_exceeded(request):
            logout(request)
            request.session[session_state.ENDED_BY_LIFETIME] = True  # the sign-in page says so
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """When REQUIRE_TWO_FACTOR is on, every account that needs a second factor (see
    session_state.two_factor_required) must complete it before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_verify(request):
            has_device = request.user.totpdevice_set.filter(confirmed=True).exists()  # type: ignore[union-attr]
            target = "accounts:two-factor-verify" if has_device else "accounts:two-factor-setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _must_verify(self, request: HttpRequest) -> bool:
        if session_state.fully_signed_in(request.user) or not request.user.is_authenticated:
            return False
        exempt = {reverse(name) for name in _TWO_FACTOR_EXEMPT_NAMES}
        return request.path not in exempt and not request.path.startswith(settings.STATIC_URL)
