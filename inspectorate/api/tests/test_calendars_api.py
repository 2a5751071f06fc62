"""Your calendar feed through the API: only your own feeds are listed (never their address,
nor anyone else's feed), a new address is shown once, revoking stops it at once, and both
are done only while signed in: a token, even a write token, cannot mint a feed (PG-3, DP-1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inspectorate.accounts.models import User
from inspectorate.accounts.roles import Role
from inspectorate.api.tests.helpers import World, client_for, token_client
from inspectorate.calendars import services
from inspectorate.calendars.models import CalendarToken
from inspectorate.lib.tokens import token_hash

pytestmark = pytest.mark.django_db

FEEDS = "/api/v1/calendar-feeds/"


def inspector_of(world: World) -> User:
    assert world.on_team is not None
    return world.on_team


@pytest.mark.rule("DP-1")
@pytest.mark.rule("PG-3")
def test_issuing_shows_the_address_once_and_it_reads_my_inspections(world: World) -> None:
    me = inspector_of(world)
    client = client_for(me)
    response = client.post(FEEDS)
    assert response.status_code == 201, response.content
    assert response["Cache-Control"] == "no-store"
    issued = response.json()
    assert issued["live"] is True
    url = issued["url"]
    assert url.startswith("http://testserver/calendar/")
    assert url.endswith(".ics")
    secret = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarToken.objects.get(user=me)
    assert feed.pk == issued["id"]
    assert feed.token_hash == token_hash(secret)  # stored hashed only
    calendar = client.get(url.removeprefix("http://testserver"))
    assert calendar.status_code == 200
    assert b"HMP Leeds" in calendar.content  # the unannounced inspection I am on
    listed = client.get(FEEDS).json()
    assert [row["id"] for row in listed["results"]] == [feed.pk]
    assert "url" not in listed["results"][0]
    assert secret not in client.get(f"{FEEDS}{feed.pk}/").content.decode()


def test_a_new_address_revokes_the_old_one(world: World) -> None:
    client = client_for(inspector_of(world))
    first = client.post(FEEDS).json()
    second = client.post(FEEDS).json()
    assert client.get(first["url"].removeprefix("http://testserver")).status_code == 404
    rows = {row["id"]: row["live"] for row in client.get(FEEDS).json()["results"]}
    assert rows == {first["id"]: False, second["id"]: True}
    assert client.get(f"{FEEDS}?live=true").json()["count"] == 1


def test_revoking_stops_the_address_at_once(world: World) -> None:
    client = client_for(inspector_of(world))
    issued = client.post(FEEDS).json()
    response = client.delete(f"{FEEDS}{issued['id']}/")
    assert response.status_code == 200
    assert response.json()["live"] is False
    assert response.json()["revoked_at"]
    assert client.get(issued["url"].removeprefix("http://testserver")).status_code == 404
    # Revoking an address already revoked changes nothing, and revokes no newer one.
    newer = client.post(FEEDS).json()
    assert client.delete(f"{FEEDS}{issued['id']}/").status_code == 200
    assert CalendarToken.objects.get(pk=newer["id"]).revoked_at is None


@pytest.mark.rule("PG-3")
def test_nobody_sees_or_revokes_another_users_feed(world: World) -> None:
    services.feed_issue(actor=inspector_of(world))
    theirs = CalendarToken.objects.get()
    other = client_for(world.users[Role.HMIP_COORDINATOR])
    assert other.get(FEEDS).json()["count"] == 0
    assert other.get(f"{FEEDS}{theirs.pk}/").status_code == 404
    assert other.delete(f"{FEEDS}{theirs.pk}/").status_code == 404
    assert other.get(f"{FEEDS}{10**30}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_establishment_users_have_no_feed(world: World) -> None:
    client = client_for(world.users[Role.ESTABLISHMENT_USER])
    assert client.get(FEEDS).status_code == 403
    response = client.post(FEEDS)
    assert response.status_code == 403
    assert response.json()["errors"][0]["message"] == "Calendar feeds are for inspectors."
    assert not CalendarToken.objects.exists()


@pytest.mark.parametrize("scope", ["read", "write"])
def test_a_token_lists_feeds_but_cannot_issue_or_revoke_them(world: World, scope: str) -> None:
    me = inspector_of(world)
    services.feed_issue(actor=me)
    feed = CalendarToken.objects.get()
    client, _ = token_client(me, scope=scope)
    assert client.get(FEEDS).json()["count"] == 1
    issued = client.post(FEEDS)
    assert issued.status_code == 403
    assert client.delete(f"{FEEDS}{feed.pk}/").status_code == 403
    assert CalendarToken.objects.get() == feed
    feed.refresh_from_db()
    assert feed.revoked_at is None


def test_listing_feeds_takes_the_same_queries_for_2_or_20(world: World) -> None:
    me = inspector_of(world)
    client = client_for(me)

    def count(rows: int) -> int:
        first = CalendarToken.objects.count()
        CalendarToken.objects.bulk_create(
            CalendarToken(user=me, token_hash=f"{first + n:064x}", revoked_at=timezone.now())
            for n in range(rows)
        )
        with CaptureQueriesContext(connection) as captured:
            response = client.get(FEEDS)
        assert response.json()["count"] == CalendarToken.objects.count()
        return len(captured)

    assert count(2) == count(18)


def test_without_credentials_feeds_answer_401(client: Any) -> None:
    assert client.get(FEEDS).status_code == 401
    assert client.post(FEEDS).status_code == 401
