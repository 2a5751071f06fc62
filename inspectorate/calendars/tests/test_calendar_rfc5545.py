"""Every feed is valid iCalendar (RFC 5545) as third-party clients read it: vobject, a
validating parser, accepts it; each event has a DTSTAMP, a stable UID and a SEQUENCE; timed
values name Europe/London, whose VTIMEZONE the feed carries with the right daylight-saving
rules; a change bumps SEQUENCE; a cancelled event stays, marked STATUS:CANCELLED."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import vobject
from django.core.management import call_command
from django.urls import reverse
from icalendar import Calendar

from inspectorate.accounts.roles import Role
from inspectorate.calendars import services
from inspectorate.inspections.tests import findings_helpers as h
from inspectorate.inspectors.models import Inspector
from inspectorate.programme import services as programme_services
from inspectorate.programme.constants import TeamRole
from inspectorate.programme.models import Milestone
from inspectorate.programme.tests.test_milestone_helpers import (
    make_establishment,
    make_event,
    put_on_team,
)

pytestmark = pytest.mark.django_db


def fetch(client, user) -> bytes:
    token = services.feed_issue(actor=user)
    response = client.get(reverse("calendars:feed", kwargs={"token": token}))
    assert response.status_code == 200
    return response.content


def validated(content: bytes) -> vobject.base.Component:
    """The feed as vobject reads it, every component validated (raises if invalid)."""
    calendar = vobject.readOne(content.decode(), validate=True)
    calendar.validate(raiseException=True, complainUnrecognized=False)
    return calendar


def assert_rfc5545(content: bytes) -> list[vobject.base.Component]:
    """The rules a client relies on, checked on the raw text and on vobject's reading."""
    text = content.decode()
    lines = text.split("\r\n")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in lines)  # folded at 75 octets
    calendar = validated(content)
    assert calendar.version.value == "2.0"
    assert calendar.prodid.value
    (zone,) = calendar.contents["vtimezone"]
    assert zone.tzid.value == "Europe/London"
    events = calendar.contents.get("vevent", [])
    for event in events:
        assert isinstance(event.dtstamp.value, datetime)
        assert event.dtstamp.value.utcoffset() == timedelta(0)  # DTSTAMP is UTC
        assert event.uid.value.endswith("@inspectorate")
        assert int(event.sequence.value) >= 0
        assert event.status.value in {"CONFIRMED", "CANCELLED"}
        start = event.dtstart.value
        if isinstance(start, datetime):
            assert start.tzinfo is not None, "a timed value names its time zone"
        else:
            assert isinstance(event.dtend.value, date)
            assert not isinstance(event.dtend.value, datetime)
    in_event = False
    for line in lines:  # VTIMEZONE's own DTSTARTs are local times by definition: skip them
        in_event = (in_event or line == "BEGIN:VEVENT") and line != "END:VEVENT"
        if in_event and line.startswith(("DTSTART", "DTEND")) and "T" in line.split(":", 1)[1]:
            assert line.split(":", 1)[0].endswith(";TZID=Europe/London"), line
    return events


def test_every_feed_of_the_demo_is_valid_icalendar(client) -> None:
    """Every demo user with a team place: their feed parses and validates."""
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    users = {
        i.user for i in Inspector.objects.filter(user__isnull=False, team_places__isnull=False)
    }
    assert users, "the demo puts users on teams"
    seen = 0
    for user in users:
        seen += len(assert_rfc5545(fetch(client, user)))
    assert seen > 0


@pytest.fixture
def today():
    yield from h.frozen_today()


@pytest.fixture
def lead(today):
    return h.user(Role.OFSTED_LEAD_INSPECTOR)


def _summer_event(lead):
    event = make_event(make_establishment("LE", "HMP Leeds"), starts_on=date(2027, 7, 12))
    put_on_team(event, lead, TeamRole.OFSTED_LEAD)
    return event


def test_a_summer_milestone_at_noon_is_eleven_utc(client, lead) -> None:
    event = _summer_event(lead)
    milestone = Milestone.objects.filter(event=event, due_time__isnull=False).first()
    assert milestone is not None, "the full inspection has a timed milestone (IN-2)"
    Milestone.objects.filter(pk=milestone.pk).update(due_on=date(2027, 7, 15), due_time=time(12))
    in_feed = [e.uid.value for e in assert_rfc5545(fetch(client, lead))]
    winter = Milestone.objects.filter(
        pk__in=[int(uid[10:].split("@")[0]) for uid in in_feed if uid.startswith("milestone-")]
    ).exclude(pk=milestone.pk)[0]
    Milestone.objects.filter(pk=winter.pk).update(due_on=date(2027, 1, 14), due_time=time(12))
    events = {e.uid.value: e for e in assert_rfc5545(fetch(client, lead))}
    summer = events[f"milestone-{milestone.pk}@inspectorate"].dtstart.value
    assert summer.astimezone(UTC) == datetime(2027, 7, 15, 11, 0, tzinfo=UTC)  # BST
    january = events[f"milestone-{winter.pk}@inspectorate"].dtstart.value
    assert january.astimezone(UTC) == datetime(2027, 1, 14, 12, 0, tzinfo=UTC)  # GMT
    # icalendar, a second client, reads the same instant
    parsed = Calendar.from_ical(fetch(client, lead))
    (item,) = [
        e
        for e in parsed.walk("VEVENT")
        if str(e["uid"]) == f"milestone-{milestone.pk}@inspectorate"
    ]
    assert item.decoded("dtstart").astimezone(UTC) == datetime(2027, 7, 15, 11, 0, tzinfo=UTC)


def test_a_move_bumps_the_sequence_and_keeps_the_uid(client, lead) -> None:
    event = _summer_event(lead)
    before = {e.uid.value: int(e.sequence.value) for e in assert_rfc5545(fetch(client, lead))}
    coordinator = h.user(Role.HMIP_COORDINATOR)
    programme_services.event_move(
        actor=coordinator, event=event, version=event.version, starts_on=date(2027, 9, 13)
    )
    after = {e.uid.value: int(e.sequence.value) for e in assert_rfc5545(fetch(client, lead))}
    place = next(uid for uid in before if uid.startswith("team-place-"))
    assert place in after
    assert after[place] > before[place]


def test_a_cancelled_event_stays_in_the_feed_as_cancelled(client, lead) -> None:
    event = _summer_event(lead)
    coordinator = h.user(Role.HMIP_COORDINATOR)
    programme_services.event_cancel(
        actor=coordinator, event=event, version=event.version, reason="Outbreak on site"
    )
    events = assert_rfc5545(fetch(client, lead))
    places = [e for e in events if e.uid.value.startswith("team-place-")]
    assert places
    assert all(e.status.value == "CANCELLED" for e in places)
    assert all(int(e.sequence.value) >= 1 for e in places)


def test_text_is_escaped_and_long_lines_folded(client, lead) -> None:
    event = make_event(
        make_establishment("XX", "HMP Semi;colon, Comma\\Back " + "Long" * 30),
        starts_on=date(2027, 3, 8),
    )
    put_on_team(event, lead, TeamRole.OFSTED_LEAD)
    content = fetch(client, lead)
    assert "Semi\\;colon\\, Comma\\\\Back" in content.decode().replace("\r\n ", "")
    (summary,) = [
        e.summary.value for e in assert_rfc5545(content) if e.uid.value.startswith("team-place")
    ]
    assert summary.startswith("Full inspection: HMP Semi;colon, Comma\\Back Long")
