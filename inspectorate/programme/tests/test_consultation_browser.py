"""Consultation in a real browser (PG-14): the coordinator opens it after a check page, the
Ofsted scheduler follows the notification to the response page and answers with one
challenge, and the coordinator confirms with the challenge in view. axe on each page."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect

from conftest import TEST_PASSWORD
from inspectorate.accounts.roles import Role
from inspectorate.programme.constants import ProgrammeStatus
from inspectorate.programme.models import ConsultationChallenge, Programme
from inspectorate.programme.tests.test_programme_helpers import (
    NOON,
    make_establishment,
    make_event,
    make_programme,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], list[dict[str, Any]]]
SHOTS = os.environ.get("CONSULTATION_SCREENSHOTS", "")  # a folder, to look at the pages


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard/")


def _checked(page: Page, axe_check: AxeCheck, name: str) -> None:
    assert axe_check(page) == [], name
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.rule("PG-14")
def test_coordinator_opens_scheduler_challenges_coordinator_confirms_in_view(
    page: Page, browser: Browser, live_server: Any, make_user: Any, axe_check: AxeCheck
) -> None:
    base = live_server.url
    with time_machine.travel(NOON):
        make_user(Role.HMIP_COORDINATOR, username="coordinator")
        make_user(Role.OFSTED_SCHEDULER, username="scheduler")
        programme = make_programme(2027)
        make_event(programme, make_establishment("LE", "HMP Leeds"), starts_on=date(2027, 5, 10))

        # The coordinator opens consultation, after a page saying what it will do.
        _sign_in(page, base, "coordinator")
        page.goto(f"{base}/programme/2027/")
        page.get_by_role("link", name="Open to consultation").click()
        expect(page.get_by_text("Ofsted: 1 person with the Ofsted scheduler role")).to_be_visible()
        _checked(page, axe_check, "1-open-check")
        page.get_by_role("button", name="Open to consultation").click()
        expect(page.get_by_text("opened to consultation")).to_be_visible()

        # The scheduler follows the notification to the response page.
        ofsted_context = browser.new_context()
        ofsted = ofsted_context.new_page()
        _sign_in(ofsted, base, "scheduler")
        ofsted.goto(f"{base}/programme/notifications/")
        ofsted.get_by_role(
            "link", name="Programme 2027 to 2028: consultation open, your response is due"
        ).click()
        expect(ofsted.get_by_role("heading", name="Respond to the draft programme")).to_be_visible()
        _checked(ofsted, axe_check, "2-respond")
        ofsted.get_by_label("Yes, the resourcing is confirmed").check()
        ofsted.get_by_role("button", name="Record the response").click()
        expect(ofsted.get_by_text("Your response was recorded")).to_be_visible()
        ofsted.get_by_label("Event you are challenging").select_option(index=1)
        ofsted.get_by_label("Your challenge").fill("Our inspectors are in Wales that fortnight")
        ofsted.get_by_role("button", name="Raise the challenge").click()
        expect(ofsted.get_by_text("Your challenge was raised")).to_be_visible()
        expect(ofsted.get_by_text("Our inspectors are in Wales that fortnight")).to_be_visible()
        _checked(ofsted, axe_check, "3-challenged")
        ofsted_context.close()

        # The coordinator confirms with the challenge in view, giving the reason.
        page.goto(f"{base}/programme/2027/")
        page.get_by_role("link", name="Confirm the programme").click()
        expect(page.get_by_text("Our inspectors are in Wales that fortnight")).to_be_visible()
        expect(page.get_by_text("1 challenge not answered")).to_be_visible()
        _checked(page, axe_check, "4-confirm")
        page.locator("#id_confirmed_on_day").fill("22")
        page.locator("#id_confirmed_on_month").fill("11")
        page.locator("#id_confirmed_on_year").fill("2026")
        page.get_by_label("Reason for confirming despite the warnings").fill(
            "Agreed by telephone to move Leeds to June"
        )
        page.get_by_role("button", name="Confirm the programme").click()
        expect(page.get_by_text("Programme 2027 to 2028 confirmed")).to_be_visible()
        _checked(page, axe_check, "5-confirmed")

    confirmed = Programme.objects.get(year=2027)
    assert confirmed.status == ProgrammeStatus.CONFIRMED
    assert confirmed.confirmation_reason.endswith(
        "Reason: Agreed by telephone to move Leeds to June"
    )
    assert ConsultationChallenge.objects.get().text == "Our inspectors are in Wales that fortnight"
