"""The service in a real browser: sign-in, dashboards, navigation, sign-out, and axe on each page.

Debian Chromium driven by Playwright against pytest-django's live server. Every page is
checked with axe-core for serious and critical violations, and the sign-in journey is run
again with JavaScript turned off to prove the service works without it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from conftest import TEST_PASSWORD
from inspectorate.accounts.roles import Role
from inspectorate.shell.dashboards import PANELS_BY_ROLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], list[dict[str, Any]]]
SIGN_IN_HEADING = "Sign in to Inspectorate"


def assert_accessible(page: Page, axe_check: AxeCheck) -> None:
    violations = axe_check(page)
    found = [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']]}" for v in violations
    ]
    assert not violations, f"axe on {page.url}: " + "; ".join(found)


def sign_in(page: Page, base_url: str, username: str, password: str = TEST_PASSWORD) -> None:
    page.goto(f"{base_url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def menu_links(page: Page) -> list[str]:
    """The link texts in the header's service navigation."""
    nav = page.get_by_role("navigation", name="Menu")
    return [text.strip() for text in nav.get_by_role("link").all_inner_texts()]


def current_menu_item(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Menu").locator("a[aria-current]")


def sign_out(page: Page, base_url: str) -> None:
    account = page.get_by_role("navigation", name="Your account")
    account.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base_url}/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text(SIGN_IN_HEADING)
    # The session is gone: the dashboard sends us back to sign in.
    page.goto(f"{base_url}/dashboard/")
    assert page.url.startswith(f"{base_url}/sign-in/"), page.url
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


@pytest.mark.parametrize(
    "role", [Role.HMIP_COORDINATOR, Role.ESTABLISHMENT_USER, Role.SYSTEM_ADMINISTRATOR]
)
def test_signing_in_reaches_the_dashboard_and_every_page_passes_axe(
    page: Page, live_server: Any, make_user: Any, establishment: Any, axe_check: AxeCheck, role: str
) -> None:
    base = live_server.url
    make_user(role, establishment=establishment if role == Role.ESTABLISHMENT_USER else None)

    page.goto(f"{base}/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text(SIGN_IN_HEADING)
    assert_accessible(page, axe_check)

    sign_in(page, base, role)
    assert page.url == f"{base}/dashboard/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.get_by_role("heading", level=2, name=Role(role).label)).to_be_visible()
    expect(page.locator(".app-worklist h3")).to_have_count(len(PANELS_BY_ROLE[role]))
    if role == Role.ESTABLISHMENT_USER:
        caption = page.locator(".govuk-caption-l")
        expect(caption).to_have_text("Establishment_User Tester, HMP Leeds")
    expect(current_menu_item(page)).to_have_text("Dashboard")
    assert_accessible(page, axe_check)

    pages = {
        "/account/": "Your account",
        "/accessibility/": "Accessibility statement",
        "/no-such-page/": "Page not found",
    }
    menu_pages = {}  # the menu item marked current on each
    if role == Role.SYSTEM_ADMINISTRATOR:
        pages["/audit/"] = "Audit trail"
        menu_pages["/audit/"] = "Administration"  # the audit trail is in its section
    for path, heading in pages.items():
        response = page.goto(f"{base}{path}")
        assert response is not None
        assert response.status == (404 if path == "/no-such-page/" else 200), path
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        if path == "/account/":  # in the header's account links, not the menu
            account = page.get_by_role("navigation", name="Your account")
            expect(account.locator("a[aria-current]")).to_have_text("Your account")
        if path in menu_pages:
            expect(current_menu_item(page)).to_have_text(menu_pages[path])
        else:
            expect(current_menu_item(page)).to_have_count(0)
        assert_accessible(page, axe_check)


def test_a_wrong_password_shows_the_error_summary(
    page: Page, live_server: Any, make_user: Any, axe_check: AxeCheck
) -> None:
    make_user(Role.HMIP_INSPECTOR, username="inspector")

    sign_in(page, live_server.url, "inspector", password="not-the-password")

    assert page.url.startswith(f"{live_server.url}/sign-in/"), page.url
    expect(page).to_have_title("Error: Sign in \N{EN DASH} Inspectorate")
    expect(page.get_by_role("heading", level=1)).to_have_text(SIGN_IN_HEADING)
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", level=2)).to_have_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text(
        "Enter a correct username and password. Both are case-sensitive."
    )
    expect(page.get_by_role("navigation", name="Menu")).to_have_count(0)
    assert_accessible(page, axe_check)


def test_the_service_works_without_javascript(
    browser: Browser, live_server: Any, make_user: Any
) -> None:
    base = live_server.url
    make_user(Role.OFSTED_INSPECTOR, username="ofstedinspector")
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, base, "ofstedinspector")

        assert page.url == f"{base}/dashboard/"
        # Nothing ran: GOV.UK Frontend's support check never marked the page.
        assert "js-enabled" not in (page.get_attribute("body", "class") or "")
        expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
        assignments = page.get_by_role("heading", name="Your assignments this month and next")
        expect(assignments).to_be_visible()
        # Without JavaScript the whole menu shows, with no toggle button.
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        expect(page.get_by_role("link", name="Your account")).to_be_visible()

        sign_out(page, base)
    finally:
        context.close()


def test_signing_out_with_javascript(page: Page, live_server: Any, make_user: Any) -> None:
    base = live_server.url
    make_user(Role.QUALITY_ASSURANCE, username="qa")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    sign_in(page, base, "qa")
    assert page.url == f"{base}/dashboard/"
    # GOV.UK Frontend's support check ran, so its components are active.
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")

    sign_out(page, base)
    assert errors == []


def test_navigation_follows_the_roles(
    browser: Browser, live_server: Any, make_user: Any, establishment: Any
) -> None:
    base = live_server.url
    make_user(Role.ESTABLISHMENT_USER, username="governor", establishment=establishment)
    make_user(Role.SYSTEM_ADMINISTRATOR, username="admin")

    seen: dict[str, list[str]] = {}
    for username in ("governor", "admin"):
        context = browser.new_context()
        try:
            page = context.new_page()
            sign_in(page, base, username)
            assert page.url == f"{base}/dashboard/"
            seen[username] = menu_links(page)
        finally:
            context.close()

    assert seen["governor"] == [
        "Dashboard",
        "Programme",
        "Your establishment",
        "Reports",
        "Complaints",
    ]
    # The rest is grouped under Directory and Administration; the account links are in
    # the header.
    assert seen["admin"] == [
        "Dashboard",
        "Programme",
        "Deadlines",
        "Reports",
        "Support and challenge",
        "Alerts",
        "Directory",
        "Administration",
    ]
