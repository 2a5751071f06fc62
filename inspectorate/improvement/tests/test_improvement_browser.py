"""The case pages in a real browser: the improvement HMI records a visit with its actions
and support and sends the letter; the governor raises a concern about the inspection. Axe
finds nothing serious on any of the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from conftest import TEST_PASSWORD
from inspectorate.accounts.roles import Role
from inspectorate.frameworks.services import frameworks_load
from inspectorate.improvement.constants import LetterStatus
from inspectorate.improvement.models import Letter
from inspectorate.improvement.tests.test_improvement_services import open_case, with_hmi
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.tests import findings_helpers as h

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], list[dict[str, Any]]]


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard/")


@pytest.mark.rule("SC-3")
def test_the_hmi_records_a_visit_and_sends_the_letter(
    page: Page, live_server: Any, axe_check: AxeCheck
) -> None:
    base = live_server.url
    with time_machine.travel(h.NOON):
        frameworks_load(actor=None)
        full = h.full_inspection(stage=Stage.FIELDWORK)
        case = with_hmi(open_case(full, h.ofsted_lead(full)), h.user(Role.IMPROVEMENT_HMI))
        hmi = case.improvement_hmi
        assert hmi is not None
        _sign_in(page, base, hmi.username)
        page.goto(f"{base}/support-and-challenge/{case.pk}/")
        assert axe_check(page) == [], page.url
        page.get_by_role("link", name="Record a contact or visit").click()
        assert axe_check(page) == [], page.url
        page.get_by_label("Improvement visit").check()
        page.locator("#id_held_on_day").fill("16")
        page.locator("#id_held_on_month").fill("11")
        page.locator("#id_held_on_year").fill("2026")
        page.get_by_label("Invitation to an Ofsted improvement seminar").check()
        page.get_by_label("Priority action 1").fill("Publish attendance targets")
        page.get_by_label("Owner of action 1").fill("Head of learning and skills")
        page.locator("#id_due_on_1_day").fill("29")
        page.locator("#id_due_on_1_month").fill("1")
        page.locator("#id_due_on_1_year").fill("2027")
        # Any number of actions (issue 22): a fourth row, the values typed so far kept.
        page.get_by_role("button", name="Add another action").click()
        expect(page.get_by_label("Priority action 1")).to_have_value("Publish attendance targets")
        page.get_by_label("Priority action 4").fill("Assess reading within a week")
        page.get_by_label("Owner of action 4").fill("Reading lead")
        page.locator("#id_due_on_4_day").fill("26")
        page.locator("#id_due_on_4_month").fill("2")
        page.locator("#id_due_on_4_year").fill("2027")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Contact recorded.")).to_be_visible()
        expect(page.get_by_text("Assess reading within a week")).to_be_visible()
        page.get_by_role("link", name="Write the letter").click()
        page.get_by_role("button", name="Save").click()
        # SC-4: the letter is shown exactly as it will go before it is sent.
        page.get_by_role("link", name="Preview and send the letter").click()
        expect(page.get_by_role("heading", name="Check the letter before sending")).to_be_visible()
        expect(page.locator("#letter-body")).to_contain_text("Dear Governor,")
        assert axe_check(page) == [], page.url
        assert Letter.objects.get().status == LetterStatus.DRAFT
        page.get_by_role("button", name="Send the letter").click()
        expect(page.get_by_text("Letter sent.")).to_be_visible()
        assert axe_check(page) == [], page.url
        assert Letter.objects.get().status == LetterStatus.SENT

        governor = h.establishment_user(full)
        page.context.clear_cookies()
        _sign_in(page, base, governor.username)
        page.goto(f"{base}/programme/events/{full.pk}/")
        page.get_by_role("link", name="Raise a concern about this inspection").click()
        assert axe_check(page) == [], page.url
        page.get_by_label("Your name and role").fill("Claire Dawson, governor")
        page.get_by_label("Your concern").fill("The inspection missed our new reading strategy.")
        page.get_by_role("button", name="Send to the lead inspector").click()
        expect(page.get_by_text("Your concern has gone to the lead inspector.")).to_be_visible()
        assert axe_check(page) == [], page.url
