from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths a signed-in but unverified staff user may still reach.
_TWO_FACTOR_EXEMPT_NAMES = (
    "accounts:two-factor-setup",
    "accounts:two-factor-verify",
    "accounts:sign-out",
)


class RequireTwoFactorMiddleware:
    """When REQUIRE_TWO_FACTOR is on, staff must complete TOTP sign-in before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_verify(request):
            has_device = request.user.totpdevice_set.filter(confirmed=True).exists()  # type: ignore[union-attr]
            target = "accounts:two-factor-verify" if has_device else "accounts:two-factor-setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)

    def _must_verify(self, request: HttpRequest) -> bool:
        if not settings.REQUIRE_TWO_FACTOR:
            return False
        user: Any = request.user  # OTPMiddleware adds is_verified()
        if not user.is_authenticated or not user.has_staff_role or user.is_verified():
            return False
        exempt = {reverse(name) for name in _TWO_FACTOR_EXEMPT_NAMES}
        return request.path not in exempt and not request.path.startswith(settings.STATIC_URL)
