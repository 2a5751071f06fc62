"""SG-1 in a real browser, on a phone-sized screen: an inspector raises an alert from the
event's page in under a minute, and the team leader signs in to find the notification."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect

from conftest import TEST_PASSWORD
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.safeguarding.models import Alert

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], list[dict[str, Any]]]


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard/")


@pytest.mark.rule("SG-1")
def test_an_inspector_raises_an_alert_on_a_phone_and_the_team_leader_sees_it(
    browser: Browser, live_server: Any, axe_check: AxeCheck
) -> None:
    base = live_server.url
    with time_machine.travel(h.NOON):
        event = h.full_inspection()
        leader = h.team_leader(event)
        inspector = h.team_inspector(event)

        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        page = phone.new_page()
        _sign_in(page, base, inspector.username)
        page.goto(f"{base}/programme/events/{event.pk}/")
        page.get_by_role("link", name="Raise a safeguarding or sanctions alert").click()
        assert axe_check(page) == [], page.url
        page.get_by_label("Safeguarding: a child or vulnerable adult").check()
        page.get_by_label("What did you see or hear?").fill(
            "A young adult on C wing said an officer threatened him after our interview."
        )
        page.get_by_role("button", name="Raise the alert now").click()
        expect(page.get_by_text("Alert raised")).to_be_visible()
        phone.close()
        alert = Alert.objects.get()
        assert alert.raised_by == inspector

        desk = browser.new_context()
        theirs = desk.new_page()
        _sign_in(theirs, base, leader.username)
        theirs.get_by_role("link", name="Notifications").click()
        theirs.get_by_role("link", name="Safeguarding alert at HMP Leeds").first.click()
        expect(theirs.get_by_text("A young adult on C wing said").first).to_be_visible()
        assert axe_check(theirs) == [], theirs.url
        theirs.get_by_role("button", name="Acknowledge").click()
        expect(theirs.get_by_text("the escalation has stopped")).to_be_visible()
        desk.close()
        alert.refresh_from_db()
        assert alert.acknowledged_by == leader
