"""The API tokens screen in a real browser: issue a token, see its secret once, revoke it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import TEST_PASSWORD
from inspectorate.accounts.roles import Role
from inspectorate.api.models import ApiToken
from inspectorate.lib.tokens import token_hash

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_issuing_and_revoking_a_token(
    page: Page, live_server: Any, make_user: Callable[..., Any], axe_check: Any
) -> None:
    user = make_user(Role.HMIP_COORDINATOR, username="tokens-coordinator")
    base = live_server.url
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard/")
    page.goto(f"{base}/api/v1/tokens/manage/")
    assert axe_check(page) == []
    page.get_by_label("Name").fill("Ofsted management information")
    page.get_by_label("Read only").check()
    page.get_by_label("Ofsted", exact=True).check()
    page.get_by_role("button", name="Issue a token").click()
    secret = page.locator("#token-secret").inner_text()
    token = ApiToken.objects.get(user=user)
    assert token.token_hash == token_hash(secret)
    assert token.organisations == ["ofsted"]
    assert axe_check(page) == []
    page.goto(f"{base}/api/v1/tokens/manage/")
    expect(page.locator("#token-secret")).to_have_count(0)
    page.get_by_role("button", name="Revoke Ofsted management information").click()
    expect(page.get_by_text("Token Ofsted management information revoked")).to_be_visible()
    assert axe_check(page) == []
    token.refresh_from_db()
    assert token.revoked_at is not None
