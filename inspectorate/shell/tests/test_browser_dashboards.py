"""Every demo role's dashboard in Chromium: screenshotted, checked by axe with no violation of
any impact (region included), its menu on one row at 1280 px, and each worklist as its
selector computes it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, expect

from conftest import AXE_SCRIPT
from inspectorate.accounts.models import User
from inspectorate.shell.dashboards import worklists_for
from inspectorate.shell.navigation import MAX_ITEMS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "demo-inspectorate-2026"
DEMO_USERS = (
    "coordinator",
    "teamleader",
    "inspector",
    "scheduler",
    "ofstedlead",
    "ofstedinspector",
    "improvement",
    "qa",
    "governor",
    "pentonville",
    "admin",
)


def all_violations(page: Any) -> list[str]:
    """Every axe violation, whatever its impact."""
    page.evaluate(AXE_SCRIPT.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']]}"
        for v in result["violations"]
    ]


def menu_rows(page: Any) -> int:
    return int(
        page.evaluate(
            "() => new Set([...document.querySelectorAll('#navigation > li')]"
            ".map(li => Math.round(li.getBoundingClientRect().top))).size"
        )
    )


def test_every_role_dashboard_is_accessible_and_shows_its_worklists(
    browser: Browser, live_server: Any, tmp_path: Path
) -> None:
    call_command("load_demo", verbosity=0)
    shots = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    for username in DEMO_USERS:
        user = User.objects.get(username=username)
        shared, sections = worklists_for(user)
        # bypass_csp: axe is evaluated into the page, which the CSP would otherwise refuse.
        context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        try:
            page = context.new_page()
            page.goto(f"{live_server.url}/sign-in/")
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            with page.expect_navigation():
                page.get_by_role("button", name="Sign in").click()
            assert page.url == f"{live_server.url}/dashboard/", username
            page.screenshot(path=str(shots / f"{username}.png"), full_page=True)

            assert all_violations(page) == [], username
            items = page.locator("#navigation > li")
            assert items.count() <= MAX_ITEMS, username
            assert menu_rows(page) == 1, username
            account = page.get_by_role("navigation", name="Your account")
            expect(account.get_by_role("link", name="Your account")).to_be_visible()
            expect(account.get_by_role("button", name="Sign out")).to_be_visible()

            for panel in [p for p in shared if p.items] + [
                p for section in sections for p in section.panels
            ]:
                shown = page.locator(f"#panel-{panel.key}")
                expect(shown).to_have_attribute("data-items", str(len(panel.items)))
                if panel.items:
                    expect(shown.get_by_text(panel.empty, exact=True)).to_have_count(0)
                    for item in panel.items:
                        expect(
                            shown.get_by_role("link", name=item.title, exact=True).first
                        ).to_be_visible()
                else:
                    expect(shown.get_by_text(panel.empty, exact=True)).to_be_visible()
        finally:
            context.close()
