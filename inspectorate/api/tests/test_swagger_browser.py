"""Swagger UI in a real browser: it loads the schema and shows the operations, with nothing
refused by the content security policy and no script error in the console."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import TEST_PASSWORD
from inspectorate.accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_runs_under_the_strict_policy(
    page: Page, live_server: Any, make_user: Callable[..., Any]
) -> None:
    user = make_user(Role.HMIP_COORDINATOR, username="swagger-coordinator")
    base = live_server.url
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard/")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{base}/api/v1/docs/swagger/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=60_000)
    # The whole schema was read: a section for each of its tags (resources), not only the first.
    expect(
        page.locator('.opblock-summary-path[data-path="/api/v1/access-events/"]')
    ).to_be_visible()
    assert problems == []
