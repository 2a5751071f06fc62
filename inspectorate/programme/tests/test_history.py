"""History as a first-class state (HI-1): an event recorded after it happened keeps its facts
as they were (its team, without today's vetting; the days its deadlines were met) and is on
nobody's worklist, "What is due", reminders or calendar."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inspectorate.accounts.roles import Role
from inspectorate.inspectors.constants import Clearance, DbsLevel
from inspectorate.inspectors.models import DbsCheck
from inspectorate.inspectors.services import inspector_vetting_update
from inspectorate.programme import services
from inspectorate.programme.constants import EventKind, EventStatus, MilestoneStatus, TeamRole
from inspectorate.programme.history import record_historical_event
from inspectorate.programme.milestones.deadlines import deadlines_for, rule_for
from inspectorate.programme.milestones.services import (
    milestone_mark_met,
    milestone_override,
    milestone_reminders_send,
    milestones_recompute,
    milestones_update_statuses,
)
from inspectorate.programme.models import Amendment, Event, Milestone, Notification, Programme
from inspectorate.programme.teams.selectors import team_panel_context
from inspectorate.programme.teams.services import team_member_add
from inspectorate.programme.tests.test_team_helpers import (
    make_establishment,
    make_inspector,
    make_leader,
)

pytestmark = [pytest.mark.django_db]

# A full inspection in 2022, before the service existed; no current check reaches back there.
PAST_START = date(2022, 5, 9)  # a Monday
PAST_END = date(2022, 5, 20)
SOURCE = "HMI Prisons report on HMP Wealstun, published 2 September 2022"
CURRENT_CHECK: dict[str, Any] = {
    "dbs_level": DbsLevel.ENHANCED,
    "dbs_checked_on": date(2023, 11, 1),
    "dbs_renewal_due_on": date(2028, 10, 31),
}


@pytest.fixture
def coordinator(make_user: Any) -> Any:
    return make_user(Role.HMIP_COORDINATOR, username="coordinator")


@pytest.fixture
def wealstun() -> Any:
    return make_establishment("WE", "HMP Wealstun")


def _record(actor: Any, establishment: Any, **values: Any) -> Event:
    values.setdefault("kind", EventKind.FULL_INSPECTION)
    values.setdefault("starts_on", PAST_START)
    values.setdefault("source", SOURCE)
    return record_historical_event(actor=actor, establishment=establishment, **values)


# Recording history -------------------------------------------------------------------------


@pytest.mark.rule("HI-1")
def test_a_past_event_is_recorded_in_a_programme_made_for_its_year(coordinator, wealstun):
    event = _record(coordinator, wealstun)

    assert (event.historical, event.history_source) == (True, SOURCE)
    assert (event.starts_on, event.ends_on) == (PAST_START, PAST_END)
    assert event.status == EventStatus.COMPLETED
    programme = Programme.objects.get(year=2022)
    assert event.programme == programme
    assert programme.holds_history
    assert programme.is_confirmed
    assert "HI-1" in programme.confirmation_reason
    # History amends no programme and tells nobody (PG-4 looks forward).
    assert not Amendment.objects.exists()
    assert not Notification.objects.exists()
    # Its milestones exist, to be recorded as met; none is missed.
    statuses = set(Milestone.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == {MilestoneStatus.DUE}


@pytest.mark.rule("HI-1")
def test_recording_the_same_event_again_returns_it(coordinator, wealstun):
    first = _record(coordinator, wealstun)
    again = _record(coordinator, wealstun, source="Another copy of the report")

    assert again.pk == first.pk
    assert Event.objects.count() == 1
    assert Event.objects.get().history_source == SOURCE


@pytest.mark.rule("HI-1")
def test_an_irp_follows_up_a_historical_inspection(coordinator, wealstun):
    inspection = _record(coordinator, wealstun)
    irp = _record(
        coordinator,
        wealstun,
        kind=EventKind.IRP,
        starts_on=date(2023, 3, 6),
        follows_up=inspection,
    )
    assert irp.follows_up == inspection
    assert irp.ends_on == date(2023, 3, 8)
    assert irp.programme.year == 2022  # March 2023 is in the 2022 to 2023 programme
    assert irp.education_inspectorate == ""


@pytest.mark.rule("HI-1")
def test_what_is_still_to_come_is_not_history(coordinator, wealstun):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        _record(coordinator, wealstun, starts_on=today - timedelta(days=1), ends_on=today)
    assert "before today" in refused.value.message_dict["ends_on"][0]


@pytest.mark.rule("HI-1")
def test_every_historical_record_says_where_it_came_from(coordinator, wealstun):
    with pytest.raises(ValidationError) as refused:
        _record(coordinator, wealstun, source="  ")
    assert refused.value.message_dict["source"] == [
        "Enter where this record comes from, such as the published report and its date"
    ]
    assert not Event.objects.exists()


@pytest.mark.rule("HI-1")
@pytest.mark.parametrize(
    "role",
    [
        Role.HMIP_TEAM_LEADER,
        Role.HMIP_INSPECTOR,
        Role.OFSTED_SCHEDULER,
        Role.OFSTED_LEAD_INSPECTOR,
        Role.IMPROVEMENT_HMI,
        Role.QUALITY_ASSURANCE,
    ],
)
def test_only_the_coordinator_and_administrators_record_history(make_user, wealstun, role):
    user = make_user(role)
    with pytest.raises(PermissionDenied):
        _record(user, wealstun)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("programme:history-record")).status_code == 403
    assert not Event.objects.exists()


@pytest.mark.rule("HI-1")
def test_the_coordinator_and_an_administrator_record_history_on_the_screen(make_user, wealstun):
    for role in (Role.HMIP_COORDINATOR, Role.SYSTEM_ADMINISTRATOR):
        user = make_user(role)
        client = Client()
        client.force_login(user)
        assert client.get(reverse("programme:history-record")).status_code == 200
        assert user.has_perm("programme.record_history")

    response = client.post(
        reverse("programme:history-record"),
        {
            "kind": EventKind.FULL_INSPECTION,
            "establishment": "WE",
            "starts_on_day": "9",
            "starts_on_month": "5",
            "starts_on_year": "2022",
            "source": SOURCE,
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programme:event-detail", args=[event.pk])
    assert event.historical
    assert event.ends_on == PAST_END

    page = client.get(response["Location"]).content.decode()
    assert "Historical" in page
    assert SOURCE in page
    # History is not moved, cancelled or announced after the fact.
    for name in ("programme:event-move", "programme:event-cancel", "programme:event-announce"):
        assert reverse(name, kwargs={"pk": event.pk}) not in page
    with pytest.raises((PermissionDenied, ValidationError)):
        services.event_cancel(actor=user, event=event, version=event.version, reason="Mistake")


@pytest.mark.rule("HI-1")
def test_the_screen_names_a_missing_source(coordinator, wealstun):
    client = Client()
    client.force_login(coordinator)
    response = client.post(
        reverse("programme:history-record"),
        {
            "kind": EventKind.FULL_INSPECTION,
            "establishment": "WE",
            "starts_on_day": "9",
            "starts_on_month": "5",
            "starts_on_year": "2022",
            "source": "",
        },
    )
    assert response.status_code == 400
    assert "Enter where this record comes from" in response.content.decode()
    assert not Event.objects.exists()


# The team as it was --------------------------------------------------------------------------


@pytest.mark.rule("HI-1")
@pytest.mark.rule("TM-1")
def test_a_historical_2022_event_gets_a_team_although_no_current_check_covers_2022(
    coordinator, wealstun
):
    leader = make_leader("Alex Leader", **CURRENT_CHECK)
    inspector = make_inspector("Bea Inspector", **CURRENT_CHECK)
    DbsCheck.objects.create(
        inspector=inspector,
        level=DbsLevel.ENHANCED,
        issued_on=date(2020, 10, 1),
        expires_on=date(2023, 9, 30),
    )
    retired = make_inspector(
        "Cal Retired",
        active=False,
        dbs_level=DbsLevel.NONE,
        dbs_checked_on=None,
        dbs_renewal_due_on=None,
    )
    # A planned event on the same days is refused: no current check covers 2022.
    planned = Event.objects.create(
        programme=Programme.objects.create(year=2021),
        kind=EventKind.FULL_INSPECTION,
        establishment=make_establishment("LE", "HMP Leeds"),
        starts_on=PAST_START,
        ends_on=PAST_END,
    )
    with pytest.raises(ValidationError) as refused:
        team_member_add(
            actor=coordinator, event=planned, inspector=leader, role=TeamRole.TEAM_LEADER
        )
    assert "TM-1" in refused.value.messages[0]

    event = _record(coordinator, wealstun, education_inspectorate="")
    for person, role in (
        (leader, TeamRole.TEAM_LEADER),
        (inspector, TeamRole.INSPECTOR),
        (retired, TeamRole.INSPECTOR),
    ):
        team_member_add(actor=coordinator, event=event, inspector=person, role=role)

    event.refresh_from_db()
    context = team_panel_context(event, coordinator)
    rows = {row.name: row for row in context["team_rows"]}
    assert rows["Alex Leader"].role == "HMI Prisons team leader"
    assert rows["Alex Leader"].dbs_check == "No enhanced DBS check on record for those days"
    assert rows["Bea Inspector"].dbs_check == (
        "Enhanced DBS check of 1 October 2020, valid until 30 September 2023"
    )
    assert rows["Cal Retired"].dbs_check == "No enhanced DBS check on record for those days"
    assert not [w for w in context["team_warnings"] if "TM-1" in w]
    client = Client()
    client.force_login(coordinator)
    for address in (
        reverse("programme:event-detail", args=[event.pk]),
        reverse("programme:team", args=[event.pk]),
    ):
        page = client.get(address).content.decode()
        assert "DBS check on those days" in page
        assert "valid until 30 September 2023" in page


# Never due, never missed ----------------------------------------------------------------------


ROLES = [
    Role.HMIP_COORDINATOR,
    Role.HMIP_TEAM_LEADER,
    Role.OFSTED_SCHEDULER,
    Role.OFSTED_LEAD_INSPECTOR,
    Role.SYSTEM_ADMINISTRATOR,
    Role.QUALITY_ASSURANCE,
]


@pytest.mark.rule("HI-1")
def test_historical_milestones_are_never_missed_nor_on_anyones_dashboard(
    make_user, coordinator, wealstun
):
    users = {role: make_user(role) for role in ROLES}
    users[Role.HMIP_COORDINATOR] = coordinator
    leader = make_leader(user=users[Role.HMIP_TEAM_LEADER], **CURRENT_CHECK)
    ofsted_lead = make_inspector(
        user=users[Role.OFSTED_LEAD_INSPECTOR], organisation="ofsted", **CURRENT_CHECK
    )
    event = _record(coordinator, wealstun)
    team_member_add(actor=coordinator, event=event, inspector=leader, role=TeamRole.TEAM_LEADER)
    team_member_add(
        actor=coordinator, event=event, inspector=ofsted_lead, role=TeamRole.OFSTED_LEAD
    )
    # The same past event, had it been planned here in time, is missed: the test can fail.
    programme = Programme.objects.create(year=2025)
    leeds = make_establishment("LE", "HMP Leeds")
    with time_machine.travel(date(2024, 12, 2), tick=False):
        planned = Event.objects.create(
            programme=programme,
            kind=EventKind.FULL_INSPECTION,
            establishment=leeds,
            starts_on=date(2025, 5, 12),
            ends_on=date(2025, 5, 23),
            education_inspectorate="ofsted",
        )
        milestones_recompute(event=planned)

    milestones_recompute(event=event)
    milestones_update_statuses()
    report = milestone_reminders_send()

    mine = Milestone.objects.filter(event=event)
    assert mine.exists()
    assert not mine.filter(status=MilestoneStatus.MISSED).exists()
    assert not mine.filter(status=MilestoneStatus.MET).exists()  # PG-6: not met today
    assert not mine.filter(reminded_on__isnull=False).exists()
    assert Milestone.objects.filter(event=planned, status=MilestoneStatus.MISSED).exists()
    assert (
        report.milestones
        == Milestone.objects.filter(event=planned).exclude(reminded_on__isnull=True).count()
    )

    today = timezone.localdate()
    for role, user in users.items():
        due = deadlines_for(user, on=today, everyone=True, until=today + timedelta(days=400))
        assert not due.filter(event=event).exists(), role
        client = Client()
        client.force_login(user)
        for name in ("shell:dashboard", "programme:milestone-dashboard"):
            page = client.get(reverse(name) + "?show=all")
            assert page.status_code == 200, (role, name)
            assert "HMP Wealstun" not in page.content.decode(), (role, name)
    coordinator_page = Client()
    coordinator_page.force_login(coordinator)
    shown = coordinator_page.get(reverse("programme:milestone-dashboard") + "?show=all")
    assert "HMP Leeds" in shown.content.decode()


# Met on the day it was met ------------------------------------------------------------------


@pytest.mark.rule("HI-1")
def test_met_dates_are_as_entered_not_today(coordinator, wealstun):
    event = _record(coordinator, wealstun)
    milestone = Milestone.objects.filter(event=event).order_by("due_on").first()
    assert milestone is not None

    with pytest.raises(ValidationError) as missing:
        milestone_mark_met(actor=coordinator, milestone=milestone, version=milestone.version)
    assert missing.value.message_dict["met_on"] == ["Enter the date the deadline was met"]
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as future:
        milestone_mark_met(
            actor=coordinator, milestone=milestone, version=milestone.version, met_on=tomorrow
        )
    assert future.value.message_dict["met_on"] == ["The date met cannot be in the future"]

    met = milestone_mark_met(
        actor=coordinator,
        milestone=milestone,
        version=milestone.version,
        met_on=date(2022, 3, 1),
    )
    assert met.status == MilestoneStatus.MET
    assert timezone.localdate(met.met_on) == date(2022, 3, 1)
    assert met.met_by == coordinator


@pytest.mark.rule("HI-1")
def test_a_historical_deadline_is_not_let_go(coordinator, wealstun):
    event = _record(coordinator, wealstun)
    normally = [
        m
        for m in Milestone.objects.filter(event=event)
        if (rule := rule_for(m.rule_code)) is not None and rule.is_normally
    ]
    assert normally  # the event has deadlines that a planned event could let go
    client = Client()
    client.force_login(coordinator)
    page = client.get(reverse("programme:event-detail", args=[event.pk])).content.decode()
    assert "Let go with a reason" not in page
    with pytest.raises(ValidationError, match="recorded as history"):
        milestone_override(
            actor=coordinator, milestone=normally[0], reason="Old", version=normally[0].version
        )
    assert Milestone.objects.get(pk=normally[0].pk).override_reason == ""


@pytest.mark.rule("HI-1")
def test_the_date_met_is_recorded_on_its_screen(coordinator, wealstun):
    event = _record(coordinator, wealstun)
    milestone = Milestone.objects.filter(event=event).order_by("-due_on").first()
    assert milestone is not None
    client = Client()
    client.force_login(coordinator)
    page = client.get(reverse("programme:event-detail", args=[event.pk])).content.decode()
    address = reverse("programme:milestone-record-met", args=[milestone.pk])
    assert address in page
    assert "Not recorded" in page
    assert "Missed" not in page

    response = client.post(
        address,
        {
            "met_on_day": str(milestone.due_on.day),
            "met_on_month": str(milestone.due_on.month),
            "met_on_year": str(milestone.due_on.year),
            "version": str(milestone.version),
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert timezone.localdate(milestone.met_on) == milestone.due_on


@pytest.mark.rule("HI-1")
def test_a_planned_event_is_met_today_not_on_an_entered_date(coordinator):
    event = Event.objects.create(
        programme=Programme.objects.create(year=2027),
        kind=EventKind.FULL_INSPECTION,
        establishment=make_establishment("LE", "HMP Leeds"),
        starts_on=date(2027, 6, 7),
        ends_on=date(2027, 6, 18),
        education_inspectorate="ofsted",
    )
    milestones_recompute(event=event)
    milestone = Milestone.objects.filter(event=event).exclude(rule_id="PG-6").first()
    assert milestone is not None
    with pytest.raises(ValidationError) as refused:
        milestone_mark_met(
            actor=coordinator,
            milestone=milestone,
            version=milestone.version,
            met_on=date(2026, 1, 1),
        )
    assert "historical" in refused.value.message_dict["met_on"][0]
    client = Client()
    client.force_login(coordinator)
    address = reverse("programme:milestone-record-met", args=[milestone.pk])
    assert client.get(address).status_code == 404


# DBS checks as a history -------------------------------------------------------------------


@pytest.mark.rule("HI-1")
@pytest.mark.rule("TM-1")
def test_vetting_for_a_future_event_uses_the_check_valid_then(coordinator):
    inspector = make_inspector(
        "Dee Renewed",
        dbs_level=DbsLevel.ENHANCED,
        dbs_checked_on=date(2024, 1, 1),
        dbs_renewal_due_on=date(2027, 3, 31),
    )
    inspector = inspector_vetting_update(
        actor=coordinator,
        inspector=inspector,
        version=inspector.version,
        dbs_level=DbsLevel.ENHANCED_BARRED,
        dbs_checked_on=date(2027, 5, 1),
        dbs_renewal_due_on=date(2030, 4, 30),
        clearance=Clearance.SC,
    )
    checks = list(inspector.dbs_checks.order_by("issued_on").values_list("issued_on", "level"))
    assert checks == [
        (date(2024, 1, 1), DbsLevel.ENHANCED),
        (date(2027, 5, 1), DbsLevel.ENHANCED_BARRED),
    ]
    # Covered by the earlier check, although the current one starts later.
    assert inspector.vetting_valid_throughout(date(2027, 3, 1), date(2027, 3, 12))
    # Covered by the new one.
    assert inspector.vetting_valid_throughout(date(2027, 6, 7), date(2027, 6, 18))
    # Between the two: no check valid on every day.
    gap = inspector.vetting_valid_throughout(date(2027, 4, 5), date(2027, 4, 16))
    assert not gap
    assert "dated 1 May 2027, after the first day (5 April 2027)" in gap.reason

    # The check withdrawn: no future event passes; the past stays covered.
    inspector = inspector_vetting_update(
        actor=coordinator,
        inspector=inspector,
        version=inspector.version,
        dbs_level=DbsLevel.NONE,
        dbs_checked_on=None,
        dbs_renewal_due_on=None,
        clearance=Clearance.SC,
    )
    assert not inspector.vetting_valid_throughout(date(2027, 6, 7), date(2027, 6, 18))
    assert inspector.vetting_valid_throughout(date(2025, 6, 2), date(2025, 6, 13))


@pytest.mark.rule("TM-1")
def test_a_new_check_joins_the_history_whatever_writes_the_register():
    inspector = make_inspector(
        "Eve Register",
        dbs_level=DbsLevel.ENHANCED,
        dbs_checked_on=date(2025, 2, 1),
        dbs_renewal_due_on=date(2028, 1, 31),
    )
    inspector.dbs_renewal_due_on = date(2028, 2, 29)  # a correction of the same check
    inspector.save()
    assert list(inspector.dbs_checks.values_list("issued_on", "expires_on")) == [
        (date(2025, 2, 1), date(2028, 2, 29))
    ]


# The API --------------------------------------------------------------------------------------


@pytest.mark.rule("HI-1")
def test_the_api_shows_history_and_its_source_read_only(coordinator, wealstun):
    event = _record(coordinator, wealstun)
    client = Client()
    client.force_login(coordinator)
    body = client.get(f"/api/v1/events/{event.pk}/").json()
    assert (body["historical"], body["history_source"]) == (True, SOURCE)


@pytest.mark.rule("TM-1")
def test_the_register_import_adds_a_renewed_check_to_the_history(coordinator):
    from inspectorate.inspectors.services import inspectors_import

    header = (
        "email,name,organisation,grade,home_region,specialisms,dbs_level,dbs_checked_on,"
        "dbs_renewal_due_on,clearance,active\n"
    )
    row = "fay@example.org,Fay Import,hmip,hmip_inspector,,,enhanced,{},{},sc,yes\n"
    inspectors_import(actor=coordinator, data=header + row.format("2021-01-04", "2024-01-03"))
    inspectors_import(actor=coordinator, data=header + row.format("2023-12-01", "2026-11-30"))
    result = inspectors_import(
        actor=coordinator, data=header + row.format("2023-12-01", "2026-11-30")
    )

    assert result.unchanged == 1
    inspector = DbsCheck.objects.get(issued_on=date(2023, 12, 1)).inspector
    assert (inspector.dbs_checked_on, inspector.dbs_renewal_due_on) == (
        date(2023, 12, 1),
        date(2026, 11, 30),
    )
    assert inspector.dbs_checks.count() == 2
    # A 2022 event is vetted against the 2021 check, no longer the register's.
    assert inspector.vetting_valid_throughout(PAST_START, PAST_END)


@pytest.mark.rule("TM-1")
def test_the_migration_makes_each_registers_check_the_first_of_its_history():
    import importlib

    from django.apps import apps

    from inspectorate.inspectors.models import Inspector

    migration = importlib.import_module("inspectorate.inspectors.migrations.0005_dbs_check_history")
    inspector = make_inspector("Gus Migrated")
    none = make_inspector(
        "Hal None", dbs_level=DbsLevel.NONE, dbs_checked_on=None, dbs_renewal_due_on=None
    )
    DbsCheck.objects.all().delete()  # as before the migration: the register's columns only

    migration.checks_from_the_register(apps, None)
    migration.checks_from_the_register(apps, None)  # run twice: nothing doubles

    check = DbsCheck.objects.get()
    assert check.inspector == inspector
    assert (check.level, check.issued_on, check.expires_on) == (
        DbsLevel.ENHANCED,
        date(2025, 1, 1),
        date(2028, 12, 31),
    )
    assert not Inspector.objects.get(pk=none.pk).dbs_checks.exists()
