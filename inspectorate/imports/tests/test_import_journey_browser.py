"""An IRP planned, staffed and run against imported history, its report generated, all in a
real browser (HI-1, HI-2): only reference data is made in Python (frameworks, the register,
people and their vetting, the current programme).

The coordinator imports the published report of HMP Bedford's full inspection of May 2026
(a PDF made as published ones are), adds the IRP that follows it in March 2027, announces
it and staffs the team. The team leader chooses imported recommendations, records evidence,
narrative and progress judgements during the IRP, and starts the report, whose Section 3 is
headed by the imported areas and quotes the imported paragraph references. Axe runs on every
page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from conftest import TEST_PASSWORD
from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role
from inspectorate.frameworks.services import frameworks_load
from inspectorate.imports.published import parse, samples
from inspectorate.inspections.models import Judgement, Recommendation
from inspectorate.inspectors.constants import Clearance, DbsLevel, Grade, Organisation
from inspectorate.inspectors.models import Inspector
from inspectorate.programme.constants import EventKind, ProgrammeStatus
from inspectorate.programme.models import Event, Programme
from inspectorate.programme.tests.test_team_helpers import make_establishment
from inspectorate.reports.models import Report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.rule("HI-2"),
    pytest.mark.rule("HI-1"),
]

AxeCheck = Callable[[Page], list[dict[str, Any]]]

PLANNING = timezone.make_aware(datetime(2026, 11, 23, 12, 0))  # a Monday
FULL_STARTS_ON = date(2026, 5, 11)  # ten months before the IRP
IRP_STARTS_ON = date(2027, 3, 8)
DURING_IRP = timezone.make_aware(datetime(2027, 3, 9, 12, 0))


def _person(username: str, role: str, organisation: str | None = None, grade: str = "") -> User:
    user = User.objects.create_user(
        username=username,
        password=TEST_PASSWORD,
        first_name=username.capitalize(),
        last_name="Tester",
        roles=[role],
    )
    if organisation:
        # Its DBS check history is made from the register's columns.
        Inspector.objects.create(
            user=user,
            name=f"{user.first_name} Tester",
            email=f"{username}@example.invalid",
            organisation=organisation,
            grade=grade,
            dbs_level=DbsLevel.ENHANCED,
            dbs_checked_on=date(2025, 1, 6),
            dbs_renewal_due_on=date(2028, 1, 5),
            clearance=Clearance.SC,
        )
    return user


def _sign_in(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context().new_page()
    page.set_default_timeout(10_000)
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


def test_an_irp_planned_staffed_run_and_reported_against_an_imported_inspection(
    browser: Browser, live_server: Any, axe_check: AxeCheck, tmp_path: Any
) -> None:
    base = live_server.url
    sample = samples.full_sample("HMP Bedford", FULL_STARTS_ON, seed=1)
    pdf = tmp_path / "bedford-2026.pdf"
    pdf.write_bytes(samples.to_pdf(sample))
    own = [item for item in sample.items if item.concern_kind != "ofsted_key"]
    first, second = own[0], own[-1]
    assert first.area != second.area

    with time_machine.travel(PLANNING):
        frameworks_load(actor=None)
        make_establishment("BD", "HMP Bedford")
        Programme.objects.create(
            year=2026,
            status=ProgrammeStatus.CONFIRMED,
            consultation_opened_on=date(2025, 12, 1),
            confirmed_on=date(2026, 1, 19),
        )
        _person("coordinator", Role.HMIP_COORDINATOR)
        _person("leader", Role.HMIP_TEAM_LEADER, Organisation.HMI_PRISONS, Grade.HMIP_TEAM_LEADER)
        _person("ofsted", Role.OFSTED_LEAD_INSPECTOR, Organisation.OFSTED, Grade.OFSTED_HMI)

        # 1. The coordinator finds the import from the programme list and imports the report.
        coordinator = _sign_in(browser, base, "coordinator")
        coordinator.get_by_role("link", name="Programme", exact=True).first.click()
        coordinator.get_by_role("link", name="Back to the programme").click()
        coordinator.get_by_role("link", name="Back to programmes").click()
        _clean(coordinator, axe_check)
        coordinator.get_by_role("link", name="Import published reports").click()
        expect(coordinator.get_by_role("heading", level=1)).to_have_text("Import published reports")
        _clean(coordinator, axe_check)
        coordinator.get_by_label("Upload a published report").set_input_files(str(pdf))
        coordinator.get_by_role("button", name="Review the import").click()
        expect(coordinator.get_by_role("heading", name="Review the import")).to_be_visible()
        _clean(coordinator, axe_check)
        assert not Event.objects.exists()  # nothing written before the confirmation
        found = parse.parse_report(pdf.read_bytes(), pdf.name)  # where the parser read them
        for item in (first, second):
            source = next(
                r.source for r in found.recommendations if r.paragraph_reference == item.reference
            )
            row = coordinator.get_by_role("row", name=f"Recommendation {item.reference}")
            expect(row).to_contain_text(f"Page {source.page}, line {source.line}")
            expect(row).to_contain_text("Create")
        coordinator.get_by_role("button", name="Confirm and import").click()
        expect(coordinator.get_by_text("Report imported:")).to_be_visible()
        expect(coordinator.locator("#imported")).to_contain_text("bedford-2026.pdf")
        _clean(coordinator, axe_check)
        full = Event.objects.get(kind=EventKind.FULL_INSPECTION)
        assert full.starts_on == FULL_STARTS_ON
        assert full.historical  # HI-1
        assert "bedford-2026.pdf" in full.history_source
        imported = Recommendation.objects.get(event=full, paragraph_reference=first.reference)
        assert imported.area == first.area

        # 2. The IRP that follows it, added to the current programme, then announced.
        coordinator.goto(f"{base}/programme/2026/events/new/")
        _clean(coordinator, axe_check)
        coordinator.get_by_label("Independent review of progress").check()
        coordinator.get_by_label("Establishment", exact=True).select_option("BD")
        _date(coordinator, "Start date", IRP_STARTS_ON)
        coordinator.get_by_label("Inspection followed up (IRPs)").select_option(
            label=f"HMP Bedford, from {FULL_STARTS_ON:%-d %B %Y}"
        )
        coordinator.get_by_label("Education, skills and work judgement").select_option(
            label="Requires improvement"
        )
        coordinator.get_by_role("button", name="Add the event").click()
        if coordinator.get_by_role("button", name="Add the event with this reason").count():
            _clean(coordinator, axe_check)
            coordinator.get_by_label("Reason for going ahead despite the warning").fill(
                "Agreed with the Chief Inspector."
            )
            coordinator.get_by_role("button", name="Add the event with this reason").click()
        expect(coordinator.get_by_text("added to the programme")).to_be_visible()
        _clean(coordinator, axe_check)
        irp = Event.objects.get(kind=EventKind.IRP)
        assert irp.follows_up == full

        # 3. The team, through the team screens: a team leader and an Ofsted lead.
        coordinator.get_by_role("link", name="Manage the team").click()
        _clean(coordinator, axe_check)
        for name, role in (
            ("Leader Tester", "HMI Prisons team leader"),
            ("Ofsted Tester", "Ofsted lead inspector"),
        ):
            coordinator.get_by_role("link", name="Add a team member").click()
            grade = Inspector.objects.get(name=name).get_grade_display()
            coordinator.get_by_role("combobox", name="Inspector").select_option(
                label=f"{name}, {grade}"
            )
            coordinator.get_by_role("radio", name=role, exact=True).check()
            _clean(coordinator, axe_check)
            coordinator.get_by_role("button", name="Add to the team").click()
            expect(coordinator.get_by_text(f"{name} added to the team")).to_be_visible()
        _clean(coordinator, axe_check)

        # 4a. Before the announcement, the team leader chooses imported recommendations
        # (their references from the import) and adds an Ofsted theme.
        leader = _sign_in(browser, base, "leader")
        leader.goto(f"{base}/inspections/events/{irp.pk}/follow-ups/")
        _clean(leader, axe_check)
        leader.get_by_role("link", name="Choose recommendations").click()
        _clean(leader, axe_check)
        for item in (first, second):
            leader.get_by_label(f"{item.reference} {item.text}").check()
        leader.get_by_role("button", name="Save the selection").click()
        expect(
            leader.get_by_role("heading", name="Recommendations followed up (2)")
        ).to_be_visible()
        leader.get_by_role("link", name="Add a theme").click()
        _clean(leader, axe_check)
        leader.get_by_label("Ofsted theme").fill("Attendance at education, skills and work")
        leader.get_by_role("button", name="Add theme").click()
        expect(leader.get_by_role("heading", name="Ofsted themes (1)")).to_be_visible()
        _clean(leader, axe_check)

        # The coordinator announces it.
        coordinator.goto(f"{base}/programme/events/{irp.pk}/")
        coordinator.get_by_role("link", name="Announce", exact=True).click()
        _date(coordinator, "Date announced", PLANNING.date())
        _clean(coordinator, axe_check)
        coordinator.get_by_role("button", name="Announce").click()
        expect(coordinator.get_by_text("announced").first).to_be_visible()
        _clean(coordinator, axe_check)

    # 4b. During the IRP: evidence, narrative and progress judgements on the right scales.
    with time_machine.travel(DURING_IRP):
        leader = _sign_in(browser, base, "leader")  # months later: a new session
        leader.goto(f"{base}/inspections/events/{irp.pk}/evidence/new/")
        _clean(leader, axe_check)
        for aspect, text in (
            ("REC Progress against a recommendation", "Violence had fallen by a third."),
            ("THEME Progress in a theme", "Attendance at education had risen to 80%."),
        ):
            leader.goto(f"{base}/inspections/events/{irp.pk}/evidence/new/")
            leader.get_by_label("Aspect the evidence bears on").select_option(label=aspect)
            leader.get_by_label("Data", exact=True).check()
            _date(leader, "Date of the evidence", DURING_IRP.date())
            leader.get_by_label("Evidence", exact=True).fill(text)
            leader.get_by_role("button", name="Save").first.click()
            expect(leader.get_by_text("Your evidence form has been saved.")).to_be_visible()
        _clean(leader, axe_check)

        leader.goto(f"{base}/inspections/events/{irp.pk}/follow-ups/")
        for index in (1, 2):
            leader.get_by_role("link", name=f"Edit narrative for recommendation {index}").click()
            _clean(leader, axe_check)
            leader.get_by_label("Narrative").fill(
                f"Leaders had acted on recommendation {index}.\n\nThe effect was clear."
            )
            leader.get_by_role("button", name="Save narrative").click()
            leader.get_by_role("link", name=f"Record progress for recommendation {index}").click()
            _clean(leader, axe_check)
            leader.get_by_label("Reasonable progress").check()
            leader.get_by_label("Violence had fallen").check()
            leader.get_by_role("button", name="Save progress judgement").click()
        leader.get_by_role("link", name="Record progress for theme 1").click()
        expect(leader.get_by_label("Good progress", exact=True)).to_have_count(0)
        leader.get_by_label("Significant progress").check()
        leader.get_by_label("Attendance at education had risen").check()
        leader.get_by_role("button", name="Save progress judgement").click()
        expect(leader.get_by_text("Significant progress")).to_be_visible()
        _clean(leader, axe_check)
        assert Judgement.objects.filter(event=irp).count() == 3

        # 5. The report: Section 3 is headed by the imported areas, with their references.
        leader.goto(f"{base}/reports/events/{irp.pk}/")
        _clean(leader, axe_check)
        leader.get_by_role("button", name="Start the report on an independent review").click()
        expect(leader.get_by_role("heading", level=1)).to_contain_text("Edit the report")
        _clean(leader, axe_check)
        report = Report.objects.get(event=irp)
        leader.goto(f"{base}/reports/{report.pk}/document/")
        _clean(leader, axe_check)
        for index, item in enumerate((first, second), start=1):
            heading = leader.locator(f"#recommendation-{index}")
            expect(heading).to_have_text(item.area)
            callouts = heading.locator(
                "xpath=following-sibling::*[contains(@class, 'app-callout')]"
            )
            callout = callouts.filter(has_text="Recommendation:").first
            expect(callout).to_have_text(
                f"Recommendation: {item.text} ({item.reference})", use_inner_text=True
            )
