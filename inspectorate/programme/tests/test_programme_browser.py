"""The programme screens in a real browser: the calendar's filters and the scheduling form
without JavaScript, and axe on every screen."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect

from conftest import TEST_PASSWORD
from inspectorate.accounts.roles import Role
from inspectorate.programme.constants import EventKind, ProgrammeStatus
from inspectorate.programme.models import Notification
from inspectorate.programme.tests.test_programme_helpers import (
    NOON,
    make_establishment,
    make_event,
    make_programme,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], list[dict[str, Any]]]
SHOTS = os.environ.get("PROGRAMME_SCREENSHOTS", "")  # a folder, to look at the pages


@pytest.fixture
def no_js_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard/")


def test_the_programme_screens_work_without_javascript_and_pass_axe(
    page: Page, no_js_page: Page, live_server: Any, make_user: Any, axe_check: AxeCheck
) -> None:
    base = live_server.url
    with time_machine.travel(NOON):
        coordinator = make_user(Role.HMIP_COORDINATOR, username="coordinator")
        leeds = make_establishment("LE", "HMP Leeds")
        cardiff = make_establishment("CF", "HMP/YOI Cardiff", nation="wales")
        programme = make_programme(2026, ProgrammeStatus.CONFIRMED)
        inspection = make_event(programme, leeds, starts_on=date(2027, 1, 11))
        make_event(programme, cardiff, starts_on=date(2026, 6, 1))
        irp = make_event(
            programme, make_establishment("WD", "HMP Wakefield"), kind=EventKind.IRP,
            starts_on=date(2027, 2, 8),
        )  # fmt: skip
        Notification.objects.create(
            recipient=coordinator, subject="Programme 2026 to 2027 amended", body="Moved"
        )

        # Without JavaScript: the calendar's GET filters, and the form's errors.
        _sign_in(no_js_page, base, "coordinator")
        no_js_page.goto(f"{base}/programme/2026/calendar/")
        no_js_page.get_by_label("Organisation").select_option("estyn")
        no_js_page.get_by_role("button", name="Apply filters").click()
        expect(
            no_js_page.get_by_role("heading", name="1 event matches your filters")
        ).to_be_visible()
        expect(no_js_page.get_by_role("link", name="HMP/YOI Cardiff").first).to_be_visible()
        no_js_page.goto(f"{base}/programme/2026/events/new/")
        no_js_page.get_by_label("Full inspection").check()
        no_js_page.get_by_label("Establishment", exact=True).select_option("LE")
        no_js_page.locator("#id_starts_on_day").fill("12")
        no_js_page.locator("#id_starts_on_month").fill("1")
        no_js_page.locator("#id_starts_on_year").fill("2027")
        no_js_page.get_by_role("button", name="Add the event").click()
        expect(no_js_page.locator(".govuk-error-summary")).to_contain_text(
            "A full inspection starts on a Monday"
        )

        # With JavaScript, every page passes axe.
        _sign_in(page, base, "coordinator")
        for name, path in [
            ("list", "/programme/"),
            ("programme", "/programme/2026/"),
            ("calendar", "/programme/2026/calendar/"),
            ("event", f"/programme/events/{inspection.pk}/"),
            ("irp", f"/programme/events/{irp.pk}/"),
            ("schedule", "/programme/2026/events/new/"),
            ("move", f"/programme/events/{inspection.pk}/move/"),
            ("cancel", f"/programme/events/{inspection.pk}/cancel/"),
            ("announce", f"/programme/events/{irp.pk}/announce/"),
            ("notifications", "/programme/notifications/"),
            ("create", "/programme/new/"),
        ]:
            page.goto(f"{base}{path}")
            if name == "schedule":  # with its errors showing
                page.get_by_role("button", name="Add the event").click()
                expect(page.locator(".govuk-error-summary")).to_be_visible()
            if name == "announce":  # the late-IRP warning
                page.get_by_role("button", name="Announce").click()
                expect(page.locator(".govuk-error-summary")).to_contain_text("three months")
            violations = axe_check(page)
            assert not violations, [name, *((v["id"], v["nodes"][0]["target"]) for v in violations)]
            if SHOTS:
                page.screenshot(path=f"{SHOTS}/programme-{name}.png", full_page=True)
