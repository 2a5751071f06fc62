"""API tokens: scoped to read or write and to organisations, revocable, stored hashed,
managed from a signed-in session, and issuing them is throttled."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection

from inspectorate.accounts.roles import Role
from inspectorate.api.models import ApiToken
from inspectorate.api.services import api_token_issue, api_token_revoke
from inspectorate.api.tests.helpers import World, client_for, token_client
from inspectorate.programme.models import Event


@pytest.mark.django_db
def test_only_the_hash_of_the_secret_is_stored(world: World) -> None:
    issued = api_token_issue(actor=world.users[Role.HMIP_COORDINATOR], name="MI")
    token = ApiToken.objects.get(pk=issued.token.pk)
    assert token.token_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    stored = [str(getattr(token, f.attname)) for f in ApiToken._meta.fields]
    assert not any(issued.secret in value for value in stored)
    assert issued.secret.startswith(token.prefix)


@pytest.mark.django_db
def test_a_read_token_reads_but_cannot_write(world: World) -> None:
    client, _ = token_client(world.users[Role.HMIP_COORDINATOR], scope="read")
    assert client.get(f"/api/v1/events/{world.secret.pk}/").status_code == 200
    response = client.post(
        f"/api/v1/events/{world.secret.pk}/move/",
        {"starts_on": "2027-01-18"},
        content_type="application/json",
        headers={"If-Match": '"1"'},
    )
    assert response.status_code == 403
    assert "read only" in response.json()["errors"][0]["message"]
    assert Event.objects.get(pk=world.secret.pk).version == 1


@pytest.mark.django_db
def test_a_write_token_writes_as_its_user(world: World) -> None:
    client, _ = token_client(world.users[Role.HMIP_COORDINATOR], scope="write")
    response = client.post(
        f"/api/v1/events/{world.secret.pk}/move/",
        {"starts_on": "2027-01-18"},
        content_type="application/json",
        headers={"If-Match": '"1"'},
    )
    assert response.status_code == 200, response.content
    # A write token of a user who may not move events still may not.
    other, _ = token_client(world.users[Role.OFSTED_SCHEDULER], scope="write")
    refused = other.post(
        f"/api/v1/events/{world.secret.pk}/move/",
        {"starts_on": "2027-01-25"},
        content_type="application/json",
        headers={"If-Match": '"2"'},
    )
    assert refused.status_code == 403


@pytest.mark.django_db
@pytest.mark.rule("PG-3")
def test_organisations_narrow_what_a_token_sees(world: World) -> None:
    user = world.users[Role.HMIP_COORDINATOR]
    everything, _ = token_client(user)
    ofsted, _ = token_client(user, name="Ofsted", organisations=["ofsted"])
    cqc, _ = token_client(user, name="CQC", organisations=["cqc"])
    assert everything.get("/api/v1/events/").json()["count"] == 3
    assert ofsted.get("/api/v1/events/").json()["count"] == 3  # Ofsted takes part in all three
    assert cqc.get("/api/v1/events/").json()["count"] == 0
    assert cqc.get(f"/api/v1/events/{world.secret.pk}/").status_code == 404
    assert cqc.get("/api/v1/recommendations/").json()["count"] == 0
    assert everything.get("/api/v1/recommendations/").json()["count"] == 2
    # An establishment user's token never sees more than the user would (PG-3).
    own, _ = token_client(world.users[Role.ESTABLISHMENT_USER], organisations=["ofsted"])
    ids = {row["id"] for row in own.get("/api/v1/events/").json()["results"]}
    assert ids == {world.published.pk, world.irp.pk}


@pytest.mark.django_db
def test_a_revoked_token_is_refused_with_401(world: World) -> None:
    user = world.users[Role.HMIP_INSPECTOR]
    client, _ = token_client(user)
    assert client.get("/api/v1/establishments/").status_code == 200
    api_token_revoke(actor=user, token=ApiToken.objects.get(user=user))
    response = client.get("/api/v1/establishments/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["errors"][0]["code"] == "authentication_failed"
    wrong = client.get("/api/v1/establishments/", headers={"Authorization": "Bearer insp_nonsense"})
    assert wrong.status_code == 401


@pytest.mark.django_db
def test_an_inactive_users_token_is_refused(world: World) -> None:
    user = world.users[Role.HMIP_INSPECTOR]
    client, _ = token_client(user)
    user.is_active = False
    user.save()
    assert client.get("/api/v1/establishments/").status_code == 401


@pytest.mark.django_db
def test_tokens_are_issued_from_a_session_once_and_throttled(world: World) -> None:
    user = world.users[Role.OFSTED_SCHEDULER]
    session = client_for(user)
    created = session.post(
        "/api/v1/tokens/", {"name": "Scheduling", "scope": "write"}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    secret = created.json()["secret"]
    listed = session.get("/api/v1/tokens/").json()["results"]
    assert [row["name"] for row in listed] == ["Scheduling"]
    assert "secret" not in listed[0]
    # A token cannot mint or revoke tokens.
    with_token, _ = token_client(user)
    assert (
        with_token.post(
            "/api/v1/tokens/", {"name": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert (
        session.get(
            "/api/v1/establishments/", headers={"Authorization": f"Bearer {secret}"}
        ).status_code
        == 200
    )
    blank = session.post("/api/v1/tokens/", {"name": ""}, content_type="application/json")
    assert blank.status_code == 400
    assert blank.json()["errors"][0]["field"] == "name"
    statuses = [
        session.post(
            "/api/v1/tokens/", {"name": f"T{n}"}, content_type="application/json"
        ).status_code
        for n in range(12)
    ]
    assert 429 in statuses
    assert statuses[-1] == 429
    revoked = session.delete(f"/api/v1/tokens/{created.json()['id']}/")
    assert revoked.status_code == 200
    assert revoked.json()["live"] is False


@pytest.mark.django_db
def test_the_tokens_page_shows_a_secret_once(world: World) -> None:
    user = world.users[Role.HMIP_COORDINATOR]
    client = client_for(user)
    page = client.post(
        "/api/v1/tokens/manage/", {"action": "issue", "name": "Reports", "scope": "read"}
    )
    assert page.status_code == 200
    token = ApiToken.objects.get(user=user)
    secret = page.context["issued"].secret
    assert secret.encode() in page.content
    again = client.get("/api/v1/tokens/manage/")
    assert secret.encode() not in again.content
    assert token.prefix.encode() in again.content
    client.post("/api/v1/tokens/manage/", {"action": "revoke", "token": token.pk})
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


@pytest.mark.django_db
def test_the_issuing_throttle_counts_in_the_shared_database_cache(world: World) -> None:
    """Every gunicorn worker sees the same count: the throttle's history is a row of the
    PostgreSQL cache table, not a per-process memory cache."""
    session = client_for(world.users[Role.OFSTED_SCHEDULER])
    for n in range(3):
        issued = session.post("/api/v1/tokens/", {"name": f"T{n}"}, content_type="application/json")
        assert issued.status_code == 201, issued.content
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM inspectorate_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("throttle_api_tokens" in key for key in keys), keys
