"""In Chromium, with axe reporting violations of any impact (region included): a page with a
back link, a filtered list with a bad value, and the search box in the header, used as a
person would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from conftest import TEST_PASSWORD
from inspectorate.accounts.roles import Role
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.shell.tests.test_browser_dashboards import all_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_back_links_lists_and_header_search_have_no_axe_violation(
    browser: Browser, live_server: Any, make_user: Callable[..., Any]
) -> None:
    h.leeds()
    user = make_user(Role.HMIP_COORDINATOR, username="lists-coordinator")
    base = live_server.url
    # bypass_csp: axe is evaluated into the page, which the CSP would otherwise refuse.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(f"{base}/sign-in/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{base}/dashboard/")

        page.goto(f"{base}/account/email/")
        back = page.get_by_role("navigation", name="Back").get_by_role("link")
        expect(back).to_have_text("Back to your account")
        assert all_violations(page) == []

        page.goto(f"{base}/complaints/?stage=nonsense&establishment=Leeds")
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Choose the stage from the list"
        )
        expect(page.get_by_label("Establishment name or code")).to_have_value("Leeds")
        assert all_violations(page) == []

        search = page.get_by_role("search", name="Search the service")
        search.get_by_label("Search establishments, events, reports and inspectors").fill("leeds")
        search.get_by_role("button", name="Search").click()
        page.wait_for_url(f"{base}/search/?q=leeds")
        expect(page.get_by_role("link", name="HMP Leeds")).to_be_visible()
        assert all_violations(page) == []
    finally:
        context.close()
