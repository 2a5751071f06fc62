"""An inspector records an evidence form on a tablet: the aspect tagged in one select, the
text kept in the browser across a reload, the draft cleared once saved, and axe finds no
serious or critical problem on the way."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect

from conftest import TEST_PASSWORD
from inspectorate.inspections.models import EvidenceForm
from inspectorate.inspections.tests.fieldwork_helpers import (
    load_frameworks,
    make_team_event,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], list[dict[str, Any]]]
TABLET: ViewportSize = {"width": 768, "height": 1024}
WEDNESDAY = timezone.make_aware(datetime(2027, 6, 16, 10, 0))  # during the education week
TEXT = (
    "Level 1 English: the tutor checked every learner's understanding, but three of the "
    "eight allocated learners arrived twenty minutes late because they were unlocked late."
)


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard/")


def _drafts(page: Page) -> list[str]:
    return list(
        page.evaluate(
            "Object.keys(localStorage).filter(k => k.startsWith('inspectorate:evidence-draft:'))"
        )
    )


@pytest.mark.rule("IN-7")
def test_an_inspector_records_evidence_on_a_tablet_without_losing_text(
    page: Page, live_server: Any, axe_check: AxeCheck, monkeypatch: Any
) -> None:
    base = live_server.url
    with time_machine.travel(WEDNESDAY):
        load_frameworks()
        team = make_team_event()
        add = base + reverse("inspections:evidence-add", kwargs={"event_pk": team.event.pk})
        listing = base + reverse("inspections:evidence-list", kwargs={"event_pk": team.event.pk})
        page.set_viewport_size(TABLET)
        _sign_in(page, base, team.inspector.username)

        page.goto(add)
        expect(page.get_by_role("heading", name="Record evidence", level=1)).to_be_visible()
        assert axe_check(page) == []
        aspect = page.get_by_label("Aspect the evidence bears on")
        aspect.select_option(label="QE Quality of education")
        page.get_by_label("Discussion with staff").check()
        expect(page.locator("#id_evidence_on_day")).to_have_value("16")  # today, by default
        text = page.get_by_label("Evidence", exact=True)
        text.fill(TEXT)
        # One column on a tablet: the aspect and the text run the width of the page.
        text_box, aspect_box = text.bounding_box(), aspect.bounding_box()
        assert text_box is not None
        assert aspect_box is not None
        assert text_box["width"] >= 600
        assert abs(text_box["x"] - aspect_box["x"]) < 1
        assert aspect_box["y"] < text_box["y"]

        page.reload()  # the tablet drops the page before it is sent
        expect(page.get_by_text("We have put back text you had not saved")).to_be_visible()
        expect(text).to_have_value(TEXT)
        expect(page.get_by_label("Discussion with staff")).to_be_checked()
        expect(aspect.locator("option:checked")).to_have_text("QE Quality of education")
        assert axe_check(page) == []

        page.get_by_role("button", name="Save evidence form").click()
        page.wait_for_url(listing)
        expect(page.get_by_text("Your evidence form has been saved.")).to_be_visible()
        expect(page.get_by_text(TEXT)).to_be_visible()
        assert _drafts(page) == []  # saved, so the browser's copy is gone
        assert axe_check(page) == []

        saved = EvidenceForm.objects.get()
        assert (saved.author, saved.aspect.code, saved.source, saved.text) == (
            team.inspector,
            "QE",
            "staff",
            TEXT,
        )
        assert saved.evidence_on == date(2027, 6, 16)
