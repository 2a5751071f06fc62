"""The estate screens in a real browser, without JavaScript: filters, edit, and axe on each."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import TEST_PASSWORD
from inspectorate.accounts.roles import Role
from inspectorate.estate.tests.helpers import make_contract, make_establishment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], list[dict[str, Any]]]


@pytest.fixture
def no_js_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def _accessible(page: Page, axe_check: AxeCheck, name: str) -> None:
    violations = axe_check(page)
    assert not violations, [
        name,
        *((v["id"], [n["target"] for n in v["nodes"]]) for v in violations),
    ]


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard/")


def test_the_estate_screens_work_without_javascript_and_pass_axe(
    page: Page, no_js_page: Page, live_server: Any, make_user: Any, axe_check: AxeCheck
) -> None:
    base = live_server.url
    leeds = make_establishment("LE", "HMP Leeds", region="yorkshire", security_category="b")
    make_establishment("CF", "HMP/YOI Cardiff", nation="wales", region="wales")
    make_establishment("OW", "HMP Oakwood", operator="G4S Care and Justice Services")
    make_contract(leeds, "Novus", contract_name="Prison Education Framework")
    make_user(Role.HMIP_COORDINATOR, username="coordinator")

    # Without JavaScript: the GET filter form and the edit form.
    _sign_in(no_js_page, base, "coordinator")
    no_js_page.goto(f"{base}/establishments/")
    no_js_page.get_by_label("Region").select_option("yorkshire")
    no_js_page.get_by_role("button", name="Apply filters").click()
    expect(
        no_js_page.get_by_role("heading", name="1 establishment matches your filters")
    ).to_be_visible()
    no_js_page.get_by_role("link", name="HMP Leeds").click()
    no_js_page.get_by_role("link", name="Change the details of HMP Leeds").click()
    no_js_page.get_by_label("On-site maximum").fill("0")
    no_js_page.get_by_role("button", name="Save").click()
    expect(no_js_page.locator(".govuk-error-summary")).to_contain_text("On-site maximum must be")
    no_js_page.get_by_label("On-site maximum").fill("16")
    no_js_page.get_by_role("button", name="Save").click()
    expect(no_js_page.get_by_text("16 inspectors at once")).to_be_visible()

    # With JavaScript, every page passes axe.
    _sign_in(page, base, "coordinator")
    for name, path in [
        ("list", "/establishments/?region=yorkshire"),
        ("detail", "/establishments/LE/"),
        ("edit", "/establishments/LE/edit/"),
        ("contract-add", "/establishments/LE/contracts/add/"),
        ("providers", "/establishments/providers/"),
        ("provider", f"/establishments/providers/{leeds.contracts.get().provider_id}/"),
        ("import", "/establishments/import/"),
    ]:
        page.goto(f"{base}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        _accessible(page, axe_check, name)
    page.goto(f"{base}/establishments/LE/edit/")
    page.get_by_label("Name").fill("")
    page.get_by_role("button", name="Save").click()
    _accessible(page, axe_check, "edit-error")
