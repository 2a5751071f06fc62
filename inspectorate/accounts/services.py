"""Writes about accounts: two-factor devices."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspectorate.accounts.models import User


def two_factor_device_start(*, actor: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, created if they have none yet."""
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
        raise PermissionError("This authenticator belongs to someone else.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return device
