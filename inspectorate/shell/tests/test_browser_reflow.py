"""At 320 px (a phone, or 400% zoom on a laptop) long tables reflow into one block per row,
each cell headed by its column's name: the page never scrolls sideways (WCAG 1.4.10)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser

from inspectorate.accounts.roles import Role
from inspectorate.programme.tests.test_team_helpers import make_inspector
from inspectorate.shell.tests.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_inspectors_table_reflows_at_320_pixels(
    browser: Browser, live_server: Any, make_user: Any
) -> None:
    for name in ("Aisha Khan-Montgomery-Smythe", "Bartholomew Featherstonehaugh", "Cat Ofsted"):
        make_inspector(name, home_region="yorkshire")
    user = make_user(Role.OFSTED_SCHEDULER, username="scheduler")
    context = browser.new_context(viewport={"width": 320, "height": 800})
    page = context.new_page()
    try:
        sign_in(page, live_server.url, user.username)
        page.goto(f"{live_server.url}/inspectors/")
        page.wait_for_load_state("load")
        table = page.locator("table.govuk-table").first
        assert "app-table--reflow" in (table.get_attribute("class") or "")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"the page is {width} px wide at 320"
        # Each cell carries its column's name, shown before its value.
        first = page.locator("table.govuk-table tbody tr").first.locator("td").first
        assert first.get_attribute("data-label")
    finally:
        context.close()
