"""Writes through the API call the screens' services, and carry If-Match: 428 without it,
412 when stale; a service's refusal answers in the one error shape."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from inspectorate.accounts.roles import Role
from inspectorate.api.tests.helpers import World, client_for, person
from inspectorate.audit.models import AccessEvent
from inspectorate.estate.models import Establishment
from inspectorate.inspections.models import EvidenceForm
from inspectorate.inspections.tests import fieldwork_helpers as fw
from inspectorate.inspectors.constants import Clearance, DbsLevel, Grade, Organisation
from inspectorate.inspectors.models import Inspector
from inspectorate.programme.constants import MilestoneStatus
from inspectorate.programme.milestones.deadlines import rule_for
from inspectorate.programme.models import Event, Milestone, Programme, TeamMember


def post(client: Any, path: str, data: dict[str, Any], version: Any = None) -> Any:
    headers = {} if version is None else {"If-Match": f'"{version}"'}
    return client.post(path, data, content_type="application/json", headers=headers)


@pytest.fixture
def coordinator(world: World) -> Any:
    return client_for(world.users[Role.HMIP_COORDINATOR])


@pytest.mark.django_db
def test_moving_an_event_needs_its_current_version(world: World, coordinator: Any) -> None:
    path = f"/api/v1/events/{world.secret.pk}/"
    read = coordinator.get(path)
    assert read["ETag"] == '"1"'
    missing = post(coordinator, f"{path}move/", {"starts_on": "2027-01-18"})
    assert missing.status_code == 428
    assert missing.json()["errors"][0]["code"] == "precondition_required"
    stale = post(coordinator, f"{path}move/", {"starts_on": "2027-01-18"}, version=0)
    assert stale.status_code == 412
    moved = post(coordinator, f"{path}move/", {"starts_on": "2027-01-18"}, version=1)
    assert moved.status_code == 200, moved.content
    assert moved["ETag"] == '"2"'
    assert moved.json()["ends_on"] == "2027-01-29"
    again = post(coordinator, f"{path}move/", {"starts_on": "2027-01-25"}, version=1)
    assert again.status_code == 412
    assert Event.objects.get(pk=world.secret.pk).starts_on == date(2027, 1, 18)


@pytest.mark.django_db
def test_a_service_refusal_names_the_field(world: World, coordinator: Any) -> None:
    path = f"/api/v1/events/{world.secret.pk}/move/"
    saturday = post(coordinator, path, {"starts_on": "2027-01-16"}, version=1)
    assert saturday.status_code == 400
    (problem,) = saturday.json()["errors"]
    assert problem["field"] == "starts_on"
    assert "weekday" in problem["message"]
    unparsable = post(coordinator, path, {"starts_on": "soon"}, version=1)
    assert unparsable.status_code == 400
    assert unparsable.json()["errors"][0]["field"] == "starts_on"
    cancel = post(coordinator, f"/api/v1/events/{world.secret.pk}/cancel/", {"reason": ""}, 1)
    assert cancel.status_code == 400
    assert cancel.json()["errors"] == [
        {
            "field": "reason",
            "message": "Enter the reason for cancelling the event",
            "code": "invalid",
        }
    ]


@pytest.mark.django_db
def test_cancelling_and_announcing(world: World, coordinator: Any) -> None:
    announced = post(
        coordinator,
        f"/api/v1/events/{world.secret.pk}/announce/",
        {"announced_on": "2026-11-23"},
        1,
    )
    assert announced.status_code == 200, announced.content
    assert announced.json()["confidential"] is False
    cancelled = post(
        coordinator, f"/api/v1/events/{world.secret.pk}/cancel/", {"reason": "Outbreak"}, 2
    )
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"


@pytest.mark.django_db
def test_scheduling_an_event_carries_the_programmes_version(world: World, coordinator: Any) -> None:
    wakefield = Establishment.objects.create(code="WD", name="HMP Wakefield", kind="prison")
    programme = Programme.objects.get(year=2026)
    body = {
        "programme": 2026,
        "kind": "full_inspection",
        "establishment": wakefield.pk,
        "starts_on": "2027-02-01",
    }
    assert post(coordinator, "/api/v1/events/", body).status_code == 428
    created = post(coordinator, "/api/v1/events/", body, version=programme.version)
    assert created.status_code == 201, created.content
    assert created.json()["ends_on"] == "2027-02-12"
    assert created["ETag"] == '"1"'
    inspector = client_for(world.users[Role.HMIP_INSPECTOR])
    refused = post(inspector, "/api/v1/events/", body, version=programme.version)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["message"] == "You cannot record this kind of event."


def _vetted_inspector() -> Inspector:
    return Inspector.objects.create(
        name="Vetted Inspector",
        email="vetted@example.invalid",
        organisation=Organisation.HMI_PRISONS,
        grade=Grade.HMIP_INSPECTOR,
        dbs_level=DbsLevel.ENHANCED,
        dbs_checked_on=date(2025, 1, 6),
        dbs_renewal_due_on=date(2029, 1, 5),
        clearance=Clearance.SC,
    )


@pytest.mark.django_db
def test_putting_an_inspector_on_a_team(world: World, coordinator: Any) -> None:
    inspector = _vetted_inspector()
    path = f"/api/v1/events/{world.secret.pk}/team/"
    body = {"inspector": inspector.pk, "role": "inspector"}
    assert post(coordinator, path, body).status_code == 428
    assert post(coordinator, path, body, version=7).status_code == 412
    added = post(coordinator, path, body, version=1)
    assert added.status_code == 201, added.content
    assert added.json()["inspector"]["id"] == inspector.pk
    assert added["ETag"] == '"2"'  # adding a member moves the event's version on
    twice = post(coordinator, path, body, version=2)
    assert twice.status_code == 400
    assert "already on this team" in twice.json()["errors"][0]["message"]
    member = TeamMember.objects.get(event=world.secret, inspector=inspector)
    removed = coordinator.delete(f"/api/v1/team-members/{member.pk}/", headers={"If-Match": '"2"'})
    assert removed.status_code == 204
    assert not TeamMember.objects.filter(pk=member.pk).exists()


def _marked_by_hand(world: World) -> Milestone:
    """A due milestone of the world's confidential event that people mark met."""
    return next(
        m
        for m in Milestone.objects.filter(event=world.secret, status=MilestoneStatus.DUE)
        if (rule := rule_for(m.rule_code)) is not None and rule.met_when is None
    )


@pytest.mark.django_db
def test_marking_a_milestone_met(world: World, coordinator: Any) -> None:
    milestone = _marked_by_hand(world)
    path = f"/api/v1/milestones/{milestone.pk}/mark-met/"
    assert (
        coordinator.get(f"/api/v1/milestones/{milestone.pk}/")["ETag"] == f'"{milestone.version}"'
    )
    assert post(coordinator, path, {}).status_code == 428
    assert post(coordinator, path, {}, version=milestone.version + 5).status_code == 412
    met = post(coordinator, path, {}, version=milestone.version)
    assert met.status_code == 200, met.content
    assert met.json()["status"] == "met"
    again = post(coordinator, path, {}, version=milestone.version + 1)
    assert again.status_code == 400
    assert "already met" in again.json()["errors"][0]["message"]
    # An establishment user may not know of the milestone at all.
    outsider = client_for(world.users[Role.ESTABLISHMENT_USER])
    assert post(outsider, path, {}, version=milestone.version + 1).status_code == 404


@pytest.mark.django_db
def test_reopening_a_milestone_marked_met_needs_a_reason(world: World, coordinator: Any) -> None:
    milestone = _marked_by_hand(world)
    base = f"/api/v1/milestones/{milestone.pk}/"
    met = post(coordinator, f"{base}mark-met/", {}, version=milestone.version).json()
    blank = post(coordinator, f"{base}reopen/", {"reason": " "}, version=met["version"])
    assert blank.status_code == 400
    assert blank.json()["errors"][0]["field"] == "reason"
    reopened = post(coordinator, f"{base}reopen/", {"reason": "Sent to the wrong address"}, 2)
    assert reopened.status_code == 200, reopened.content
    assert (reopened.json()["status"], reopened.json()["reopen_reason"]) == (
        "due",
        "Sent to the wrong address",
    )


@pytest.mark.django_db
@pytest.mark.rule("PG-5")
def test_recording_why_an_impossible_deadline_was_not_met(world: World, coordinator: Any) -> None:
    milestone = Milestone.objects.filter(event=world.secret, status=MilestoneStatus.DUE).first()
    assert milestone is not None
    path = f"/api/v1/milestones/{milestone.pk}/explain-impossible/"
    not_impossible = post(coordinator, path, {"reason": "Late"}, version=milestone.version)
    assert not_impossible.status_code == 400
    assert "was not impossible when it was created" in not_impossible.json()["errors"][0]["message"]

    Milestone.objects.filter(pk=milestone.pk).update(status=MilestoneStatus.IMPOSSIBLE)
    assert post(coordinator, path, {"reason": "Added in November"}).status_code == 428
    recorded = post(coordinator, path, {"reason": "Added in November"}, milestone.version)
    assert recorded.status_code == 200, recorded.content
    body = recorded.json()
    assert body["impossible_reason"] == "Added in November"
    assert body["impossible_recorded_by"] == str(world.users[Role.HMIP_COORDINATOR])
    assert body["opened_on"] == str(milestone.opened_on)
    outsider = client_for(world.users[Role.ESTABLISHMENT_USER])
    assert post(outsider, path, {"reason": "x"}, body["version"]).status_code == 404


@pytest.mark.django_db
def test_recording_and_changing_evidence(world: World) -> None:
    fw.load_frameworks()
    team = fw.make_team_event(establishment=fw.other_establishment())
    aspect = fw.aspect("QE")
    client = client_for(team.inspector)
    body = {
        "event": team.event.pk,
        "evidence_on": "2027-06-15",
        "source": "staff",
        "aspect": aspect.pk,
        "text": "Staff said the library is closed.",
    }
    assert post(client, "/api/v1/evidence/", body).status_code == 428
    created = post(client, "/api/v1/evidence/", body, version=team.event.version)
    assert created.status_code == 201, created.content
    evidence = EvidenceForm.objects.get(pk=created.json()["id"])
    assert evidence.author == team.inspector
    change = {k: v for k, v in body.items() if k != "event"} | {"text": "Closed twice a week."}
    path = f"/api/v1/evidence/{evidence.pk}/"
    headers = {"If-Match": '"1"'}
    changed = client.put(path, change, content_type="application/json", headers=headers)
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] == '"2"'
    stale = client.put(path, change, content_type="application/json", headers=headers)
    assert stale.status_code == 412
    # The inspection is unannounced: reading its fieldwork is logged, as on the screens.
    listed = client.get(f"/api/v1/evidence/?event={team.event.pk}").json()
    assert [row["id"] for row in listed["results"]] == [evidence.pk]
    logged = AccessEvent.objects.filter(
        record_type="inspections.evidenceform", actor=team.inspector
    )
    assert list(logged.values_list("record_id", flat=True)) == [str(evidence.pk)]
    # Someone not on the team may not record fieldwork, even where they see the event.
    coordinator = client_for(person("coordinator-x", Role.HMIP_COORDINATOR))
    refused = post(coordinator, "/api/v1/evidence/", body, version=team.event.version)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["message"] == "Only the event's team records its fieldwork."


@pytest.mark.django_db
def test_a_filter_value_with_a_nul_character_is_a_bad_request(coordinator: Any) -> None:
    # Found by the schema fuzz: PostgreSQL refuses NUL in text, which was a 500.
    response = coordinator.get("/api/v1/complaints/", {"status": "open\x00"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "status"
