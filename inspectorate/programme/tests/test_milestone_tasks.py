"""Reminders: the people responsible are told of what is overdue or due within five working
days, in the app and by e-mail after commit; running twice on a day sends one reminder."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from procrastinate.contrib.django.models import ProcrastinateJob

from inspectorate.accounts.roles import Role
from inspectorate.programme.constants import EventStatus, MilestoneStatus, TeamRole
from inspectorate.programme.milestones.services import milestone_reminders_send
from inspectorate.programme.models import Milestone, Notification
from inspectorate.programme.tasks import milestones_daily
from inspectorate.programme.tests.email_helpers import email_jobs_run
from inspectorate.programme.tests.test_milestone_helpers import (
    NOON,
    made_in_time,
    make_establishment,
    make_event,
    move_event,
    put_on_team,
)


@pytest.fixture
def people(make_user) -> dict[str, Any]:
    made = {
        "coordinator": make_user(Role.HMIP_COORDINATOR, username="coordinator"),
        "scheduler": make_user(Role.OFSTED_SCHEDULER, username="scheduler"),
        "lead": make_user(Role.OFSTED_LEAD_INSPECTOR, username="lead"),
        "inspector": make_user(Role.HMIP_INSPECTOR, username="inspector"),
    }
    for name, user in made.items():
        user.email = f"{name}@example.invalid"
        user.save()
    return made


ADDED = date(2026, 4, 1)


@pytest.fixture
def events(people) -> dict[str, Any]:
    """On Mon 23 Nov 2026: HMP Leeds from Mon 7 Dec (PG-6 due today, PG-5 long past), and
    HMP Durham, Mon 9 to Fri 20 Nov, with its Ofsted lead (IN-2, IN-3, IN-4 past). Both were
    added in April, in time for every deadline: what has passed since is overdue."""
    with time_machine.travel(NOON, tick=False):
        leeds = made_in_time(ADDED, starts_on=date(2026, 12, 7), ends_on=date(2026, 12, 18))
        durham = made_in_time(
            ADDED,
            establishment=make_establishment("DU", "HMP Durham"),
            starts_on=date(2026, 11, 9),
            ends_on=date(2026, 11, 20),
        )
        put_on_team(durham, people["lead"], TeamRole.OFSTED_LEAD)
    return {"leeds": leeds, "durham": durham}


def subjects() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for notification in Notification.objects.select_related("recipient").order_by("pk"):
        found.setdefault(notification.recipient.username, []).append(notification.subject)
    return found


def send_on(day: date, capture: Any) -> Any:
    with time_machine.travel(day, tick=False):
        with capture(execute=True):
            report = milestone_reminders_send()
        email_jobs_run()  # as the worker would, after the commit
        return report


def test_reminders_go_to_the_people_responsible_once_a_day(
    events, people, django_capture_on_commit_callbacks
) -> None:
    report = send_on(date(2026, 11, 23), django_capture_on_commit_callbacks)
    assert (report.milestones, report.notifications) == (6, 3)
    assert subjects() == {
        # PG-5 of both events: HMI Prisons' programme coordinators.
        "coordinator": ["Deadlines: 2 overdue"],
        # PG-6 of Leeds, due today: the Ofsted scheduling team (Leeds has no lead yet).
        "scheduler": ["Deadlines: 1 due within 5 working days"],
        # IN-2, IN-3 and IN-4 of Durham: its Ofsted lead inspector.
        "lead": ["Deadlines: 3 overdue"],
    }
    body = Notification.objects.get(recipient=people["lead"]).body
    assert (
        "- Overdue (was due 12:00 on 19 November 2026): Ofsted lead's written bullet points "
        "for the draft feedback summary (IN-2), full inspection of HMP Durham"
    ) in body
    assert sorted(message.to[0] for message in mail.outbox) == [
        "coordinator@example.invalid",
        "lead@example.invalid",
        "scheduler@example.invalid",
    ]
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
    assert set(
        Milestone.objects.exclude(reminded_on=None).values_list("reminded_on", flat=True)
    ) == {date(2026, 11, 23)}

    # The same day again: nothing.
    assert send_on(date(2026, 11, 23), django_capture_on_commit_callbacks).notifications == 0
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 3
    # The next day Leeds' PG-6 has been missed: its people are told once, then not again.
    assert send_on(date(2026, 11, 24), django_capture_on_commit_callbacks).milestones == 1
    assert subjects()["scheduler"][-1] == "Deadlines: 1 overdue"
    assert send_on(date(2026, 11, 24), django_capture_on_commit_callbacks).notifications == 0
    assert Notification.objects.count() == 4


def test_overdue_milestones_are_reminded_when_missed_then_weekly(
    events, people, django_capture_on_commit_callbacks
) -> None:
    send_on(date(2026, 11, 23), django_capture_on_commit_callbacks)
    Notification.objects.all().delete()
    # A week later: every overdue one again, and Leeds' PG-6, due on the 23rd, now overdue.
    report = send_on(date(2026, 11, 30), django_capture_on_commit_callbacks)
    assert report.milestones == 6
    assert subjects() == {
        "coordinator": ["Deadlines: 2 overdue"],
        "scheduler": ["Deadlines: 1 overdue"],
        "lead": ["Deadlines: 3 overdue"],
    }


def test_a_milestone_that_moves_is_reminded_afresh_and_met_ones_are_not(
    events, people, django_capture_on_commit_callbacks
) -> None:
    send_on(date(2026, 11, 23), django_capture_on_commit_callbacks)
    Notification.objects.all().delete()
    with time_machine.travel(NOON, tick=False):
        Milestone.objects.filter(event=events["durham"]).update(
            status=MilestoneStatus.MET, met_on=NOON
        )
        # Leeds moves a week later: PG-6 is now due Mon 30 Nov, within 5 working days, and
        # PG-5, still overdue, has a new date (Fri 12 June 2026).
        move_event(events["leeds"], date(2026, 12, 14), date(2026, 12, 25))
    report = send_on(date(2026, 11, 24), django_capture_on_commit_callbacks)
    assert report.milestones == 2
    assert subjects() == {
        "coordinator": ["Deadlines: 1 overdue"],
        "scheduler": ["Deadlines: 1 due within 5 working days"],
    }
    assert "was due 12 June 2026" in Notification.objects.get(recipient=people["coordinator"]).body


def test_cancelled_events_and_the_team_lead_stand_in(
    events, people, django_capture_on_commit_callbacks
) -> None:
    events["durham"].status = EventStatus.CANCELLED
    events["durham"].save()
    events["durham"].team.all().delete()
    send_on(date(2026, 11, 23), django_capture_on_commit_callbacks)
    # Only Leeds is left: with no Ofsted lead named, nobody on a team is told.
    assert subjects() == {
        "coordinator": ["Deadlines: 1 overdue"],
        "scheduler": ["Deadlines: 1 due within 5 working days"],
    }


@pytest.mark.rule("WD-1")
def test_due_within_five_working_days_counts_bank_holidays(
    people, django_capture_on_commit_callbacks
) -> None:
    # Tue 22 Dec 2026: five working days on are 23, 24, 29, 30, 31 December (25 and 28 off),
    # so a deadline on Thu 31 Dec is reminded and one on Mon 4 Jan 2027 is not.
    with time_machine.travel(date(2026, 12, 22), tick=False):
        soon = make_event(starts_on=date(2027, 1, 14), ends_on=date(2027, 1, 22), signal=True)
        later = make_event(
            make_establishment("DU", "HMP Durham"),
            starts_on=date(2027, 1, 18),
            ends_on=date(2027, 1, 29),
        )
    pg6 = {
        m.event_id: m.due_on for m in Milestone.objects.filter(rule_code="pg6_ofsted_lead_named")
    }
    assert pg6 == {soon.pk: date(2026, 12, 31), later.pk: date(2027, 1, 4)}
    send_on(date(2026, 12, 22), django_capture_on_commit_callbacks)
    reminded = Milestone.objects.filter(rule_code="pg6_ofsted_lead_named").exclude(reminded_on=None)
    assert [m.event_id for m in reminded] == [soon.pk]


@pytest.mark.django_db(transaction=True)
def test_the_task_function_updates_statuses_and_reminds(events, people, run_worker) -> None:
    task: Any = milestones_daily  # it closes its connection: a transactional test
    with time_machine.travel(date(2026, 11, 24), tick=False):
        written = task(timestamp=0)
    assert written == 3
    assert mail.outbox == []  # queued once the task's transaction committed
    run_worker()
    assert len(mail.outbox) == 3
    # Leeds' PG-6, due on the 23rd, is missed by the 24th.
    leeds_pg6 = Milestone.objects.get(event=events["leeds"], rule_code="pg6_ofsted_lead_named")
    assert leeds_pg6.status == MilestoneStatus.MISSED


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_daily_milestone_task(make_user, run_worker) -> None:
    coordinator = make_user(Role.HMIP_COORDINATOR, username="coordinator")
    # Real dates: an inspection a month away, whose PG-5 (six months ahead) is overdue.
    start = date.today() + timedelta(days=30)
    make_event(starts_on=start, ends_on=start + timedelta(days=11))
    task: Any = milestones_daily  # periodic tasks' defer() is typed without args
    task.defer(timestamp=0)
    assert ProcrastinateJob.objects.get().status == "todo"

    run_worker()

    # The worker may also defer other periodic tasks when it starts (alert escalation).
    job = ProcrastinateJob.objects.get(task_name="inspectorate.programme.tasks.milestones_daily")
    assert job.status == "succeeded"
    assert Notification.objects.filter(recipient=coordinator).count() == 1
    assert Milestone.objects.get(rule_code="pg5_ofsted_notified").reminded_on is not None
