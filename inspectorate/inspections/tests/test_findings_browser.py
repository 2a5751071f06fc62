"""An IRP in a real browser, from its announcement to recorded progress judgements: the lead
chooses the recommendations and adds an Ofsted theme, writes the narrative and records the
progress on the right scale; the establishment sees the list but not the judgements. Axe
runs on every findings screen."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Page, expect

from conftest import TEST_PASSWORD
from inspectorate.frameworks.models import Aspect
from inspectorate.frameworks.services import frameworks_load
from inspectorate.inspections.constants import ConcernKind, EvidenceSource, Stage
from inspectorate.inspections.models import EvidenceForm, FollowUp, Judgement
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.programme.services import event_announce

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], list[dict[str, Any]]]
SHOTS = os.environ.get("FINDINGS_SCREENSHOTS", "")  # a folder, to look at the pages


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard/")


def _no_violations(page: Page, axe_check: AxeCheck) -> None:
    if SHOTS:
        name = page.url.split("/inspections/", 1)[-1].strip("/").replace("/", "-") or "page"
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    assert axe_check(page) == [], page.url


def test_an_irp_from_announcement_to_recorded_judgements(
    page: Page, browser: Any, live_server: Any, axe_check: AxeCheck
) -> None:
    base = live_server.url
    with time_machine.travel(h.NOON):
        frameworks_load(actor=None)
        full = h.full_inspection()
        regime = h.concern(full, "The regime was unpredictable.", kind=ConcernKind.PRIORITY)
        made = h.recommendations(full, 4)
        made[0].concern = regime
        made[0].save()
        review = h.irp(full)
        lead = h.team_leader(review)
        coordinator = h.user("hmip_coordinator")
        local = h.establishment_user(review)
        EvidenceForm.objects.create(
            event=review,
            author=lead,
            evidence_on=date(2027, 3, 8),
            source=EvidenceSource.DATA,
            aspect=Aspect.objects.get(framework__slug="hmip-irp-progress", code="REC"),
            text="Time out of cell had risen to six hours a day.",
        )
        EvidenceForm.objects.create(
            event=review,
            author=lead,
            evidence_on=date(2027, 3, 9),
            source=EvidenceSource.STAFF,
            aspect=Aspect.objects.get(framework__slug="ofsted-irp-themes", code="THEME"),
            text="Attendance had risen to 80%.",
        )
        event_announce(
            actor=coordinator, event=review, version=review.version, announced_on=date(2026, 11, 23)
        )

        _sign_in(page, base, lead.username)
        page.goto(f"{base}/inspections/events/{review.pk}/follow-ups/")
        expect(page.get_by_role("heading", name="Follow-up", exact=True)).to_be_visible()
        _no_violations(page, axe_check)

        # Chosen on the day of the announcement: a change needs a reason (IN-6).
        page.get_by_role("link", name="Choose recommendations").click()
        _no_violations(page, axe_check)
        page.get_by_label("1.12 Recommendation 0").check()
        page.get_by_label("1.13 Recommendation 1").check()
        page.get_by_role("button", name="Save the selection").click()
        expect(page.get_by_text("Enter why you are adding 1.12, 1.13")).to_be_visible()
        _no_violations(page, axe_check)
        page.get_by_label("Why the selection needs to differ").fill(
            "Chosen at the announcement meeting."
        )
        page.get_by_role("button", name="Save despite the warning").click()
        expect(page.get_by_role("heading", name="Recommendations followed up (2)")).to_be_visible()

        page.get_by_role("link", name="Add a theme").click()
        page.get_by_label("Ofsted theme").fill("Attendance at education")
        page.get_by_role("button", name="Add theme").click()
        page.get_by_label("Why a theme is added after the announcement").fill(
            "Agreed at announcement."
        )
        page.get_by_role("button", name="Add despite the warning").click()
        expect(page.get_by_role("heading", name="Ofsted themes (1)")).to_be_visible()

        # The narrative and the judgement of the first recommendation (JG-6).
        page.get_by_role("link", name="Edit narrative for recommendation 1").click()
        _no_violations(page, axe_check)
        page.get_by_label("Narrative").fill(
            "Time out of cell had improved.\n\nThe regime was more predictable."
        )
        page.get_by_role("button", name="Save narrative").click()
        card = page.locator(f"#item-{FollowUp.objects.get(recommendation=made[0]).pk}")
        expect(card.locator("ol li")).to_have_count(2)

        page.get_by_role("link", name="Record progress for recommendation 1").click()
        _no_violations(page, axe_check)
        expect(page.get_by_label("Good progress", exact=True)).to_be_visible()
        expect(page.get_by_label("No meaningful progress")).to_be_visible()
        expect(page.get_by_label("Significant progress")).to_have_count(0)
        page.get_by_label("Reasonable progress").check()
        page.get_by_label("Time out of cell had risen").check()
        page.get_by_role("button", name="Save progress judgement").click()
        expect(card.get_by_text("Reasonable progress")).to_be_visible()

        # The theme, on Ofsted's scale (JG-7).
        page.get_by_role("link", name="Record progress for theme 1").click()
        expect(page.get_by_label("Significant progress")).to_be_visible()
        expect(page.get_by_label("Good progress", exact=True)).to_have_count(0)
        page.get_by_label("Significant progress").check()
        page.get_by_label("Attendance had risen").check()
        page.get_by_role("button", name="Save progress judgement").click()
        expect(page.get_by_text("Significant progress")).to_be_visible()
        assert Judgement.objects.filter(event=review).count() == 2

        page.get_by_role("link", name="Concerns and recommendations").click()
        _no_violations(page, axe_check)

        # The establishment sees the list, not the narrative or the judgements.
        context = browser.new_context()
        theirs = context.new_page()
        _sign_in(theirs, base, local.username)
        theirs.goto(f"{base}/inspections/events/{review.pk}/follow-ups/")
        expect(theirs.get_by_text("Recommendation 0: leaders should act.")).to_be_visible()
        expect(theirs.get_by_text("Attendance at education")).to_be_visible()
        expect(theirs.get_by_text("Reasonable progress")).to_have_count(0)
        expect(theirs.get_by_text("Time out of cell had improved.")).to_have_count(0)
        _no_violations(theirs, axe_check)
        h.set_stage(review, Stage.PUBLISHED)
        theirs.reload()
        expect(theirs.get_by_text("Reasonable progress")).to_be_visible()
        context.close()
