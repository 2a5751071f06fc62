"""Fieldwork and findings through the API: the same services (IN-1, IN-5, IN-6, IN-8) and
the same `visible_to(user)` as the screens, with If-Match on every write."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from inspectorate.accounts.roles import Role
from inspectorate.api.tests.helpers import client_for
from inspectorate.audit.models import AccessEvent
from inspectorate.inspections.constants import ConcernKind, Stage
from inspectorate.inspections.models import (
    Briefing,
    Concern,
    FollowUp,
    Inspection,
    Meeting,
    Observation,
)
from inspectorate.inspections.tests import findings_helpers as fh
from inspectorate.inspections.tests.fieldwork_helpers import (
    Team,
    load_frameworks,
    make_team_event,
    on,
    person,
)
from inspectorate.programme.models import Event

pytestmark = pytest.mark.django_db


def send(client: Client, method: str, path: str, data: dict[str, Any], version: Any = None) -> Any:
    headers = {} if version is None else {"If-Match": f'"{version}"'}
    call = getattr(client, method)
    return call(path, data, content_type="application/json", headers=headers)


def event_version(event: Event) -> int:
    return Event.objects.get(pk=event.pk).version


@pytest.fixture
def team() -> Any:
    load_frameworks()
    with on():
        yield make_team_event()


def _short(team: Team, **values: Any) -> dict[str, Any]:
    return {
        "event": team.event.pk,
        "kind": "short_focused",
        "observed_on": "2027-06-15",
        "activity": "Level 1 English",
        "duration_minutes": 25,
        **values,
    }


@pytest.mark.rule("IN-8")
def test_a_team_member_records_an_observation_and_answers_a_warning_with_a_reason(
    team: Team,
) -> None:
    client = client_for(team.ofsted_inspector)
    version = event_version(team.event)
    missing = send(client, "post", "/api/v1/observations/", _short(team))
    assert missing.status_code == 428
    warned = send(client, "post", "/api/v1/observations/", _short(team), version)
    assert warned.status_code == 400, warned.content
    (problem,) = warned.json()["errors"]
    assert (problem["field"], problem["code"]) == ("duration_minutes", "override_needed")
    assert "IN-8" in problem["message"]
    assert not Observation.objects.exists()
    reason = {"override_reason": "The session ran on."}
    made = send(client, "post", "/api/v1/observations/", _short(team, **reason), version)
    assert made.status_code == 201, made.content
    assert made["ETag"] == '"1"'
    graded = send(client, "post", "/api/v1/observations/", _short(team, grade=1, **reason), version)
    assert graded.status_code == 400
    assert "grade" in {e["field"] for e in graded.json()["errors"]}


def test_changing_an_observation_needs_its_current_version(team: Team) -> None:
    client = client_for(team.ofsted_inspector)
    made = send(
        client,
        "post",
        "/api/v1/observations/",
        _short(team, duration_minutes=15),
        event_version(team.event),
    )
    path = f"/api/v1/observations/{made.json()['id']}/"
    change = {k: v for k, v in _short(team, duration_minutes=10).items() if k != "event"}
    assert send(client, "put", path, change).status_code == 428
    assert send(client, "put", path, change, version=7).status_code == 412
    changed = send(client, "put", path, change, version=1)
    assert changed.status_code == 200, changed.content
    assert changed.json()["duration_minutes"] == 10
    assert changed["ETag"] == '"2"'


def test_establishment_users_never_see_fieldwork_and_outsiders_do_not_record_it(
    team: Team,
) -> None:
    with on():
        Observation.objects.create(
            event=team.event,
            kind="short_focused",
            observer=team.inspector,
            observed_on=date(2027, 6, 15),
            activity="Induction",
            duration_minutes=15,
        )
    observation = Observation.objects.get()
    local = person("local-user", Role.ESTABLISHMENT_USER, establishment=team.event.establishment)
    local_client = client_for(local)
    assert local_client.get("/api/v1/observations/").json()["count"] == 0
    assert local_client.get(f"/api/v1/observations/{observation.pk}/").status_code == 404
    assert local_client.get("/api/v1/meetings/").json()["count"] == 0
    assert local_client.get("/api/v1/briefings/").json()["count"] == 0
    member = client_for(team.inspector).get("/api/v1/observations/")
    assert [row["id"] for row in member.json()["results"]] == [observation.pk]
    reviewer = person("qa-reader", Role.QUALITY_ASSURANCE)
    refused = send(
        client_for(reviewer),
        "post",
        "/api/v1/observations/",
        _short(team, duration_minutes=15),
        event_version(team.event),
    )
    assert refused.status_code in (400, 403)
    assert Observation.objects.count() == 1


@pytest.mark.rule("IN-1")
def test_the_briefing_without_both_leads_needs_a_reason(team: Team) -> None:
    client = client_for(team.leader)
    body = {"event": team.event.pk, "held_on": "2027-06-01", "attendees": [team.leader.pk]}
    version = event_version(team.event)
    warned = send(client, "post", "/api/v1/briefings/", body, version)
    assert warned.status_code == 400, warned.content
    assert warned.json()["errors"][0]["code"] == "override_needed"
    assert not Briefing.objects.exists()
    late = send(client, "post", "/api/v1/briefings/", {**body, "held_on": "2027-06-16"}, version)
    assert late.status_code == 400
    assert late.json()["errors"][0]["field"] == "held_on"
    made = send(client, "post", "/api/v1/briefings/", {**body, "override_reason": "Ill."}, version)
    assert made.status_code == 201, made.content
    briefing = Briefing.objects.get()
    assert "Ill." in briefing.notes
    path = f"/api/v1/briefings/{briefing.pk}/"
    both = {"held_on": "2027-06-02", "attendees": [team.leader.pk, team.ofsted_lead.pk]}
    assert send(client, "put", path, both, version=0).status_code == 412
    changed = send(client, "put", path, both, version=1)
    assert changed.status_code == 200, changed.content
    assert sorted(changed.json()["attendees"]) == sorted([team.leader.pk, team.ofsted_lead.pk])


def test_a_team_member_records_a_meeting(team: Team) -> None:
    client = client_for(team.inspector)
    body = {
        "event": team.event.pk,
        "kind": "team",
        "held_on": "2027-06-08",
        "attendees": [team.inspector.pk, team.leader.pk],
    }
    with on():
        made = send(client, "post", "/api/v1/meetings/", body, event_version(team.event))
    assert made.status_code == 201, made.content
    listed = client.get(f"/api/v1/meetings/?event={team.event.pk}").json()
    assert [row["kind"] for row in listed["results"]] == ["team"]


def test_reads_of_an_unannounced_inspections_fieldwork_are_logged(team: Team) -> None:
    Event.objects.filter(pk=team.event.pk).update(announced_on=None)
    with on():
        Observation.objects.create(
            event=team.event,
            kind="short_focused",
            observer=team.inspector,
            observed_on=date(2027, 6, 15),
            activity="Induction",
            duration_minutes=15,
        )
    observation = Observation.objects.get()
    before = AccessEvent.objects.count()
    listed = client_for(team.inspector).get("/api/v1/observations/")
    assert listed.json()["count"] == 1
    logged = AccessEvent.objects.order_by("pk")[before:]
    assert [(row.record_type, row.record_id) for row in logged] == [
        ("inspections.observation", str(observation.pk))
    ]


# Findings ------------------------------------------------------------------------------------


@pytest.fixture
def findings() -> Any:
    with fh.time_machine.travel(fh.NOON, tick=False):
        event = fh.full_inspection(stage=Stage.FIELDWORK)
        yield event, fh.ofsted_lead(event)


@pytest.mark.rule("IN-5")
def test_a_fifth_ofsted_key_concern_needs_a_reason_the_client_resends(findings: Any) -> None:
    event, lead = findings
    for n in range(4):
        Concern.objects.create(event=event, kind=ConcernKind.OFSTED_KEY, text=f"C{n}", position=n)
    client = client_for(lead)
    body = {"event": event.pk, "kind": "ofsted_key", "text": "Attendance is poor."}
    version = event_version(event)
    warned = send(client, "post", "/api/v1/concerns/", body, version)
    assert warned.status_code == 400, warned.content
    (problem,) = warned.json()["errors"]
    assert (problem["field"], problem["code"]) == ("override_reason", "override_needed")
    assert "IN-5" in problem["message"]
    assert Concern.objects.count() == 4
    resent = send(
        client, "post", "/api/v1/concerns/", {**body, "override_reason": "Unsafe."}, version
    )
    assert resent.status_code == 201, resent.content
    assert Concern.objects.count() == 5
    concern = resent.json()
    path = f"/api/v1/concerns/{concern['id']}/"
    assert send(client, "delete", path, {}).status_code == 428
    assert send(client, "delete", path, {}, version=concern["version"]).status_code == 204
    assert Concern.objects.count() == 4


def test_only_the_leads_write_findings(findings: Any) -> None:
    event, _lead = findings
    member = fh.team_inspector(event)
    body = {"event": event.pk, "text": "Peer mentors.", "paragraph_reference": ""}
    refused = send(
        client_for(member), "post", "/api/v1/positive-practice/", body, event_version(event)
    )
    assert refused.status_code == 403
    made = send(client_for(_lead), "post", "/api/v1/positive-practice/", body, event_version(event))
    assert made.status_code == 201, made.content


@pytest.mark.rule("IN-6")
def test_the_lead_of_an_irp_selects_recommendations_and_writes_the_narrative() -> None:
    with fh.time_machine.travel(fh.NOON, tick=False):
        published = fh.full_inspection(stage=Stage.PUBLISHED)
        recommendations = fh.recommendations(published, 2)
        irp = fh.irp(published, stage=Stage.FIELDWORK)
        lead = fh.team_leader(irp)
    client = client_for(lead)
    body = {"event": irp.pk, "recommendations": [r.pk for r in recommendations]}
    assert send(client, "post", "/api/v1/follow-ups/select/", body).status_code == 428
    chosen = send(client, "post", "/api/v1/follow-ups/select/", body, version=1)
    assert chosen.status_code == 200, chosen.content
    assert len(chosen.json()) == 2
    Event.objects.filter(pk=irp.pk).update(announced_on=date(2026, 11, 2))
    fewer = {**body, "recommendations": [recommendations[0].pk]}
    version = Inspection.objects.get(event=irp).version
    warned = send(client, "post", "/api/v1/follow-ups/select/", fewer, version)
    assert warned.status_code == 400, warned.content
    assert warned.json()["errors"][0]["code"] == "override_needed"
    assert FollowUp.objects.filter(event=irp).count() == 2
    reason = {**fewer, "reason": "The governor asked for focus."}
    narrowed = send(client, "post", "/api/v1/follow-ups/select/", reason, version)
    assert narrowed.status_code == 200, narrowed.content
    assert FollowUp.objects.filter(event=irp).count() == 1
    theme = send(
        client,
        "post",
        "/api/v1/follow-ups/theme/",
        {"event": irp.pk, "theme": "Attendance", "reason": "Ofsted asked."},
        event_version(irp),
    )
    assert theme.status_code == 201, theme.content
    item = FollowUp.objects.get(pk=theme.json()["id"])
    path = f"/api/v1/follow-ups/{item.pk}/narrative/"
    written = send(client, "post", path, {"narrative": "Better now."}, version=item.version)
    assert written.status_code == 200, written.content
    assert FollowUp.objects.get(pk=item.pk).narrative == "Better now."


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(captured)


def test_fieldwork_lists_answer_in_a_fixed_number_of_queries(team: Team) -> None:
    client = client_for(team.inspector)

    def add(n: int) -> None:
        for i in range(n):
            Observation.objects.create(
                event=team.event,
                kind="short_focused",
                observer=team.inspector,
                observed_on=date(2027, 6, 15),
                activity=f"Session {i}",
                duration_minutes=15,
            )
            meeting = Meeting.objects.create(
                event=team.event,
                kind="team",
                held_on=date(2027, 6, 8),
                recorded_by=team.leader,
            )
            meeting.attendees.set([team.leader, team.inspector])
            Concern.objects.create(event=team.event, kind=ConcernKind.KEY, text=f"C{i}")

    add(1)
    paths = ["/api/v1/observations/", "/api/v1/meetings/", "/api/v1/concerns/"]
    one = [_queries(client, path) for path in paths]
    add(3)
    four = [_queries(client, path) for path in paths]
    assert one == four


def test_the_lead_adds_changes_and_deletes_a_recommendation(findings: Any) -> None:
    event, lead = findings
    client = client_for(lead)
    body = {"event": event.pk, "text": "Raise attendance.", "paragraph_reference": "1.12"}
    made = send(client, "post", "/api/v1/recommendations/", body, event_version(event))
    assert made.status_code == 201, made.content
    path = f"/api/v1/recommendations/{made.json()['id']}/"
    change = {"text": "Raise attendance to 85%.", "paragraph_reference": "1.13"}
    assert send(client, "put", path, change).status_code == 428
    changed = send(client, "put", path, change, made.json()["version"])
    assert changed.status_code == 200, changed.content
    assert changed.json()["paragraph_reference"] == "1.13"
    member = client_for(fh.team_inspector(event))
    assert send(member, "delete", path, {}, changed.json()["version"]).status_code == 403
    assert send(client, "delete", path, {}, changed.json()["version"]).status_code == 204
    assert client.get(path).status_code == 404
