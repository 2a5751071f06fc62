"""Two-factor sign-in, the refused re-enrolment and "Confirm it's you" in a real browser
(Debian Chromium through Playwright), each page checked with axe. The live server is plain
HTTP, so only REQUIRE_TWO_FACTOR of the production settings is applied here; the same paths
under every production setting are in test_sign_in_paths.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from conftest import TEST_PASSWORD
from inspectorate.accounts.roles import Role
from inspectorate.accounts.tests.production import code, device_for
from inspectorate.shell.tests.test_browser import AxeCheck, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_factor_sign_in_refused_re_enrolment_and_confirming_it_is_you(
    page: Page, live_server: Any, make_user: Any, settings: Any, axe_check: AxeCheck
) -> None:
    settings.REQUIRE_TWO_FACTOR = True
    base = live_server.url
    user = make_user(Role.HMIP_COORDINATOR, username="priya")
    device = device_for(user)

    sign_in(page, base, "priya")
    assert page.url.startswith(f"{base}/account/two-factor/verify/")

    # The password alone does not open the set-up page: it asks for the current code.
    page.goto(f"{base}/account/two-factor/set-up/")
    assert page.url.startswith(f"{base}/account/two-factor/verify/")
    expect(page.get_by_text("before setting up a new one")).to_be_visible()
    assert list(TOTPDevice.objects.filter(user=user)) == [device]
    assert_accessible(page, axe_check)

    page.get_by_label("Security code").fill(code(device))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")

    with time_machine.travel(dt.timedelta(seconds=31)):  # a new code: each is accepted once
        page.goto(f"{base}/account/confirm/?next=/account/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it's you")
        assert_accessible(page, axe_check)
        page.get_by_role("button", name="Continue").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your password")
        assert_accessible(page, axe_check)
        page.get_by_label("Your password").fill(TEST_PASSWORD)
        page.get_by_label("Security code").fill(code(device))
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
    assert page.url == f"{base}/account/"


def test_the_reset_page_is_accessible(
    page: Page, live_server: Any, make_user: Any, axe_check: AxeCheck
) -> None:
    base = live_server.url
    make_user(Role.SYSTEM_ADMINISTRATOR, username="sysadmin")
    person = make_user(Role.HMIP_INSPECTOR, username="lostphone")
    device_for(person)
    sign_in(page, base, "sysadmin")
    page.goto(f"{base}/account/users/{person.pk}/two-factor/reset/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset two-factor sign-in")
    assert_accessible(page, axe_check)
    page.get_by_role("button", name="Reset two-factor sign-in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why")
    page.get_by_label("Why are you resetting").fill("Lost phone, rang the service desk")
    with page.expect_navigation():
        page.get_by_role("button", name="Reset two-factor sign-in").click()
    expect(page.get_by_text("1 authenticator removed")).to_be_visible()
    assert_accessible(page, axe_check)
    assert not TOTPDevice.objects.filter(user=person).exists()
