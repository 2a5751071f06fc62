"""The planner's pages and services: who may use them, asking for a plan, the background
task, the comparison with the draft, and accepting all, some or none of it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from procrastinate.contrib.django.models import ProcrastinateJob

from inspectorate.accounts.roles import Role
from inspectorate.audit.models import AccessEvent
from inspectorate.inspectors.models import ConflictOfInterest, InspectorBooking
from inspectorate.planner.constants import RunStatus
from inspectorate.planner.models import PlanRun
from inspectorate.planner.services import plan_accept, plan_request, plan_solve, plan_stop
from inspectorate.planner.tests.db_helpers import PLANNING_DAY, planning_setup
from inspectorate.programme.constants import EventKind, EventStatus, ProgrammeStatus
from inspectorate.programme.models import Event, TeamMember

pytestmark = pytest.mark.django_db

SOLVE_PARAMETERS = {"time_limit": 15, "closed_weeks": ["2027-12-20", "2027-12-27"]}


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.HMIP_COORDINATOR, username="coordinator")


@pytest.fixture
def setup(db):
    return planning_setup()


def home(setup) -> str:
    return reverse("planner:home", kwargs={"year": setup.programme.year})


def solved_run(setup, coordinator, **parameters: Any) -> PlanRun:
    """A run asked for and solved in this thread (the task's work, without the worker)."""
    run = plan_request(
        actor=coordinator, programme=setup.programme, parameters={**SOLVE_PARAMETERS, **parameters}
    )
    with time_machine.travel(PLANNING_DAY, tick=True):
        plan_solve(run_id=run.pk)
    run.refresh_from_db()
    return run


# Who may use it ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.HMIP_COORDINATOR, Role.SYSTEM_ADMINISTRATOR])
def test_the_coordinator_and_administrators_open_the_planner(client, make_user, setup, role):
    client.force_login(make_user(role))
    response = client.get(home(setup))
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Plan the programme</h1>' in response.text
    assert "Week of 20 December 2027" in response.text
    assert "Full inspection of HMP Hull, 5 July 2027" in response.text


@pytest.mark.parametrize(
    "role", [Role.HMIP_TEAM_LEADER, Role.OFSTED_SCHEDULER, Role.HMIP_INSPECTOR]
)
def test_other_staff_are_refused(client, make_user, setup, coordinator, role):
    run = PlanRun.objects.create(programme=setup.programme, requested_by=coordinator)
    client.force_login(make_user(role))
    assert client.get(home(setup)).status_code == 403
    assert client.get(reverse("planner:run", args=[run.pk])).status_code == 403
    assert client.post(reverse("planner:stop", args=[run.pk])).status_code == 403
    assert client.post(reverse("planner:accept", args=[run.pk])).status_code == 403


def test_establishment_users_do_not_learn_the_planner_exists(client, make_user, setup):
    user = make_user(Role.ESTABLISHMENT_USER, establishment=setup.leeds)
    client.force_login(user)
    assert client.get(home(setup)).status_code == 404


def test_the_services_refuse_anyone_else(make_user, setup, coordinator):
    leader = make_user(Role.HMIP_TEAM_LEADER)
    with pytest.raises(PermissionDenied):
        plan_request(actor=leader, programme=setup.programme)
    run = PlanRun.objects.create(programme=setup.programme, requested_by=coordinator)
    with pytest.raises(PermissionDenied):
        plan_accept(actor=leader, run=run)
    with pytest.raises(PermissionDenied):
        plan_stop(actor=leader, run=run)


# Asking for a plan --------------------------------------------------------------------------


def test_asking_for_a_plan_queues_the_task(
    client, coordinator, setup, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    form = {
        "time_limit": "30",
        "closed_weeks": ["2027-12-20", "2027-12-27"],
        "fixed_events": [str(setup.hull_event.pk)],
        **{f"weight_{name}": "10" for name in (
            "lateness", "balance", "region", "understaffing", "moved", "reassigned"
        )},
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(home(setup), form)
    run = PlanRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("planner:run", args=[run.pk])
    assert run.status == RunStatus.QUEUED
    assert run.parameters["fixed_events"] == [setup.hull_event.pk]
    assert run.parameters["closed_weeks"] == ["2027-12-20", "2027-12-27"]
    assert run.parameters["weights"]["region"] == 10
    job = ProcrastinateJob.objects.get()
    assert job.task_name == "inspectorate.planner.tasks.plan_solve_task"
    assert job.args == {"run_id": run.pk}


def test_bad_settings_are_refused_naming_the_field_and_nothing_is_written(coordinator, setup):
    with pytest.raises(ValidationError) as refused:
        plan_request(
            actor=coordinator,
            programme=setup.programme,
            parameters={"time_limit": 7, "closed_weeks": ["2027-12-22"], "weights": {"x": 1}},
        )
    assert set(refused.value.message_dict) == {"time_limit", "closed_weeks", "weights"}
    assert not PlanRun.objects.exists()


@pytest.mark.rule("PG-4")
def test_a_confirmed_programme_is_not_replanned(coordinator, setup):
    setup.programme.status = ProgrammeStatus.CONFIRMED
    setup.programme.save()
    with pytest.raises(ValidationError, match="PG-4"):
        plan_request(actor=coordinator, programme=setup.programme)


def test_a_weight_out_of_range_is_shown_on_the_form(client, coordinator, setup):
    client.force_login(coordinator)
    response = client.post(home(setup), {"time_limit": "30", "weight_region": "-1"})
    assert response.status_code == 400
    assert "Weights are whole numbers from 0 to 10000" in response.text
    assert not PlanRun.objects.exists()


# Progress, the worker, the result ------------------------------------------------------------


def test_a_running_plan_refreshes_itself_and_can_be_stopped(client, coordinator, setup):
    run = PlanRun.objects.create(
        programme=setup.programme,
        requested_by=coordinator,
        status=RunStatus.RUNNING,
        parameters={"time_limit": 60},
        phase="teams",
        best_score=420,
        bound=400,
        gap=0.0476,
        elapsed=12.5,
    )
    client.force_login(coordinator)
    page = client.get(reverse("planner:run", args=[run.pk])).text
    assert 'hx-trigger="every 2s"' in page  # polled by htmx (test_planner_flow)
    assert "Choosing the teams" in page
    assert "400 (gap 4.76%)" in page
    assert "12.5 seconds of 60" in page
    response = client.post(reverse("planner:stop", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.stop_requested


@pytest.mark.django_db(transaction=True)
def test_the_worker_solves_the_run_and_keeps_the_result(run_worker, make_user):
    setup = planning_setup()
    coordinator = make_user(Role.HMIP_COORDINATOR, username="coordinator")
    run = plan_request(actor=coordinator, programme=setup.programme, parameters=SOLVE_PARAMETERS)
    assert ProcrastinateJob.objects.get().status == "todo"
    with time_machine.travel(PLANNING_DAY, tick=True):
        run_worker()
    job = ProcrastinateJob.objects.get(task_name="inspectorate.planner.tasks.plan_solve_task")
    assert job.status == "succeeded"
    run.refresh_from_db()
    assert run.status == RunStatus.FINISHED
    assert run.best_score == run.result["score_total"]
    assert run.elapsed > 0
    assert {row["key"] for row in run.result["events"]} == {
        f"event:{setup.hull_event.pk}",
        "full:LE",
        "full:CF",
        "irp:WD",
    }


@pytest.mark.rule("PG-3")
def test_the_comparison_shows_what_moved_who_changed_and_the_score(client, coordinator, setup):
    run = solved_run(setup, coordinator)
    assert run.status == RunStatus.FINISHED
    client.force_login(coordinator)
    page = client.get(reverse("planner:run", args=[run.pk])).text
    assert "The proposal beside the draft" in page
    assert "Full inspection of HMP Leeds" in page
    assert "Independent review of progress of HMP Wakefield" in page
    assert "Places filled from outside the region" in page
    assert '<strong class="govuk-tag govuk-tag--blue">New</strong>' in page
    assert "Martin Lomax (HMI Prisons team leader)" in page or "Aisha Khan" in page
    assert "The programme has 1 independent review of progress" in page  # PG-2 warning
    # Showing the draft's unannounced dates is logged (PG-3).
    assert AccessEvent.objects.filter(record_id=str(setup.hull_event.pk)).exists()


@pytest.mark.rule("TM-2")
def test_an_impossible_programme_is_explained(client, coordinator, setup):
    for leader in setup.leaders:  # both team leaders conflicted with Leeds
        ConflictOfInterest.objects.create(
            inspector=leader, establishment=setup.leeds, starts_on=date(2020, 1, 1), reason="Ex"
        )
    run = solved_run(setup, coordinator)
    assert run.status == RunStatus.INFEASIBLE
    client.force_login(coordinator)
    page = client.get(reverse("planner:run", args=[run.pk])).text
    assert "Why there is no plan" in page
    assert "Full inspection of HMP Leeds needs at least 1 HMI Prisons team leader" in page
    assert "Martin Lomax (TM-2)" in page


# Accepting -----------------------------------------------------------------------------------


@pytest.mark.rule("TM-5")
def test_accepting_all_writes_through_the_programme_services(client, coordinator, setup):
    run = solved_run(setup, coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("planner:accept", args=[run.pk]), {"accept_all": "1"})
    assert response.status_code == 302, response.context.get("accept_errors")
    events = Event.objects.filter(programme=setup.programme).exclude(status=EventStatus.CANCELLED)
    assert events.count() == 4
    for row in run.result["events"]:
        event = (
            events.get(pk=row["event_id"])
            if row["event_id"]
            else events.get(establishment__code=row["establishment"], kind=row["kind"])
        )
        assert event.starts_on == date.fromisoformat(row["starts_on"])
        team = set(TeamMember.objects.filter(event=event).values_list("inspector_id", flat=True))
        assert team == {m["inspector"] for m in row["members"]}
        # Every member's days are booked (TM-5), so the database keeps them apart.
        assert InspectorBooking.objects.filter(source_id=event.pk).count() == len(team)
    irp = events.get(kind=EventKind.IRP)
    assert irp.follows_up == setup.wakefield_full
    run.refresh_from_db()
    assert run.accepted_by == coordinator
    assert len(run.accepted_items) == 4


def test_accepting_some_writes_only_those(coordinator, setup):
    run = solved_run(setup, coordinator)
    written = plan_accept(actor=coordinator, run=run, items=["full:LE"])
    assert [e.establishment.code for e in written] == ["LE"]
    assert Event.objects.filter(programme=setup.programme).count() == 2  # Hull and Leeds
    with pytest.raises(ValidationError, match="accepted already"):
        plan_accept(actor=coordinator, run=run, items=["full:LE"])


@pytest.mark.rule("TM-2")
def test_a_refusal_writes_nothing(coordinator, setup):
    run = solved_run(setup, coordinator)
    row = next(r for r in run.result["events"] if r["key"] == "full:CF")
    leader = next(m["inspector"] for m in row["members"] if m["role"] == "team_leader")
    # Since the plan was made, its team leader declared a conflict with HMP Cardiff.
    ConflictOfInterest.objects.create(
        inspector_id=leader, establishment=setup.cardiff, starts_on=date(2026, 1, 1), reason="New"
    )
    before = Event.objects.count(), TeamMember.objects.count()
    with pytest.raises(ValidationError) as refused:
        plan_accept(actor=coordinator, run=run)
    assert any("HMP Cardiff" in m and "TM-2" in m for m in refused.value.messages)
    assert (Event.objects.count(), TeamMember.objects.count()) == before
    run.refresh_from_db()
    assert run.accepted_items == []


def test_accepting_nothing_selected_is_refused_on_the_page(client, coordinator, setup):
    run = solved_run(setup, coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("planner:accept", args=[run.pk]), {})
    assert response.status_code == 400
    assert "Select the events to accept" in response.text


@pytest.mark.rule("PG-4")
def test_a_proposal_is_not_accepted_into_a_programme_confirmed_since(coordinator, setup):
    run = solved_run(setup, coordinator)
    setup.programme.status = ProgrammeStatus.CONFIRMED
    setup.programme.save()
    before = Event.objects.count(), TeamMember.objects.count()
    with pytest.raises(ValidationError, match="PG-4"):
        plan_accept(actor=coordinator, run=run)
    assert (Event.objects.count(), TeamMember.objects.count()) == before


def test_an_event_changed_since_the_plan_was_made_is_not_overwritten(coordinator, setup):
    run = solved_run(setup, coordinator)
    row = next(r for r in run.result["events"] if r["event_id"])
    assert row["event_version"] is not None
    # Someone changes the draft event after the planner ran.
    event = Event.objects.get(pk=row["event_id"])
    Event.objects.filter(pk=event.pk).update(version=event.version + 1, notes="Moved by hand")
    before = Event.objects.count(), TeamMember.objects.count()
    with pytest.raises(ValidationError) as refused:
        plan_accept(actor=coordinator, run=run)
    assert any(
        m.startswith(row["label"]) and "changed since the planner ran" in m
        for m in refused.value.messages
    )
    assert (Event.objects.count(), TeamMember.objects.count()) == before
    assert Event.objects.get(pk=event.pk).starts_on == event.starts_on
    # The other events of the proposal can still be accepted on their own.
    others = [r["key"] for r in run.result["events"] if r["key"] != row["key"]]
    assert len(plan_accept(actor=coordinator, run=run, items=others)) == len(others)


def test_stopping_a_run_that_has_ended_is_refused_and_the_page_says_so(client, coordinator, setup):
    run = solved_run(setup, coordinator)
    with pytest.raises(ValidationError, match="already ended"):
        plan_stop(actor=coordinator, run=run)
    run.refresh_from_db()
    assert not run.stop_requested
    client.force_login(coordinator)
    response = client.post(reverse("planner:stop", args=[run.pk]), follow=True)
    assert response.status_code == 200
    assert "This run has already ended" in response.text
