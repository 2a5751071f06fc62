"""The dashboard's worklists: each panel's selector with items present and absent, what each
role may see (visible_to), and a page whose words never contradict its data."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inspectorate.accounts.roles import Role
from inspectorate.inspectors.models import Inspector
from inspectorate.programme.models import Event, Milestone, Programme, TeamMember
from inspectorate.reports.models import Report
from inspectorate.safeguarding.models import Alert
from inspectorate.shell import dashboards
from inspectorate.shell.dashboards import PANELS_BY_ROLE, Panel, worklists_for

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 8)  # a Tuesday


@pytest.fixture
def programme() -> Programme:
    return Programme.objects.create(year=2026)


@pytest.fixture
def event_at(programme: Programme, establishment: Any) -> Any:
    def make(starts_on: date, days: int = 11, **extra: Any) -> Event:
        return Event.objects.create(
            programme=programme,
            kind=extra.pop("kind", "full_inspection"),
            establishment=establishment,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=days),
            **extra,
        )

    return make


def inspector_for(user: Any, organisation: str = "hmip") -> Inspector:
    grade = "ofsted_hmi" if organisation == "ofsted" else "hmip_inspector"
    return Inspector.objects.create(
        user=user,
        name=user.get_full_name(),
        email=f"{user.username}@example.org",
        organisation=organisation,
        grade=grade,
    )


def place(event: Event, inspector: Inspector, role: str) -> TeamMember:
    return TeamMember.objects.create(
        event=event,
        inspector=inspector,
        role=role,
        starts_on=event.starts_on,
        ends_on=event.ends_on,
    )


def titles(panel: Panel) -> list[str]:
    return [item.title for item in panel.items]


def test_every_role_has_its_panels_and_each_panel_an_empty_sentence(
    make_user: Any, establishment: Any
) -> None:
    for role in Role:
        user = make_user(
            role, establishment=establishment if role == "establishment_user" else None
        )
        # June: with no data, nothing waits (from September next year's programme would).
        shared, sections = worklists_for(user, on=date(2026, 6, 8))
        assert [section.label for section in sections] == [role.label]
        assert len(sections[0].panels) == len(PANELS_BY_ROLE[role])
        for panel in [*shared, *sections[0].panels]:
            assert panel.items == [], (role, panel.heading)
            assert panel.empty, (role, panel.heading)


@pytest.mark.rule("IN-1")
def test_team_leader_sees_inspections_by_stage(
    make_user: Any, event_at: Any, establishment: Any
) -> None:
    leader = make_user(Role.HMIP_TEAM_LEADER)
    someone_else = make_user(Role.HMIP_TEAM_LEADER, username="other")
    mine = inspector_for(leader)
    coming = event_at(date(2027, 1, 11), days=2, kind="irp")
    on_site = event_at(date(2026, 11, 30))
    finished = event_at(date(2026, 5, 11))  # took place, nothing left open
    not_mine = event_at(date(2027, 2, 1))
    for event in (coming, on_site, finished):
        place(event, mine, "team_leader")
    place(not_mine, inspector_for(someone_else), "team_leader")
    Milestone.objects.create(
        event=on_site, rule_code="in2", rule_id="IN-2", title="Bullet points", strength="hard",
        due_on=date(2026, 12, 10),
    )  # fmt: skip

    panel = dashboards.team_leader_inspections(leader, TODAY)

    assert [(item.group, item.title) for item in panel.items] == [
        ("Briefing", "Independent review of progress of HMP Leeds"),
        ("On site", "Full inspection of HMP Leeds"),
    ]
    briefing, fieldwork = panel.items
    # The working day before fieldwork (WD-1): Friday 8 January for Monday 11 January.
    assert (briefing.due_on, briefing.rule_id) == (date(2027, 1, 8), "IN-1")
    assert briefing.href == reverse("inspections:briefing", kwargs={"event_pk": coming.pk})
    assert (fieldwork.due_on, fieldwork.rule_id) == (date(2026, 12, 10), "IN-2")
    assert dashboards.team_leader_inspections(someone_else, TODAY).items[0].title == (
        "Full inspection of HMP Leeds"
    )
    assert dashboards.ofsted_lead_inspections(leader, TODAY).items == []


def test_a_finished_event_with_an_open_deadline_stays_on_the_list(
    make_user: Any, event_at: Any
) -> None:
    lead = make_user(Role.OFSTED_LEAD_INSPECTOR)
    event = event_at(date(2026, 11, 30), days=2, kind="irp", education_inspectorate="ofsted")
    place(event, inspector_for(lead, "ofsted"), "ofsted_lead")
    assert dashboards.ofsted_lead_inspections(lead, TODAY).items == []

    Milestone.objects.create(
        event=event, rule_code="rp1_irp", rule_id="RP-1", title="Debrief and report",
        strength="hard", due_on=date(2026, 12, 11),
    )  # fmt: skip
    [item] = dashboards.ofsted_lead_inspections(lead, TODAY).items
    assert (item.group, item.next_step) == (
        "Judgements to moderate",
        "Moderate the judgements (JG-9)",
    )
    assert (item.due_on, item.due_label) == (date(2026, 12, 11), "Debrief and report (RP-1)")


def test_qa_sees_reports_waiting_and_nobody_else_does(make_user: Any, event_at: Any) -> None:
    qa = make_user(Role.QUALITY_ASSURANCE)
    inspector = make_user(Role.HMIP_INSPECTOR)
    event = event_at(date(2026, 10, 5))
    assert dashboards.reports_awaiting_qa(qa, TODAY).items == []

    report = Report.objects.create(
        event=event, kind="ofsted_report", stage="quality_assurance", created_by=inspector
    )
    [item] = dashboards.reports_awaiting_qa(qa, TODAY).items
    assert item.href == reverse("reports:detail", args=[report.pk])
    # Not on the team: the draft is not theirs to see.
    assert dashboards.reports_awaiting_qa(inspector, TODAY).items == []


@pytest.mark.rule("RP-3")
def test_establishment_sees_its_own_factual_accuracy_check_only(
    make_user: Any, event_at: Any, establishment: Any
) -> None:
    from inspectorate.estate.models import Establishment

    other = Establishment.objects.create(code="PV", name="HMP/YOI Pentonville", kind="prison")
    governor = make_user(Role.ESTABLISHMENT_USER, establishment=establishment)
    pentonville = make_user(Role.ESTABLISHMENT_USER, username="pv", establishment=other)
    event = event_at(date(2026, 10, 5))
    Report.objects.create(
        event=event,
        kind="ofsted_report",
        stage="draft",
        factual_accuracy_due_on=TODAY,
        created_by=make_user(Role.HMIP_TEAM_LEADER),
    )
    assert dashboards.factual_accuracy_checks(governor, TODAY).items == []

    Report.objects.update(stage="factual_accuracy")
    [item] = dashboards.factual_accuracy_checks(governor, TODAY).items
    assert (item.due_on, item.rule_id) == (TODAY, "RP-3")
    assert dashboards.factual_accuracy_checks(pentonville, TODAY).items == []


@pytest.mark.rule("PG-3")
def test_establishment_sees_a_visit_only_once_announced(
    make_user: Any, event_at: Any, establishment: Any
) -> None:
    governor = make_user(Role.ESTABLISHMENT_USER, establishment=establishment)
    event = event_at(date(2027, 1, 11), days=2, kind="irp")
    assert dashboards.announced_visits(governor, TODAY).items == []

    Event.objects.filter(pk=event.pk).update(announced_on=TODAY + timedelta(days=1))
    assert dashboards.announced_visits(governor, TODAY).items == []  # not yet

    Event.objects.filter(pk=event.pk).update(announced_on=TODAY)
    [item] = dashboards.announced_visits(governor, TODAY).items
    assert item.due_on == date(2027, 1, 11)
    assert "prepare for the visit" in item.next_step


@pytest.mark.rule("PG-6")
def test_scheduler_sees_events_without_an_ofsted_lead_or_team(
    make_user: Any, event_at: Any
) -> None:
    scheduler = make_user(Role.OFSTED_SCHEDULER)
    event = event_at(date(2027, 3, 1), education_inspectorate="ofsted")
    event_at(date(2027, 3, 15))  # no Ofsted part: nothing to name
    Milestone.objects.create(
        event=event, rule_code="pg6", rule_id="PG-6", title="Ofsted lead named",
        strength="hard", due_on=date(2027, 2, 15),
    )  # fmt: skip

    [item] = dashboards.ofsted_teams_to_name(scheduler, TODAY).items
    assert (item.next_step, item.due_on) == (
        "Name the Ofsted lead inspector (PG-6)",
        date(2027, 2, 15),
    )

    place(event, inspector_for(make_user(Role.OFSTED_LEAD_INSPECTOR), "ofsted"), "ofsted_lead")
    [item] = dashboards.ofsted_teams_to_name(scheduler, TODAY).items
    assert item.next_step == "Name the Ofsted inspectors"

    place(event, inspector_for(make_user(Role.OFSTED_INSPECTOR), "ofsted"), "inspector")
    assert dashboards.ofsted_teams_to_name(scheduler, TODAY).items == []


def test_inspector_sees_places_this_month_and_next_only(make_user: Any, event_at: Any) -> None:
    user = make_user(Role.OFSTED_INSPECTOR)
    me = inspector_for(user, "ofsted")
    for starts_on in (date(2026, 11, 2), date(2026, 12, 14), date(2027, 1, 25), date(2027, 2, 1)):
        place(event_at(starts_on, days=4, announced_on=date(2026, 10, 1)), me, "inspector")

    panel = dashboards.assignments(user, TODAY)

    assert [item.due_on for item in panel.items] == [date(2026, 12, 14), date(2027, 1, 25)]


@pytest.mark.rule("SG-1")
def test_alerts_wait_for_those_told_until_acknowledged(make_user: Any, event_at: Any) -> None:
    leader = make_user(Role.HMIP_TEAM_LEADER)
    coordinator = make_user(Role.HMIP_COORDINATOR)
    inspector = make_user(Role.HMIP_INSPECTOR)
    alert = Alert.objects.create(
        event=event_at(date(2026, 11, 30)), kind="safeguarding", summary="Seen on the wing",
        raised_by=inspector, ladder=[leader.pk, coordinator.pk], notified_up_to=1,
    )  # fmt: skip

    assert titles(dashboards.alerts_to_acknowledge(leader, TODAY)) == [str(alert)]
    assert dashboards.alerts_to_acknowledge(coordinator, TODAY).items == []  # not told yet
    assert dashboards.alerts_to_acknowledge(inspector, TODAY).items == []

    Alert.objects.filter(pk=alert.pk).update(status="acknowledged")
    assert dashboards.alerts_to_acknowledge(leader, TODAY).items == []


@pytest.mark.rule("PG-1")
def test_coordinator_sees_programmes_not_yet_confirmed(make_user: Any, programme: Any) -> None:
    coordinator = make_user(Role.HMIP_COORDINATOR)
    items = dashboards.programmes_in_progress(coordinator, TODAY).items
    assert [(item.title, item.group, item.due_on) for item in items] == [
        ("Programme 2027 to 2028", "Not started", date(2026, 12, 31)),  # produced this December
        ("Programme 2026 to 2027", "Draft", date(2025, 12, 31)),
    ]
    assert items[0].href == reverse("programme:create")
    Programme.objects.update(status="confirmed")
    Programme.objects.create(year=2027, status="confirmed")
    panel = dashboards.programmes_in_progress(coordinator, TODAY)
    assert panel.items == []
    assert panel.empty.startswith("Every annual programme is confirmed")


@pytest.mark.rule("PG-1")
@pytest.mark.parametrize(
    ("on", "asked"),
    [
        (date(2026, 8, 31), None),  # too early to draft April 2027's
        (date(2026, 9, 1), 2027),
        (date(2027, 2, 15), 2027),  # still not started, and overdue since December
        (date(2027, 4, 1), None),  # April 2028's is drafted from September 2027
        (date(2027, 9, 1), 2028),
    ],
)
def test_next_years_programme_is_asked_for_from_september(
    make_user: Any, on: date, asked: int | None
) -> None:
    coordinator = make_user(Role.HMIP_COORDINATOR)
    titles = [item.title for item in dashboards.programmes_in_progress(coordinator, on).items]
    assert titles == ([f"Programme {asked} to {asked + 1}"] if asked else [])


def test_the_dashboard_shows_items_or_the_empty_sentence_never_both(
    client: Any, make_user: Any, event_at: Any
) -> None:
    qa = make_user(Role.QUALITY_ASSURANCE)
    client.force_login(qa)
    empty = "No report is waiting for quality assurance."

    page = client.get(reverse("shell:dashboard")).content.decode()
    assert empty in page

    Report.objects.create(
        event=event_at(date(2026, 10, 5)),
        kind="ofsted_report",
        stage="quality_assurance",
        created_by=qa,
    )
    page = client.get(reverse("shell:dashboard")).content.decode()
    assert empty not in page
    assert "Ofsted report on education, skills and work: HMP Leeds" in page
    assert "Approve it, or send it back with your reasons" in page


def _job(task_name: str, queue: str, status: str, attempts: int, failed_at: Any = None) -> int:
    """A job row as procrastinate writes it (its models are read-only)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, args, status, attempts) "
            "VALUES (%s, %s, '{}', %s, %s) RETURNING id",
            [queue, task_name, status, attempts],
        )
        (job,) = cursor.fetchone()
        if failed_at is not None:
            cursor.execute(
                "INSERT INTO procrastinate_events (job_id, type, at) VALUES (%s, 'failed', %s)",
                [job, failed_at],
            )
    return job


def test_the_administrator_sees_failed_jobs_and_e_mail_being_retried(make_user: Any) -> None:
    admin = make_user(Role.SYSTEM_ADMINISTRATOR)
    panel = dashboards.service_health(admin, TODAY)
    assert panel.items == []
    assert panel.empty.startswith("No background job has failed in the last 7 days")

    now = timezone.now()
    verify = "inspectorate.audit.tasks.audit_chain_verify_nightly"
    _job(verify, "default", "failed", 1, now - timedelta(days=1))
    _job(verify, "default", "failed", 1, now - timedelta(days=2))
    _job("inspectorate.planner.tasks.plan_run", "default", "failed", 1, now - timedelta(days=9))
    _job(verify, "default", "succeeded", 1)
    _job("inspectorate.programme.tasks.notification_emails", "email", "todo", 2)
    _job("inspectorate.programme.tasks.notification_emails", "email", "todo", 0)  # first try

    items = dashboards.service_health(admin, TODAY).items
    last = timezone.localdate(now - timedelta(days=1))
    assert [(item.title, item.group, item.due_on) for item in items] == [
        (
            f"Audit chain verify nightly: 2 jobs failed, the last on {last:%-d %B}",
            "Failed in the last 7 days",
            TODAY,
        ),
        ("E-mail: 1 job being tried again", "E-mail", TODAY),
    ]  # the planner's failure is older than a week
    assert "status__exact=failed" in items[0].href

    client = Client()
    client.force_login(admin)
    page = client.get(reverse("shell:dashboard")).content.decode()
    assert "Audit chain verify nightly: 2 jobs failed, the last on" in page
    assert "Manage accounts and roles in Administration" in page
    # The administration's job list, filtered on fields its list filters by.
    assert items[0].href.startswith(reverse("admin:procrastinate_procrastinatejob_changelist"))
