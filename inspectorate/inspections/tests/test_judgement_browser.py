"""The judgements tab in a real browser: the lead records a grade citing evidence, sees the
grading engine's limit beside overall effectiveness, overrides it with a reason, and axe
finds nothing serious on any of the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from conftest import TEST_PASSWORD
from inspectorate.frameworks.services import frameworks_load
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.models import Judgement
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.inspections.tests.test_judgement_services import evidence, grade

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], list[dict[str, Any]]]


@pytest.mark.rule("JG-3")
def test_the_lead_records_grades_and_overrides_a_limit_with_a_reason(
    page: Page, live_server: Any, axe_check: AxeCheck
) -> None:
    base = live_server.url
    with time_machine.travel(h.NOON):
        frameworks_load(actor=None)
        full = h.full_inspection(stage=Stage.FIELDWORK)
        lead = h.ofsted_lead(full)
        cited = evidence(full, lead, "QE")
        cited.text = "Attendance at English averaged 58% over the quarter."
        cited.save()
        grade(full, lead, "SG", "not_effective")

        page.goto(f"{base}/sign-in/")
        page.get_by_label("Username").fill(lead.username)
        page.get_by_label("Password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{base}/dashboard/")

        page.goto(f"{base}/programme/events/{full.pk}/")
        page.get_by_role("link", name="Judgements").click()
        expect(page.get_by_role("heading", name="Judgements", exact=True)).to_be_visible()
        expect(page.get_by_text("Most likely from the grades entered")).to_be_visible()
        assert axe_check(page) == [], page.url

        page.get_by_role("link", name="Record Quality of education").click()
        assert axe_check(page) == [], page.url
        page.get_by_label("Good", exact=True).check()
        page.get_by_label("Attendance at English averaged 58%").check()
        page.get_by_role("button", name="Save judgement").click()
        expect(page.get_by_text("judgement recorded (provisional)")).to_be_visible()

        page.get_by_role("link", name="Record Overall effectiveness").click()
        expect(page.get_by_text("needs a recorded reason").first).to_be_visible()
        page.get_by_label("Good", exact=True).check()
        page.get_by_role("button", name="Save judgement").click()
        expect(page.get_by_text("There is a problem")).to_be_visible()
        assert axe_check(page) == [], page.url
        page.get_by_label("Reason for going against the grading rules").fill(
            "Agreed at moderation with the lead inspector's manager."
        )
        page.get_by_role("button", name="Save judgement").click()
        expect(page.get_by_text("Overrides JG-3")).to_be_visible()
        overall = Judgement.objects.get(event=full, aspect__code="OE")
        assert overall.level.slug == "good"
        assert "JG-3" in overall.overridden_rules
