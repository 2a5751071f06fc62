"""Fixtures for sign-in tests: the production settings that shape sign-in, a client behind
the production proxy, and a real SMTP server on loopback."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache
from django.test import Client

from conftest import apply_production

PROXY = "10.0.0.254"  # the production proxy: every request reaches the server from it


@pytest.fixture
def production(settings: Any) -> Any:
    """The production settings that shape sign-in: HTTPS by proxy header, one trusted proxy,
    two-factor sign-in for staff. Throttle counts from earlier tests are cleared."""
    apply_production(settings, INSPECTORATE_TRUSTED_PROXY_COUNT=1)
    cache.clear()
    return settings


def proxied_client(address: str) -> Client:
    """A browser at `address`, reaching the service through the production HTTPS proxy."""
    return Client(
        REMOTE_ADDR=PROXY,
        HTTP_HOST="testserver",
        HTTP_X_FORWARDED_FOR=address,
        HTTP_X_FORWARDED_PROTO="https",
    )


class Inbox:
    """What the SMTP server received, as parsed messages."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_inbox(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server (aiosmtpd) on a free loopback port, and Django's SMTP backend
    pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    try:
        yield inbox
    finally:
        controller.stop()
