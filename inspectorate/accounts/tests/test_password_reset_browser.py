"""The password reset in a real browser, with the e-mail through a real SMTP server: from the
sign-in page to a new password, every page accessible."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from inspectorate.accounts.roles import Role
from inspectorate.accounts.tests.conftest import Inbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a-new-and-long-passphrase-2026"


def test_resetting_a_forgotten_password(
    page: Page,
    live_server: Any,
    make_user: Callable[..., Any],
    axe_check: Any,
    smtp_inbox: Inbox,
    run_worker: Any,
) -> None:
    user = make_user(Role.HMIP_INSPECTOR, username="forgetful")
    user.email = "forgetful@justice.example.gov.uk"
    user.save(update_fields=["email"])
    base = live_server.url
    page.goto(f"{base}/sign-in/")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("link", name="Enter your email address")).to_be_visible()
    assert axe_check(page) == []
    page.get_by_label("Email address").fill(user.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert axe_check(page) == []

    run_worker()
    [message] = smtp_inbox.messages
    body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    link = re.search(r"https?://\S+/password-reset/\S+/", body)
    assert link, body
    page.goto(link.group(0).replace("https://", "http://"))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert axe_check(page) == []
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_role("heading", name="Your password has been reset")).to_be_visible()
    assert axe_check(page) == []

    page.get_by_role("link", name="Sign in").last.click()
    page.get_by_label("Username").fill("forgetful")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard/")
