"""Safeguarding and sanctions alerts through the API (SG-1, SG-2, DP-1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role
from inspectorate.api.tests.helpers import World, client_for, person, token_client
from inspectorate.audit.models import AccessEvent
from inspectorate.programme.constants import TeamRole
from inspectorate.programme.tests.test_milestone_helpers import put_on_team
from inspectorate.safeguarding.constants import AlertStatus
from inspectorate.safeguarding.models import Alert


def post(client: Any, path: str, data: dict[str, Any], version: Any = None) -> Any:
    headers = {} if version is None else {"If-Match": f'"{version}"'}
    return client.post(path, data, content_type="application/json", headers=headers)


@pytest.fixture
def leader(world: World) -> User:
    user = person("api-leader", Role.HMIP_INSPECTOR)
    put_on_team(world.secret, user, TeamRole.TEAM_LEADER)
    return user


def _raise(world: World, kind: str = "sanctions") -> Any:
    assert world.on_team is not None
    answer = post(
        client_for(world.on_team),
        "/api/v1/alerts/",
        {"event": world.secret.pk, "kind": kind, "summary": "Punished for talking to us."},
    )
    assert answer.status_code == 201, answer.content
    return answer.json()


@pytest.mark.django_db
@pytest.mark.rule("SG-1")
def test_an_inspector_on_the_team_raises_and_the_ladder_handles_it(
    world: World, leader: User
) -> None:
    alert = _raise(world)
    assert alert["status"] == "raised"
    assert [entry["kind"] for entry in alert["timeline"]][:2] == ["raised", "notified"]
    path = f"/api/v1/alerts/{alert['id']}/"
    handler = client_for(leader)
    read = handler.get(path)
    assert read.status_code == 200
    assert read["ETag"] == '"1"'
    assert AccessEvent.objects.filter(
        actor=leader, record_type="safeguarding.alert", record_id=str(alert["id"])
    ).exists()
    assert post(handler, f"{path}acknowledge/", {}).status_code == 428
    assert post(handler, f"{path}acknowledge/", {}, version=0).status_code == 412
    acknowledged = post(handler, f"{path}acknowledge/", {}, version=1)
    assert acknowledged.status_code == 200, acknowledged.content
    assert acknowledged.json()["status"] == "acknowledged"
    acted = post(handler, f"{path}actions/", {"text": "Told the governor."})
    assert acted.status_code == 201, acted.content
    closed = post(handler, f"{path}close/", {"outcome": "Prisoner safe."}, version=2)
    assert closed.status_code == 200, closed.content
    assert Alert.objects.get(pk=alert["id"]).status == AlertStatus.CLOSED


@pytest.mark.django_db
@pytest.mark.rule("SG-1")
def test_only_the_team_raises_and_only_the_ladder_acknowledges(world: World, leader: User) -> None:
    stranger = client_for(person("api-stranger", Role.HMIP_INSPECTOR))
    refused = post(
        stranger,
        "/api/v1/alerts/",
        {"event": world.published.pk, "kind": "safeguarding", "summary": "Seen."},
    )
    assert refused.status_code == 403
    alert = _raise(world)
    assert world.on_team is not None
    raiser = client_for(world.on_team)
    own = raiser.get(f"/api/v1/alerts/{alert['id']}/")
    assert own.status_code == 200
    ack = post(raiser, f"/api/v1/alerts/{alert['id']}/acknowledge/", {}, version=1)
    assert ack.status_code == 403
    assert Alert.objects.get(pk=alert["id"]).status == AlertStatus.RAISED


@pytest.mark.django_db
@pytest.mark.rule("SG-2")
def test_a_concern_about_someone_not_detained_goes_to_the_coordinators_only(
    world: World, leader: User
) -> None:
    alert = _raise(world, kind="non_detained")
    assert client_for(leader).get(f"/api/v1/alerts/{alert['id']}/").status_code == 404
    coordinator = client_for(world.users[Role.HMIP_COORDINATOR])
    read = coordinator.get(f"/api/v1/alerts/{alert['id']}/").json()
    assert "action" in [entry["kind"] for entry in read["timeline"]]


@pytest.mark.django_db
@pytest.mark.rule("SG-1")
@pytest.mark.parametrize("who", ["establishment", "other_inspector", "quality_assurance"])
def test_an_alert_is_never_seen_outside_its_ladder(world: World, leader: User, who: str) -> None:
    alert = _raise(world)
    user = {
        "establishment": world.users[Role.ESTABLISHMENT_USER],
        "other_inspector": person("api-elsewhere", Role.HMIP_INSPECTOR),
        "quality_assurance": world.users[Role.QUALITY_ASSURANCE],
    }[who]
    client = client_for(user)
    assert client.get("/api/v1/alerts/").json()["count"] == 0
    assert client.get(f"/api/v1/alerts/{alert['id']}/").status_code == 404
    close = post(client, f"/api/v1/alerts/{alert['id']}/close/", {"outcome": "x"}, version=1)
    assert close.status_code == 404
    assert not AccessEvent.objects.filter(actor=user, record_type="safeguarding.alert").exists()


@pytest.mark.django_db
def test_the_list_is_logged_row_by_row(world: World, leader: User) -> None:
    _raise(world)
    _raise(world, kind="safeguarding")
    listed = client_for(leader).get("/api/v1/alerts/")
    assert listed.json()["count"] == 2
    assert AccessEvent.objects.filter(actor=leader, record_type="safeguarding.alert").count() == 2


def _queries(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_for_2_and_20_alerts(world: World) -> None:
    raiser = world.on_team
    assert raiser is not None
    coordinator = client_for(world.users[Role.HMIP_COORDINATOR])

    def add(count: int) -> None:
        for n in range(count):
            Alert.objects.create(
                event=world.secret, kind="safeguarding", summary=f"{n}", raised_by=raiser
            )

    add(2)
    small = _queries(coordinator, "/api/v1/alerts/?page_size=200")
    add(18)
    assert _queries(coordinator, "/api/v1/alerts/?page_size=200") == small
    assert coordinator.get("/api/v1/alerts/").json()["count"] == 20


@pytest.mark.django_db
def test_a_read_token_cannot_raise_an_alert(world: World) -> None:
    assert world.on_team is not None
    client, _ = token_client(world.on_team, scope="read")
    data = {"event": world.secret.pk, "kind": "sanctions", "summary": "Seen."}
    assert post(client, "/api/v1/alerts/", data).status_code == 403
    assert not Alert.objects.exists()
