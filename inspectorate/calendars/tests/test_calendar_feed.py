"""Each inspector's private calendar feed: their own team places and the milestones they
answer for, never other people's confidential events; the token is stored hashed and can be
revoked (PG-3, DP-1)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from icalendar import Calendar

from inspectorate.accounts.roles import Role
from inspectorate.calendars import services
from inspectorate.calendars.models import CalendarToken
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.programme.constants import TeamRole
from inspectorate.programme.tests.test_milestone_helpers import (
    make_establishment,
    make_event,
    put_on_team,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    yield from h.frozen_today()


def summaries(client, token: str) -> list[str]:
    response = client.get(reverse("calendars:feed", kwargs={"token": token}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar"
    calendar = Calendar.from_ical(response.content)
    return [str(item["summary"]) for item in calendar.walk("VEVENT")]


@pytest.mark.rule("PG-3")
def test_the_feed_holds_my_places_and_deadlines_and_nobody_elses(client) -> None:
    lead = h.user(Role.OFSTED_LEAD_INSPECTOR)
    mine = make_event(make_establishment("LE", "HMP Leeds"), starts_on=date(2027, 1, 11))
    put_on_team(mine, lead, TeamRole.OFSTED_LEAD)
    make_event(make_establishment("BL", "HMP Belmarsh"), starts_on=date(2027, 2, 8))  # not mine
    token = services.feed_issue(actor=lead)
    items = summaries(client, token)
    assert "Full inspection: HMP Leeds" in items
    assert any(item.startswith("Due: ") and "HMP Leeds" in item for item in items)
    assert not any("Belmarsh" in item for item in items)


@pytest.mark.rule("DP-1")
def test_the_token_is_stored_hashed_and_can_be_revoked(client) -> None:
    inspector = h.user(Role.HMIP_INSPECTOR)
    token = services.feed_issue(actor=inspector)
    stored = CalendarToken.objects.get(user=inspector)
    assert token not in stored.token_hash
    assert len(stored.token_hash) == 64
    assert summaries(client, token) == []
    renewed = services.feed_issue(actor=inspector)
    assert client.get(reverse("calendars:feed", kwargs={"token": token})).status_code == 404
    services.feed_revoke(actor=inspector)
    assert client.get(reverse("calendars:feed", kwargs={"token": renewed})).status_code == 404


def test_the_settings_page_shows_the_address_once(client) -> None:
    inspector = h.user(Role.HMIP_INSPECTOR)
    client.force_login(inspector)
    url = reverse("calendars:settings")
    response = client.post(url, {"action": "issue"}, follow=True)
    assert "/calendar/" in response.text
    assert ".ics" in response.text
    again = client.get(url)
    assert ".ics" not in again.text
    assert "It is not shown again" in again.text
    client.force_login(h.user(Role.ESTABLISHMENT_USER, establishment=make_establishment()))
    assert client.get(url).status_code == 403


def test_revoking_a_named_feed_leaves_a_newer_one_working(client) -> None:
    """A revoke that races a new issue (two tabs, or the API) revokes only the feed it
    named: the feed issued since keeps working."""
    inspector = h.user(Role.HMIP_INSPECTOR)
    services.feed_issue(actor=inspector)
    old = CalendarToken.objects.get(user=inspector, revoked_at__isnull=True)
    newer = services.feed_issue(actor=inspector)  # revokes the old one
    assert services.feed_revoke(actor=inspector, feed=old) == 0
    assert client.get(reverse("calendars:feed", kwargs={"token": newer})).status_code == 200
