"""A report in a real browser from draft to published: the team leader drafts it, quality
assurance approves it, the establishment comments on a paragraph during the factual-accuracy
check (RP-3), the leader responds, closes the check and publishes; the public page is then
opened signed out, with its PDF. The real documents and PDF are used. Axe runs on each page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect

from conftest import TEST_PASSWORD
from inspectorate.inspections.constants import Stage
from inspectorate.inspections.models import Inspection
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.programme.constants import MilestoneStatus
from inspectorate.programme.models import Milestone
from inspectorate.reports.constants import ReportStage
from inspectorate.reports.models import Report
from inspectorate.reports.tests import report_helpers as r

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], list[dict[str, Any]]]


def _as(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context().new_page()
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard/")
    return page


def _clean(page: Page, axe_check: AxeCheck) -> None:
    assert axe_check(page) == [], page.url


def _date(page: Page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


@pytest.mark.rule("RP-3")
def test_a_report_from_draft_to_published(
    page: Page, browser: Browser, live_server: Any, axe_check: AxeCheck, run_worker: Any
) -> None:
    base = live_server.url
    with time_machine.travel(h.NOON):
        people = r.cast()
    event = people.event

    # The team leader drafts the report and submits it.
    leader = _as(browser, base, people.leader.username)
    leader.goto(f"{base}/reports/events/{event.pk}/")
    _clean(leader, axe_check)
    leader.get_by_role("button", name="Start the report on an independent review").click()
    expect(leader.get_by_role("heading", level=1)).to_contain_text("Edit the report")
    _clean(leader, axe_check)
    leader.get_by_label("Summary").fill("Leaders had made reasonable progress overall.")
    _date(leader, "Planned publication date", r.PLANNED)
    leader.get_by_role("button", name="Save the report").click()
    expect(leader.get_by_text("Report saved.")).to_be_visible()
    _clean(leader, axe_check)
    report = Report.objects.get(event=event)
    assert Milestone.objects.get(event=event, rule_id="RP-3").due_on == date(2027, 1, 19)
    leader.get_by_role("link", name="Submit for quality assurance").click()
    _clean(leader, axe_check)  # the confirmation page says what will happen
    leader.get_by_role("button", name="Submit for quality assurance").click()
    expect(leader.get_by_text("Report submitted for quality assurance.")).to_be_visible()

    # Quality assurance approves it.
    qa = _as(browser, base, people.qa.username)
    qa.goto(f"{base}/reports/{report.pk}/")
    _clean(qa, axe_check)
    qa.get_by_role("button", name="Approve the report").click()
    expect(qa.get_by_text("Report approved.")).to_be_visible()

    # The leader sends it for the factual-accuracy check; the RP-3 deadline is suggested.
    leader.goto(f"{base}/reports/{report.pk}/")
    leader.get_by_role("link", name="Start the factual-accuracy check").click()
    _clean(leader, axe_check)
    _date(leader, "Comments due by", r.DUE)
    leader.get_by_role("button", name="Send for the factual-accuracy check").click()
    expect(leader.get_by_text("gone for its factual-accuracy check")).to_be_visible()
    assert Inspection.objects.get(event=event).stage == Stage.FACTUAL_ACCURACY  # JG-9

    # The establishment comments on a numbered paragraph.
    local = _as(browser, base, people.local.username)
    local.goto(f"{base}/reports/")
    _clean(local, axe_check)
    local.get_by_role("link", name="Report on an independent review of progress").click()
    _clean(local, axe_check)
    local.get_by_role("link", name="Comment on a paragraph").click()
    _clean(local, axe_check)
    paragraph = local.get_by_label("Paragraph")
    first = paragraph.locator("option").nth(1).get_attribute("value")
    assert first
    paragraph.select_option(first)
    local.get_by_label("Your comment").fill("The wing was renamed in September.")
    local.get_by_role("button", name="Send the comment").click()
    expect(local.get_by_text("Your comment has gone to the inspection team.")).to_be_visible()
    _clean(local, axe_check)

    # The leader responds, closes the check and publishes.
    leader.goto(f"{base}/reports/{report.pk}/")
    expect(leader.get_by_text("The wing was renamed in September.")).to_be_visible()
    leader.get_by_role("link", name=f"Respond to the comment on paragraph {first}").click()
    _clean(leader, axe_check)
    leader.get_by_label("Accepted: the report is corrected").check()
    leader.get_by_label("Response").fill("Corrected.")
    leader.get_by_role("button", name="Record the response").click()
    expect(
        leader.get_by_text(f"Response to the comment on paragraph {first} recorded.")
    ).to_be_visible()
    leader.get_by_role("button", name="Close the check and finalise").click()
    expect(leader.get_by_text("the report is final")).to_be_visible()
    assert Milestone.objects.get(event=event, rule_id="RP-3").status == MilestoneStatus.MET  # RP-3
    leader.get_by_role("button", name="Publish the report").click()
    expect(leader.get_by_text("Report published.")).to_be_visible()
    _clean(leader, axe_check)
    report.refresh_from_db()
    assert report.stage == ReportStage.PUBLISHED
    assert "reasonable progress" in report.published_html
    run_worker()  # the public PDF

    # Signed out: the public list and the report, as HTML and PDF.
    page.goto(f"{base}/reports/published/")
    _clean(page, axe_check)
    page.get_by_label("Establishment").fill("Leeds")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="HMP Leeds: report on an independent review").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("HMP Leeds")
    expect(page.get_by_text("Leaders had made reasonable progress overall.")).to_be_visible()
    _clean(page, axe_check)
    link = page.get_by_role("link", name="Download the report as a PDF")
    response = page.request.get(f"{base}{link.get_attribute('href')}")
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
