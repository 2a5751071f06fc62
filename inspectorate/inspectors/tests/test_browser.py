"""Inspectors' pages in a real browser: axe finds no serious problem, and leave can be
recorded with JavaScript turned off."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import TEST_PASSWORD
from inspectorate.accounts.roles import Role
from inspectorate.estate.models import Establishment
from inspectorate.inspectors.constants import UnavailabilityKind
from inspectorate.inspectors.models import ConflictOfInterest, Unavailability
from inspectorate.inspectors.services import unavailability_add

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AxeCheck = Callable[[Page], list[dict[str, Any]]]


def _accessible(page: Page, axe_check: AxeCheck) -> None:
    violations = axe_check(page)
    found = [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in violations]
    assert not violations, f"axe on {page.url}: " + "; ".join(found)


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_every_inspectors_page_passes_axe(
    page: Page, live_server: Any, make_user: Any, make_inspector: Any, axe_check: AxeCheck
) -> None:
    base = live_server.url
    coordinator = make_user(Role.HMIP_COORDINATOR)
    inspector = make_inspector("Uma Browser", specialisms=["safety"])
    leeds = Establishment.objects.create(code="LE", name="HMP Leeds", kind="prison")
    ConflictOfInterest.objects.create(
        inspector=inspector, establishment=leeds, starts_on=date(2020, 1, 1), reason="Ex-staff"
    )
    unavailability_add(
        actor=coordinator,
        inspector=inspector,
        kind=UnavailabilityKind.ANNUAL_LEAVE,
        starts_on=date.today(),
        ends_on=date.today(),
    )
    _sign_in(page, base, coordinator.username)
    for path in (
        "/inspectors/",
        "/inspectors/?organisation=nonsense",
        f"/inspectors/{inspector.pk}/",
        "/inspectors/dbs-warnings/",
        f"/inspectors/{inspector.pk}/unavailability/new/",
        f"/inspectors/{inspector.pk}/conflicts/new/",
        f"/inspectors/{inspector.pk}/vetting/",
        "/inspectors/import/",
    ):
        page.goto(base + path)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        _accessible(page, axe_check)
    # a form with errors
    page.goto(f"{base}/inspectors/{inspector.pk}/unavailability/new/")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    _accessible(page, axe_check)


def test_leave_can_be_recorded_without_javascript(
    browser: Any, live_server: Any, make_user: Any, make_inspector: Any
) -> None:
    base = live_server.url
    me = make_user(Role.OFSTED_INSPECTOR)
    inspector = make_inspector("Val Nojs", user=me)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        _sign_in(page, base, me.username)
        page.goto(f"{base}/inspectors/{inspector.pk}/")
        page.get_by_role("link", name="Record leave or other unavailability").click()
        page.get_by_label("Training").check()
        first = page.get_by_role("group", name="First day")
        first.get_by_label("Day").fill("6")
        first.get_by_label("Month").fill("9")
        first.get_by_label("Year").fill("2027")
        last = page.get_by_role("group", name="Last day")
        last.get_by_label("Day").fill("8")
        last.get_by_label("Month").fill("9")
        last.get_by_label("Year").fill("2027")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Val Nojs")
        leave = Unavailability.objects.get()
        assert (leave.kind, leave.starts_on, leave.ends_on) == (
            "training",
            date(2027, 9, 6),
            date(2027, 9, 8),
        )
    finally:
        context.close()
