"""Sign-in as one state machine, kept in the session.

    anonymous ──password──► password-verified ──second factor──► second-factor-verified

Each step is one function here; each rotates the session key. The session also carries when
the user signed in (for the absolute lifetime) and when they last proved who they are (for
re-authentication before sensitive actions). django-otp keeps the verified device in the
session (`otp_device_id`) and answers `user.is_verified()`.
"""

from __future__ import annotations

import time
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.models import Session
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.models import Device

SIGNED_IN_AT = "inspectorate_signed_in_at"
AUTHENTICATED_AT = "inspectorate_authenticated_at"
ENDED_BY_LIFETIME = "inspectorate_ended_by_lifetime"
LIFETIME_ENDED_MESSAGE = "You were signed out because you signed in over {hours} hours ago."


class SignInState(StrEnum):
    ANONYMOUS = "anonymous"
    PASSWORD_VERIFIED = "password-verified"
    SECOND_FACTOR_VERIFIED = "second-factor-verified"


def two_factor_required(user: Any) -> bool:
    """Whether `user` must give a second factor: every account but establishment users,
    including superusers, admin staff and accounts with no role (REQUIRE_TWO_FACTOR)."""
    if not settings.REQUIRE_TWO_FACTOR or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return not user.is_establishment_user


def is_second_factor_verified(user: Any) -> bool:
    """True when this request's session holds a verified device (OTPMiddleware's answer)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def sign_in_state(user: Any) -> SignInState:
    if not getattr(user, "is_authenticated", False):
        return SignInState.ANONYMOUS
    if is_second_factor_verified(user):
        return SignInState.SECOND_FACTOR_VERIFIED
    return SignInState.PASSWORD_VERIFIED


_ORDER = list(SignInState)


def required_state(user: Any) -> SignInState:
    """How far this user must get before using the service."""
    if two_factor_required(user):
        return SignInState.SECOND_FACTOR_VERIFIED
    return SignInState.PASSWORD_VERIFIED


def fully_signed_in(user: Any) -> bool:
    """Signed in as far as this user must be: the second factor too when it is required."""
    reached = _ORDER.index(sign_in_state(user))
    return reached > 0 and reached >= _ORDER.index(required_state(user))


@receiver(user_logged_in, dispatch_uid="inspectorate_session_signed_in")
def _password_verified(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """anonymous → password-verified. Django's login() has already rotated the session key."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[AUTHENTICATED_AT] = now


def second_factor_verified(request: HttpRequest, device: Device) -> None:
    """password-verified → second-factor-verified, with a new session key."""
    otp_login(request, device)
    request.session.cycle_key()
    request.session[AUTHENTICATED_AT] = time.time()


def reauthenticated(request: HttpRequest, device: Device | None) -> None:
    """The user proved again who they are (password, and a code when one was asked)."""
    if device is not None:
        otp_login(request, device)
    request.session.cycle_key()
    request.session[AUTHENTICATED_AT] = time.time()


def _age(request: HttpRequest, key: str) -> float | None:
    stamp = request.session.get(key)
    return None if stamp is None else time.time() - float(stamp)


def lifetime_exceeded(request: HttpRequest) -> bool:
    """A signed-in session older than SESSION_ABSOLUTE_LIFETIME (or of unknown age) is over,
    however active it has been."""
    age = _age(request, SIGNED_IN_AT)
    return age is None or age > settings.SESSION_ABSOLUTE_LIFETIME


def recently_authenticated(request: HttpRequest) -> bool:
    """Whether the user proved who they are within REAUTHENTICATION_WINDOW, to the full
    extent their account requires (the second factor included when it is required)."""
    age = _age(request, AUTHENTICATED_AT)
    if age is None or age > settings.REAUTHENTICATION_WINDOW:
        return False
    return fully_signed_in(request.user)


def admin_permission(request: HttpRequest) -> bool:
    """The Django admin's AdminSite.has_permission: active staff, signed in to the full."""
    user: Any = request.user
    return bool(user.is_active and user.is_staff and fully_signed_in(user))


def sessions_end_all(*, user: Any) -> int:
    """End every session of `user`, wherever it is; returns how many were ended."""
    user_id = str(user.pk)
    ended = []
    live = Session.objects.filter(expire_date__gt=timezone.now())
    for session in live.iterator():
        if str(session.get_decoded().get("_auth_user_id")) == user_id:
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)
