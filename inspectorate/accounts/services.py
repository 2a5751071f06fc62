"""Writes about accounts: two-factor devices and their reset by an administrator.

Enrolment follows the sign-in state machine (session_state.py): a new authenticator may be
set up only by a session that already holds the second factor, or by a user who has no
confirmed authenticator at all (first enrolment, or after an administrator's reset).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspectorate.accounts.constants import EmailPreference
from inspectorate.accounts.models import TwoFactorReset, User
from inspectorate.accounts.session_state import is_second_factor_verified, sessions_end_all

ENROLMENT_REFUSED = (
    "Enter the security code from your current authenticator app before setting up a new one. "
    "If you have lost it, ask a system administrator to reset your two-factor sign-in."
)


def two_factor_enrolment_allowed(actor: User) -> bool:
    """First enrolment, or a session that already holds the second factor."""
    if is_second_factor_verified(actor):
        return True
    return not TOTPDevice.objects.filter(user=actor, confirmed=True).exists()


def _require_enrolment_allowed(actor: User) -> None:
    if not two_factor_enrolment_allowed(actor):
        raise PermissionDenied(ENROLMENT_REFUSED)


def two_factor_device_start(*, actor: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, created if they have none yet."""
    _require_enrolment_allowed(actor)
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=actor, name="Authenticator app", confirmed=False
            )
        return device


def two_factor_device_confirm(*, actor: User, device: TOTPDevice) -> TOTPDevice:
    """Confirm a set-up device once the user has proved they hold it; remove older ones."""
    if device.user_id != actor.pk:
        raise PermissionDenied("This authenticator belongs to someone else.")
    with transaction.atomic():
        User.objects.select_for_update().get(pk=actor.pk)  # one enrolment at a time
        _require_enrolment_allowed(actor)
        TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return device


def two_factor_reset(*, actor: User, user: User, reason: str) -> TwoFactorReset:
    """Remove every authenticator of `user` and end all their sessions, recording who did it
    and why. Only system administrators may; they need a reason. The user enrols afresh at
    their next sign-in."""
    # Asked of the rules themselves: system administrators by role, not superusers as such
    # (`User.has_perm` grants a superuser everything).
    if not actor.has_perm("accounts.reset_two_factor"):
        raise PermissionDenied("Only system administrators reset two-factor sign-in.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why two-factor sign-in is being reset"})
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        devices_removed, _ = TOTPDevice.objects.filter(user=user).delete()
        sessions_ended = sessions_end_all(user=user)
        return TwoFactorReset.objects.create(
            user=user,
            actor=actor,
            reason=reason,
            devices_removed=devices_removed,
            sessions_ended=sessions_ended,
        )


def email_preference_set(*, actor: User, preference: str) -> User:
    """Set how `actor` is told by e-mail: each notification, a daily digest, or none."""
    if preference not in EmailPreference.values:
        raise ValidationError({"email_preference": "Select how you want to be told by e-mail"})
    with transaction.atomic():
        User.objects.filter(pk=actor.pk).update(email_preference=preference)
        actor.email_preference = preference
    return actor
