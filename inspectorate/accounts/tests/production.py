"""Helpers for the sign-in tests: the production settings (as the penetration test ran them:
HTTPS by proxy header, DEBUG off, two-factor required), a browser behind the proxy, and the
steps of signing in. No tests here."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import TEST_PASSWORD


def browser(address: str = "10.0.0.1") -> Client:
    """A browser reaching the service through the HTTPS proxy."""
    return Client(headers={"X-Forwarded-Proto": "https"}, REMOTE_ADDR=address)


def code(device: TOTPDevice) -> str:
    """The code the device's app shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def device_for(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def session_key(client: Client) -> str:
    return client.cookies["sessionid"].value


def sign_in(client: Client, user: Any, password: str = TEST_PASSWORD) -> Any:
    """The password step."""
    return client.post("/sign-in/", {"username": user.username, "password": password})


def verify(client: Client, device: TOTPDevice) -> Any:
    """The second-factor step."""
    return client.post("/account/two-factor/verify/", {"token": code(device)})


def sign_in_fully(client: Client, user: Any, device: TOTPDevice | None) -> None:
    """Both steps, as far as the user's account needs."""
    assert sign_in(client, user).status_code == 302
    if device is not None:
        assert verify(client, device).status_code == 302
