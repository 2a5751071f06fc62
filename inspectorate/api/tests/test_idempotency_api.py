"""`Idempotency-Key` on API writes (finding 6): the same key and request give the first answer
again without writing; the same key with a different request is refused; keys are the
caller's own; the schema says so."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from inspectorate.api.tests.helpers import World, client_for, token_client
from inspectorate.lib import idempotency
from inspectorate.safeguarding.models import Alert

pytestmark = pytest.mark.django_db
KEY = "6f1c2a4e-3b5d-4c7e-9f00-alert-once"


def raise_alert(client: Any, world: World, summary: str = "Punished for talking to us.") -> Any:
    return client.post(
        "/api/v1/alerts/",
        {"event": world.secret.pk, "kind": "sanctions", "summary": summary},
        content_type="application/json",
        headers={idempotency.HEADER: KEY},
    )


@pytest.mark.rule("SEC-3")
def test_the_same_key_twice_creates_one_alert_and_replays_the_answer(world: World) -> None:
    assert world.on_team is not None
    client = client_for(world.on_team)
    first, second = raise_alert(client, world), raise_alert(client, world)
    assert first.status_code == second.status_code == 201, first.content
    assert second.json() == first.json()
    assert second.get("Location") == first.get("Location")
    assert second[idempotency.REPLAYED_HEADER] == "true"
    assert idempotency.REPLAYED_HEADER not in first
    assert Alert.objects.count() == 1


def test_the_same_key_with_a_different_body_is_refused(world: World) -> None:
    assert world.on_team is not None
    client = client_for(world.on_team)
    assert raise_alert(client, world).status_code == 201
    other = raise_alert(client, world, summary="Another matter.")
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == idempotency.HEADER
    assert "already used for a different request" in other.json()["errors"][0]["message"]
    assert Alert.objects.count() == 1


def test_a_refused_write_keeps_the_key_free(world: World) -> None:
    assert world.on_team is not None
    client = client_for(world.on_team)
    assert raise_alert(client, world, summary="").status_code == 400
    assert raise_alert(client, world).status_code == 201
    assert Alert.objects.count() == 1


def test_keys_belong_to_the_token_or_session_that_sent_them(world: World) -> None:
    assert world.on_team is not None
    session = client_for(world.on_team)
    tokened, _ = token_client(world.on_team, scope="write")
    assert raise_alert(session, world).status_code == 201
    assert raise_alert(tokened, world).status_code == 201
    assert Alert.objects.count() == 2


def test_a_malformed_key_is_refused_naming_the_header(world: World) -> None:
    assert world.on_team is not None
    answer = client_for(world.on_team).post(
        "/api/v1/alerts/",
        {"event": world.secret.pk, "kind": "sanctions", "summary": "x"},
        content_type="application/json",
        headers={idempotency.HEADER: "has spaces in it"},
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == idempotency.HEADER
    assert Alert.objects.count() == 0


def test_the_schema_documents_the_header_on_every_write(world: World) -> None:
    assert world.on_team is not None
    schema = (
        client_for(world.on_team)
        .get("/api/v1/schema/", headers={"Accept": "application/json"})
        .json()
    )
    writes = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("post", "put", "patch", "delete")
    ]
    assert writes
    for path, method, operation in writes:
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
        assert idempotency.HEADER in names, (method, path)


@pytest.mark.django_db(transaction=True)
@pytest.mark.rule("SEC-3")
def test_two_concurrent_requests_with_one_key_create_one_alert(world: World) -> None:
    assert world.on_team is not None
    user, barrier = world.on_team, threading.Barrier(2)
    answers: list[tuple[int, Any]] = []

    def send() -> None:
        client = client_for(user)
        barrier.wait()
        try:
            answer = raise_alert(client, world)
            answers.append((answer.status_code, answer.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [status for status, _ in answers] == [201, 201]
    assert answers[0][1] == answers[1][1]
    assert Alert.objects.count() == 1
