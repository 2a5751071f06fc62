"""The framework screens in a real browser: axe on each page, the calculator without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import TEST_PASSWORD
from inspectorate.accounts.roles import Role
from inspectorate.frameworks.models import Assessment
from inspectorate.frameworks.services import frameworks_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], list[dict[str, Any]]]


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def assert_accessible(page: Page, axe_check: AxeCheck) -> None:
    violations = axe_check(page)
    found = [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in violations]
    assert not violations, f"axe on {page.url}: " + "; ".join(found)


@pytest.mark.rule("JG-3")
def test_grading_with_the_calculator_without_javascript(
    browser: Browser, live_server: Any, make_user: Any, axe_check: AxeCheck
) -> None:
    frameworks_load(actor=None)
    make_user(Role.OFSTED_LEAD_INSPECTOR, username="lead")
    base = live_server.url

    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, base, "lead")
        page.goto(f"{base}/frameworks/calculator/")
        page.get_by_label("Common Inspection Framework 2009").check()
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Common Inspection Framework")

        grades = {"CI": "Good", "A": "Good", "B": "Good", "C": "Good", "C3": "Inadequate"}
        grades["C4"] = "Good"
        for code, label in grades.items():
            page.locator(f"#id_grade_{code}").select_option(label=label)
        page.get_by_role("button", name="Calculate").click()
        expect(page.get_by_text("Most likely grade:")).to_contain_text("Inadequate")
        expect(page.get_by_text("JG-3: Safeguarding (C3) is inadequate")).to_be_visible()

        page.get_by_label("Full inspection").check()
        page.locator("#id_choice_OE-3").check()  # satisfactory: the rules warn about it
        page.get_by_role("button", name="Save assessment").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason")

        page.get_by_label("Reason for overriding the rules").fill("Isolated and fixed at once.")
        page.get_by_role("button", name="Save assessment").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Assessment \d+$"))
        assert (
            Assessment.objects.get().decisions.get().override_reason
            == "Isolated and fixed at once."
        )
        expect(
            page.get_by_text("Overrides JG-3, JG-4: Isolated and fixed at once.")
        ).to_be_visible()
    finally:
        context.close()


def test_the_framework_screens_pass_axe(
    page: Page, live_server: Any, make_user: Any, axe_check: AxeCheck
) -> None:
    frameworks_load(actor=None)
    make_user(Role.HMIP_TEAM_LEADER, username="teamleader")
    base = live_server.url
    sign_in(page, base, "teamleader")
    for path, heading in [
        ("/frameworks/", "Frameworks"),
        ("/frameworks/cif-2009/2009.1/", "Common Inspection Framework 2009"),
        ("/frameworks/healthy-prison-tests/2026.1/", "HMI Prisons healthy prison tests"),
        ("/frameworks/calculator/", "Grade calculator"),
        ("/frameworks/assessments/", "Saved assessments"),
    ]:
        response = page.goto(f"{base}{path}")
        assert response is not None
        assert response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_accessible(page, axe_check)

    page.goto(f"{base}/frameworks/calculator/")
    page.get_by_label("Common Inspection Framework 2012").check()
    page.get_by_role("button", name="Continue").click()
    page.locator("#id_grade_A").select_option(label="Requires improvement")
    page.get_by_role("button", name="Calculate").click()
    expect(page.get_by_role("heading", name="What the rules say")).to_be_visible()
    assert_accessible(page, axe_check)
    page.get_by_role("button", name="Save assessment").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, axe_check)
