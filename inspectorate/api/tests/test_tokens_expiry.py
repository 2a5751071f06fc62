"""API tokens expire by default (issue 15, finding 6): 90 days unless chosen at issue, at most
a year; an expired token is refused with 401 saying so; the expiry is shown where tokens are
issued and listed, on the screen and in the API."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from inspectorate.accounts.roles import Role
from inspectorate.api.models import ApiToken
from inspectorate.api.services import api_token_issue
from inspectorate.api.tests.helpers import World, client_for, token_client

START = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_a_token_issued_without_an_expiry_expires_after_90_days(world: World) -> None:
    with time_machine.travel(START, tick=False):
        issued = api_token_issue(actor=world.users[Role.HMIP_COORDINATOR], name="MI")
    assert issued.token.expires_at == START + dt.timedelta(days=90)


@pytest.mark.django_db
def test_an_expiry_beyond_a_year_or_in_the_past_is_refused_naming_the_field(
    world: World,
) -> None:
    user = world.users[Role.HMIP_COORDINATOR]
    for when, message in [
        (timezone.now() + dt.timedelta(days=400), "Expiry must be within a year of today"),
        (timezone.now() - dt.timedelta(minutes=1), "Expiry must be in the future"),
    ]:
        with pytest.raises(ValidationError) as refused:
            api_token_issue(actor=user, name="MI", expires_at=when)
        assert refused.value.message_dict == {"expires_at": [message]}
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_an_expired_token_is_refused_with_401_and_says_when_it_expired(world: World) -> None:
    user = world.users[Role.HMIP_INSPECTOR]
    with time_machine.travel(START, tick=False):
        client, _ = token_client(user)
        assert client.get("/api/v1/establishments/").status_code == 200
    with time_machine.travel(START + dt.timedelta(days=90, seconds=1), tick=False):
        response = client.get("/api/v1/establishments/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    error = response.json()["errors"][0]
    assert error["message"] == (
        "The token expired at 2027-02-21 09:00 UTC: issue a new one at /api/v1/tokens/manage/."
    )


@pytest.mark.django_db
def test_the_api_issues_with_a_chosen_expiry_and_lists_it(world: World) -> None:
    session = client_for(world.users[Role.OFSTED_SCHEDULER])
    too_late = session.post(
        "/api/v1/tokens/",
        {"name": "MI", "expires_at": (timezone.now() + dt.timedelta(days=367)).isoformat()},
        content_type="application/json",
    )
    assert too_late.status_code == 400
    assert too_late.json()["errors"][0]["field"] == "expires_at"
    chosen = timezone.now() + dt.timedelta(days=30)
    created = session.post(
        "/api/v1/tokens/",
        {"name": "MI", "expires_at": chosen.isoformat()},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    listed = session.get("/api/v1/tokens/").json()["results"]
    assert dt.datetime.fromisoformat(listed[0]["expires_at"]) == chosen


@pytest.mark.django_db
def test_the_tokens_page_chooses_the_expiry_and_shows_it(world: World) -> None:
    user = world.users[Role.HMIP_COORDINATOR]
    with time_machine.travel(START, tick=False) as clock:
        client = client_for(user)
        page = client.post(
            "/api/v1/tokens/manage/",
            {"action": "issue", "name": "Reports", "scope": "read", "lifetime": "365"},
        )
        assert page.status_code == 200
        token = ApiToken.objects.get(user=user)
        assert token.expires_at == START + dt.timedelta(days=365)
        assert "It expires on 23 November 2027" in page.text
        listed = client.get("/api/v1/tokens/manage/")
        assert "23 Nov 2027" in listed.text
        assert "Expired" not in listed.text
        clock.move_to(START + dt.timedelta(days=366))
        client = client_for(user)
        assert "Expired" in client.get("/api/v1/tokens/manage/").text


@pytest.mark.django_db
def test_the_tokens_page_without_a_choice_issues_for_90_days(world: World) -> None:
    user = world.users[Role.HMIP_COORDINATOR]
    with time_machine.travel(START, tick=False):
        client_for(user).post(
            "/api/v1/tokens/manage/", {"action": "issue", "name": "Reports", "scope": "read"}
        )
    assert ApiToken.objects.get(user=user).expires_at == START + dt.timedelta(days=90)
