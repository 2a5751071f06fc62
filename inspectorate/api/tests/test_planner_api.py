"""The programme planner through the API: who may use it (as its pages), asking for a run
(queued as a procrastinate job, 202), its progress and proposal (reads of the draft's
unannounced dates logged, PG-3), stopping it, and accepting all or some of a small finished
run through the programme's services; If-Match on each write (the programme's version)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from procrastinate.contrib.django.models import ProcrastinateJob

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role
from inspectorate.api.tests.helpers import client_for, person, token_client
from inspectorate.audit.models import AccessEvent
from inspectorate.inspectors.models import ConflictOfInterest, InspectorBooking
from inspectorate.planner.constants import RunStatus
from inspectorate.planner.models import PlanRun
from inspectorate.planner.services import plan_request, plan_solve
from inspectorate.planner.tests.db_helpers import PLANNING_DAY, Setup, planning_setup
from inspectorate.programme.constants import EventStatus, ProgrammeStatus
from inspectorate.programme.models import Event, TeamMember

pytestmark = pytest.mark.django_db

RUNS = "/api/v1/plan-runs/"
SMALL = {"time_limit": 15, "closed_weeks": ["2027-12-20", "2027-12-27"]}
ALL_KEYS = {"full:LE", "full:CF", "irp:WD"}


@pytest.fixture
def setup() -> Setup:
    return planning_setup()


@pytest.fixture
def coordinator() -> User:
    return person("api-planner", Role.HMIP_COORDINATOR)


def send(client: Client, path: str, data: dict[str, Any], version: Any = None) -> Any:
    headers = {} if version is None else {"If-Match": f'"{version}"'}
    return client.post(path, data, content_type="application/json", headers=headers)


def solved(setup: Setup, coordinator: User) -> PlanRun:
    """A small run asked for and solved in this thread (the worker's work, without it)."""
    run = plan_request(actor=coordinator, programme=setup.programme, parameters=SMALL)
    with time_machine.travel(PLANNING_DAY, tick=True):
        plan_solve(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FINISHED, run.message
    return run


def programme_events(setup: Setup) -> Any:
    return Event.objects.filter(programme=setup.programme).exclude(status=EventStatus.CANCELLED)


# Reading ----------------------------------------------------------------------------------


@pytest.mark.rule("PG-3")
def test_a_finished_run_shows_the_proposal_beside_the_draft_and_the_read_is_logged(
    setup: Setup, coordinator: User
) -> None:
    run = solved(setup, coordinator)
    client = client_for(coordinator)
    listed = client.get(f"{RUNS}?programme=2027").json()
    assert [row["id"] for row in listed["results"]] == [run.pk]
    assert "proposal" not in listed["results"][0]
    assert not AccessEvent.objects.filter(record_id=str(setup.hull_event.pk)).exists()

    response = client.get(f"{RUNS}{run.pk}/")
    assert response.status_code == 200
    assert response["ETag"] == f'"{setup.programme.version}"'
    body = response.json()
    assert body["status"] == "finished"
    assert body["best_score"] == run.result["score_total"]
    assert body["time_limit"] == 15
    proposal = body["proposal"]
    rows = {row["key"]: row for row in proposal["rows"]}
    assert set(rows) == {f"event:{setup.hull_event.pk}", *ALL_KEYS}
    assert rows["full:LE"]["new"] is True
    assert rows["full:LE"]["event"] is None
    hull = rows[f"event:{setup.hull_event.pk}"]
    assert hull["event"] == setup.hull_event.pk
    assert hull["current_starts_on"] == "2027-07-05"
    assert hull["acceptable"] is True
    assert [part["name"] for part in proposal["scores"]][:2] == ["lateness", "balance"]
    assert proposal["proposal_total"] == run.result["score_total"]
    assert "The programme has 1 independent review of progress" in proposal["warnings"][0]
    # Showing the draft's unannounced dates is logged, as on the run page (PG-3).
    assert AccessEvent.objects.filter(
        record_id=str(setup.hull_event.pk), actor=coordinator
    ).exists()


@pytest.mark.rule("TM-2")
def test_a_run_without_a_plan_says_why(setup: Setup, coordinator: User) -> None:
    for leader in setup.leaders:
        ConflictOfInterest.objects.create(
            inspector=leader, establishment=setup.leeds, starts_on=date(2020, 1, 1), reason="Ex"
        )
    run = plan_request(actor=coordinator, programme=setup.programme, parameters=SMALL)
    with time_machine.travel(PLANNING_DAY, tick=True):
        plan_solve(run_id=run.pk)
    body = client_for(coordinator).get(f"{RUNS}{run.pk}/").json()
    assert body["status"] == "infeasible"
    assert body["proposal"] is None
    reasons = " ".join(reason["text"] for reason in body["explanation"]["reasons"])
    assert "Martin Lomax" in reasons


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.SYSTEM_ADMINISTRATOR, 200),
        (Role.HMIP_TEAM_LEADER, 403),
        (Role.OFSTED_SCHEDULER, 403),
        (Role.HMIP_INSPECTOR, 403),
        (Role.ESTABLISHMENT_USER, 404),  # they do not learn the planner exists (PG-3)
    ],
)
def test_only_the_coordinator_and_administrators_use_the_planner(
    setup: Setup, coordinator: User, role: str, expected: int
) -> None:
    run = PlanRun.objects.create(
        programme=setup.programme, requested_by=coordinator, status=RunStatus.RUNNING
    )
    establishment = setup.leeds if role == Role.ESTABLISHMENT_USER else None
    client = client_for(person(f"api-{role}", role, establishment=establishment))
    version = setup.programme.version
    assert client.get(RUNS).status_code == expected
    assert client.get(f"{RUNS}{run.pk}/").status_code == expected
    assert send(client, f"{RUNS}{run.pk}/stop/", {}, version).status_code == expected
    asked = send(client, RUNS, {"programme": 2027, **SMALL}, version)
    assert asked.status_code == (202 if expected == 200 else expected)
    if expected != 200:
        assert asked.json()["errors"][0]["message"]
        assert PlanRun.objects.count() == 1
        run.refresh_from_db()
        assert not run.stop_requested


def test_a_token_narrowed_to_organisations_cannot_use_the_planner(
    setup: Setup, coordinator: User
) -> None:
    narrowed, _ = token_client(coordinator, scope="write", organisations=["ofsted"])
    response = narrowed.get(RUNS)
    assert response.status_code == 403
    assert "not narrowed" in response.json()["errors"][0]["message"]
    reader, _ = token_client(coordinator, name="Reader")
    assert reader.get(RUNS).status_code == 200
    refused = send(reader, RUNS, {"programme": 2027}, setup.programme.version)
    assert refused.status_code == 403
    assert not PlanRun.objects.exists()


def test_listing_runs_takes_the_same_queries_for_2_or_20(setup: Setup, coordinator: User) -> None:
    client = client_for(coordinator)

    def count(rows: int) -> int:
        PlanRun.objects.bulk_create(
            PlanRun(programme=setup.programme, requested_by=coordinator, accepted_by=coordinator)
            for _ in range(rows)
        )
        with CaptureQueriesContext(connection) as captured:
            response = client.get(RUNS)
        assert response.status_code == 200
        assert response.json()["count"] == PlanRun.objects.count()
        return len(captured)

    assert count(2) == count(18)


# Asking for a plan --------------------------------------------------------------------------


def test_asking_for_a_plan_queues_the_job_and_answers_202(
    setup: Setup, coordinator: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(coordinator)
    data = {
        "programme": 2027,
        "time_limit": 30,
        "fixed_events": [setup.hull_event.pk],
        "weights": {"region": 10},
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, RUNS, data, setup.programme.version)
    assert response.status_code == 202, response.content
    run = PlanRun.objects.get()
    assert response["Location"] == f"{RUNS}{run.pk}/"
    assert response["ETag"] == f'"{setup.programme.version}"'
    assert response.json()["status"] == "queued"
    assert run.requested_by == coordinator
    assert run.parameters["time_limit"] == 30
    assert run.parameters["fixed_events"] == [setup.hull_event.pk]
    # As the form suggests: Christmas and New Year closed, the other weights their defaults.
    assert run.parameters["closed_weeks"] == ["2027-12-20", "2027-12-27"]
    assert run.parameters["weights"]["region"] == 10
    assert run.parameters["weights"]["lateness"] == 100
    job = ProcrastinateJob.objects.get()
    assert job.task_name == "inspectorate.planner.tasks.plan_solve_task"
    assert job.args == {"run_id": run.pk}


def test_no_week_is_closed_when_asked_for_none(setup: Setup, coordinator: User) -> None:
    data = {"programme": 2027, "closed_weeks": []}
    response = send(client_for(coordinator), RUNS, data, setup.programme.version)
    assert response.status_code == 202
    assert PlanRun.objects.get().parameters["closed_weeks"] == []


def test_asking_needs_the_programmes_current_version(setup: Setup, coordinator: User) -> None:
    client = client_for(coordinator)
    data = {"programme": 2027}
    assert send(client, RUNS, data).status_code == 428
    stale = send(client, RUNS, data, setup.programme.version + 1)
    assert stale.status_code == 412
    assert stale.json()["errors"][0]["code"] == "stale"
    assert not PlanRun.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"programme": 1999}, "programme"),
        ({"programme": 2027, "time_limit": 7}, "time_limit"),
        ({"programme": 2027, "closed_weeks": ["2027-12-22"]}, "closed_weeks"),
        ({"programme": 2027, "closed_weeks": ["someday"]}, "closed_weeks.0"),
        ({"programme": 2027, "weights": {"region": -1}}, "weight_region"),
        ({"programme": 2027, "fixed_events": [999_999]}, "fixed_events"),
        ({"time_limit": 15}, "programme"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(
    setup: Setup, coordinator: User, data: dict[str, Any], field: str
) -> None:
    response = send(client_for(coordinator), RUNS, data, setup.programme.version)
    assert response.status_code == 400, response.content
    assert field in {error["field"] for error in response.json()["errors"]}
    assert not PlanRun.objects.exists()


@pytest.mark.rule("PG-4")
def test_a_confirmed_programme_is_not_replanned(setup: Setup, coordinator: User) -> None:
    setup.programme.status = ProgrammeStatus.CONFIRMED
    setup.programme.save()
    response = send(client_for(coordinator), RUNS, {"programme": 2027}, setup.programme.version)
    assert response.status_code == 400
    assert "PG-4" in response.json()["errors"][0]["message"]
    assert not PlanRun.objects.exists()


# Stopping -----------------------------------------------------------------------------------


def test_a_running_plan_is_stopped_with_the_programmes_version(
    setup: Setup, coordinator: User
) -> None:
    run = PlanRun.objects.create(
        programme=setup.programme, requested_by=coordinator, status=RunStatus.RUNNING
    )
    client = client_for(coordinator)
    path = f"{RUNS}{run.pk}/stop/"
    assert send(client, path, {}).status_code == 428
    assert send(client, path, {}, setup.programme.version + 1).status_code == 412
    run.refresh_from_db()
    assert not run.stop_requested
    response = send(client, path, {}, setup.programme.version)
    assert response.status_code == 200
    assert response.json()["stop_requested"] is True
    run.refresh_from_db()
    assert run.stop_requested
    for missing in ("999999", str(10**30), "one"):
        response = send(client, f"{RUNS}{missing}/stop/", {}, setup.programme.version)
        assert response.status_code == 404


# Accepting ----------------------------------------------------------------------------------


@pytest.mark.rule("TM-5")
def test_accepting_all_writes_through_the_programme_services(
    setup: Setup, coordinator: User
) -> None:
    run = solved(setup, coordinator)
    client = client_for(coordinator)
    response = send(client, f"{RUNS}{run.pk}/accept/", {"all": True}, setup.programme.version)
    assert response.status_code == 200, response.content
    body = response.json()
    assert len(body["events"]) == 4
    assert {row["key"] for row in body["run"]["proposal"]["rows"] if row["accepted"]} == {
        f"event:{setup.hull_event.pk}",
        *ALL_KEYS,
    }
    assert programme_events(setup).count() == 4
    for row in run.result["events"]:
        event = (
            Event.objects.get(pk=row["event_id"])
            if row["event_id"]
            else programme_events(setup).get(
                establishment__code=row["establishment"], kind=row["kind"]
            )
        )
        assert event.starts_on == date.fromisoformat(row["starts_on"])
        team = set(TeamMember.objects.filter(event=event).values_list("inspector_id", flat=True))
        assert team == {m["inspector"] for m in row["members"]}
        assert InspectorBooking.objects.filter(source_id=event.pk).count() == len(team)
    run.refresh_from_db()
    assert run.accepted_by == coordinator
    assert len(run.accepted_items) == 4


def test_accepting_some_then_refusals_name_the_items(setup: Setup, coordinator: User) -> None:
    run = solved(setup, coordinator)
    client = client_for(coordinator)
    path = f"{RUNS}{run.pk}/accept/"
    version = setup.programme.version
    assert send(client, path, {"items": ["full:LE"]}).status_code == 428
    assert send(client, path, {"items": ["full:LE"]}, version + 1).status_code == 412
    assert programme_events(setup).count() == 1  # only Hull, as before

    accepted = send(client, path, {"items": ["full:LE"]}, version)
    assert accepted.status_code == 200, accepted.content
    assert [event["establishment"] for event in accepted.json()["events"]] == ["LE"]
    assert programme_events(setup).count() == 2

    refusals: list[tuple[dict[str, Any], str]] = [
        ({"items": ["full:LE"]}, "has been accepted already"),
        ({"items": ["full:XX"]}, "Select events from the proposal"),
        ({"items": []}, "Select the events to accept"),
        ({"items": ["full:CF"], "all": True}, "not both"),
    ]
    for data, message in refusals:
        refused = send(client, path, data, version)
        assert refused.status_code == 400, data
        (error,) = refused.json()["errors"]
        assert error["field"] == "items"
        assert message in error["message"]
    assert programme_events(setup).count() == 2
    run.refresh_from_db()
    assert run.accepted_items == ["full:LE"]


@pytest.mark.rule("TM-2")
def test_a_refused_acceptance_writes_nothing_and_says_why(setup: Setup, coordinator: User) -> None:
    run = solved(setup, coordinator)
    row = next(r for r in run.result["events"] if r["key"] == "full:CF")
    leader = next(m["inspector"] for m in row["members"] if m["role"] == "team_leader")
    # Since the plan was made, its team leader declared a conflict with HMP Cardiff.
    ConflictOfInterest.objects.create(
        inspector_id=leader, establishment=setup.cardiff, starts_on=date(2026, 1, 1), reason="New"
    )
    before = Event.objects.count(), TeamMember.objects.count()
    response = send(
        client_for(coordinator), f"{RUNS}{run.pk}/accept/", {"all": True}, setup.programme.version
    )
    assert response.status_code == 400
    messages = [error["message"] for error in response.json()["errors"]]
    assert any("HMP Cardiff" in m and "TM-2" in m for m in messages)
    assert (Event.objects.count(), TeamMember.objects.count()) == before
    run.refresh_from_db()
    assert run.accepted_items == []


def test_a_run_still_searching_has_nothing_to_accept(setup: Setup, coordinator: User) -> None:
    run = PlanRun.objects.create(
        programme=setup.programme, requested_by=coordinator, status=RunStatus.RUNNING
    )
    response = send(
        client_for(coordinator), f"{RUNS}{run.pk}/accept/", {"all": True}, setup.programme.version
    )
    assert response.status_code == 400
    assert "no proposal to accept" in response.json()["errors"][0]["message"]
